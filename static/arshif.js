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
    var complete = facet.dataset.complete !== "0";
    var local = facet.querySelector("ul.local");
    var remote = facet.querySelector("ul.remote");
    var timer = null;
    var asked = 0;

    // The page holds a facet's most frequent values only; past those, the server is asked.
    function item(v) {
      var li = document.createElement("li");
      li.className = "fv" + (v.selected ? " selected" : "") + (v.excluded ? " excluded" : "");
      var toggle = document.createElement("a");
      toggle.className = "toggle";
      toggle.href = v.url;
      var bdi = document.createElement("bdi");
      bdi.textContent = v.label;
      toggle.appendChild(bdi);
      if (v.label_en && v.label_en !== v.label) {
        var en = document.createElement("span");
        en.className = "en"; en.lang = "en"; en.dir = "ltr";
        en.textContent = " " + v.label_en;
        toggle.appendChild(en);
      }
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = v.count.toLocaleString("en");
      var exclude = document.createElement("a");
      exclude.className = "exclude";
      exclude.href = v.exclude_url;
      exclude.textContent = v.excluded ? "↺" : "⊘";
      exclude.title = v.excluded ? "إلغاء الاستبعاد" : "استبعاد";
      li.append(toggle, " ", count, " ", exclude);
      return li;
    }
    function ask(text) {
      var ticket = ++asked;
      var sep = location.search ? "&" : "?";
      fetch("/api/facet/" + encodeURIComponent(facet.dataset.facet) + location.search + sep +
            "match=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || ticket !== asked) return;
          remote.replaceChildren.apply(remote, data.values.map(item));
          if (!data.values.length) {
            var none = document.createElement("li");
            none.className = "none";
            none.textContent = "لا توجد قيم مطابقة";
            remote.appendChild(none);
          }
          remote.hidden = false;
          local.hidden = true;
        })
        .catch(function () { /* keep the local list */ });
    }
    if (filter && !complete) {
      filter.addEventListener("input", function () {
        clearTimeout(timer);
        var text = filter.value.trim();
        if (more) more.hidden = text !== "";
        if (!text) {
          asked++;
          remote.hidden = true;
          local.hidden = false;
          return;
        }
        timer = setTimeout(function () { ask(text); }, 150);
      });
    } else if (filter) {
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
