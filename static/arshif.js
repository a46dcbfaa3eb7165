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
// Entities from the search box: people, organizations and countries the typed name stands for
// (/api/suggest), offered under the box; a click filters by one instead of searching the words.
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box || !window.fetch) return;
  var form = box.form;
  var KINDS = { country: "دولة", person: "شخص", org: "منظمة" };
  var list = document.createElement("ul");
  list.className = "suggest-list";
  list.id = "q-suggestions";
  list.setAttribute("aria-label", "كيانات مطابقة");
  list.hidden = true;
  form.appendChild(list);
  box.setAttribute("aria-controls", list.id);
  var timer = null, asked = 0;

  function close() { list.hidden = true; list.replaceChildren(); }
  function item(s) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = s.url;
    a.dataset.facet = s.facet;
    a.dataset.key = s.key;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = (KINDS[s.facet] || s.facet) + ": ";
    var label = document.createElement("bdi");
    label.textContent = s.label;
    a.append(kind, label);
    if (s.label_en && s.label_en !== s.label) {
      var en = document.createElement("span");
      en.className = "en"; en.lang = "en"; en.dir = "ltr";
      en.textContent = s.label_en;
      a.append(" ", en);
    }
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = " — " + s.count.toLocaleString("en");
    a.appendChild(count);
    li.appendChild(a);
    return li;
  }
  function ask(text) {
    var ticket = ++asked;
    var params = new URLSearchParams(new FormData(form));
    params.set("q", text);
    fetch("/api/suggest?" + params.toString())
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || ticket !== asked) return;
        if (!data.suggestions.length) { close(); return; }
        list.replaceChildren.apply(list, data.suggestions.map(item));
        list.hidden = false;
      })
      .catch(close);
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim();
    if (text.length < 2) { asked++; close(); return; }
    timer = setTimeout(function () { ask(text); }, 120);
  });
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  form.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      (all[at + 1] || all[0]).focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at <= 0) box.focus(); else all[at - 1].focus();
    } else if (event.key === "Escape") {
      close();
      box.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
