// The default theme's small helpers: a light/dark toggle remembered across visits (the system
// setting is followed until the reader chooses), and copy buttons on code blocks.
const root = document.documentElement;
const toggle = document.querySelector('[data-theme-toggle]');
const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
const current = () => root.dataset.theme || (systemDark() ? 'dark' : 'light');

function label() {
  const dark = current() === 'dark';
  toggle.textContent = dark ? '밝은 화면' : '어두운 화면';
  toggle.title = dark ? '밝은 화면으로 바꾸기' : '어두운 화면으로 바꾸기';
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

for (const block of document.querySelectorAll('pre.code')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-code';
  button.textContent = '복사';
  button.setAttribute('aria-label', '코드 복사');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(block.querySelector('code')?.innerText ?? '');
      button.textContent = '복사됨';
    } catch {
      button.textContent = '복사 실패';
    }
    setTimeout(() => { button.textContent = '복사'; }, 1500);
  });
  block.append(button);
}
