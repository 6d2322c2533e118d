// The default theme's small helpers: a light/dark toggle remembered across visits (the system
// setting is followed until the reader chooses), copy buttons on code blocks, and tables too
// wide for the screen made scrollable regions with a cue at the edge that hides more. Their
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
for (const block of document.querySelectorAll('pre.code')) {
  // The button sits in a band above the code (in a wrapper, so it stays put when the code
  // scrolls sideways) and never covers the first line.
  const frame = document.createElement('div');
  frame.className = 'code-frame';
  block.before(frame);
  frame.append(block);
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
  box.setAttribute('aria-label', words.tableScroll ?? 'Table: scroll sideways for more');
}
const tables = document.querySelectorAll('.table-scroll');
const resized = new ResizeObserver((entries) => entries.forEach((e) => markOverflow(e.target)));
for (const box of tables) {
  markOverflow(box);
  box.addEventListener('scroll', () => markOverflow(box), { passive: true });
  resized.observe(box);
}
