// Small progressive enhancements; every feature also works without JavaScript (plain links).
(function () {
  "use strict";
  function fold(s) {
    // the same folds as the server's normalization, enough for matching facet labels
    return (s || "").toLowerCase()
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[أإآٱ]/g, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه");
  }
  document.querySelectorAll(".facet").forEach(function (facet) {
    var more = facet.querySelector(".more");
    var filter = facet.querySelector(".facet-filter");
    var expanded = false;
    if (more) {
      facet.classList.add("collapsed");
      var label = more.textContent;
      more.addEventListener("click", function () {
        expanded = !expanded;
        facet.classList.toggle("collapsed", !expanded);
        more.textContent = expanded ? more.dataset.less : label;
        more.setAttribute("aria-expanded", String(expanded));
      });
      more.setAttribute("aria-expanded", "false");
    }
    if (filter) {
      filter.addEventListener("input", function () {
        var needle = fold(filter.value.trim());
        // while filtering, every matching value shows and "more" has nothing to do;
        // an empty filter brings back the list as the "more" button left it
        if (more) {
          facet.classList.toggle("collapsed", !needle && !expanded);
          more.hidden = needle !== "";
        }
        facet.querySelectorAll(".fv").forEach(function (li) {
          var hay = fold(li.dataset.label + " " + li.dataset.labelEn + " " + li.dataset.key);
          li.hidden = needle !== "" && hay.indexOf(needle) === -1;
        });
      });
    }
  });
})();
