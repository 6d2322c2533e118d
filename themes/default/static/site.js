// The default theme's small helpers: a light/dark toggle remembered across visits (the system
// setting is followed until the reader chooses), and copy buttons on code blocks. Their words
// come from data- attributes the templates write in the site's language.
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

const copyWords = document.getElementById('main')?.dataset ?? {};
for (const block of document.querySelectorAll('pre.code')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-code';
  button.textContent = copyWords.copy ?? 'Copy';
  button.setAttribute('aria-label', copyWords.copyCode ?? 'Copy the code');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(block.querySelector('code')?.innerText ?? '');
      button.textContent = copyWords.copied ?? 'Copied';
    } catch {
      button.textContent = copyWords.copyFailed ?? 'Could not copy';
    }
    setTimeout(() => { button.textContent = copyWords.copy ?? 'Copy'; }, 1500);
  });
  block.append(button);
}
