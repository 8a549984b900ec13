// aims-site live preview: reloads the page after each successful rebuild (keeping the scroll
// position) and shows build errors over the page until they are fixed.
(function () {
  var key = "aims-site-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var y = parseInt(saved, 10) || 0;
      window.addEventListener("load", function () { window.scrollTo(0, y); });
    }
  } catch (e) { /* no storage */ }

  var build = null;

  function overlay(state) {
    var box = document.getElementById("aims-site-errors");
    if (state.ok || !state.errors || !state.errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "aims-site-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;background:#1b1b1f;color:#f5f5f5;border:3px solid #d03b3b;border-radius:8px;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.5)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "aims-site: the last change could not be built (" + state.errors.length + " error(s))";
    h.style.cssText = "margin:0 0 .5rem;font-size:16px;color:#ff8a8f";
    box.appendChild(h);
    var p = document.createElement("p");
    p.textContent = "The page below is the last good build. Fix the problem and save; this page reloads by itself.";
    box.appendChild(p);
    state.errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:.8rem 0;padding:.6rem;background:#26262b;border-radius:4px";
      pre.textContent = e.text || (e.file + ":" + e.line + ":" + e.column + " " + e.message);
      box.appendChild(pre);
    });
  }

  function poll() {
    var since = build === null ? -1 : build;
    fetch("/__aims/poll?since=" + since, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (build !== null && state.build !== build && state.ok) {
          try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
          location.reload();
          return;
        }
        if (build === null && !state.has_site && state.ok) {
          location.reload();
          return;
        }
        build = state.build;
        overlay(state);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
