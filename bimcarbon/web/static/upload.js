// The upload form: a model over the size limit is refused before anything is sent, so nothing typed is lost.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) return;
  var limit = Number(form.dataset.maxBytes);
  var model = document.getElementById("model");
  var message = document.getElementById("model-too-large");
  function tooLarge() {
    var file = model.files && model.files[0];
    return Boolean(file && limit && file.size > limit);
  }
  function check() {
    var refused = tooLarge();
    message.hidden = !refused;
    message.textContent = refused ? form.dataset.tooLarge : "";
    return refused;
  }
  model.addEventListener("change", check);
  form.addEventListener("submit", function (event) {
    if (check()) {
      event.preventDefault();
      model.focus();
    }
  });
})();
