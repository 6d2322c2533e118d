// hugi search client: an ES module with no dependencies, the same in browsers and in Node 20+.
// It finds its index next to itself (import.meta.url), fetching over HTTP in a browser and
// reading files in Node, and loads only the shards a query needs.
//
//   import { search, searchPage, suggest } from './search/search.js';
//   const results = await search('파이썬', { limit: 10 });
//   // [{ url, href, title, titleHtml, event, excerpt, score }]: url, title and event are plain
//   // text; titleHtml and excerpt are HTML (escaped, with the matched parts in <mark>); href is
//   // url with the match to show on landing (`?h=` for the theme script and a text fragment).
//   const page = await searchPage('장고', { limit: 50, filter: { year: 2023 } });
//   // { results, total, facets: { events, years, tags } } for a search page with filters.
//   const better = await suggest('vkdlTjs');   // [{ query: '파이썬', count }] when nothing matches
//
// The tokeniser mirrors src/search/tokenize.rs exactly; keep them in step.

const base = new URL('./', import.meta.url);
const K1 = 1.2;
const B = 0.75;
const PREFIX_FACTOR = 0.7;
const MAX_QUERY = 256;
const MAX_CLAUSES = 24;
const MAX_WORD = 40;
const MAX_CHOSEONG = 10;
// A word found through another spelling (장고 for Django) counts a little less than itself.
const SYNONYM_FACTOR = 0.9;
// Query syllables found as pairs, but not next to each other, count much less.
const SCATTERED_FACTOR = 0.4;
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
  if (chars[0] === MARK) return chars.slice(0, 3).join('');
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
const facetFile = () => once('facets', () => read('facets.json', false));

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

/**
 * The shard files a group's terms live in: its shard, or for a group split by term the part
 * of `term` (an exact term) or every part (null: a prefix).
 */
function groupFiles(meta, group, term) {
  const n = shardOfGroup(group, meta.shards);
  const split = meta.split?.[group];
  if (!split) return [`${n}`];
  const [parts, salt] = split;
  if (term !== null) return [`${n}-${partOf(term, salt, parts)}`];
  return Array.from({ length: parts }, (_, k) => `${n}-${k}`);
}

// ---- query analysis --------------------------------------------------------------------------

// Particles that follow a word in Korean (`파이썬으로`): a query word is looked up in the
// synonym table with and without them.
const PARTICLES = ['에서는', '으로는', '에서', '으로', '부터', '까지', '이랑', '하고', '처럼', '보다',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '랑'];

/** Whole `term` counts fully, a longer term starting with it as a prefix match. */
const prefixOf = (term) => (t) => (t === term ? 1 : t.startsWith(term) ? PREFIX_FACTOR : 0);

/** A matcher of terms: the groups its terms live in, and test(term) → factor (0: no match). */
const exact = (term) => ({ groups: [groupOf(term)], term, exact: true, test: (t) => (t === term ? 1 : 0) });
const wordPrefix = (word) => ({
  groups: [groupOf(word)], term: word, test: prefixOf(word),
});
/** One syllable: the syllable alone or any pair starting with it. */
const syllablePrefix = (s) => ({
  groups: [s + '.', ...Array.from(CHOSEONG, (c) => s + c), s + '*'], term: s,
  test: prefixOf(s),
});

/** The matchers a complete run needs, all at once: its pairs, its word, or its syllable. */
function runMatchers(run, { prefix }) {
  const chars = run.chars;
  if (run.kind === 'word') {
    const word = chars.slice(0, MAX_WORD).join('');
    return [prefix && word.length > 1 ? wordPrefix(word) : exact(word)];
  }
  if (chars.length === 1) return [syllablePrefix(chars[0])];
  return chars.slice(1).map((c, i) => exact(chars[i] + c));
}

/**
 * The longest stretch of runs from `r` that is a spelling in the synonym table (a Hangul word
 * may carry a particle): { length, key } or null.
 */
function synonymAt(parts, r, synonyms) {
  for (let length = Math.min(3, parts.length - r); length >= 1; length--) {
    const span = parts.slice(r, r + length).map((run) => run.chars.join(''));
    // Spellings mixing scripts (`오브젝티브C`) or typed apart (`스프링 부트`) are tried glued too.
    for (const key of new Set([span.join(' '), span.join('')])) {
      if (synonyms[key]) return { length, key };
      const particle = PARTICLES.find((p) => key.endsWith(p) && key.length > p.length);
      if (particle && synonyms[key.slice(0, -particle.length)]) return { length, key: key.slice(0, -particle.length) };
    }
  }
  return null;
}

/**
 * Clauses of a query. A clause is a list of alternatives, an alternative a list of matchers
 * that must all match ({matchers, scale}); a document matches the query when it matches
 * every clause. `needles` are the words to mark in what a result shows: per query word, its
 * spellings; `run` numbers the clauses cut from one word, whose matches should lie side by side.
 */
function analyse(query, synonyms) {
  const text = query.normalize('NFC').toLowerCase().slice(0, MAX_QUERY);
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && Array.from(compact).every(isConsonantJamo)) {
    const consonants = Array.from(compact).slice(0, MAX_CHOSEONG);
    if (consonants.length < 2) return { clauses: [], choseong: consonants, needles: [] };
    const term = MARK + consonants.join('');
    const matcher = { groups: [groupOf(term)], term, test: prefixOf(term) };
    return { clauses: [{ run: 0, alternatives: [{ matchers: [matcher] }] }], choseong: consonants, needles: [] };
  }
  const parts = runs(text);
  const open = !/\s$/.test(query);
  const clauses = [];
  const needles = [];
  for (let r = 0; r < parts.length;) {
    const found = synonymAt(parts, r, synonyms);
    if (found) {
      // The words as typed, or any other spelling of them, each found whole. An alternative's
      // score is scaled to the number of matchers of the words as typed, so a spelling of one
      // word weighs as much as one of four syllable pairs.
      const own = parts.slice(r, r + found.length).flatMap((run) => runMatchers(run, { prefix: true }));
      const alternatives = [{ matchers: own }];
      const add = (matchers, factor) => alternatives.push({ matchers, scale: (factor * own.length) / matchers.length });
      const typed = runs(found.key).flatMap((run) => runMatchers(run, { prefix: true }));
      if (typed.length !== own.length || typed.some((m, i) => m.term !== own[i].term)) add(typed, 1);
      for (const other of synonyms[found.key]) add(runs(other).flatMap((run) => runMatchers(run, { prefix: false })), SYNONYM_FACTOR);
      clauses.push({ run: r, alternatives });
      needles.push([found.key, ...synonyms[found.key]]);
      r += found.length;
      continue;
    }
    const run = parts[r];
    const last = r === parts.length - 1 && open;
    needles.push([run.chars.join('')]);
    if (run.kind === 'word' || run.chars.length === 1) {
      const alternatives = [{ matchers: runMatchers(run, { prefix: true }) }];
      if (run.kind === 'bigram' && last) alternatives.push(...unfinished(null, run.chars[0]));
      clauses.push({ run: r, alternatives });
    } else {
      const chars = run.chars;
      for (let i = 0; i + 1 < chars.length; i++) {
        const alternatives = [{ matchers: [exact(chars[i] + chars[i + 1])] }];
        if (last && i + 2 === chars.length) alternatives.push(...unfinished(chars[i], chars[i + 1]));
        clauses.push({ run: r, alternatives });
      }
    }
    r++;
  }
  return { clauses: clauses.slice(0, MAX_CLAUSES), choseong: null, needles };
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
    const next = { groups: [group], term: group, test: (t) => (groupOf(t) === group && Array.from(t).length === 2 ? PREFIX_FACTOR : 0) };
    if (previous === null) return { matchers: [next] };
    return { matchers: [exact(previous + bare), next] };
  });
}

// ---- scoring ---------------------------------------------------------------------------------

function documentLength(bytes, doc) {
  return 2 ** (bytes[doc] / 16) - 1;
}

/**
 * Documents found for part of a query, in arrays indexed by document: whether it was found
 * (`has`), its score, the positions of its first matching term (`first`) and those of its last
 * (`last`, for telling whether the next query word follows). `docs` lists the documents found,
 * in the order they were found. Arrays rather than maps of objects keep the loops over thousands of postings fast.
 */
class Hits {
  constructor(size) {
    this.docs = [];
    this.has = new Uint8Array(size);
    this.score = new Float64Array(size);
    this.first = new Array(size);
    this.last = new Array(size);
  }

  add(doc, score, first, last) {
    this.has[doc] = 1;
    this.docs.push(doc);
    this.score[doc] = score;
    this.first[doc] = first;
    this.last[doc] = last;
  }
}

/**
 * Documents matching one matcher, looking only at the documents in `within` (Hits) when it
 * is given. A term's postings are scored once and kept, shared by every query that finds it.
 */
function matchTerms(matcher, terms, info, within) {
  const found = new Hits(info.docs);
  for (const [term, entry] of terms) {
    const factor = matcher.test(term);
    if (!factor) continue;
    // BM25 of each posting depends on the term alone: work it out once per term.
    if (!entry.scored) {
      const idf = Math.log(1 + (info.docs - entry.df + 0.5) / (entry.df + 0.5));
      const postings = entry.postings();
      const scores = new Float64Array(postings.length);
      postings.forEach(({ doc, weight }, i) => {
        const dl = documentLength(info.lengths, doc);
        scores[i] = idf * ((weight * (K1 + 1)) / (weight + K1 * (1 - B + (B * dl) / info.avgdl)));
      });
      entry.scored = { docs: Int32Array.from(postings, (p) => p.doc), scores, positions: postings.map((p) => p.positions) };
    }
    const { docs, scores, positions } = entry.scored;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (within && !within.has[doc]) continue;
      const score = scores[i] * factor;
      if (!found.has[doc]) found.add(doc, score, positions[i], positions[i]);
      else {
        // Several terms of a prefix in one document: the best score, all their positions.
        const all = [...found.first[doc], ...positions[i]];
        found.score[doc] = Math.max(found.score[doc], score);
        found.first[doc] = all;
        found.last[doc] = all;
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

/**
 * Every document matching `query`, in no order: { ranked: [{doc, score, whole}], analysis,
 * meta }. `whole` tells that each query word was found in one piece (not as scattered pairs).
 */
async function rank(query) {
  const none = { ranked: [], analysis: null, meta: null };
  if (typeof query !== 'string') return none;
  const meta = await manifest();
  const analysis = analyse(query, meta.synonyms ?? {});
  const { clauses } = analysis;
  if (clauses.length === 0 || meta.docs === 0) return { ...none, analysis };
  const info = { docs: meta.docs, avgdl: meta.avgdl || 1, lengths: await lengths() };
  // The files a matcher needs (an exact term loads only its own part of a split group).
  const filesOf = (matcher) => matcher.groups.flatMap((group) => groupFiles(meta, group, matcher.exact ? matcher.term : null));
  const matchers = clauses.flatMap((c) => c.alternatives.flatMap((a) => a.matchers));
  const names = new Set(matchers.flatMap(filesOf));
  const loaded = new Map();
  await Promise.all(Array.from(names, async (name) => loaded.set(name, await shard(name))));
  const termsOf = (matcher) => matcher.groups.flatMap((group) =>
    groupFiles(meta, group, matcher.exact ? matcher.term : null).flatMap((name) => loaded.get(name).get(group) ?? []));
  // How many documents a clause can match at most: what its terms' document counts add up to.
  const estimate = (clause) => clause.alternatives.reduce((sum, { matchers }) => sum + Math.min(...matchers.map(
    (m) => termsOf(m).reduce((n, [term, entry]) => n + (m.test(term) ? entry.df : 0), 0))), 0);
  // Clauses from the rarest up, each looking only at the documents every earlier one matched
  // (AND), so a common term costs a lookup per posting and nothing more. Each clause ends as a
  // Map doc → hit; the last one holds exactly the documents matching them all.
  const order = clauses.map((clause, i) => [estimate(clause), i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const matched = new Array(clauses.length);
  let within = null;
  for (const [, i] of order) {
    const { alternatives } = clauses[i];
    let best = null;
    for (const { matchers: all, scale = 1 } of alternatives) {
      let docs = null;
      for (const matcher of all) {
        const found = matchTerms(matcher, termsOf(matcher), info, docs ?? within);
        if (docs !== null) {
          // Both: `found` only holds documents `docs` has. The score adds up; the positions
          // of the first and of the last matcher are kept.
          for (const doc of found.docs) {
            found.score[doc] += docs.score[doc];
            found.first[doc] = docs.first[doc];
          }
        }
        docs = found;
      }
      if (best === null && scale === 1) {
        best = docs;
        continue;
      }
      best ??= new Hits(info.docs);
      for (const doc of docs.docs) {
        const score = docs.score[doc] * scale;
        if (!best.has[doc]) best.add(doc, score, docs.first[doc], docs.last[doc]);
        else if (best.score[doc] < score) {
          best.score[doc] = score;
          best.first[doc] = docs.first[doc];
          best.last[doc] = docs.last[doc];
        }
      }
    }
    matched[i] = best;
    within = best;
    if (within.docs.length === 0) return { ...none, analysis };
  }
  const ranked = [];
  if (clauses.length === 1) {
    for (const doc of within.docs) ranked.push({ doc, score: within.score[doc], whole: true });
    return { ranked, analysis, meta };
  }
  for (const doc of within.docs) {
    let score = 0;
    // Reward query words found next to each other, in query order; pairs of one word found
    // apart (`파이` in 스파이킹 and `썬` elsewhere for 파이썬) count much less.
    let pairs = 0;
    let scattered = 0;
    for (let i = 0; i < clauses.length; i++) {
      const hits = matched[i];
      score += hits.score[doc];
      if (i > 0) {
        if (adjacent(matched[i - 1].last[doc], hits.first[doc])) pairs++;
        else if (clauses[i - 1].run === clauses[i].run) scattered++;
      }
    }
    score *= 1 + (0.5 * pairs) / (clauses.length - 1);
    if (scattered) score *= SCATTERED_FACTOR;
    ranked.push({ doc, score, whole: scattered === 0 });
  }
  return { ranked, analysis, meta };
}

// Best first; equal scores in site order.
const byScore = (a, b) => b.score - a.score || a.doc - b.doc;

/** The best `limit` of `ranked`, best first, without sorting them all. */
function top(ranked, limit) {
  const k = Math.max(0, Math.floor(limit));
  const best = [];
  for (const hit of ranked) {
    if (best.length === k && (k === 0 || byScore(hit, best[k - 1]) >= 0)) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byScore(best[mid], hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, hit);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Results as search() gives them, for documents chosen from rank(). */
async function present(chosen, analysis, meta) {
  const chunks = await Promise.all(chosen.map((r) => chunk(Math.floor(r.doc / meta.chunk))));
  return chosen.map((r, i) => {
    const doc = chunks[i][r.doc % meta.chunk];
    const marks = (text) => (analysis.choseong ? choseongRanges(text, analysis.choseong) : termRanges(text, analysis.needles, r.whole));
    const titleRanges = marks(doc.title);
    const textRanges = marks(doc.text);
    const [from, to] = excerptWindow(doc.text, textRanges);
    return {
      url: doc.url,
      href: landing(doc.url, doc.title, titleRanges, doc.text, textRanges, !!analysis.choseong),
      title: doc.title,
      titleHtml: markup(doc.title, titleRanges, 0, doc.title.length),
      event: doc.event,
      excerpt: (from > 0 ? '…' : '') + markup(doc.text, textRanges, from, to) + (to < doc.text.length ? '…' : ''),
      score: Math.round(r.score * 1000) / 1000,
    };
  });
}

/** Searches the site. Resolves to at most `limit` results, best first. */
export async function search(query, { limit = 10 } = {}) {
  const { ranked, analysis, meta } = await rank(query);
  if (ranked.length === 0) return [];
  return present(top(ranked, limit), analysis, meta);
}

// ---- filters ---------------------------------------------------------------------------------

/**
 * The facets file read for lookups: `events` ([title, year, count]) with the first document of
 * each in `firsts`, and tagsOf(doc) → tag names (see FacetFile in src/search/mod.rs).
 */
const facetTable = () => once('facet-table', async () => {
  const file = await facetFile();
  const firsts = [];
  let first = 0;
  for (const [, , count] of file.events) {
    firsts.push(first);
    first += count;
  }
  const docs = file.doc_tags.split(';');
  const parsed = new Array(docs.length);
  const tagsOf = (doc) => (parsed[doc] ??= docs[doc] ? docs[doc].split(',').map((id) => file.tags[parseInt(id, 36)]) : []);
  return { events: file.events, firsts, tagsOf };
});

/** Counts as [[value, count]], most first, then by value. */
function counted(map) {
  return Array.from(map).sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

/**
 * A search for a page with filters: the matching documents narrowed by `filter` ({event,
 * year, tag}; event by title), at most `limit` of them, how many there are, and the events,
 * years and tags of all matches (before filtering) with their counts. Filtering loads nothing
 * beyond what the query loaded and one small file of facets.
 */
export async function searchPage(query, { limit = 50, filter = {} } = {}) {
  const { ranked, analysis, meta } = await rank(query);
  const empty = { results: [], total: 0, facets: { events: [], years: [], tags: [] } };
  if (ranked.length === 0) return empty;
  const facets = await facetTable();
  const eventOf = (doc) => {
    let lo = 0;
    let hi = facets.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (facets.firsts[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return facets.events[lo];
  };
  const events = new Map();
  const years = new Map();
  const tags = new Map();
  const kept = [];
  for (const hit of ranked) {
    const [event, year] = eventOf(hit.doc);
    const names = facets.tagsOf(hit.doc);
    events.set(event, (events.get(event) ?? 0) + 1);
    if (year) years.set(year, (years.get(year) ?? 0) + 1);
    for (const name of names) tags.set(name, (tags.get(name) ?? 0) + 1);
    if (filter.event && filter.event !== event) continue;
    if (filter.year && Number(filter.year) !== year) continue;
    if (filter.tag && !names.includes(filter.tag)) continue;
    kept.push(hit);
  }
  const results = await present(top(kept, limit), analysis, meta);
  return {
    results,
    total: kept.length,
    facets: { events: counted(events), years: counted(years).sort((a, b) => b[0] - a[0]), tags: counted(tags) },
  };
}

// ---- suggestions -----------------------------------------------------------------------------

// Keys of a QWERTY keyboard → the jamo they type in the standard Korean (두벌식) layout.
const KEYS = {
  q: 'ㅂ', w: 'ㅈ', e: 'ㄷ', r: 'ㄱ', t: 'ㅅ', y: 'ㅛ', u: 'ㅕ', i: 'ㅑ', o: 'ㅐ', p: 'ㅔ', a: 'ㅁ', s: 'ㄴ',
  d: 'ㅇ', f: 'ㄹ', g: 'ㅎ', h: 'ㅗ', j: 'ㅓ', k: 'ㅏ', l: 'ㅣ', z: 'ㅋ', x: 'ㅌ', c: 'ㅊ', v: 'ㅍ', b: 'ㅠ',
  n: 'ㅜ', m: 'ㅡ', Q: 'ㅃ', W: 'ㅉ', E: 'ㄸ', R: 'ㄲ', T: 'ㅆ', O: 'ㅒ', P: 'ㅖ',
};
const VOWELS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
const FINALS = ['', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ',
  'ㅂ', 'ㅄ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];
const DOUBLE_VOWEL = { 'ㅗㅏ': 'ㅘ', 'ㅗㅐ': 'ㅙ', 'ㅗㅣ': 'ㅚ', 'ㅜㅓ': 'ㅝ', 'ㅜㅔ': 'ㅞ', 'ㅜㅣ': 'ㅟ', 'ㅡㅣ': 'ㅢ' };
const DOUBLE_FINAL = { 'ㄱㅅ': 'ㄳ', 'ㄴㅈ': 'ㄵ', 'ㄴㅎ': 'ㄶ', 'ㄹㄱ': 'ㄺ', 'ㄹㅁ': 'ㄻ', 'ㄹㅂ': 'ㄼ', 'ㄹㅅ': 'ㄽ', 'ㄹㅌ': 'ㄾ', 'ㄹㅍ': 'ㄿ', 'ㄹㅎ': 'ㅀ', 'ㅂㅅ': 'ㅄ' };

/** What Latin letters typed with the keyboard in English mode meant in Korean mode. */
export function fromKeyboard(text) {
  const jamo = Array.from(text, (c) => KEYS[c] ?? KEYS[c.toLowerCase()] ?? c);
  const vowel = (c) => c !== undefined && VOWELS.includes(c);
  const initial = (c) => c !== undefined && CHOSEONG.includes(c);
  let out = '';
  let i = 0;
  while (i < jamo.length) {
    if (!(initial(jamo[i]) && vowel(jamo[i + 1]))) {
      out += jamo[i++];
      continue;
    }
    const first = jamo[i];
    let middle = jamo[i + 1];
    i += 2;
    if (DOUBLE_VOWEL[middle + jamo[i]]) middle = DOUBLE_VOWEL[middle + jamo[i++]];
    // A consonant ends the syllable unless a vowel follows it (then it starts the next one).
    let last = '';
    const ends = (k) => FINALS.includes(jamo[k]) && jamo[k] !== undefined && !vowel(jamo[k + 1]);
    if (ends(i)) {
      last = jamo[i++];
      if (DOUBLE_FINAL[last + jamo[i]] && ends(i)) last = DOUBLE_FINAL[last + jamo[i++]];
    }
    out += String.fromCodePoint(0xac00 + (CHOSEONG.indexOf(first) * 21 + VOWELS.indexOf(middle)) * 28 + FINALS.indexOf(last));
  }
  return out;
}

/** The spellings of the synonym table that occur on the site. */
function spellings(meta) {
  return new Set(Object.values(meta.synonyms ?? {}).flat());
}

/** Edit distance with transpositions (optimal string alignment), over characters. */
function distance(a, b) {
  a = Array.from(a);
  b = Array.from(b);
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Queries that find something when `query` finds nothing, at most three: the query as meant
 * in the other keyboard mode, each word replaced by a near spelling found on the site (a typo
 * in a Latin word, or a tech word of the synonym table), and the title words the query's
 * initial consonants point to.
 */
export async function suggest(query) {
  if (typeof query !== 'string' || !query.trim()) return [];
  const meta = await manifest();
  const text = query.normalize('NFC').trim().slice(0, MAX_QUERY);
  const candidates = [];
  // Typed in the wrong mode, Latin letters make whole syllables (`vkdlTjs` → `파이썬`).
  const korean = fromKeyboard(text);
  if (/[A-Za-z]/.test(text) && Array.from(korean).every((c) => isSyllable(c) || /\s/.test(c))) candidates.push(korean);
  const words = text.split(/\s+/);
  for (const [w, word] of words.entries()) {
    const lower = word.toLowerCase();
    const near = [];
    if (/^[a-z0-9]+$/.test(lower) && lower.length >= 3) {
      // Terms of the word's own group (same first two letters) within one or two edits.
      const group = groupOf(lower);
      for (const file of groupFiles(meta, group, null)) {
        for (const [term, entry] of (await shard(file)).get(group) ?? []) {
          const d = distance(lower, term);
          if (d > 0 && d <= (lower.length >= 6 ? 2 : 1)) near.push([term, d, entry.df]);
        }
      }
    }
    // Spellings of the synonym table found on the site: tech words, often misspelt.
    for (const known of spellings(meta)) {
      if (Math.abs(known.length - lower.length) <= 1 && known !== lower && distance(lower, known) === 1) near.push([known, 1, 0]);
    }
    near.sort((a, b) => a[1] - b[1] || b[2] - a[2]);
    for (const [term] of near.slice(0, 2)) candidates.push(words.map((x, i) => (i === w ? term : x)).join(' '));
  }
  const initials = Array.from(text.replace(/\s+/g, ''), (c) => (isSyllable(c) ? CHOSEONG[initialIndex(c)] : '')).join('');
  if (initials.length >= 2 && initials.length === Array.from(text.replace(/\s+/g, '')).length) {
    const consonants = Array.from(initials).slice(0, MAX_CHOSEONG);
    for (const hit of (await search(initials, { limit: 3 }))) {
      for (const [from, to] of choseongRanges(hit.title, consonants)) {
        // The whole words the consonants matched in.
        const start = hit.title.lastIndexOf(' ', from) + 1;
        const end = hit.title.indexOf(' ', to - 1);
        candidates.push(hit.title.slice(start, end < 0 ? hit.title.length : end));
      }
    }
  }
  const out = [];
  for (const candidate of candidates) {
    if (out.length === 3) break;
    if (!candidate || candidate === text || out.some((s) => s.query === candidate)) continue;
    const { ranked } = await rank(candidate);
    if (ranked.length) out.push({ query: candidate, count: ranked.length });
  }
  return out;
}

// ---- what a result shows ---------------------------------------------------------------------

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const isLatin = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c) && charClass(c) === 'word';
const WINDOW = 150;
const LEAD = 50;

/** Sorted, merged ranges. */
function merge(ranges) {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1], range[2]]);
  }
  return merged;
}

/**
 * Where the query's words are in `text`: [from, to, word index] (UTF-16 offsets). A Latin word
 * matches at a word start and is marked to its end (`toki` marks `tokio`); a Hangul word
 * anywhere (compounds). A Hangul word absent as a whole is marked by its syllable pairs only
 * when the document did not have it whole elsewhere.
 */
function termRanges(text, needles, whole) {
  const lower = text.toLowerCase();
  const ranges = [];
  needles.forEach((spellings, index) => {
    // A spelling of several words (`jetpack compose`) is marked word by word.
    for (const spelling of new Set(spellings.flatMap((s) => s.split(' ')))) {
      let found = false;
      for (let at = lower.indexOf(spelling); at >= 0 && ranges.length < 256; at = lower.indexOf(spelling, at + 1)) {
        if (isLatin(spelling[0])) {
          if (isLatin(lower[at - 1])) continue;
          let end = at + spelling.length;
          while (isLatin(lower[end])) end++;
          ranges.push([at, end, index]);
        } else ranges.push([at, at + spelling.length, index]);
        found = true;
      }
      if (found || whole || !isSyllable(spelling[0]) || spelling.length < 3) continue;
      for (let i = 0; i + 2 <= spelling.length; i++) {
        const pair = spelling.slice(i, i + 2);
        for (let at = lower.indexOf(pair); at >= 0 && ranges.length < 256; at = lower.indexOf(pair, at + 2)) ranges.push([at, at + 2, index]);
      }
    }
  });
  return merge(ranges);
}

/**
 * Where initial consonants match in `text` (as choseong_tokens in tokenize.rs indexes them):
 * from a word start, the syllables of that word and the words in a row after it (apart by
 * spaces only), or the first syllable of each of those words.
 */
function choseongRanges(text, consonants) {
  // Syllables in order as [offset, consonant, row]; words as [first syllable, row]. A row is
  // a run of words apart by spaces only.
  const syllables = [];
  const words = [];
  const re = /[\uAC00-\uD7A3]+/g;
  let row = 0;
  let end = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (end < 0 || !/^\s+$/.test(text.slice(end, m.index))) row++;
    words.push([syllables.length, row]);
    for (let i = 0; i < m[0].length; i++) syllables.push([m.index + i, CHOSEONG[initialIndex(m[0][i])], row]);
    end = m.index + m[0].length;
  }
  const n = consonants.length;
  const ranges = [];
  words.forEach(([first, row], w) => {
    const run = syllables.slice(first, first + n);
    if (run.length === n && run.every(([, c, r], i) => r === row && c === consonants[i])) {
      for (const [at] of run) ranges.push([at, at + 1, 0]);
      return;
    }
    const heads = words.slice(w, w + n).map(([s]) => syllables[s]);
    if (heads.length === n && heads.every(([, c, r], i) => r === row && c === consonants[i])) {
      for (const [at] of heads) ranges.push([at, at + 1, 0]);
    }
  });
  return merge(ranges);
}

/**
 * The part of `text` to show: about WINDOW characters around the place where the most
 * different query words lie close together, cut at spaces so no word is cut.
 */
function excerptWindow(text, ranges) {
  let start = 0;
  let best = -1;
  for (const [from] of ranges) {
    const words = new Set(ranges.filter(([a, b]) => a >= from - LEAD && b <= from - LEAD + WINDOW).map((r) => r[2]));
    if (words.size > best) {
      best = words.size;
      start = Math.max(0, from - LEAD);
    }
  }
  if (start + WINDOW > text.length) start = Math.max(0, text.length - WINDOW);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space < 0 || space > start + LEAD / 2 ? start : space + 1;
  }
  let end = Math.min(text.length, start + WINDOW);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + WINDOW / 2) end = space;
  }
  return [start, end];
}

/** `text[from..to]`, escaped, with the ranges in <mark>. */
function markup(text, ranges, from, to) {
  let html = '';
  let at = from;
  for (const [a0, b0] of ranges) {
    if (b0 <= from || a0 >= to) continue;
    const a = Math.max(a0, from);
    const b = Math.min(b0, to);
    html += escapeHtml(text.slice(at, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    at = b;
  }
  return html + escapeHtml(text.slice(at, to));
}

/**
 * The result's link with where to look on landing: `?h=` with the matched text (the theme
 * script marks it) and a text fragment of the whole word around it (browsers scroll to and
 * mark it without scripts). Text fragments match whole words, so `파이썬` inside `파이썬으로`
 * becomes `파이썬으로`. A 초성 match names the word its first syllable starts.
 */
function landing(url, title, titleRanges, text, textRanges, choseong) {
  const [source, range] = textRanges.length ? [text, textRanges[0]] : [title, titleRanges[0]];
  if (!range) return url;
  const hit = source.slice(range[0], range[1]);
  let start = range[0];
  let end = range[1];
  while (start > 0 && !/[\s\p{P}]/u.test(source[start - 1])) start--;
  while (end < source.length && !/[\s\p{P}]/u.test(source[end])) end++;
  const word = source.slice(start, end);
  // Initial consonants mark first syllables; the page marks the word they start.
  const shown = choseong ? source.slice(range[0], end) : hit;
  const hash = url.indexOf('#');
  const [path, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const directive = encodeURIComponent(word).replace(/-/g, '%2D');
  return `${path}?h=${encodeURIComponent(shown)}${fragment || '#'}:~:text=${directive}`;
}
