// Light/dark theme: follows the system setting until the reader picks one with the toggle.
(function () {
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem("aims-theme");
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage unavailable (file:// in some browsers) */ }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var current = root.getAttribute("data-theme");
      if (!current) current = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
      var next = current === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("aims-theme", next); } catch (e) { /* ignore */ }
    });
  });
})();
