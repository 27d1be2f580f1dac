// The service-level calculator without reloads: as the learner types, the same page is fetched
// with the new figures and its result and error messages are swapped in. The form still works
// with a plain submit when scripts are off.
(function () {
  "use strict";
  var form = document.getElementById("calculator-form");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var latest = 0;

  function swap(fresh, id) {
    var old = document.getElementById(id);
    var incoming = fresh.getElementById(id);
    if (old && incoming) { old.innerHTML = incoming.innerHTML; }
  }

  // Field messages and states change in place, so the focused input and its caret stay put.
  function markFields(fresh) {
    form.querySelectorAll(".field").forEach(function (box) {
      var input = box.querySelector("input");
      var incomingInput = input && fresh.getElementById(input.id);
      if (!incomingInput) { return; }
      var incomingBox = incomingInput.closest(".field");
      box.className = incomingBox.className;
      ["aria-invalid", "aria-describedby"].forEach(function (name) {
        var value = incomingInput.getAttribute(name);
        if (value === null) { input.removeAttribute(name); } else { input.setAttribute(name, value); }
      });
      var oldError = box.querySelector(".error");
      var newError = incomingBox.querySelector(".error");
      if (oldError) { oldError.remove(); }
      if (newError) { input.parentNode.insertBefore(newError.cloneNode(true), input); }
    });
  }

  function update() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action") || window.location.pathname;
    var ticket = ++latest;
    fetch(url + "?" + query, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) { throw new Error("signed out"); }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) { return; }  // a newer request has been sent since
        var fresh = new DOMParser().parseFromString(html, "text/html");
        swap(fresh, "calculator-result");
        swap(fresh, "calculator-errors");
        markFields(fresh);
        window.history.replaceState(null, "", url + "?" + query);
      })
      .catch(function () { /* the Calculate button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
})();
