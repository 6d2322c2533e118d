// hugi preview: reloads the page when its output changed, keeps the scroll position, swaps
// changed stylesheets in place, and shows build errors over the page until they are fixed.
(() => {
  // The overlay's heading, in the site's language, on this script's own tag.
  const heading = document.currentScript?.dataset.heading ?? 'hugi: build error';
  const key = '__hugi_scroll:' + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    restore();
    window.addEventListener('load', restore);
  }
  const here = () => {
    const path = decodeURIComponent(location.pathname);
    return path.endsWith('/index.html') ? path.slice(0, -10) : path;
  };
  const overlay = (message) => {
    let box = document.getElementById('__hugi_error');
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.id = '__hugi_error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;' +
        'margin:0;padding:1rem 1.25rem;background:#1e1e1e;color:#ffb4ab;border-top:4px solid #e5484d;' +
        'font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;';
      document.body.appendChild(box);
    }
    box.textContent = heading + '\n\n' + message;
  };
  const source = new EventSource('/__hugi/events');
  source.addEventListener('reload', (event) => {
    const data = JSON.parse(event.data);
    overlay(data.error);
    if (data.error) return;
    const changed = new Set(data.changed);
    if (changed.has(here()) || document.getElementById('__hugi_build_failed')) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
      return;
    }
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (changed.has(decodeURIComponent(url.pathname))) {
        url.searchParams.set('v', String(data.version));
        link.href = url.toString();
      }
    }
  });
  window.__hugiLiveReload = source;
})();
