/* The budget of an application: lines added and removed in the page, and a running total checked against the
   call's ceiling before submitting (the server checks again; without JavaScript, saving the draft adds lines). */
(function () {
  'use strict';
  function init() {
    var table = document.querySelector('table.budget'), body = document.getElementById('budget-lines');
    var template = document.getElementById('budget-line-template');
    var total = document.querySelector('input[name="lines-TOTAL_FORMS"]'), max = document.querySelector('input[name="lines-MAX_NUM_FORMS"]');
    if (!table || !body || !template || !total) { return; }
    var add = document.getElementById('add-line'), out = document.getElementById('budget-total');
    var over = document.getElementById('budget-over'), more = document.getElementById('budget-more-lines');
    var ceiling = Number(table.dataset.ceilingCents || 0) / 100;
    var lang = table.dataset.lang || 'nl';
    var money = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang + '-BE', {style: 'currency', currency: 'EUR'});
    function amount(input) {
      var v = parseFloat(String(input.value || '').replace(/\s/g, '').replace(',', '.'));
      return isNaN(v) ? 0 : v;
    }
    function update() {
      var sum = 0;
      body.querySelectorAll('input[name$="-amount"]').forEach(function (i) { sum += amount(i); });
      out.textContent = money.format(sum);
      over.hidden = !(ceiling && sum > ceiling);
      add.disabled = Number(total.value) >= Number(max ? max.value : 1000);
    }
    function wire(row) {
      var remove = row.querySelector('.remove-line');
      remove.hidden = false;
      remove.addEventListener('click', function () {
        // an emptied line is ignored by the form: clear it and hide it, so the numbering of the others stays
        row.querySelectorAll('input, select').forEach(function (el) { el.value = ''; });
        row.hidden = true;
        update();
        if (add) { add.focus(); }
      });
    }
    body.querySelectorAll('tr.budget-line').forEach(wire);
    add.hidden = false;
    if (more) { more.hidden = true; }
    add.addEventListener('click', function () {
      var n = Number(total.value);
      var html = template.innerHTML.replace(/__prefix__/g, String(n));
      var holder = document.createElement('tbody');
      holder.innerHTML = html.trim();
      var row = holder.querySelector('tr');
      body.appendChild(row);
      total.value = String(n + 1);
      wire(row);
      update();
      row.querySelector('select, input').focus();
    });
    body.addEventListener('input', update);
    body.addEventListener('change', update);
    update();
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
