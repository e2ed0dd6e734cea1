// storymatch report: optional enhancement. Without it every row stays visible.
(function () {
  "use strict";
  var table = document.querySelector("table.claims");
  var controls = document.querySelector(".controls");
  if (!table || !controls || !table.querySelector("tr.same")) {
    return;
  }
  var box = document.createElement("input");
  box.type = "checkbox";
  box.id = "only-differences";
  var label = document.createElement("label");
  label.htmlFor = box.id;
  label.appendChild(box);
  label.appendChild(
    document.createTextNode(" Show only differences (hide claims every report carries alike)")
  );
  controls.appendChild(label);
  controls.hidden = false;
  box.addEventListener("change", function () {
    table.classList.toggle("only-diff", box.checked);
  });
})();
