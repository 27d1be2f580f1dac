// Certificates, progressively enhanced. Without this script the register's ZIP form posts
// normally and the share link is there to copy by hand.
//  - The register's ZIP download shows its progress ("12.4 MB of 25.0 MB"): the server sends
//    the archive's length first, so the bytes received can be counted against it.
//  - "Copy share link" on the learner's dashboard puts the verification address on the
//    clipboard and says so to screen readers.
(function () {
  "use strict";

  // As the register writes sizes: "12.4 MB", or "480 KB" below a megabyte.
  function megabytes(bytes) {
    if (bytes >= 1000000) { return (bytes / 1000000).toFixed(1) + " MB"; }
    return Math.ceil(bytes / 1000) + " KB";
  }

  function fileName(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : "certificates.zip";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function readWithProgress(response, show) {
    var total = parseInt(response.headers.get("Content-Length") || "0", 10);
    var reader = response.body.getReader();
    var chunks = [];
    var received = 0;
    function next() {
      return reader.read().then(function (step) {
        if (step.done) { return new Blob(chunks, { type: "application/zip" }); }
        chunks.push(step.value);
        received += step.value.length;
        show(received, total);
        return next();
      });
    }
    return next();
  }

  function enhanceZipForm(form) {
    var box = document.getElementById("zip-progress");
    var bar = document.getElementById("zip-progress-bar");
    var text = document.getElementById("zip-progress-text");
    var buttons = form.querySelectorAll("button[type=submit]");
    var lastSaid = 0;

    function busy(on) {
      for (var i = 0; i < buttons.length; i += 1) { buttons[i].disabled = on; }
    }

    function show(received, total) {
      if (total > 0) {
        bar.max = total;
        bar.value = received;
      } else {
        bar.removeAttribute("value");  // length unknown: an indeterminate bar
      }
      // The live region speaks at most every two seconds, and at the end.
      var now = Date.now();
      if (now - lastSaid > 2000 || received === total) {
        lastSaid = now;
        text.textContent = megabytes(received) + (total > 0 ? " of " + megabytes(total) : "") +
          " downloaded.";
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      box.hidden = false;
      bar.value = 0;
      text.textContent = "Preparing the ZIP…";
      busy(true);
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual"
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (response.type === "opaqueredirect" || type.indexOf("application/zip") !== 0) {
            // Nothing chosen, or a filter refused: the server has put its explanation in
            // a message for the register, which is this page with these filters.
            window.location.assign(window.location.href);
            return null;
          }
          return readWithProgress(response, show).then(function (blob) {
            save(blob, fileName(response));
            text.textContent = "Done: " + megabytes(blob.size) + " saved as " +
              fileName(response) + ".";
          });
        })
        .catch(function () {
          text.textContent = "The download stopped: the connection was lost. Please try again.";
        })
        .then(function () { busy(false); });
    });
  }

  function enhanceCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy-link]");
    if (!navigator.clipboard) { return; }  // the link stays on the page to copy by hand
    for (var i = 0; i < buttons.length; i += 1) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener("click", function (event) {
        var clicked = event.currentTarget;
        var status = document.getElementById(clicked.getAttribute("aria-describedby"));
        navigator.clipboard.writeText(clicked.getAttribute("data-copy-link")).then(
          function () { status.textContent = "Link copied."; },
          function () { status.textContent = "Could not copy: select the link above instead."; }
        );
      });
    }
  }

  var zipForm = document.getElementById("zip-form");
  if (zipForm && window.fetch && window.ReadableStream && document.getElementById("zip-progress")) {
    enhanceZipForm(zipForm);
  }
  enhanceCopyButtons();
})();
