// Light/dark theme: follows the system setting until the reader picks one with the toggle;
// and the "/" keyboard shortcut for search.
(function () {
  var root = document.documentElement;
  // Scripts run: the phone layout may fold the navigation behind the menu button.
  root.classList.add("js");
  try {
    var saved = localStorage.getItem("aims-theme");
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage unavailable (file:// in some browsers) */ }
  // "/" focuses the search box, as on most documentation sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var box = document.getElementById("search-query") || document.getElementById("site-search");
    if (box) { e.preventDefault(); box.focus(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    // The menu button (narrow screens): shows or hides the site navigation and the sidebar.
    var menu = document.querySelector(".menu-toggle");
    if (menu) {
      menu.addEventListener("click", function () {
        var open = menu.getAttribute("aria-expanded") !== "true";
        menu.setAttribute("aria-expanded", open ? "true" : "false");
        document.body.classList.toggle("menu-open", open);
      });
    }
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
