//! Related sessions: for each session with notes, up to [`RELATED`] sessions of *other* events
//! that share its tags or speakers, best first. A shared tag counts by how rare it is (a tag
//! every PyCon talk carries says little; `Django` says more), a shared speaker twice as much,
//! and ties go to the newer session. The whole site is looked at once per build, so the lists
//! are exact after any rebuild.

use std::collections::HashMap;

use crate::site::{NoteEntry, RelatedLink};
use crate::tags::TagIndex;

/// Related sessions shown per session at most.
pub const RELATED: usize = 5;

/// How many of a tag's or speaker's newest sessions are looked at for each session: a common
/// tag offers its recent sessions, not thousands.
const CANDIDATES: usize = 50;

/// Related sessions of every session of the site, by note source, then session index.
pub type RelatedIndex = HashMap<String, Vec<Vec<RelatedLink>>>;

/// Finds the related sessions of every session. `notes` are in site order (newest first) and
/// `tags` was built from them in that order.
pub fn build(notes: &[&NoteEntry], tags: &TagIndex) -> RelatedIndex {
    let total = notes.iter().map(|n| n.sessions.len()).sum::<usize>().max(1) as f64;
    let weight = |members: usize| (1.0 + total / members.max(1) as f64).ln();
    // Every group of sessions that relates its members: tags, then speakers, with its weight.
    let mut groups: Vec<(f64, Vec<(usize, usize)>)> = tags
        .tags
        .iter()
        .map(|t| (weight(t.sessions.len()), t.sessions.clone()))
        .collect();
    let mut speakers: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (n, note) in notes.iter().enumerate() {
        for (s, session) in note.sessions.iter().enumerate() {
            for speaker in &session.speakers {
                speakers.entry(&speaker.slug).or_default().push((n, s));
            }
        }
    }
    groups.extend(
        speakers
            .into_values()
            .map(|members| (2.0 * weight(members.len()), members)),
    );
    // The groups of each session, and the members each group offers as candidates: its newest
    // ones with notes.
    let mut of_session: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (g, (_, members)) in groups.iter().enumerate() {
        for &member in members {
            of_session.entry(member).or_default().push(g);
        }
    }
    let offered: Vec<Vec<(usize, usize)>> = groups
        .iter()
        .map(|(_, members)| {
            members
                .iter()
                .copied()
                .filter(|&(n, s)| notes[n].sessions[s].has_notes)
                .take(CANDIDATES + 1)
                .collect()
        })
        .collect();
    let mut index = RelatedIndex::new();
    for (n, note) in notes.iter().enumerate() {
        let lists = (0..note.sessions.len())
            .map(|s| {
                let Some(own) = of_session.get(&(n, s)) else {
                    return Vec::new();
                };
                let mut scores: HashMap<(usize, usize), f64> = HashMap::new();
                for &g in own {
                    for &(m, t) in offered[g].iter().filter(|(m, _)| *m != n).take(CANDIDATES) {
                        *scores.entry((m, t)).or_default() += groups[g].0;
                    }
                }
                let mut ranked: Vec<((usize, usize), f64)> = scores.into_iter().collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                ranked
                    .into_iter()
                    .take(RELATED)
                    .map(|((m, t), _)| RelatedLink {
                        title: notes[m].sessions[t].title.clone(),
                        url: notes[m].sessions[t].url.clone(),
                        event: notes[m].title.clone(),
                    })
                    .collect()
            })
            .collect();
        index.insert(note.source.clone(), lists);
    }
    index
}
