/* The report form shows only the fields that matter for the kind of report. */
(function () {
  'use strict';
  function init() {
    var form = document.querySelector('form.report-form');
    if (!form) { return; }
    var fieldsFor = JSON.parse(form.dataset.fieldsFor);
    function update() {
      var checked = form.querySelector('input[name=kind]:checked');
      var kind = checked ? checked.value : 'new';
      var shown = fieldsFor[kind] || [];
      form.querySelectorAll('[data-field]').forEach(function (div) {
        div.hidden = shown.indexOf(div.dataset.field) < 0;
      });
      var map = document.getElementById('report-map');
      if (map && !map.closest('[data-field]').hidden && map._partonsMap) { map._partonsMap.invalidateSize(); }
    }
    form.addEventListener('change', function (e) { if (e.target.name === 'kind') { update(); } });
    update();
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
