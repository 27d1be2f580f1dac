// The attempt page without reloads: answers save as the learner goes, and the clock counts
// down. The server keeps the real deadline; this clock is only a display.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var statusLine = document.getElementById("save-status");
  var url = form.getAttribute("data-autosave-url");
  var pending = null;
  var dirty = false;
  var saving = false;
  var SIGNED_OUT = "you have been signed out. Copy anything you typed on this page, sign in " +
    "again and reopen the attempt: answers saved before are kept.";

  function say(text) { if (statusLine) { statusLine.textContent = text; } }

  function clockText(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function save() {
    pending = null;
    if (saving) { pending = setTimeout(save, 500); return; }
    saving = true;
    dirty = false;
    say("Saving…");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        // Only the sign-in page redirects a save: the session has ended.
        return { status: 401, body: { error: SIGNED_OUT } };
      }
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) {
        // A change made while this save was on its way is not saved yet: say so.
        say(dirty ? "Unsaved changes…" : "All answers saved at " + clockText(new Date()) + ".");
      } else if (result.status === 409 && result.body.review) {
        window.location.assign(result.body.review);
      } else if (result.status === 401 || result.status === 400) {
        // 400 is the form's token refused: it belongs to a session that has ended.
        dirty = true;
        say("Not saved: " + SIGNED_OUT);
      } else {
        dirty = true;
        // The server's sentences end in a full stop already; its problems name the question.
        var problems = (result.body.problems || []).join(" ");
        say("Not saved: " + (problems || result.body.message || result.body.error ||
          "please try again."));
      }
    }).catch(function () {
      dirty = true;
      say("Not saved yet: no connection. Your answers will be sent when you move on.");
    }).then(function () { saving = false; });
  }

  function schedule() {
    dirty = true;
    say("Unsaved changes…");
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(save, 800);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    if (pending) { clearTimeout(pending); pending = null; }
    dirty = false;
  });
  // A closed tab or a phone putting the page away still sends what was typed.
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) { navigator.sendBeacon(url, new FormData(form)); }
  });

  var timer = document.getElementById("timer");
  if (!timer) { return; }
  var value = document.getElementById("timer-value");
  var note = document.getElementById("timer-note");
  var alertLine = document.getElementById("timer-alert");
  var deadline = Date.now() + parseInt(timer.getAttribute("data-remaining"), 10) * 1000;
  var warned = {};
  if (note) { note.textContent = ""; }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    value.textContent = minutes + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
    [300, 60].forEach(function (mark) {
      if (left <= mark && left > 0 && !warned[mark]) {
        warned[mark] = true;
        alertLine.textContent = (mark / 60) + (mark === 60 ? " minute" : " minutes") + " left.";
        timer.classList.add("timer-low");
      }
    });
    if (left === 0) {
      clearInterval(clock);
      alertLine.textContent = "Time is up: submitting your answers.";
      var go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      go.value = "submit";
      form.appendChild(go);
      form.submit();
    }
  }
  var clock = setInterval(tick, 1000);
  tick();
})();
