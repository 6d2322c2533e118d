// Helpers for all the browser tests: build a fixture site with the hugi binary, serve it on
// loopback with a minimal static server, and launch Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const hugi = process.env.HUGI_BIN ?? join(repo, 'target', 'debug', 'hugi');

/** Copies fixture `name` to a temporary folder, builds it, returns the site root. */
export function buildFixture(name, args = []) {
  const root = mkdtempSync(join(tmpdir(), 'hugi-browser-'));
  cpSync(join(repo, 'tests', 'fixtures', name), root, { recursive: true });
  execFileSync(hugi, ['build', '--root', root, ...args], { stdio: 'pipe' });
  return root;
}

/** Writes `files` ({path: text}) to a temporary folder, builds it, returns the site root. */
export function buildSite(files, args = []) {
  const root = mkdtempSync(join(tmpdir(), 'hugi-site-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  execFileSync(hugi, ['build', '--root', root, ...args], { stdio: 'pipe' });
  return root;
}

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 at a free port; `prefix` mounts it under a sub-path. */
export async function serve(dir, prefix = '/') {
  const server = createServer((request, response) => {
    let path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { response.writeHead(404).end(); return; }
    path = join(dir, path.slice(prefix.length));
    if (!path.startsWith(dir)) { response.writeHead(403).end(); return; }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      response.writeHead(404, { 'content-type': types['.html'] }).end(readFileSync(join(dir, '404.html')));
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    response.end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Starts `hugi serve --port 0` on a site; resolves with its URL and a stop function. */
export async function startServe(root) {
  const { spawn } = await import('node:child_process');
  const child = spawn(hugi, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('hugi serve did not start: ' + lines.join('\n'))), 30000);
    const take = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        lines.push(line);
        const match = line.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (match) { clearTimeout(timer); resolveUrl(match[1]); }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
  });
  return { url, lines, stop: () => child.kill() };
}

/** The words inside the elements `selector` finds that the layout split across lines. */
export function brokenWords(page, selector) {
  return page.evaluate((selector) => {
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  }, selector);
}
