// hugi search client: an ES module with no dependencies, the same in browsers and in Node 20+.
// It finds its index next to itself (import.meta.url), fetching over HTTP in a browser and
// reading files in Node, and loads only the shards a query needs.
//
//   import { search } from './search/search.js';
//   const results = await search('파이썬', { limit: 10 });
//   // [{ url, title, event, excerpt, score }] — title/event/url are plain text; excerpt is HTML
//   // (escaped, with the matched parts in <mark>).
//
// The tokeniser mirrors src/search/tokenize.rs exactly; keep them in step.

const base = new URL('./', import.meta.url);
const K1 = 1.2;
const B = 0.75;
const PREFIX_FACTOR = 0.7;
const MAX_QUERY = 256;
const MAX_CLAUSES = 24;
const MAX_WORD = 40;
const MARK = '^';
const CHOSEONG = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
// Final consonant (jongseong index) → [jongseong left on the syllable, initial it becomes].
const FINAL_SPLIT = {
  1: [0, 0], 2: [0, 1], 3: [1, 9], 4: [0, 2], 5: [4, 12], 6: [4, 18], 7: [0, 3], 8: [0, 5],
  9: [8, 0], 10: [8, 6], 11: [8, 7], 12: [8, 9], 13: [8, 16], 14: [8, 17], 15: [8, 18], 16: [0, 6],
  17: [0, 7], 18: [17, 9], 19: [0, 9], 20: [0, 10], 21: [0, 11], 22: [0, 12], 23: [0, 14],
  24: [0, 15], 25: [0, 16], 26: [0, 17], 27: [0, 18],
};

const isSyllable = (c) => c >= '\uAC00' && c <= '\uD7A3';
const isOtherCjk = (c) => {
  const n = c.codePointAt(0);
  return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
    (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2ffff);
};
const isJamo = (c) => c >= '\u3131' && c <= '\u318E';
const isConsonantJamo = (c) => c >= '\u3131' && c <= '\u314E';
const initialIndex = (c) => (isSyllable(c) ? Math.floor((c.codePointAt(0) - 0xac00) / 588) : -1);
const WORD = /[\p{L}\p{N}]/u;

function charClass(c) {
  if (isSyllable(c) || isOtherCjk(c)) return 'bigram';
  if (WORD.test(c) && !isJamo(c)) return 'word';
  return 'gap';
}

/** Runs of the query: [{kind: 'word'|'bigram', chars: [...]}], as the indexer cuts text. */
function runs(text) {
  const chars = Array.from(text);
  const out = [];
  let i = 0;
  while (i < chars.length) {
    const kind = charClass(chars[i]);
    let j = i;
    while (j < chars.length && charClass(chars[j]) === kind) j++;
    if (kind !== 'gap') out.push({ kind, chars: chars.slice(i, j) });
    i = j;
  }
  return out;
}

/** The group of a term (see group_of in tokenize.rs). */
export function groupOf(term) {
  const chars = Array.from(term);
  if (chars.length === 0) return '';
  if (chars[0] === MARK) return chars.slice(0, 2).join('');
  if (charClass(chars[0]) === 'bigram') {
    if (chars.length === 1) return chars[0] + '.';
    const i = initialIndex(chars[1]);
    return chars[0] + (i >= 0 ? CHOSEONG[i] : '*');
  }
  return chars.slice(0, 2).join('');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const shardOfGroup = (group, shards) => fnv1a(group) % shards;

/** The part of a split group a term lives in (part_of in src/search/mod.rs). */
function partOf(term, salt, parts) {
  let h = fnv1a(String.fromCharCode(97 + salt) + term);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % parts;
}

// ---- loading -------------------------------------------------------------------------------

const cache = new Map();

async function read(path, binary) {
  const url = new URL(path, base);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const data = await readFile(url);
    return binary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : JSON.parse(data.toString('utf8'));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`hugi search: cannot load ${url} (${response.status})`);
  return binary ? new Uint8Array(await response.arrayBuffer()) : response.json();
}

function once(key, load) {
  if (!cache.has(key)) {
    const promise = load();
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

const manifest = () => once('manifest', () => read('manifest.json', false));
const lengths = () => once('lengths', () => read('lengths.bin', true));
const chunk = (n) => once(`d${n}`, () => read(`d/${n}.json`, false));

function varint(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}

/**
 * A shard as a map group → [[term, {df, postings()}]…], postings decoded on first use. Terms
 * are grouped once so a query looks at its own group only.
 */
function shard(name) {
  return once(`s${name}`, async () => {
    const bytes = await read(`s/${name}.bin`, true);
    const groups = new Map();
    const at = { i: 0 };
    while (at.i < bytes.length) {
      const length = varint(bytes, at);
      const term = decoder.decode(bytes.subarray(at.i, at.i + length));
      at.i += length;
      const df = varint(bytes, at);
      const start = at.i;
      for (let k = 0; k < df; k++) {
        varint(bytes, at);
        const count = varint(bytes, at) % 8;
        for (let p = 0; p < count; p++) varint(bytes, at);
      }
      const end = at.i;
      let decoded = null;
      const group = groupOf(term);
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push([term, {
        df,
        postings() {
          if (decoded) return decoded;
          decoded = [];
          const cursor = { i: start };
          let doc = 0;
          while (cursor.i < end) {
            doc += varint(bytes, cursor);
            // Weight and number of positions share a varint: weight * 8 + count.
            const packed = varint(bytes, cursor);
            const weight = Math.floor(packed / 8);
            const count = packed % 8;
            const positions = [];
            let last = 0;
            for (let p = 0; p < count; p++) {
              last += varint(bytes, cursor);
              positions.push(last);
            }
            decoded.push({ doc, weight, positions });
          }
          return decoded;
        },
      }]);
    }
    return groups;
  });
}

// ---- query analysis --------------------------------------------------------------------------

/**
 * Clauses of a query. A clause is a list of alternatives; an alternative is a list of term
 * matchers that must all match. A document matches the query when every clause matches.
 *   matcher: {group, test(term) -> factor (0 = no match), exact}
 */
function analyse(query) {
  const text = query.normalize('NFC').toLowerCase().slice(0, MAX_QUERY);
  const compact = text.replace(/\s+/g, '');
  const clauses = [];
  const exact = (term) => ({ group: groupOf(term), test: (t) => (t === term ? 1 : 0), term, exact: true });
  if (compact.length > 0 && Array.from(compact).every(isConsonantJamo)) {
    const chars = Array.from(compact);
    if (chars.length === 1) {
      const group = MARK + chars[0];
      clauses.push([[{ group, test: (t) => (t.startsWith(group) ? 1 : 0), term: group }]]);
    } else {
      for (let i = 0; i + 1 < chars.length; i++) clauses.push([[exact(MARK + chars[i] + chars[i + 1])]]);
    }
    return { clauses, choseong: true, needles: [] };
  }
  const parts = runs(text);
  const open = !/\s$/.test(query);
  parts.forEach((run, r) => {
    const last = r === parts.length - 1 && open;
    if (run.kind === 'word') {
      const word = run.chars.slice(0, MAX_WORD).join('');
      const group = groupOf(word);
      if (word.length === 1) clauses.push([[exact(word)]]);
      else clauses.push([[{ group, term: word, test: (t) => (t === word ? 1 : t.startsWith(word) ? PREFIX_FACTOR : 0) }]]);
      return;
    }
    const chars = run.chars;
    const syllablePrefix = (s) => {
      const groups = [s + '.', ...Array.from(CHOSEONG, (c) => s + c), s + '*'];
      return groups.map((group) => ({ group, term: s, test: (t) => (t === s ? 1 : t.startsWith(s) ? PREFIX_FACTOR : 0) }));
    };
    if (chars.length === 1) {
      // One syllable: the syllable alone or any bigram starting with it.
      const alternatives = syllablePrefix(chars[0]).map((m) => [m]);
      if (last) alternatives.push(...unfinished(null, chars[0]));
      clauses.push(alternatives);
      return;
    }
    for (let i = 0; i + 1 < chars.length; i++) {
      const alternatives = [[exact(chars[i] + chars[i + 1])]];
      if (last && i + 2 === chars.length) alternatives.push(...unfinished(chars[i], chars[i + 1]));
      clauses.push(alternatives);
    }
  });
  const needles = parts.map((run) => run.chars.join(''));
  return { clauses: clauses.slice(0, MAX_CLAUSES), choseong: false, needles };
}

// Plain initial → its tense twin, which is typed the same way (ㅅ then ㅆ in `파이썬`).
const TENSE = { 0: 1, 3: 4, 7: 8, 9: 10, 12: 13 };

/**
 * Alternatives for a half-typed last syllable: `파잇` on the way to `파이썬` means `파이`
 * followed by a syllable starting with ㅅ (or ㅆ).
 */
function unfinished(previous, syllable) {
  if (!isSyllable(syllable)) return [];
  const code = syllable.codePointAt(0) - 0xac00;
  const final = code % 28;
  if (final === 0 || !FINAL_SPLIT[final]) return [];
  const [keep, initial] = FINAL_SPLIT[final];
  const bare = String.fromCodePoint(0xac00 + code - final + keep);
  const initials = TENSE[initial] === undefined ? [initial] : [initial, TENSE[initial]];
  return initials.map((i) => {
    const group = bare + CHOSEONG[i];
    const next = { group, term: group, test: (t) => (groupOf(t) === group && Array.from(t).length === 2 ? PREFIX_FACTOR : 0) };
    if (previous === null) return [next];
    const pair = previous + bare;
    return [{ group: groupOf(pair), term: pair, test: (t) => (t === pair ? 1 : 0), exact: true }, next];
  });
}

// ---- scoring ---------------------------------------------------------------------------------

function documentLength(bytes, doc) {
  return 2 ** (bytes[doc] / 16) - 1;
}

/**
 * Documents matching one matcher: Map doc → {score, positions}, looking only at the documents
 * in `within` when it is given.
 */
function matchTerms(matcher, terms, info, within) {
  const found = new Map();
  for (const [term, entry] of terms) {
    const factor = matcher.test(term);
    if (!factor) continue;
    // BM25 of each posting depends on the term alone: work it out once per term.
    if (!entry.scored) {
      const idf = Math.log(1 + (info.docs - entry.df + 0.5) / (entry.df + 0.5));
      entry.scored = entry.postings().map(({ doc, weight, positions }) => {
        const dl = documentLength(info.lengths, doc);
        const tf = (weight * (K1 + 1)) / (weight + K1 * (1 - B + (B * dl) / info.avgdl));
        return { doc, base: idf * tf, positions };
      });
    }
    for (const { doc, base, positions } of entry.scored) {
      if (within && !within.has(doc)) continue;
      const score = base * factor;
      const seen = found.get(doc);
      // Positions are the term's own array until a second term of the same matcher adds to it.
      if (!seen) found.set(doc, { score, positions, own: false });
      else {
        seen.score = Math.max(seen.score, score);
        if (!seen.own) {
          seen.positions = seen.positions.slice();
          seen.own = true;
        }
        seen.positions.push(...positions);
      }
    }
  }
  return found;
}

/** Whether a position in `a` is followed by one in `b` (both lists are a few entries long). */
function adjacent(a, b) {
  for (const p of a) {
    for (const q of b) if (q === p + 1) return true;
  }
  return false;
}

/** Searches the site. Returns at most `limit` results, best first. */
export async function search(query, { limit = 10 } = {}) {
  if (typeof query !== 'string') return [];
  const { clauses, choseong, needles } = analyse(query);
  if (clauses.length === 0) return [];
  const meta = await manifest();
  if (meta.docs === 0) return [];
  const info = { docs: meta.docs, avgdl: meta.avgdl || 1, lengths: await lengths() };
  // The files a matcher needs: its group's shard, or, for a group split by term, the part of
  // its term (an exact term) or every part (a prefix).
  const filesOf = (matcher) => {
    const n = shardOfGroup(matcher.group, meta.shards);
    const split = meta.split?.[matcher.group];
    if (!split) return [`${n}`];
    const [parts, salt] = split;
    if (matcher.exact) return [`${n}-${partOf(matcher.term, salt, parts)}`];
    return Array.from({ length: parts }, (_, k) => `${n}-${k}`);
  };
  const loaded = new Map();
  const names = new Set(clauses.flat(2).flatMap(filesOf));
  await Promise.all(Array.from(names, async (name) => loaded.set(name, await shard(name))));
  const termsOf = (matcher) => filesOf(matcher).flatMap((name) => loaded.get(name).get(matcher.group) ?? []);
  // How many documents a clause can match at most: what its terms' document counts add up to.
  const estimate = (alternatives) => alternatives.reduce((sum, matchers) => sum + Math.min(...matchers.map(
    (m) => termsOf(m).reduce((n, [term, entry]) => n + (m.test(term) ? entry.df : 0), 0))), 0);
  // Clauses from the rarest up, each looking only at the documents every earlier one matched
  // (AND), so a common term costs a lookup per posting and nothing more. Each clause ends as a
  // Map doc → {score, positions}; the last one holds exactly the documents matching them all.
  const order = clauses.map((clause, i) => [estimate(clause), i])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const matched = new Array(clauses.length);
  let within = null;
  for (const [, i] of order) {
    let best = new Map();
    for (const matchers of clauses[i]) {
      let docs = null;
      for (const matcher of matchers) {
        const found = matchTerms(matcher, termsOf(matcher), info, docs ?? within);
        if (docs === null) docs = found;
        else {
          const both = new Map();
          for (const [doc, hit] of found) {
            const other = docs.get(doc);
            if (other) both.set(doc, { score: other.score + hit.score, positions: other.positions });
          }
          docs = both;
        }
      }
      if (clauses[i].length === 1) best = docs;
      else {
        for (const [doc, hit] of docs) {
          const seen = best.get(doc);
          if (!seen || seen.score < hit.score) best.set(doc, hit);
        }
      }
    }
    matched[i] = best;
    within = best;
    if (within.size === 0) return [];
  }
  const results = [];
  for (const doc of within.keys()) {
    const hits = matched.map((m) => m.get(doc));
    let score = hits.reduce((sum, hit) => sum + hit.score, 0);
    // Reward query words found next to each other, in query order.
    let pairs = 0;
    for (let i = 0; i + 1 < hits.length; i++) {
      if (adjacent(hits[i].positions, hits[i + 1].positions)) pairs++;
    }
    // 초성 queries match only consecutive consonants, like a substring.
    if (choseong && pairs < hits.length - 1) continue;
    score *= 1 + (0.5 * pairs) / Math.max(1, hits.length - 1);
    results.push({ doc, score });
  }
  results.sort((a, b) => b.score - a.score || a.doc - b.doc);
  const top = results.slice(0, Math.max(0, Math.floor(limit)));
  const chunks = await Promise.all(top.map((r) => chunk(Math.floor(r.doc / meta.chunk))));
  return top.map((r, i) => {
    const doc = chunks[i][r.doc % meta.chunk];
    return {
      url: doc.url,
      title: doc.title,
      event: doc.event,
      excerpt: excerpt(doc.excerpt, needles),
      score: Math.round(r.score * 1000) / 1000,
    };
  });
}

// ---- excerpts --------------------------------------------------------------------------------

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The excerpt around the first match, escaped, with matches in <mark>. */
export function excerpt(text, needles) {
  const lower = text.toLowerCase();
  const ranges = [];
  for (const needle of needles) {
    const pieces = needle.length > 1 && isSyllable(needle[0]) && lower.indexOf(needle) < 0
      ? Array.from({ length: needle.length - 1 }, (_, i) => needle.slice(i, i + 2))
      : [needle];
    for (const piece of pieces) {
      if (!piece) continue;
      let at = lower.indexOf(piece);
      while (at >= 0 && ranges.length < 64) {
        ranges.push([at, at + piece.length]);
        at = lower.indexOf(piece, at + piece.length);
      }
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const range of ranges) {
    const lastRange = merged[merged.length - 1];
    if (lastRange && range[0] <= lastRange[1]) lastRange[1] = Math.max(lastRange[1], range[1]);
    else merged.push([...range]);
  }
  const start = merged.length ? Math.max(0, merged[0][0] - 40) : 0;
  const end = Math.min(text.length, start + 160);
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const [from, to] of merged) {
    if (to <= start || from >= end) continue;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    html += escapeHtml(text.slice(at, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    at = b;
  }
  html += escapeHtml(text.slice(at, end)) + (end < text.length ? '…' : '');
  return html;
}
