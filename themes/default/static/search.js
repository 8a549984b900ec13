// Client-side search over assets/search-index.js (a script, so it also works from file://).
// Ranked by the weights in the index; every query word must match (the last one as a prefix).
(function () {
  var index = window.AIMS_SEARCH;
  var input = document.getElementById("search-query");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!index || !input || !list) return;
  var terms = Object.keys(index.terms).sort();

  var STOP = {"a":1,"an":1,"and":1,"are":1,"as":1,"at":1,"be":1,"by":1,"for":1,"from":1,"has":1,"have":1,"in":1,"is":1,"it":1,"its":1,"of":1,"on":1,"or":1,"that":1,"the":1,"this":1,"to":1,"was":1,"were":1,"will":1,"with":1};
  function tokens(q) {
    var m = q.toLowerCase().match(/[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu) || [];
    return m.filter(function (w) { return !STOP[w]; });
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function highlight(text, words) {
    var out = escapeHtml(text);
    words.forEach(function (w) {
      if (w.length < 2) return;
      var re = new RegExp("(" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi");
      out = out.replace(re, "<mark>$1</mark>");
    });
    return out;
  }
  // First index of a term >= prefix (binary search over the sorted terms).
  function lowerBound(prefix) {
    var lo = 0, hi = terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < prefix) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function scoresFor(word, prefix) {
    var scores = {};
    function add(term, factor) {
      var p = index.terms[term];
      for (var i = 0; i < p.length; i += 2) scores[p[i]] = (scores[p[i]] || 0) + p[i + 1] * factor;
    }
    if (index.terms[word]) add(word, 1);
    if (prefix) {
      for (var i = lowerBound(word); i < terms.length && terms[i].indexOf(word) === 0; i++) {
        if (terms[i] !== word) add(terms[i], 0.5);
      }
    }
    return scores;
  }
  function search(q) {
    var words = tokens(q);
    if (!words.length) return [];
    var total = null;
    words.forEach(function (w, n) {
      var s = scoresFor(w, n === words.length - 1);
      if (total === null) { total = s; return; }
      var next = {};
      Object.keys(total).forEach(function (d) { if (s[d]) next[d] = total[d] + s[d]; });
      total = next;
    });
    return Object.keys(total || {}).map(function (d) { return [+d, total[d]]; })
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }
  function snippet(doc, words) {
    var headings = doc[7] || [];
    for (var i = 0; i < headings.length; i++) {
      var h = headings[i].toLowerCase();
      if (words.some(function (w) { return h.indexOf(w) !== -1; })) return "§ " + headings[i] + " — " + doc[6];
    }
    return doc[6];
  }
  function render(q) {
    var words = tokens(q);
    var hits = search(q);
    list.textContent = "";
    status.textContent = words.length ? hits.length + " document(s) for “" + q + "”" : "Type words, a document id or a clause number.";
    hits.slice(0, 50).forEach(function (hit) {
      var d = index.docs[hit[0]];
      var li = document.createElement("li");
      li.innerHTML = '<a class="result-title" href="' + escapeHtml(d[2]) + '">' + highlight(d[0] + " " + d[1], words) + "</a>" +
        '<p class="result-meta">' + escapeHtml(d[3]) + " · " + escapeHtml(d[4]) + (d[5] ? " · " + escapeHtml(d[5]) : "") + "</p>" +
        '<p class="result-snippet">' + highlight(snippet(d, words), words) + "…</p>";
      list.appendChild(li);
    });
  }
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  render(q);
  input.addEventListener("input", function () { render(input.value); });
  input.focus();
})();
