// The dashboard's filter: rows and list items with a data-search attribute are hidden
// unless they contain every word typed (student id or name); "needing attention only"
// keeps those marked data-attention="1". Without JavaScript the form stays hidden and
// every row shows.
(function () {
  "use strict";
  var form = document.querySelector("form.filter");
  if (!form) { return; }
  var box = form.querySelector("input[type=search]");
  var only = form.querySelector("input[type=checkbox]");
  var count = form.querySelector("output");
  var none = document.getElementById("filter-none");
  var items = document.querySelectorAll("[data-search]");
  var rows = document.querySelectorAll("table.grades tbody tr").length;
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    Array.prototype.forEach.call(items, function (item) {
      var text = item.getAttribute("data-search") || "";
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (!only.checked || item.getAttribute("data-attention") === "1");
      item.hidden = !keep;
      if (keep && item.tagName === "TR") { shown += 1; }
    });
    count.textContent = shown + " / " + rows;
    if (none) { none.hidden = shown > 0; }
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  box.addEventListener("input", apply);
  only.addEventListener("change", apply);
  form.hidden = false;
  apply();
}());
