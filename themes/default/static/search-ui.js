// The default theme's search box and search page, on top of hugi's search client.
// `/` focuses the box; results appear as you type; arrow keys and Enter choose one.
import { search } from './search/search.js';

const form = document.querySelector('[data-search]');
const pageForm = document.querySelector('[data-search-page]');

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * A result as a list item; text goes in as text, the excerpt is escaped HTML from search.js.
 * `id` makes it an option of the search box's listbox.
 */
function item(result, id) {
  const li = document.createElement('li');
  if (id) {
    li.setAttribute('role', 'option');
    li.id = id;
  }
  const link = document.createElement('a');
  link.href = result.url;
  const title = document.createElement('strong');
  title.textContent = result.title;
  const event = document.createElement('span');
  event.className = 'search-event';
  event.textContent = result.event;
  const excerpt = document.createElement('span');
  excerpt.className = 'search-excerpt';
  excerpt.innerHTML = result.excerpt;
  link.append(title, event, excerpt);
  li.append(link);
  return li;
}

// Words in the site's language from a form's data- attributes, with `{name}` filled in.
function say(element, key, values) {
  let text = element.dataset[key] ?? '';
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
  return text;
}

function empty(text) {
  const li = document.createElement('li');
  li.className = 'search-empty';
  li.textContent = text;
  return li;
}

if (form) {
  const input = form.querySelector('input');
  const list = form.querySelector('.search-results');
  let active = -1;
  let latest = 0;
  const options = () => Array.from(list.querySelectorAll('[role="option"]'));
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index) => {
    const all = options();
    all.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (all[index]) input.setAttribute('aria-activedescendant', all[index].id);
  };
  const run = debounce(async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) return close();
    let results;
    try {
      results = await search(query, { limit: 8 });
    } catch (error) {
      results = [];
      console.error(error);
    }
    if (ticket !== latest) return;
    list.replaceChildren(...(results.length
      ? results.map((r, i) => item(r, `search-result-${i}`))
      : [empty(say(form, 'noResults', { query }))]));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  }, 120);
  input.addEventListener('input', run);
  input.addEventListener('keydown', (event) => {
    const all = options();
    if (event.key === 'ArrowDown' && all.length) {
      event.preventDefault();
      highlight((active + 1) % all.length);
    } else if (event.key === 'ArrowUp' && all.length) {
      event.preventDefault();
      highlight((active - 1 + all.length) % all.length);
    } else if (event.key === 'Enter' && all[active]) {
      event.preventDefault();
      location.href = all[active].querySelector('a').href;
    } else if (event.key === 'Escape') {
      close();
    }
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement &&
      (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!form.contains(event.target)) close();
  });
}

if (pageForm) {
  const input = pageForm.querySelector('input');
  const status = document.querySelector('.search-status');
  const list = document.querySelector('.search-page-results');
  const show = async (query) => {
    if (!query) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    const results = await search(query, { limit: 50 });
    list.replaceChildren(...results.map((r) => item(r, null)));
    const n = results.length;
    status.textContent = n
      ? say(pageForm, n === 1 ? 'result' : 'results', { n })
      : say(pageForm, 'noResults', { query });
  };
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  input.value = initial;
  show(initial.trim());
  input.addEventListener('input', debounce(() => {
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    show(query);
  }, 150));
  pageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    show(input.value.trim());
  });
}
