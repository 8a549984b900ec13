// Client-side search, loaded on every page by the header's search box. The index is a set of
// scripts (so it also works from file://), each loaded through a <script> tag when first needed:
//   assets/search-index.js   the number of documents and the shards' keys
//   assets/search/t-KEY.js   the terms starting with KEY (two characters, more where a shard
//                            would be large) and their postings; each posting's weight carries
//                            flags: 1 the term is in the id, title or clauses, 2 it is the id
//   assets/search/d-B.js     the fields (id, title, url, type, owner, clauses) and sections
//                            (anchor, heading, text) of documents per×B onwards
// No file grows with the number of documents beyond the postings of one term.
// Every query word must match (the last one as a prefix); id, title and clause matches come
// first. In the header, a dropdown (ARIA combobox) shows the top results; search.html shows them
// all under the same box.
(function () {
  var script = document.currentScript;
  var assets = script && script.src ? script.src.replace(/[^\/]*$/, "") : "assets/";
  var root = assets.replace(/assets\/$/, "");
  var input = document.getElementById("site-search");
  if (!input) return;
  var pageList = document.getElementById("search-results");
  var pageStatus = document.getElementById("search-status");

  // Loading the index.
  var loads = {};
  function load(src) {
    if (!loads[src]) {
      loads[src] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(true); };
        s.onerror = function () { resolve(false); };
        document.head.appendChild(s);
      });
    }
    return loads[src];
  }
  var shards = {}, texts = {}, metas = {}, shardTerms = {};
  window.AIMS_SEARCH_SHARD = function (key, terms) { shards[key] = terms; };
  window.AIMS_SEARCH_DOC = function (n, sections, fields) { texts[n] = sections; metas[n] = fields || []; };
  var shardSet = null, shardList = [], maxKey = 2;
  function index() {
    return load(assets + "search-index.js").then(function () {
      var idx = window.AIMS_SEARCH || { shards: [] };
      if (!shardSet) {
        shardSet = {};
        shardList = idx.shards || [];
        shardList.forEach(function (k) { shardSet[k] = true; maxKey = Math.max(maxKey, Array.from(k).length); });
      }
      return idx;
    });
  }
  // A word's shards: the longest key that begins it (a large shard is cut by longer keys), and
  // for a prefix also the keys it begins, where the terms it completes went: a dozen at most,
  // the shortest keys first, so a very short word in a large manual completes to some of its
  // terms only, until more of it is typed.
  var MAX_PREFIX_SHARDS = 12;
  function shardKeys(term, prefix) {
    var chars = Array.from(term).map(function (c) { return /[a-z0-9]/.test(c) ? c : "_"; });
    var key = chars.slice(0, 2).join("");
    for (var n = Math.min(chars.length, maxKey); n > 2; n--) {
      var k = chars.slice(0, n).join("");
      if (shardSet[k]) { key = k; break; }
    }
    var keys = [key];
    var word = chars.join("");
    if (prefix && chars.length < maxKey) {
      var deeper = shardList.filter(function (k) { return k.length > word.length && k.indexOf(word) === 0; });
      deeper.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
      keys = keys.concat(deeper.slice(0, MAX_PREFIX_SHARDS));
    }
    return keys;
  }
  function shard(key) {
    if (!shardSet[key]) return Promise.resolve({});
    return load(assets + "search/t-" + key + ".js").then(function () { return shards[key] || {}; });
  }
  // The terms of several shards as one object.
  function shardsOf(keys) {
    return Promise.all(keys.map(shard)).then(function (all) {
      if (all.length === 1) return all[0];
      var terms = {};
      all.forEach(function (t) { for (var k in t) terms[k] = t[k]; });
      return terms;
    });
  }

  // Words, as the index makes them (src/render/search.rs).
  var STOP = {};
  ("a an and are as at be by for from has have in is it its of on or that the this to was were will with " +
   "each any all not no we our their which who when where than then there these those into per")
    .split(" ").forEach(function (w) { STOP[w] = 1; });
  function tokens(q) {
    var m = q.toLowerCase().match(/[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu) || [];
    return m.filter(function (w) { return !STOP[w] && (w.length >= 2 || /^[0-9]+$/.test(w)); })
      .map(function (w) { return w.length > 40 ? w.slice(0, 40) : w; });
  }

  // Scores of one word: doc → [score, section, best term's score, flags]. An exact term counts
  // fully, the best term it is a prefix of (for the last word) half. Flags: 1 the word is in
  // the document's id, title or clauses; 2 the word is the whole id.
  function scoresFor(word, prefix) {
    var keys = shardKeys(word, prefix), key = keys.join(" ");
    return shardsOf(keys).then(function (terms) {
      var hits = {};
      function add(term, factor) {
        var p = terms[term], d = 0;
        for (var i = 0; i < p.length; i += 3) {
          d += p[i];
          var w = p[i + 1], s = (w >> 2) * factor, f = factor === 1 ? w & 3 : w & 1, h = hits[d];
          if (!h) hits[d] = [s, p[i + 2], s, f];
          else {
            h[3] |= f;
            if (s > h[2]) { h[0] += s - h[2]; h[2] = s; if (factor === 1) h[1] = p[i + 2]; }
          }
        }
      }
      if (terms[word]) add(word, 1);
      if (prefix && word.length >= 2) {
        var keys = shardTerms[key] || (shardTerms[key] = Object.keys(terms));
        for (var i = 0; i < keys.length; i++) {
          if (keys[i] !== word && keys[i].indexOf(word) === 0) add(keys[i], 0.5);
        }
      }
      return hits;
    });
  }
  // [{n, score, section}] best first.
  function search(q) {
    var words = tokens(q);
    if (!words.length) return Promise.resolve({ words: words, hits: [] });
    return index().then(function () {
      return Promise.all(words.map(function (w, i) { return scoresFor(w, i === words.length - 1); }))
        .then(function (all) {
          // The section comes from the rarest word, the most telling one.
          var rarest = all.map(function (h) { return Object.keys(h).length; });
          var order = all.map(function (_, i) { return i; }).sort(function (a, b) { return rarest[a] - rarest[b]; });
          var hits = [];
          Object.keys(all[order[0]] || {}).forEach(function (d) {
            var score = 0, section = 0, flags = 3;
            for (var k = 0; k < order.length; k++) {
              var h = all[order[k]][d];
              if (!h) return;
              score += h[0];
              flags &= h[3];
              if (k === 0) section = h[1];
            }
            // The document whose id was typed comes first, then those whose id, title or
            // clauses hold every word.
            if (words.length === 1 && flags & 2) score += 10000;
            else if (flags & 1) score += 1000;
            hits.push({ n: +d, score: score, section: section });
          });
          hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
          return { words: words, hits: hits };
        });
    });
  }

  // Snippets: the text around the first match in the hit's section.
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function wordsRe(words) {
    var alts = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("(^|[^\\p{L}\\p{N}])(" + alts.join("|") + ")", "giu");
  }
  function highlight(text, words) {
    if (!words.length) return escapeHtml(text);
    var re = wordsRe(words), out = "", last = 0, m;
    while ((m = re.exec(text))) {
      var start = m.index + m[1].length;
      out += escapeHtml(text.slice(last, start)) + "<mark>" + escapeHtml(m[2]) + "</mark>";
      last = start + m[2].length;
      if (re.lastIndex === m.index) re.lastIndex++;
    }
    return out + escapeHtml(text.slice(last));
  }
  function around(text, at) {
    var start = Math.max(0, at - 70), end = Math.min(text.length, at + 150);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp !== -1 && sp < at) start = sp + 1; }
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > at) end = sp2; }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }
  // {href, heading, snippet (HTML)} of a hit, once its document's sections are loaded.
  function place(hit, words) {
    var d = metas[hit.n] || [], sections = texts[hit.n] || [];
    var chosen = sections[hit.section], at = -1;
    var re = wordsRe(words);
    // Where a word starts in the section's text; 0 when only its heading holds one.
    function find(sec) {
      if (!sec) return -1;
      re.lastIndex = 0;
      var m = re.exec(sec[2]);
      if (m) return m.index + m[1].length;
      re.lastIndex = 0;
      return re.test(sec[1]) ? 0 : -1;
    }
    at = find(chosen);
    if (at === -1) {
      for (var i = 0; i < sections.length; i++) {
        if ((at = find(sections[i])) !== -1) { chosen = sections[i]; break; }
      }
    }
    if (at === -1) chosen = sections[hit.section] || sections[0];
    var text = chosen ? chosen[2] : "";
    return {
      href: root + (d[2] || "") + (chosen && chosen[0] ? "#" + encodeURIComponent(chosen[0]) : ""),
      heading: chosen ? chosen[1] : "",
      snippet: highlight(at === -1 ? around(text, 0) : around(text, at), words),
    };
  }
  function withTexts(result, count) {
    var top = result.hits.slice(0, count), per = (window.AIMS_SEARCH && window.AIMS_SEARCH.per) || 1;
    return Promise.all(top.map(function (h) { return load(assets + "search/d-" + Math.floor(h.n / per) + ".js"); }))
      .then(function () { return top; });
  }
  function noResults(q) {
    return "No results for “" + escapeHtml(q) + "”. Check the spelling, try fewer words, or search by a document id " +
      "such as <kbd>AIMS-POL-001</kbd> or a clause number such as <kbd>6.1.2</kbd>.";
  }

  // The full list on search.html.
  var latest = 0;
  function renderPage(q) {
    var ticket = ++latest;
    search(q).then(function (result) {
      return withTexts(result, 50).then(function (top) {
        if (ticket !== latest) return;
        pageList.textContent = "";
        if (!result.words.length) pageStatus.textContent = "Type words, a document id or a clause number in the search box above.";
        else if (!result.hits.length) pageStatus.innerHTML = noResults(q);
        else pageStatus.textContent = result.hits.length + " document(s) for “" + q + "”" + (result.hits.length > 50 ? ", the first 50 shown" : "");
        top.forEach(function (hit) {
          var d = metas[hit.n] || [], p = place(hit, result.words);
          var li = document.createElement("li");
          li.innerHTML = '<a class="result-title" href="' + escapeHtml(p.href) + '">' + highlight(d[0] + " " + d[1], result.words) + "</a>" +
            '<p class="result-meta">' + escapeHtml(d[3]) + " · " + escapeHtml(d[4]) + (d[5] ? " · " + escapeHtml(d[5]) : "") +
            (p.heading ? " · § " + highlight(p.heading, result.words) : "") + "</p>" +
            '<p class="result-snippet">' + p.snippet + "</p>";
          pageList.appendChild(li);
        });
      });
    });
  }

  // The dropdown under the header box.
  var popup = document.createElement("div");
  popup.className = "search-popup";
  popup.hidden = true;
  var listbox = document.createElement("ul");
  listbox.id = "site-search-listbox";
  listbox.className = "search-dropdown";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Search results");
  var empty = document.createElement("p");
  empty.className = "search-empty";
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  popup.appendChild(listbox);
  popup.appendChild(empty);
  input.parentNode.appendChild(popup);
  input.parentNode.appendChild(live);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  var options = [], active = -1;

  function close() {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function setActive(i) {
    options.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  function option(k, href, html) {
    var li = document.createElement("li");
    li.id = "site-search-option-" + k;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-href", href);
    li.innerHTML = html;
    li.addEventListener("mousedown", function (e) { e.preventDefault(); });
    li.addEventListener("click", function () { location.href = href; });
    return li;
  }
  function renderDropdown(q) {
    var ticket = ++latest;
    search(q).then(function (result) {
      return withTexts(result, 8).then(function (top) {
        if (ticket !== latest) return;
        listbox.textContent = "";
        options = [];
        active = -1;
        input.removeAttribute("aria-activedescendant");
        if (!result.words.length) { close(); live.textContent = ""; return; }
        top.forEach(function (hit, k) {
          var d = metas[hit.n] || [], p = place(hit, result.words);
          options.push(option(k, p.href,
            '<span class="result-title">' + highlight(d[0] + " " + d[1], result.words) + "</span>" +
            (p.heading ? '<span class="result-section">§ ' + highlight(p.heading, result.words) + "</span>" : "") +
            '<span class="result-snippet">' + p.snippet + "</span>"));
        });
        if (result.hits.length) {
          options.push(option(top.length, root + "search.html?q=" + encodeURIComponent(q),
            '<span class="result-all">All ' + result.hits.length + " result(s) for “" + escapeHtml(q) + "”</span>"));
        }
        options.forEach(function (o) { listbox.appendChild(o); });
        listbox.hidden = !options.length;
        empty.hidden = !!options.length;
        empty.innerHTML = options.length ? "" : noResults(q);
        live.textContent = result.hits.length ? result.hits.length + " result(s)" : "No results";
        popup.hidden = false;
        input.setAttribute("aria-expanded", options.length ? "true" : "false");
      });
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (pageList) {
        renderPage(input.value);
        try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
      } else renderDropdown(input.value);
    }, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (pageList) return;
      if (popup.hidden && input.value) { renderDropdown(input.value); return; }
      if (!options.length) return;
      e.preventDefault();
      setActive(e.key === "ArrowDown" ? (active + 1) % options.length : (active <= 0 ? options.length : active) - 1);
    } else if (e.key === "Enter" && active >= 0 && options[active]) {
      e.preventDefault();
      location.href = options[active].getAttribute("data-href");
    } else if (e.key === "Escape" && !popup.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("focus", function () { index(); });
  input.addEventListener("blur", function () { setTimeout(close, 150); });

  if (pageList) {
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    renderPage(q);
    input.focus();
  }
})();
