// A list of ticks on a phone: "tick all" / "untick all" and a live count; the page works without it.
(function () {
  function count(list) {
    var counter = list.querySelector("[data-ticks-count]");
    var n = list.querySelectorAll("input[type=checkbox][data-tick]:checked").length;
    if (counter) counter.textContent = (counter.dataset.template || "N").replace("N", n);
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-ticks] input[data-tick]")) return;
    count(box.closest("[data-ticks]"));
  });
  document.addEventListener("click", function (event) {
    var button = event.target;
    if (!button.matches || !button.matches("[data-ticks] [data-tick-all]")) return;
    event.preventDefault();
    var list = button.closest("[data-ticks]");
    var on = button.dataset.tickAll === "on";
    list.querySelectorAll("input[type=checkbox][data-tick]").forEach(function (box) { box.checked = on; });
    count(list);
  });
  document.querySelectorAll("[data-ticks] [data-tick-all]").forEach(function (b) { b.hidden = false; });
})();
