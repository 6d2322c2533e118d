// The default theme's search box and search page, on top of hugi's search client.
// `/` focuses the box; results appear as you type; arrow keys and Enter choose one.
import { search, searchPage, suggest } from './search/search.js';

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
 * A result as a list item; text goes in as text, the title and excerpt as the escaped HTML
 * (with <mark>) search.js makes. The link carries what matched, for the landing page to show.
 * `id` makes it an option of the search box's listbox.
 */
function item(result, id) {
  const li = document.createElement('li');
  if (id) {
    li.setAttribute('role', 'option');
    li.id = id;
  }
  const link = document.createElement('a');
  link.href = result.href;
  const title = document.createElement('strong');
  title.innerHTML = result.titleHtml;
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
  const filters = document.querySelector('.search-filters');
  const selects = Array.from(document.querySelectorAll('[data-filter]'));
  const help = document.querySelector('.search-help');
  const suggestions = document.querySelector('.search-suggestions');
  const filter = () => Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.dataset.filter, s.value]));
  // A filter's options: every value among the matches with its count, the chosen one kept.
  const fill = (select, counts) => {
    const chosen = select.value;
    const all = document.createElement('option');
    all.value = '';
    all.textContent = select.dataset.all;
    const options = counts.map(([value, n]) => {
      const option = document.createElement('option');
      option.value = String(value);
      option.textContent = `${value} (${n})`;
      return option;
    });
    select.replaceChildren(all, ...options);
    select.value = counts.some(([value]) => String(value) === chosen) ? chosen : '';
  };
  const address = (query) => {
    const url = new URL(location.href);
    for (const key of ['q', ...selects.map((s) => s.dataset.filter)]) url.searchParams.delete(key);
    if (query) url.searchParams.set('q', query);
    for (const [key, value] of Object.entries(filter())) url.searchParams.set(key, value);
    history.replaceState(null, '', url);
  };
  let latest = 0;
  const show = async (query) => {
    const ticket = ++latest;
    if (!query) {
      list.replaceChildren();
      status.textContent = '';
      filters.hidden = true;
      help.hidden = true;
      return;
    }
    const chosen = filter();
    const page = await searchPage(query, { limit: 50, filter: chosen });
    if (ticket !== latest) return;
    const facets = page.facets;
    fill(selects.find((s) => s.dataset.filter === 'event'), facets.events);
    fill(selects.find((s) => s.dataset.filter === 'year'), facets.years);
    fill(selects.find((s) => s.dataset.filter === 'tag'), facets.tags);
    // A filter the new query's matches do not have is dropped, and the query runs without it.
    if (JSON.stringify(filter()) !== JSON.stringify(chosen)) {
      address(query);
      return show(query);
    }
    list.replaceChildren(...page.results.map((r) => item(r, null)));
    filters.hidden = facets.events.length === 0;
    const n = page.total;
    status.textContent = n
      ? say(pageForm, n === 1 ? 'result' : 'results', { n })
      : say(pageForm, 'noResults', { query });
    help.hidden = n > 0;
    if (n === 0) {
      const better = await suggest(query);
      if (ticket !== latest) return;
      suggestions.replaceChildren(...better.map((s) => {
        const link = document.createElement('a');
        const url = new URL(location.href);
        url.search = '';
        url.searchParams.set('q', s.query);
        link.href = url.pathname + url.search;
        link.textContent = s.query;
        link.addEventListener('click', (event) => {
          event.preventDefault();
          input.value = s.query;
          address(s.query);
          show(s.query);
        });
        return link;
      }));
      suggestions.parentElement.hidden = better.length === 0;
    }
  };
  const params = new URLSearchParams(location.search);
  const initial = params.get('q') ?? '';
  input.value = initial;
  for (const select of selects) {
    // The option exists only once results are in: keep the wanted value until then.
    const wanted = params.get(select.dataset.filter);
    if (wanted) {
      const option = document.createElement('option');
      option.value = wanted;
      select.append(option);
      select.value = wanted;
    }
    select.addEventListener('change', () => {
      address(input.value.trim());
      show(input.value.trim());
    });
  }
  show(initial.trim());
  input.addEventListener('input', debounce(() => {
    const query = input.value.trim();
    address(query);
    show(query);
  }, 150));
  pageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    show(input.value.trim());
  });
}
