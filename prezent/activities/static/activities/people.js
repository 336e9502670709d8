// Counts the people ticked in a list as they are ticked; the page works without it.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-people] input[type=checkbox]")) return;
  var people = box.closest("[data-people]");
  var counter = people.querySelector("[data-people-count]");
  var n = people.querySelectorAll("input[type=checkbox]:checked").length;
  if (counter) counter.textContent = (counter.dataset.template || "N").replace("N", n);
});
