//! The site search index: every session and every non-session section of a note becomes a
//! document; its title, tags, event, headings and text are tokenised ([`tokenize`]) and written
//! as static files under `search/` that the client (`search.js`) fetches on demand:
//!
//! - `manifest.json`: document count, shard count, chunk size, average length, field boosts,
//!   the groups split into parts, and the synonym table ([`synonyms`]) the client expands a
//!   query's words with;
//! - `lengths.bin`: one byte per document, its length on a log scale (for BM25);
//! - `s/<n>.bin`: postings of the terms whose group hashes to shard `n` — a query loads only the
//!   shards of its own terms. Terms are grouped so that every prefix or half-typed syllable a
//!   query can end with lives in one group. A very common group is split by term into parts
//!   `s/<n>-<k>.bin` ([`part_of`]), so an exact term loads only its own part;
//! - `d/<n>.json`: url, title, event and the start of the text of documents `n*CHUNK ..`,
//!   fetched only for the results shown (the client cuts the excerpt around the match);
//! - `facets.json`: each document's event, year and tags, for the search page's filters.
//!
//! Everything is sorted and written deterministically. The index is kept between rebuilds
//! ([`SearchIndex`]) so an edit re-encodes only the files its terms live in.

pub mod synonyms;
pub mod tokenize;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::hash::fnv1a32;
use crate::output::{Artifact, Content};
use crate::site::NoteEntry;
use tokenize::{Group, Tokens, choseong_tokens, group_of, tokenize};

/// The client, embedded and written to `search/search.js`.
pub const CLIENT: &str = include_str!("search.js");

/// Documents per excerpt chunk.
pub const CHUNK: usize = 4;
/// Positions kept per term and document (enough to reward adjacent query words; at most 7,
/// as the count shares a varint with the weight).
const MAX_POSITIONS: usize = 2;
/// Characters of a document's text kept for its excerpt, which the client cuts around the
/// best match: enough for the matches of most session notes, small enough that the excerpts of
/// a page of results stay a small download.
const EXCERPT_CHARS: usize = 480;
/// A document's packed terms stay under this many bytes (hundreds of megabytes of text in one
/// session would reach it), so postings address them in 28 bits.
const MAX_PACKED: usize = 1 << 28;
/// Gap between fields in the token stream, so words of different fields are never adjacent.
const FIELD_GAP: u32 = 8;

/// How much a match in each field counts.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Boosts {
    pub title: u32,
    pub tags: u32,
    pub event: u32,
    pub headings: u32,
    pub body: u32,
}

pub const BOOSTS: Boosts = Boosts {
    title: 6,
    tags: 4,
    event: 2,
    headings: 2,
    body: 1,
};

/// What a result shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocMeta {
    pub url: String,
    pub title: String,
    pub event: String,
    /// The start of its text, blocks apart by spaces, for the excerpt.
    pub text: String,
}

/// What the search page's filters know of a document besides its event (its note).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub year: Option<u16>,
    pub tags: Vec<String>,
}

/// One searchable document, tokenised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub meta: DocMeta,
    pub facets: Facets,
    /// Spellings its author paired as `파이썬(Python)` ([`synonyms::learned_pairs`]).
    pub pairs: Vec<[String; 2]>,
    /// Number of tokens, for length normalisation.
    pub length: u32,
    /// Its terms, sorted, packed: for each, `varint(len) term varint(weight << 3 | count)
    /// varint(position delta)…` — the tail after the term is written to the shards as it is.
    /// Packed because a big site has millions of (document, term) pairs.
    packed: Vec<u8>,
}

impl SearchDoc {
    fn new(meta: DocMeta, fields: &[(&str, u32, bool)]) -> SearchDoc {
        // (term, boost, position) of every token, sorted by term then position.
        let mut tokens = Tokens::default();
        let mut boosts: Vec<u32> = Vec::new();
        let mut position = 0;
        for (text, boost, choseong) in fields {
            position = tokenize(text, position, &mut tokens) + FIELD_GAP;
            if *choseong {
                position = choseong_tokens(text, position, &mut tokens) + FIELD_GAP;
            }
            boosts.resize(tokens.len(), *boost);
        }
        let length = tokens.len() as u32;
        // Each term once, found by hashing, with its summed weight and first positions (tokens
        // come in position order); then only the distinct terms are sorted.
        let mut slots: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(tokens.len(), Default::default());
        let mut terms: Vec<Term<'_>> = Vec::with_capacity(tokens.len());
        for ((text, position), &boost) in tokens.iter().zip(&boosts) {
            match slots.entry(text) {
                Entry::Occupied(slot) => terms[*slot.get()].add(boost, position),
                Entry::Vacant(slot) => {
                    slot.insert(terms.len());
                    terms.push(Term::new(text, boost, position));
                }
            }
        }
        // Most terms are at most eight bytes (a Hangul bigram is six), and for those the first
        // eight bytes, zero-padded, order and tell them apart alone, so the sort mostly compares
        // integers rather than strings.
        terms.sort_unstable_by(|a, b| a.key.cmp(&b.key).then_with(|| a.text.cmp(b.text)));
        let mut packed = Vec::with_capacity(terms.len() * 10);
        for term in &terms {
            // Length, text and the longest tail: a term past the limit is left out.
            if packed.len() + term.text.len() + 20 > MAX_PACKED {
                break;
            }
            varint(&mut packed, term.text.len() as u32);
            packed.extend_from_slice(term.text.as_bytes());
            let positions = &term.positions[..term.count as usize];
            // Weight and number of positions share a varint: one byte for weights under 16.
            varint(&mut packed, term.weight << 3 | positions.len() as u32);
            let mut last = 0;
            for &p in positions {
                varint(&mut packed, p - last);
                last = p;
            }
        }
        SearchDoc {
            meta,
            facets: Facets::default(),
            pairs: Vec::new(),
            length,
            packed,
        }
    }

    /// Its terms with the packed tail (weight, positions) of each.
    pub fn terms(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.entries()
            .map(|(term, tail)| (term, &self.packed[tail]))
    }

    /// Its terms with where the tail of each lies in `packed`.
    fn entries(&self) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> {
        let bytes = &self.packed;
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= bytes.len() {
                return None;
            }
            let length = read_varint(bytes, &mut at) as usize;
            let term = std::str::from_utf8(&bytes[at..at + length]).unwrap_or_default();
            at += length;
            let start = at;
            at = tail_end(bytes, at);
            Some((term, start..at))
        })
    }

    /// The tail (weight, positions) a posting of this document points at.
    fn tail(&self, posting: &Posting) -> &[u8] {
        &self.packed[posting.start()..posting.start() + posting.len()]
    }
}

/// A distinct term of a document being indexed.
struct Term<'a> {
    text: &'a str,
    /// [`prefix_key`] of the text.
    key: u64,
    weight: u32,
    /// Its first positions, `count` of them.
    positions: [u32; MAX_POSITIONS],
    count: u32,
}

impl<'a> Term<'a> {
    fn new(text: &'a str, weight: u32, position: u32) -> Self {
        let mut positions = [0; MAX_POSITIONS];
        positions[0] = position;
        Term {
            text,
            key: prefix_key(text),
            weight,
            positions,
            count: 1,
        }
    }

    fn add(&mut self, weight: u32, position: u32) {
        self.weight += weight;
        if let Some(slot) = self.positions.get_mut(self.count as usize) {
            *slot = position;
            self.count += 1;
        }
    }
}

/// The first eight bytes of `term`, zero-padded, as a number that orders like the bytes.
fn prefix_key(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// Where a tail (weight and count, positions) that starts at `at` ends.
fn tail_end(bytes: &[u8], mut at: usize) -> usize {
    let count = read_varint(bytes, &mut at) & 7;
    for _ in 0..count {
        read_varint(bytes, &mut at);
    }
    at
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    value
}

fn excerpt(text: &str) -> String {
    crate::site::flat_prefix(text, EXCERPT_CHARS).0
}

/// The documents of one note: each session, then the intro and each ordinary section.
pub fn note_docs(note: &NoteEntry) -> Vec<SearchDoc> {
    let b = BOOSTS;
    let mut docs = Vec::new();
    for session in &note.sessions {
        let tags: Vec<&str> = session.tags.iter().map(|t| t.name.as_str()).collect();
        let speakers: Vec<&str> = session.speakers.iter().map(|s| s.name.as_str()).collect();
        let speakers = speakers.join(" ");
        let headings: Vec<&str> = session.outline.iter().map(|o| o.text.as_str()).collect();
        let headings = headings.join(" \n ");
        let meta = DocMeta {
            url: session.url.clone(),
            title: session.title.clone(),
            event: note.title.clone(),
            text: excerpt(&session.text),
        };
        let mut doc = SearchDoc::new(
            meta,
            &[
                (&session.title, b.title, true),
                (&tags.join(" "), b.tags, true),
                (&speakers, b.tags, true),
                (&note.event, b.event, false),
                (&headings, b.headings, true),
                (&session.text, b.body, false),
            ],
        );
        doc.facets = Facets {
            year: note.year,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        doc.pairs = synonyms::learned_pairs(&format!("{}\n{}", session.title, session.text));
        docs.push(doc);
    }
    for part in note.parts.iter().filter(|p| p.session.is_none()) {
        if part.text.trim().is_empty() {
            continue;
        }
        let (title, url) = match (&part.heading, &part.anchor) {
            (Some(heading), Some(anchor)) => (heading.clone(), format!("{}#{anchor}", note.url)),
            _ => (note.title.clone(), note.url.clone()),
        };
        let meta = DocMeta {
            url,
            title: title.clone(),
            event: note.title.clone(),
            text: excerpt(&part.text),
        };
        let mut doc = SearchDoc::new(
            meta,
            &[
                (&title, b.title, true),
                (&note.event, b.event, false),
                (&part.text, b.body, false),
            ],
        );
        doc.facets = Facets {
            year: note.year,
            tags: note.tags.iter().map(|t| t.name.clone()).collect(),
        };
        doc.pairs = synonyms::learned_pairs(&part.text);
        docs.push(doc);
    }
    docs
}

/// Number of posting shards for a site of `docs` documents: a power of two, about one shard
/// per dozen documents (at least four), so shards stay small as the site grows.
pub fn shard_count(docs: usize) -> usize {
    (docs / 12).max(4).next_power_of_two().min(4096)
}

/// The shard a term's group lives in (FNV-1a, as `search.js` computes it).
pub fn shard_of(term: &str, shards: usize) -> usize {
    fnv1a32(group_of(term).as_str().bytes()) as usize % shards
}

fn varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// One byte per document length: `round(16 · log2(length + 1))`.
fn quantise_length(length: u32) -> u8 {
    (16.0 * f64::from(length + 1).log2()).round().min(255.0) as u8
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    docs: usize,
    shards: usize,
    chunk: usize,
    avgdl: f64,
    boosts: Boosts,
    /// Groups split into parts by term: group → [number of parts, salt] (see [`part_of`]).
    split: BTreeMap<String, (usize, u8)>,
    /// Spelling → its other spellings on the site ([`synonyms::table`]).
    synonyms: BTreeMap<String, Vec<String>>,
}

/// What the search page filters by, for every document: `events` as `[title, year, number of
/// documents]` in document order (a note's documents are consecutive), `tags` by name, and
/// `doc_tags`: each document's tags as base-36 indexes into `tags`, apart by `,`, documents apart
/// by `;` (a third of the size of nested arrays).
#[derive(Serialize)]
struct FacetFile<'a> {
    events: Vec<(&'a str, Option<u16>, usize)>,
    tags: Vec<&'a str>,
    doc_tags: String,
}

/// A group larger than this (bytes of postings) is split into parts.
const SPLIT_ABOVE: usize = 16 * 1024;
/// Salts tried when splitting a group, to keep its heaviest terms in different parts.
const SALTS: u8 = 16;

/// The part of a group split into `parts` that `term` lives in: FNV-1a of the salt's letter
/// followed by the term, mixed by MurmurHash3's finaliser (as `search.js` computes it). The
/// mixing matters: FNV alone leaves terms that differ in their last byte (`타입`, `타임`) in the
/// same part whatever the salt.
pub fn part_of(term: &str, salt: u8, parts: usize) -> usize {
    let mut h = fnv1a32(std::iter::once(b'a' + salt).chain(term.bytes()));
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as usize % parts
}

/// 32-bit FNV-1a.
/// One document's entry in a term's posting list: the document's id and where the term's tail
/// starts in the document's packed terms.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    /// Where the tail starts, shifted left by four, and its length (at most three varints,
    /// fifteen bytes) in the low four bits. A document's terms stay under [`MAX_PACKED`] bytes
    /// so the start fits.
    tail: u32,
}

impl Posting {
    fn new(doc: u32, tail: std::ops::Range<usize>) -> Posting {
        Posting {
            doc,
            tail: (tail.start as u32) << 4 | tail.len() as u32,
        }
    }

    fn start(&self) -> usize {
        (self.tail >> 4) as usize
    }

    fn len(&self) -> usize {
        (self.tail & 15) as usize
    }
}

/// The terms of one shard with their posting lists (sorted by document), and its files. Terms
/// are hashed, not ordered (a build looks terms up millions of times); they are sorted when the
/// files are encoded.
#[derive(Debug, Clone, Default)]
struct Shard {
    terms: FxHashMap<Box<str>, Vec<Posting>>,
    files: Vec<Artifact>,
    /// Its groups that were split into parts, with their number of parts and salt.
    split: Vec<(String, (usize, u8))>,
}

/// Documents of the site, in site order, as the notes' lists of documents.
type Documents = Vec<Arc<Vec<SearchDoc>>>;

/// The search index of a site: posting lists by shard and the files made from them. It is kept
/// between rebuilds: when an edit leaves every document where it was (the usual case: text
/// changed, no session added or removed), only the shards whose terms changed and the excerpt
/// chunks of the changed documents are encoded again.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    notes: Documents,
    shards: Vec<Arc<Shard>>,
    chunks: Vec<Artifact>,
}

impl SearchIndex {
    /// The index of `notes` (each note's documents, in site order).
    pub fn new(notes: Documents) -> SearchIndex {
        let docs = flatten(&notes);
        let count = shard_count(docs.len());
        // Posting lists of all terms first, so a term's shard is computed once, not once per
        // document that has it; then each list goes to its shard.
        let mut lists: FxHashMap<&str, (usize, Vec<Posting>)> = FxHashMap::default();
        for (id, doc) in docs.iter().enumerate() {
            for (term, tail) in doc.entries() {
                let posting = Posting::new(id as u32, tail);
                match lists.get_mut(term) {
                    Some((_, list)) => list.push(posting),
                    None => {
                        lists.insert(term, (shard_of(term, count), vec![posting]));
                    }
                }
            }
        }
        let mut terms: Vec<FxHashMap<Box<str>, Vec<Posting>>> = vec![FxHashMap::default(); count];
        for (term, (shard, list)) in lists {
            terms[shard].insert(term.into(), list);
        }
        let shards = terms
            .into_par_iter()
            .enumerate()
            .map(|(n, terms)| {
                let mut shard = Shard {
                    terms,
                    ..Shard::default()
                };
                shard.encode(n, &docs);
                Arc::new(shard)
            })
            .collect();
        let chunks = docs
            .chunks(CHUNK)
            .enumerate()
            .map(|(n, chunk)| excerpt_chunk(n, chunk))
            .collect();
        drop(docs);
        SearchIndex {
            notes,
            shards,
            chunks,
        }
    }

    /// The index of `notes`, made from this one: when every document keeps its id, only what
    /// the changed documents touch is made again; otherwise everything is.
    pub fn update(&mut self, notes: Documents) {
        let aligned = !self.shards.is_empty()
            && self.notes.len() == notes.len()
            && self
                .notes
                .iter()
                .zip(&notes)
                .all(|(a, b)| a.len() == b.len());
        if !aligned {
            *self = SearchIndex::new(notes);
            return;
        }
        let old = std::mem::replace(&mut self.notes, notes);
        let after = flatten(&self.notes);
        let count = self.shards.len();
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        let mut chunks: BTreeSet<usize> = BTreeSet::new();
        let mut first = 0u32;
        for (old_note, new_note) in old.iter().zip(&self.notes) {
            if Arc::ptr_eq(old_note, new_note) {
                first += old_note.len() as u32;
                continue;
            }
            for (a, b) in old_note.iter().zip(new_note.iter()) {
                let id = first;
                first += 1;
                if a.meta != b.meta {
                    chunks.insert(id as usize / CHUNK);
                }
                if a.packed == b.packed {
                    continue;
                }
                let was: HashMap<&str, &[u8]> = a.terms().collect();
                let now: HashMap<&str, std::ops::Range<usize>> = b.entries().collect();
                for term in was.keys() {
                    if !now.contains_key(term) {
                        let n = shard_of(term, count);
                        touched.insert(n);
                        Arc::make_mut(&mut self.shards[n]).remove(term, id);
                    }
                }
                for (term, tail) in &now {
                    let n = shard_of(term, count);
                    if was.get(term) != Some(&&b.packed[tail.clone()]) {
                        touched.insert(n);
                    }
                    let posting = Posting::new(id, tail.clone());
                    Arc::make_mut(&mut self.shards[n]).put(term, posting);
                }
            }
        }
        self.shards
            .par_iter_mut()
            .enumerate()
            .filter(|(n, _)| touched.contains(n))
            .for_each(|(n, shard)| Arc::make_mut(shard).encode(n, &after));
        for n in chunks {
            let end = after.len().min((n + 1) * CHUNK);
            self.chunks[n] = excerpt_chunk(n, &after[n * CHUNK..end]);
        }
    }

    /// Every file of the index, under `search/`, with `groups` of synonyms from the site's
    /// configuration besides the built-in table and the pairs learned from the notes.
    pub fn files(&self, groups: &[Vec<String>]) -> Vec<Artifact> {
        let docs = flatten(&self.notes);
        let bytes = |path: &str, data: Vec<u8>| Artifact {
            path: path.into(),
            content: Content::Bytes(data.into()),
        };
        let mut files: Vec<Artifact> = self
            .shards
            .iter()
            .flat_map(|s| s.files.iter().cloned())
            .chain(self.chunks.iter().cloned())
            .collect();
        files.push(bytes(
            "search/lengths.bin",
            docs.iter().map(|d| quantise_length(d.length)).collect(),
        ));
        let total: u64 = docs.iter().map(|d| u64::from(d.length)).sum();
        let manifest = Manifest {
            version: 2,
            docs: docs.len(),
            shards: self.shards.len(),
            chunk: CHUNK,
            avgdl: if docs.is_empty() {
                1.0
            } else {
                (total as f64 / docs.len() as f64 * 100.0).round() / 100.0
            },
            boosts: BOOSTS,
            split: self
                .shards
                .iter()
                .flat_map(|s| s.split.iter().cloned())
                .collect(),
            synonyms: self.synonyms(groups, &docs),
        };
        let mut json = serde_json::to_string(&manifest).unwrap_or_default();
        let _ = writeln!(json);
        files.push(bytes("search/manifest.json", json.into_bytes()));
        files.push(bytes("search/facets.json", self.facets(&docs)));
        files.push(bytes("search/search.js", CLIENT.as_bytes().to_vec()));
        files
    }

    /// Whether every token of `text` is a term of the index.
    fn has_all_terms(&self, text: &str) -> bool {
        let mut tokens = Tokens::default();
        tokenize(text, 0, &mut tokens);
        let count = self.shards.len();
        !tokens.is_empty()
            && tokens
                .iter()
                .all(|(term, _)| self.shards[shard_of(term, count)].terms.contains_key(term))
    }

    fn synonyms(
        &self,
        groups: &[Vec<String>],
        docs: &[&SearchDoc],
    ) -> BTreeMap<String, Vec<String>> {
        let learned = docs
            .iter()
            .flat_map(|d| d.pairs.iter())
            .map(|pair| pair.to_vec());
        let all = crate::loanwords::groups()
            .chain(groups.iter().cloned())
            .chain(learned);
        synonyms::table(all, |spelling| self.has_all_terms(spelling))
    }

    fn facets(&self, docs: &[&SearchDoc]) -> Vec<u8> {
        let events = self
            .notes
            .iter()
            .filter(|n| !n.is_empty())
            .map(|note| (note[0].meta.event.as_str(), note[0].facets.year, note.len()))
            .collect();
        let names: BTreeSet<&str> = docs
            .iter()
            .flat_map(|d| d.facets.tags.iter().map(String::as_str))
            .collect();
        let tags: Vec<&str> = names.into_iter().collect();
        let mut doc_tags = String::with_capacity(docs.len() * 8);
        for (n, doc) in docs.iter().enumerate() {
            if n > 0 {
                doc_tags.push(';');
            }
            let mut ids: Vec<usize> = doc
                .facets
                .tags
                .iter()
                .filter_map(|t| tags.binary_search(&t.as_str()).ok())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for (i, id) in ids.into_iter().enumerate() {
                if i > 0 {
                    doc_tags.push(',');
                }
                base36(&mut doc_tags, id);
            }
        }
        let file = FacetFile {
            events,
            tags,
            doc_tags,
        };
        let mut json = serde_json::to_vec(&file).unwrap_or_default();
        json.push(b'\n');
        json
    }
}

/// `n` in base 36, as JavaScript's `parseInt(text, 36)` reads it.
fn base36(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 16];
    let mut len = 0;
    loop {
        digits[len] = b"0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
        len += 1;
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev().map(|&d| d as char));
}

fn flatten(notes: &Documents) -> Vec<&SearchDoc> {
    notes.iter().flat_map(|n| n.iter()).collect()
}

fn excerpt_chunk(n: usize, docs: &[&SearchDoc]) -> Artifact {
    let metas: Vec<&DocMeta> = docs.iter().map(|d| &d.meta).collect();
    Artifact {
        path: format!("search/d/{n}.json"),
        content: Content::Bytes(serde_json::to_vec(&metas).unwrap_or_default().into()),
    }
}

impl Shard {
    /// Takes document `doc` out of `term`'s list.
    fn remove(&mut self, term: &str, doc: u32) {
        if let Some(list) = self.terms.get_mut(term) {
            if let Ok(i) = list.binary_search_by_key(&doc, |p| p.doc) {
                list.remove(i);
            }
            if list.is_empty() {
                self.terms.remove(term);
            }
        }
    }

    /// Puts (or moves) a posting into `term`'s list.
    fn put(&mut self, term: &str, posting: Posting) {
        match self.terms.get_mut(term) {
            Some(list) => match list.binary_search_by_key(&posting.doc, |p| p.doc) {
                Ok(i) => list[i] = posting,
                Err(i) => list.insert(i, posting),
            },
            None => {
                self.terms.insert(term.into(), vec![posting]);
            }
        }
    }

    /// Encodes the shard's files from its posting lists. A group too big for one file (a very
    /// common syllable pair) is split by full term into parts, so a query for one of its terms
    /// downloads only that term's part.
    fn encode(&mut self, n: usize, docs: &[&SearchDoc]) {
        let tail = |p: &Posting| docs[p.doc as usize].tail(p);
        let mut terms: Vec<(&str, &Vec<Posting>, Group)> = self
            .terms
            .iter()
            .map(|(t, l)| (&**t, l, group_of(t)))
            .collect();
        terms.sort_unstable_by_key(|&(term, _, _)| term);
        let mut groups: BTreeMap<Group, Vec<(&str, usize)>> = BTreeMap::new();
        for &(term, list, group) in &terms {
            let size = term.len() + list.iter().map(|p| p.len() + 2).sum::<usize>();
            groups.entry(group).or_default().push((term, size));
        }
        // Parts of every split group share files (`<n>-<k>.bin`); each group takes the salt
        // that spreads the bytes over those files most evenly, so two very common terms rarely
        // land in the same part.
        let mut split: BTreeMap<Group, (usize, u8)> = BTreeMap::new();
        let mut load: Vec<usize> = Vec::new();
        for (group, terms) in &groups {
            let total: usize = terms.iter().map(|(_, size)| size).sum();
            if total <= SPLIT_ABOVE {
                continue;
            }
            let parts = total.div_ceil(SPLIT_ABOVE).next_power_of_two().min(64);
            if load.len() < parts {
                load.resize(parts, 0);
            }
            let loaded = |salt: u8| {
                let mut after = load.clone();
                for (term, size) in terms {
                    after[part_of(term, salt, parts)] += size;
                }
                after
            };
            // The sum of squares punishes two big terms in one part, wherever the maximum is.
            let salt = (0..SALTS)
                .min_by_key(|&salt| loaded(salt).iter().map(|&b| (b as u64).pow(2)).sum::<u64>())
                .unwrap_or(0);
            load = loaded(salt);
            split.insert(*group, (parts, salt));
        }
        let mut files: BTreeMap<Option<usize>, Vec<u8>> = BTreeMap::new();
        for &(term, list, group) in &terms {
            let part = split
                .get(&group)
                .map(|&(parts, salt)| part_of(term, salt, parts));
            let data = files.entry(part).or_default();
            varint(data, term.len() as u32);
            data.extend_from_slice(term.as_bytes());
            varint(data, list.len() as u32);
            let mut previous = 0;
            for posting in list {
                varint(data, posting.doc - previous);
                previous = posting.doc;
                data.extend_from_slice(tail(posting));
            }
        }
        files.entry(None).or_default();
        // Every part exists, so a term that is nowhere still finds an (empty) file.
        for k in 0..load.len() {
            files.entry(Some(k)).or_default();
        }
        self.files = files
            .into_iter()
            .map(|(part, data)| Artifact {
                path: match part {
                    None => format!("search/s/{n}.bin"),
                    Some(k) => format!("search/s/{n}-{k}.bin"),
                },
                content: Content::Bytes(data.into()),
            })
            .collect();
        self.split = split
            .into_iter()
            .map(|(group, split)| (group.to_string(), split))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_weigh_fields() {
        let meta = DocMeta {
            url: "/a/".into(),
            title: "t".into(),
            event: "e".into(),
            text: String::new(),
        };
        let doc = SearchDoc::new(meta, &[("타입검사", 6, true), ("타입 이야기", 1, false)]);
        let weight = |term: &str| doc.terms().find(|t| t.0 == term).map(|t| t.1[0] >> 3);
        assert_eq!(weight("타입"), Some(7));
        assert_eq!(weight("검사"), Some(6));
        assert_eq!(weight("^ㅌㅇㄱㅅ"), Some(6));
        assert_eq!(weight("이야"), Some(1));
    }

    fn site(bodies: &[String]) -> Documents {
        bodies
            .chunks(3)
            .map(|note| {
                let docs = note.iter().map(|body| {
                    let meta = DocMeta {
                        url: format!("/{}/", body.len()),
                        title: "세션".into(),
                        event: "행사".into(),
                        text: body.clone(),
                    };
                    SearchDoc::new(meta, &[("세션 제목", 6, true), (body, 1, false)])
                });
                Arc::new(docs.collect())
            })
            .collect()
    }

    #[test]
    fn an_update_equals_a_fresh_index_and_redoes_only_what_changed() {
        let words = [
            "파이썬",
            "타입검사",
            "쿼리셋",
            "Django",
            "음성인식",
            "형변환",
            "배포",
        ];
        let mut bodies: Vec<String> = (0..120)
            .map(|i| format!("{} {} 노트 {i}", words[i % 7], words[(i * 3) % 7]))
            .collect();
        let mut index = SearchIndex::new(site(&bodies));
        let before = index.files(&[]);
        bodies[40] = format!("{} 바뀐 문장", bodies[40]);
        index.update(site(&bodies));
        let after = index.files(&[]);
        assert_eq!(after, SearchIndex::new(site(&bodies)).files(&[]));
        let changed: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.path.as_str())
            .collect();
        let chunk = format!("search/d/{}.json", 40 / CHUNK);
        assert!(changed.contains(&chunk.as_str()), "{changed:?}");
        let shards = changed
            .iter()
            .filter(|p| p.starts_with("search/s/"))
            .count();
        assert!(shards > 0 && shards < index.shards.len() / 2, "{changed:?}");
        // A document more moves every id after it: everything is made again, still right.
        bodies.insert(3, "새 문서".into());
        index.update(site(&bodies));
        assert_eq!(index.files(&[]), SearchIndex::new(site(&bodies)).files(&[]));
    }

    #[test]
    fn base36_reads_as_javascript_parses_it() {
        for (n, text) in [
            (0, "0"),
            (35, "z"),
            (36, "10"),
            (1295, "zz"),
            (46656, "1000"),
        ] {
            let mut out = String::new();
            base36(&mut out, n);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn shard_counts_and_lengths() {
        assert_eq!(shard_count(0), 4);
        assert_eq!(shard_count(100), 8);
        assert_eq!(shard_count(10_000), 1024);
        assert_eq!(quantise_length(0), 0);
        assert_eq!(quantise_length(1023), 160);
    }
}
