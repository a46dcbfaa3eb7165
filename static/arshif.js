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
    if (more) {
      facet.classList.add("collapsed");
      var label = more.textContent;
      more.addEventListener("click", function () {
        var collapsed = facet.classList.toggle("collapsed");
        more.textContent = collapsed ? label : more.dataset.less;
      });
    }
    if (filter) {
      filter.addEventListener("input", function () {
        var needle = fold(filter.value.trim());
        if (needle) facet.classList.remove("collapsed");
        facet.querySelectorAll(".fv").forEach(function (li) {
          var hay = fold(li.dataset.label + " " + li.dataset.labelEn + " " + li.dataset.key);
          li.hidden = needle !== "" && hay.indexOf(needle) === -1;
        });
      });
    }
  });
})();
