// Small progressive enhancements; every page works without this file.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-absent]")) return;
  var row = box.closest("tr");
  if (row) row.classList.toggle("is-absent", box.checked);
});
document.addEventListener("input", function (event) {
  var field = event.target;
  if (!field.matches || !field.matches("input[data-hours]")) return;
  var row = field.closest("tr");
  var box = row && row.querySelector("input[data-absent]");
  if (box && field.value && !box.checked) { box.checked = true; row.classList.add("is-absent"); }
});
