// Reading aids of document pages: a permalink on each heading of the body, a copy button on
// each code block, and the control block opened for printing (on screen it folds behind its
// one-line strip).
(function () {
  function permalinks() {
    var heads = document.querySelectorAll(".doc-body h2[id], .doc-body h3[id], .doc-body h4[id]");
    Array.prototype.forEach.call(heads, function (h) {
      if (h.querySelector(".permalink")) return;
      var a = document.createElement("a");
      a.className = "permalink";
      a.href = "#" + h.id;
      a.textContent = "#";
      a.setAttribute("aria-label", "Link to this section: " + h.textContent);
      h.appendChild(a);
    });
  }

  function copyButtons() {
    if (!navigator.clipboard) return;
    var blocks = document.querySelectorAll(".doc-body pre");
    Array.prototype.forEach.call(blocks, function (pre) {
      if (pre.parentNode.classList && pre.parentNode.classList.contains("code-block")) return;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy this code");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(pre.innerText).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        }, function () { button.textContent = "Copy failed"; });
      });
      wrap.appendChild(button);
    });
  }

  // Printing from the browser: every control block open, as in print.html, then as it was.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = [];
    Array.prototype.forEach.call(document.querySelectorAll("details.control-details"), function (d) {
      if (!d.open) { d.open = true; reopened.push(d); }
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  function ready() { permalinks(); copyButtons(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
