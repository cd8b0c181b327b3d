// The calendar's filters. They live in the URL's fragment (#team=brand&status=ready): a reload
// keeps them, a link can share them, and the pages move between months and weeks with them. Each
// post on the page carries what the filters match in data attributes; a team matches both the
// post's team and the account's owner. Without this script every post is shown.
(function () {
  "use strict";
  var skip = document.querySelector("a.skip");
  if (skip) {  // to the heading without touching the fragment, which holds the filters
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      document.getElementById("main").focus();
    });
  }
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-key]"));
  var shown = form.querySelector(".shown");

  function wanted() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var out = {};
    selects.forEach(function (select) {
      var value = params.get(select.name) || "";
      select.value = value;
      if (select.value !== value) { select.value = ""; }  // a value no option has: show all
      if (select.value) { out[select.name] = select.value; }
    });
    return out;
  }

  function apply() {
    var want = wanted();
    var names = Object.keys(want);
    var count = 0;
    items.forEach(function (item) {
      var match = names.every(function (name) {
        return (item.getAttribute("data-" + name) || "").split(" ").indexOf(want[name]) >= 0;
      });
      item.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = names.length ? "Showing " + count + " of " + items.length + " posts."
                                     : "Showing all " + items.length + " posts.";
    var fragment = location.hash;
    document.querySelectorAll("a[data-keep-filters]").forEach(function (link) {
      link.hash = fragment;
    });
  }

  function store() {
    var params = new URLSearchParams();
    selects.forEach(function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    location.hash = params.toString();
  }

  form.hidden = false;
  form.addEventListener("change", store);
  form.addEventListener("submit", function (event) { event.preventDefault(); store(); });
  form.addEventListener("reset", function () { setTimeout(store, 0); });
  window.addEventListener("hashchange", apply);
  apply();
}());
