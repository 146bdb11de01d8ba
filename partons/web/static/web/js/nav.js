/* The main menu folds behind a "Menu" button on small screens (without JavaScript it simply stays open). */
(function () {
  'use strict';
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
