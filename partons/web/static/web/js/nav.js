/* The main menu folds behind a "Menu" button on small screens (without JavaScript it simply stays open); a table
   too wide for the screen scrolls in its box, which the keyboard can then reach (tab to it, then the arrow keys); scripts
   that write a table call window.partonsScrollable() after. */
(function () {
  'use strict';
  function scrollable() {
    document.querySelectorAll('.table-scroll').forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.tabIndex = 0; } else if (box.tabIndex === 0 && !box.id) { box.removeAttribute('tabindex'); }
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', scrollable); } else { scrollable(); }
  window.addEventListener('resize', scrollable);
  window.partonsScrollable = scrollable;  // for tables written by scripts (e.g. a scenario's result)
  // A form sent back with errors: its summary (web/_error_summary.html, or a page's own #error-summary) takes the
  // focus, so that a screen reader reads what to correct and the keyboard starts from there.
  function focusErrors() {
    var summary = document.getElementById('error-summary');
    if (summary) { summary.focus(); }
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', focusErrors); } else { focusErrors(); }
  // The "Team" group closes when the visitor clicks elsewhere or presses Escape (focus back on its summary).
  document.addEventListener('click', function (e) {
    document.querySelectorAll('.nav-group details[open]').forEach(function (d) { if (!d.contains(e.target)) { d.open = false; } });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') { return; }
    document.querySelectorAll('.nav-group details[open]').forEach(function (d) { d.open = false; d.querySelector('summary').focus(); });
  });
  var button = document.querySelector('.menu-toggle'), nav = document.querySelector('.main-nav');
  if (!button || !nav) { return; }
  document.documentElement.classList.add('js-nav');
  button.hidden = false;
  button.addEventListener('click', function () {
    var open = nav.classList.toggle('open');
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && nav.classList.contains('open')) {
      nav.classList.remove('open');
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    }
  });
}());
