// Small enhancements only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary after a failed form post, so screen readers announce it.
  var summary = document.getElementById('erreurs');
  if (summary) summary.focus();
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
