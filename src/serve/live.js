// aims-site live preview: reloads the page after each successful rebuild (keeping the scroll
// position), shows build errors over the page until they are fixed, and the warnings of the
// last good build in a bar at its foot.
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

  // The warnings of the last good build: a bar at the foot of the page, the list on request.
  function warnbar(state) {
    var bar = document.getElementById("aims-site-warnings");
    var list = state.ok ? (state.warning_list || []) : [];
    if (!list.length) {
      if (bar) bar.remove();
      return;
    }
    if (!bar) {
      bar = document.createElement("details");
      bar.id = "aims-site-warnings";
      bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:50vh;overflow:auto;background:#fff8e1;color:#3d2c00;border-top:3px solid #b26a00;padding:.4rem 1rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      document.body.appendChild(bar);
    }
    bar.textContent = "";
    var summary = document.createElement("summary");
    summary.textContent = "aims-site: " + state.warnings + " warning(s) in this preview" +
      (state.warnings > list.length ? " (the first " + list.length + " below; all in the terminal)" : "");
    summary.style.cssText = "cursor:pointer;font-weight:600";
    bar.appendChild(summary);
    list.forEach(function (w) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:.5rem 0;padding:.5rem;background:#fff;border-radius:4px";
      pre.textContent = w.text || (w.file + ":" + w.line + ":" + w.column + " " + w.message);
      bar.appendChild(pre);
    });
  }

  // This page's path in the site, as the server names pages published ahead of their build.
  var here = decodeURIComponent(location.pathname.replace(/^\/+/, "")) || "index.html";
  if (/\/$/.test(here)) here += "index.html";
  var early = null;
  var EARLY_KEY = "aims-site-early:" + location.pathname;

  function reload(forBuild) {
    try {
      sessionStorage.setItem(key, String(window.scrollY));
      if (forBuild !== undefined) sessionStorage.setItem(EARLY_KEY, String(forBuild));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  function poll() {
    var since = build === null ? -1 : build;
    var q = "/__aims/poll?since=" + since + (early === null ? "" : "&early=" + early);
    fetch(q, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        var mine = (state.early_paths || []).indexOf(here) >= 0;
        // This page was rebuilt ahead of the rest of the site: show it now, and not again when
        // the build that made it is done.
        if (early !== null && state.early !== early && mine) {
          reload(state.build + 1);
          return;
        }
        if (build !== null && state.build !== build && state.ok) {
          var fresh = false;
          try { fresh = mine && sessionStorage.getItem(EARLY_KEY) === String(state.build); } catch (e) { /* ignore */ }
          if (!fresh) {
            reload();
            return;
          }
        }
        if (build === null && !state.has_site && state.ok) {
          location.reload();
          return;
        }
        build = state.build;
        early = state.early;
        overlay(state);
        warnbar(state);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
