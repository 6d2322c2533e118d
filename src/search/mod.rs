//! The site search index: every session and every non-session section of a note becomes a
//! document; its title, tags, event, headings and text are tokenised ([`tokenize`]) and written
//! as static files under `search/` that the client (`search.js`) fetches on demand:
//!
//! - `manifest.json`: document count, shard count, chunk size, average length, field boosts;
//! - `lengths.bin`: one byte per document, its length on a log scale (for BM25);
//! - `s/<n>.bin`: postings of the terms whose group hashes to shard `n` — a query loads only the
//!   shards of its own terms. Terms are grouped so that every prefix or half-typed syllable a
//!   query can end with lives in one group;
//! - `d/<n>.json`: url, title, event and excerpt of documents `n*CHUNK ..`, fetched only for
//!   the results shown.
//!
//! Everything is sorted and written deterministically.

pub mod tokenize;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::output::{Artifact, Content};
use crate::site::NoteEntry;
use tokenize::{Tokens, choseong_tokens, group_of, tokenize};

/// The client, embedded and written to `search/search.js`.
pub const CLIENT: &str = include_str!("search.js");

/// Documents per excerpt chunk.
pub const CHUNK: usize = 8;
/// Positions kept per term and document (enough to reward adjacent query words).
const MAX_POSITIONS: usize = 4;
/// Characters of text kept for excerpts.
const EXCERPT_CHARS: usize = 180;
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
    pub excerpt: String,
}

/// One searchable document, tokenised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub meta: DocMeta,
    /// Number of tokens, for length normalisation.
    pub length: u32,
    /// Its terms, sorted, packed: for each, `varint(len) term varint(weight) varint(count)
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
        let mut all: Vec<(&str, u32, u32)> = tokens
            .iter()
            .zip(&boosts)
            .map(|((term, position), boost)| (term, position, *boost))
            .collect();
        all.sort_unstable();
        let mut terms: Vec<(&str, (u32, Vec<u32>))> = Vec::new();
        for (term, position, boost) in all {
            match terms.last_mut() {
                Some((last, (weight, positions))) if *last == term => {
                    *weight += boost;
                    if positions.len() < MAX_POSITIONS {
                        positions.push(position);
                    }
                }
                _ => terms.push((term, (boost, vec![position]))),
            }
        }
        let mut packed = Vec::with_capacity(terms.len() * 10);
        for (term, (weight, positions)) in &terms {
            varint(&mut packed, term.len() as u32);
            packed.extend_from_slice(term.as_bytes());
            varint(&mut packed, *weight);
            varint(&mut packed, positions.len() as u32);
            let mut last = 0;
            for p in positions {
                varint(&mut packed, p - last);
                last = *p;
            }
        }
        SearchDoc {
            meta,
            length,
            packed,
        }
    }

    /// Its terms with the packed tail (weight, positions) of each.
    pub fn terms(&self) -> impl Iterator<Item = (&str, &[u8])> {
        let bytes = &self.packed;
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= bytes.len() {
                return None;
            }
            let length = read_varint(bytes, &mut at) as usize;
            let term = std::str::from_utf8(&bytes[at..at + length]).unwrap_or_default();
            at += length;
            let tail = at;
            read_varint(bytes, &mut at);
            let count = read_varint(bytes, &mut at);
            for _ in 0..count {
                read_varint(bytes, &mut at);
            }
            Some((term, &bytes[tail..at]))
        })
    }
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
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(EXCERPT_CHARS).collect()
}

/// The documents of one note: each session, then the intro and each ordinary section.
pub fn note_docs(note: &NoteEntry) -> Vec<SearchDoc> {
    let b = BOOSTS;
    let mut docs = Vec::new();
    for session in &note.sessions {
        let tags: Vec<&str> = session.tags.iter().map(|t| t.name.as_str()).collect();
        let tags = tags.join(" ");
        let speakers: Vec<&str> = session.speakers.iter().map(|s| s.name.as_str()).collect();
        let speakers = speakers.join(" ");
        let headings: Vec<&str> = session.outline.iter().map(|o| o.text.as_str()).collect();
        let headings = headings.join(" \n ");
        let meta = DocMeta {
            url: session.url.clone(),
            title: session.title.clone(),
            event: note.title.clone(),
            excerpt: excerpt(session.summary.as_deref().unwrap_or(&session.text)),
        };
        docs.push(SearchDoc::new(
            meta,
            &[
                (&session.title, b.title, true),
                (&tags, b.tags, true),
                (&speakers, b.tags, true),
                (&note.event, b.event, false),
                (&headings, b.headings, true),
                (&session.text, b.body, false),
            ],
        ));
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
            excerpt: excerpt(&part.text),
        };
        docs.push(SearchDoc::new(
            meta,
            &[
                (&title, b.title, true),
                (&note.event, b.event, false),
                (&part.text, b.body, false),
            ],
        ));
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
    let hash = group_of(term).bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash as usize) % shards
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
    /// Groups split into parts by term: group → number of parts.
    split: BTreeMap<String, usize>,
}

/// A group larger than this (bytes of postings) is split into parts.
const SPLIT_ABOVE: usize = 16 * 1024;

fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// One document's entry in a term's posting list: the document and its packed weight and
/// positions.
type Posting<'a> = (u32, &'a [u8]);

/// Writes the index files for `docs` (in site order) under `search/`.
pub fn index_files(docs: &[&SearchDoc]) -> Vec<Artifact> {
    let shards = shard_count(docs.len());
    let mut postings: Vec<BTreeMap<&str, Vec<Posting<'_>>>> = vec![BTreeMap::new(); shards];
    for (id, doc) in docs.iter().enumerate() {
        for (term, tail) in doc.terms() {
            postings[shard_of(term, shards)]
                .entry(term)
                .or_default()
                .push((id as u32, tail));
        }
    }
    let mut files = Vec::with_capacity(shards + docs.len() / CHUNK + 4);
    let bytes = |path: String, data: Vec<u8>| Artifact {
        path,
        content: Content::Bytes(data.into()),
    };
    // A group too big for one file (a very common syllable pair) is split by full term into
    // parts, so a query for one of its terms downloads only that term's part.
    let mut split: BTreeMap<String, usize> = BTreeMap::new();
    for (n, shard) in postings.iter().enumerate() {
        let mut groups: BTreeMap<String, usize> = BTreeMap::new();
        for (term, list) in shard {
            let size = term.len() + list.iter().map(|(_, tail)| tail.len() + 2).sum::<usize>();
            *groups.entry(group_of(term)).or_default() += size;
        }
        let parts_of = |group: &str| {
            groups.get(group).map_or(1, |size| {
                size.div_ceil(SPLIT_ABOVE).next_power_of_two().min(64)
            })
        };
        let mut files_of_shard: BTreeMap<Option<usize>, Vec<u8>> = BTreeMap::new();
        for (term, list) in shard {
            let group = group_of(term);
            let parts = parts_of(&group);
            let part = (parts > 1).then(|| fnv1a(term) as usize % parts);
            if parts > 1 {
                split.insert(group, parts);
            }
            let data = files_of_shard.entry(part).or_default();
            varint(data, term.len() as u32);
            data.extend_from_slice(term.as_bytes());
            varint(data, list.len() as u32);
            let mut previous = 0;
            for (doc, tail) in list {
                varint(data, doc - previous);
                previous = *doc;
                data.extend_from_slice(tail);
            }
        }
        files_of_shard.entry(None).or_default();
        // Every part exists, so a term that is nowhere still finds an (empty) file.
        let most = groups.keys().map(|g| parts_of(g)).max().unwrap_or(1);
        if most > 1 {
            for k in 0..most {
                files_of_shard.entry(Some(k)).or_default();
            }
        }
        for (part, data) in files_of_shard {
            let name = match part {
                None => format!("search/s/{n}.bin"),
                Some(k) => format!("search/s/{n}-{k}.bin"),
            };
            files.push(bytes(name, data));
        }
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let metas: Vec<&DocMeta> = chunk.iter().map(|d| &d.meta).collect();
        let json = serde_json::to_vec(&metas).unwrap_or_default();
        files.push(bytes(format!("search/d/{n}.json"), json));
    }
    files.push(bytes(
        "search/lengths.bin".into(),
        docs.iter().map(|d| quantise_length(d.length)).collect(),
    ));
    let total: u64 = docs.iter().map(|d| u64::from(d.length)).sum();
    let manifest = Manifest {
        version: 1,
        docs: docs.len(),
        shards,
        chunk: CHUNK,
        avgdl: if docs.is_empty() {
            1.0
        } else {
            (total as f64 / docs.len() as f64 * 100.0).round() / 100.0
        },
        boosts: BOOSTS,
        split,
    };
    let mut json = serde_json::to_string(&manifest).unwrap_or_default();
    let _ = writeln!(json);
    files.push(bytes("search/manifest.json".into(), json.into_bytes()));
    files.push(bytes("search/search.js".into(), CLIENT.as_bytes().to_vec()));
    files
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
            excerpt: String::new(),
        };
        let doc = SearchDoc::new(meta, &[("타입검사", 6, true), ("타입 이야기", 1, false)]);
        let weight = |term: &str| doc.terms().find(|t| t.0 == term).map(|t| t.1[0] as u32);
        assert_eq!(weight("타입"), Some(7));
        assert_eq!(weight("검사"), Some(6));
        assert_eq!(weight("^ㅌㅇ"), Some(6));
        assert_eq!(weight("이야"), Some(1));
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
