/* The survey builder's question form shows the fields its type uses: the answers to choose from for single and
   multiple choice, the two ends for a scale. Without JavaScript every field stays (the server ignores what a type
   does not use). */
(function () {
  'use strict';
  var CHOICES = ['single', 'multiple'];
  function init() {
    document.querySelectorAll('form.question-form').forEach(function (form) {
      var kind = form.querySelector('select[name=kind]');
      if (!kind) { return; }
      function update() {
        form.querySelectorAll('[data-field=choices]').forEach(function (el) { el.hidden = CHOICES.indexOf(kind.value) < 0; });
        form.querySelectorAll('[data-field=scale_min], [data-field=scale_max]').forEach(function (el) { el.hidden = kind.value !== 'scale'; });
      }
      kind.addEventListener('change', update);
      update();
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
