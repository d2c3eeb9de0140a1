/* The library's search box suggests titles as one types (progressive enhancement: without this
   script the search works the same). From two characters and after a short pause, the titles from
   GET /api/v1/library/autocomplete fill a <datalist>, which browsers and screen readers present as
   the box's own list of suggestions; choosing one puts the title in the box. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete]");
  if (!input || !window.fetch) {
    return;
  }
  var MIN_LENGTH = 2;
  var PAUSE_MS = 250;
  var list = document.createElement("datalist");
  list.id = input.id + "-titles";
  input.parentNode.appendChild(list);
  input.setAttribute("list", list.id);
  var timer = null;
  var pending = null;
  var shown = "";

  function fill(titles) {
    list.textContent = "";
    titles.forEach(function (title) {
      var option = document.createElement("option");
      option.value = title;
      list.appendChild(option);
    });
  }

  function suggest(typed) {
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    var url = input.getAttribute("data-autocomplete") + "?q=" + encodeURIComponent(typed);
    fetch(url, { headers: { Accept: "application/json" }, signal: pending ? pending.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        shown = typed;
        fill(data.results.map(function (item) { return item.title; }));
      })
      .catch(function () { /* aborted or offline: keep the current suggestions */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var typed = input.value.trim();
    if (typed.length < MIN_LENGTH) {
      fill([]);
      shown = "";
      return;
    }
    if (typed !== shown) {
      timer = window.setTimeout(function () { suggest(typed); }, PAUSE_MS);
    }
  });
})();
