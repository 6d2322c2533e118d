// The default theme's small helpers: a light/dark toggle remembered across visits (the system
// setting is followed until the reader chooses), copy buttons and language labels on code blocks, a
// copy-link button on section headings, the table of contents following the reader, tables too
// wide for the screen made scrollable regions with a cue at the edge that hides more, and the
// words a search result matched marked on the page it leads to. Their
// words come from data- attributes the templates write in the site's language.
const root = document.documentElement;
const toggle = document.querySelector('[data-theme-toggle]');
const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
const current = () => root.dataset.theme || (systemDark() ? 'dark' : 'light');

function label() {
  const dark = current() === 'dark';
  const words = toggle.dataset;
  toggle.textContent = (dark ? words.toLight : words.toDark) ?? (dark ? 'Light' : 'Dark');
  toggle.title = (dark ? words.toLightHint : words.toDarkHint) ?? '';
}

if (toggle) {
  label();
  toggle.addEventListener('click', () => {
    const next = current() === 'dark' ? 'light' : 'dark';
    root.dataset.theme = next;
    try {
      localStorage.setItem('hugi-theme', next);
    } catch {
      // Storage may be disabled; the choice then lasts for this page only.
    }
    label();
  });
}

const words = document.getElementById('main')?.dataset ?? {};
// How a fence's language is shown above the code (`language-rs` → Rust); others as written.
const LANGUAGES = {
  py: 'Python', python: 'Python', js: 'JavaScript', javascript: 'JavaScript', mjs: 'JavaScript',
  ts: 'TypeScript', typescript: 'TypeScript', tsx: 'TSX', jsx: 'JSX', rs: 'Rust', rust: 'Rust',
  kt: 'Kotlin', kotlin: 'Kotlin', java: 'Java', go: 'Go', rb: 'Ruby', ruby: 'Ruby', swift: 'Swift',
  c: 'C', cpp: 'C++', 'c++': 'C++', cs: 'C#', csharp: 'C#', sh: 'Shell', shell: 'Shell',
  bash: 'Bash', zsh: 'Zsh', console: 'Console', sql: 'SQL', html: 'HTML', css: 'CSS', json: 'JSON',
  yaml: 'YAML', yml: 'YAML', toml: 'TOML', md: 'Markdown', markdown: 'Markdown', dockerfile: 'Dockerfile',
  diff: 'Diff', text: 'Text', txt: 'Text',
};
for (const block of document.querySelectorAll('pre.code')) {
  // The button (and the language, when the fence names one) sit in a band above the code, in
  // a wrapper, so they stay put when the code scrolls sideways and never cover the first line.
  const frame = document.createElement('div');
  frame.className = 'code-frame';
  block.before(frame);
  frame.append(block);
  const language = /(?:^|\s)language-(\S+)/.exec(block.querySelector('code')?.className ?? '')?.[1];
  if (language) {
    const label = document.createElement('span');
    label.className = 'code-lang';
    label.textContent = LANGUAGES[language.toLowerCase()] ?? language;
    frame.append(label);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-code';
  button.textContent = words.copy ?? 'Copy';
  button.setAttribute('aria-label', words.copyCode ?? 'Copy the code');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(block.querySelector('code')?.innerText ?? '');
      button.textContent = words.copied ?? 'Copied';
    } catch {
      button.textContent = words.copyFailed ?? 'Could not copy';
    }
    setTimeout(() => { button.textContent = words.copy ?? 'Copy'; }, 1500);
  });
  frame.append(button);
  // Code wider than its box scrolls sideways; the keyboard can scroll it once it takes focus.
  const focusable = () => {
    if (block.scrollWidth > block.clientWidth + 1) block.tabIndex = 0;
    else block.removeAttribute('tabindex');
  };
  focusable();
  new ResizeObserver(focusable).observe(block);
}

// Each section heading gets a button copying the address of that place on the page, for
// sharing a talk's part in a chat. Hover shows it with a mouse; on touch screens it is always
// shown (there is no hover), so a tap copies.
for (const heading of document.querySelectorAll('#main article :is(h2, h3)[id]')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-link';
  button.textContent = words.copyLink ?? 'Copy link';
  button.setAttribute('aria-label', `${words.copyLink ?? 'Copy link'}: ${heading.textContent.replace(/#$/, '').trim()}`);
  button.addEventListener('click', async () => {
    const url = new URL(location.href);
    url.search = '';
    url.hash = heading.id;
    try {
      await navigator.clipboard.writeText(url.href);
      button.textContent = words.copied ?? 'Copied';
    } catch {
      button.textContent = words.copyFailed ?? 'Could not copy';
    }
    button.dataset.done = '';
    setTimeout(() => {
      button.textContent = words.copyLink ?? 'Copy link';
      delete button.dataset.done;
    }, 1500);
  });
  heading.append(button);
}

// The table of contents marks the section being read (`aria-current`): the last heading whose
// top has passed the upper third of the window. A long contents list scrolls itself, not the
// page, to keep that entry in view.
const contents = document.querySelector('.toc');
const entries = Array.from(contents?.querySelectorAll('a[href^="#"]') ?? [], (link) => {
  const id = decodeURIComponent(link.hash.slice(1));
  return [link, document.getElementById(id)];
}).filter(([, heading]) => heading);
let pending = false;
function markCurrent() {
  pending = false;
  const line = window.innerHeight / 3;
  let current = null;
  for (const [link, heading] of entries) {
    if (heading.getBoundingClientRect().top <= line) current = link;
  }
  for (const [link] of entries) {
    if (link === current) link.setAttribute('aria-current', 'location');
    else link.removeAttribute('aria-current');
  }
  const list = current?.closest('ol');
  if (list && list.scrollHeight > list.clientHeight) {
    const item = current.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    if (item.top < box.top) list.scrollTop -= box.top - item.top;
    else if (item.bottom > box.bottom) list.scrollTop += item.bottom - box.bottom;
  }
}
if (entries.length) {
  markCurrent();
  addEventListener('scroll', () => {
    if (!pending) requestAnimationFrame(markCurrent);
    pending = true;
  }, { passive: true });
}

// `data-overflow` says on which sides a table hides columns (`start`, `end`, `both`); the CSS
// fades that edge. A table that overflows can be scrolled with the keyboard too.
function markOverflow(box) {
  const hidden = box.scrollWidth - box.clientWidth;
  if (hidden <= 1) {
    delete box.dataset.overflow;
    box.removeAttribute('tabindex');
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
    return;
  }
  const atStart = Math.abs(box.scrollLeft) <= 1;
  const atEnd = Math.abs(box.scrollLeft) >= hidden - 1;
  box.dataset.overflow = atStart ? 'end' : atEnd ? 'start' : 'both';
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  // Regions of one page need names of their own: the second wide table is numbered.
  const number = Array.prototype.indexOf.call(tables, box) + 1;
  const name = words.tableScroll ?? 'Table: scroll sideways for more';
  box.setAttribute('aria-label', tables.length > 1 ? `${name} (${number}/${tables.length})` : name);
}
const tables = document.querySelectorAll('.table-scroll');
const resized = new ResizeObserver((entries) => entries.forEach((e) => markOverflow(e.target)));
for (const box of tables) {
  markOverflow(box);
  box.addEventListener('scroll', () => markOverflow(box), { passive: true });
  resized.observe(box);
}

// A search result's link names what it matched (`?h=`): the first place the page's main text
// has it is marked and brought into view, and the parameter leaves the address. (The link's
// text fragment does the same without scripts, in browsers that support them.)
function markSearchHit(wanted) {
  const main = document.getElementById('main');
  if (!main || !wanted) return;
  const needle = wanted.normalize('NFC').toLowerCase();
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let title = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.normalize('NFC').toLowerCase().indexOf(needle);
    if (at < 0 || node.parentElement.closest('script, style, button')) continue;
    // The page title repeats what the result showed; a place in the text says more.
    if (node.parentElement.closest('h1')) {
      title ??= [node, at];
      continue;
    }
    return markAt(node, at, needle.length);
  }
  if (title) markAt(title[0], title[1], needle.length);
}
function markAt(node, at, length) {
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, Math.min(node.data.length, at + length));
  const mark = document.createElement('mark');
  mark.className = 'search-hit';
  range.surroundContents(mark);
  const box = mark.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) mark.scrollIntoView({ block: 'center' });
}
const address = new URL(location.href);
const hit = address.searchParams.get('h');
if (hit) {
  markSearchHit(hit);
  address.searchParams.delete('h');
  history.replaceState(history.state, '', address.pathname + address.search + address.hash);
}
