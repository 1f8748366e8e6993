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
  // The application's village search becomes a combobox: suggestions as one types (the site's communes API),
  // arrow keys to move, Enter to tick the village in the list of chosen ones. Without this, "Chercher" posts the form.
  var search = document.querySelector('[data-village-search]');
  var chosenList = search && document.getElementById(search.getAttribute('data-village-search'));
  if (search && chosenList && window.fetch) {
    var list = document.createElement('ul');
    list.id = 'village-suggestions';
    list.className = 'village-suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', search.getAttribute('data-suggestions-label') || '');
    list.hidden = true;
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    search.parentNode.insertBefore(list, search.nextSibling);
    search.parentNode.parentNode.appendChild(status);
    search.setAttribute('role', 'combobox');
    search.setAttribute('aria-autocomplete', 'list');
    search.setAttribute('aria-controls', list.id);
    search.setAttribute('aria-expanded', 'false');
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var close = function () {
      list.hidden = true;
      search.setAttribute('aria-expanded', 'false');
      search.removeAttribute('aria-activedescendant');
      active = -1;
    };
    var highlight = function (i) {
      active = i;
      items.forEach(function (li, n) { li.setAttribute('aria-selected', n === i ? 'true' : 'false'); });
      if (i >= 0) search.setAttribute('aria-activedescendant', items[i].id);
      else search.removeAttribute('aria-activedescendant');
    };
    var pick = function (li) {
      var insee = li.getAttribute('data-insee');
      var name = li.getAttribute('data-name');
      var box = document.getElementById('f-targetCodes-' + insee);
      if (!box) {
        var item = document.createElement('li');
        item.className = 'checkbox';
        box = document.createElement('input');
        box.type = 'checkbox';
        box.id = 'f-targetCodes-' + insee;
        box.name = 'targetCodes';
        box.value = insee;
        var label = document.createElement('label');
        label.htmlFor = box.id;
        label.textContent = name;
        item.appendChild(box);
        item.appendChild(label);
        chosenList.appendChild(item);
      }
      box.checked = true;
      var none = document.getElementById('villages-none');
      if (none) none.hidden = true;
      status.textContent = (search.getAttribute('data-added') || '').replace('{name}', name);
      search.value = '';
      close();
      search.focus();
    };
    var show = function (communes) {
      list.textContent = '';
      items = communes.map(function (c, n) {
        var li = document.createElement('li');
        li.id = 'village-option-' + n;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.setAttribute('data-insee', c.insee);
        li.setAttribute('data-name', c.name);
        li.textContent = c.name;
        li.addEventListener('mousedown', function (event) { event.preventDefault(); pick(li); });
        list.appendChild(li);
        return li;
      });
      if (items.length) {
        list.hidden = false;
        search.setAttribute('aria-expanded', 'true');
        highlight(-1);
      } else close();
    };
    search.addEventListener('input', function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) return close();
      timer = setTimeout(function () {
        var ticket = ++asked;
        fetch('/api/v1/communes?par_page=8&q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (ticket === asked) show(body.items || []); })
          .catch(close);
      }, 150);
    });
    search.addEventListener('keydown', function (event) {
      if (list.hidden) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        var n = items.length;
        highlight(event.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
      } else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault();
        pick(items[active]);
      } else if (event.key === 'Escape') {
        close();
      }
    });
    search.addEventListener('blur', function () { setTimeout(close, 100); });
  }
})();
