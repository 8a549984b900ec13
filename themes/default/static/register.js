// Register and AI system inventory: sort by clicking a column header, filter with the search box. Works from file://.
(function () {
  var table = document.getElementById("register");
  if (!table) return;
  var tools = document.querySelector(".register-tools");
  var input = document.getElementById("register-filter");
  var count = document.querySelector(".register-count");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  if (tools) tools.hidden = false;

  function update() {
    var q = (input && input.value || "").toLowerCase().trim();
    var shown = 0;
    rows.forEach(function (r) {
      var hit = !q || r.textContent.toLowerCase().indexOf(q) !== -1;
      r.hidden = !hit;
      if (hit) shown++;
    });
    if (count) count.textContent = shown + " of " + rows.length + " " + (table.getAttribute("data-noun") || "documents");
  }

  function key(cell, kind) {
    var t = cell.textContent.trim();
    if (kind === "version") {
      return t.split(/[^0-9]+/).filter(Boolean).map(function (n) { return ("0000000000" + n).slice(-10); }).join(".");
    }
    return t.toLowerCase();
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var kind = th.getAttribute("data-sort");
    if (!kind) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { if (o.hasAttribute("aria-sort")) o.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a.cells[col], kind), y = key(b.cells[col], kind);
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  if (input) input.addEventListener("input", update);
  update();
})();
