//! `hugi check`: builds the site in memory (writing nothing) and reports what a careful reviewer
//! would: broken internal links and anchors (Hangul and percent-encoded ones included), links to
//! missing files, slugs that had to be changed, sessions with no notes, notes without a title,
//! tags that differ only by case or normalisation, and config problems. With `--external` it
//! also fetches `http(s)` links, a few at a time, each with a timeout.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use crate::diagnostics::Diagnostic;
use crate::load::CONTENT_DIR;
use crate::note::{Note, TitleSource};
use crate::project::Project;
use crate::project::{BuildError, BuildOptions};
use crate::site::NoteEntry;

/// What `hugi check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub findings: Vec<Diagnostic>,
    /// Per note, how its talks were found (for `--explain`).
    pub explanations: Vec<NoteExplanation>,
    /// Per external link: the URL, where it is, and what fetching it gave.
    pub external: Vec<ExternalLink>,
}

/// One external link and its fate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExternalLink {
    pub url: String,
    pub file: String,
    pub line: usize,
    /// `200`, `404`, or the error (`timeout`, `dns error…`).
    pub result: String,
    pub ok: bool,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// How one note's talks were found: the rule, how sure it is, the reading that came second,
/// the talks with where they are, the headings that are not talks and why, and the line that
/// overrides it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoteExplanation {
    pub file: String,
    pub rule: String,
    /// `high` (every talk has a kind word, number, speaker, link or announcing heading),
    /// `medium` (some are plain headings), `low` (all are plain), `none` (no talks).
    pub confidence: &'static str,
    pub runner_up: Option<String>,
    pub sessions: Vec<FoundSession>,
    pub not_talks: Vec<NotTalk>,
    /// The line to add to the note's front matter to choose otherwise.
    pub override_hint: String,
}

/// A talk found in a note.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FoundSession {
    pub title: String,
    pub speakers: Vec<String>,
    pub line: usize,
    pub url: String,
    pub reason: String,
}

/// A heading that was considered and is not a talk.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NotTalk {
    pub heading: String,
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for NoteExplanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: {} session(s) by {} (confidence {})",
            self.file,
            self.sessions.len(),
            self.rule,
            self.confidence
        )?;
        let talks = self
            .sessions
            .iter()
            .map(|s| (s.line, format!("talk      {} ({})", s.title, s.reason)));
        let sections = self
            .not_talks
            .iter()
            .map(|n| (n.line, format!("section   {} ({})", n.heading, n.reason)));
        let mut lines: Vec<(usize, String)> = talks.chain(sections).collect();
        lines.sort_by_key(|(line, _)| *line);
        for (line, text) in lines {
            writeln!(f, "  {line:>4}  {text}")?;
        }
        if let Some(runner_up) = &self.runner_up {
            writeln!(f, "  runner-up: {runner_up}")?;
        }
        write!(
            f,
            "  to choose otherwise, add to its front matter: {}",
            self.override_hint
        )
    }
}

fn explain(note: &Note, file: &str, entry: &NoteEntry) -> NoteExplanation {
    use crate::detect::Reason;
    let detection = &note.detection;
    let talk_reasons: Vec<Reason> = detection
        .headings
        .iter()
        .map(|h| h.3)
        .filter(|r| r.is_talk())
        .collect();
    let plain = talk_reasons.iter().filter(|r| **r == Reason::Plain).count();
    let confidence = match (talk_reasons.len(), plain) {
        (0, _) => "none",
        (n, p) if p == n => "low",
        (_, 0) => "high",
        _ => "medium",
    };
    let talk_levels: BTreeSet<u8> = detection
        .headings
        .iter()
        .filter(|h| h.3.is_talk())
        .map(|h| h.1)
        .collect();
    let mut per_level = [0usize; 5];
    for (_, level, _, reason) in &detection.headings {
        if *reason != Reason::Information && (1..=4).contains(level) {
            per_level[*level as usize] += 1;
        }
    }
    let runner_up_level = (1..=4u8)
        .filter(|l| !talk_levels.contains(l) && per_level[*l as usize] > 0)
        .max_by_key(|l| (per_level[*l as usize], std::cmp::Reverse(*l)));
    let runner_up = runner_up_level.map(|l| {
        format!(
            "the {} level-{l} headings as talks: sessions = {{ level = {l} }}",
            per_level[l as usize]
        )
    });
    let sessions = note
        .sessions()
        .zip(&entry.sessions)
        .map(|((part, head), session)| {
            let line = part.heading.as_ref().map_or(0, |h| h.line);
            let reason = detection
                .headings
                .iter()
                .find(|h| h.0 == line)
                .map_or(String::new(), |h| h.3.to_string());
            FoundSession {
                title: head.title.clone(),
                speakers: head.speakers.clone(),
                line,
                url: session.url.clone(),
                reason,
            }
        })
        .collect();
    let not_talks = detection
        .headings
        .iter()
        .filter(|h| !h.3.is_talk())
        .map(|(line, _, heading, reason)| NotTalk {
            heading: heading.clone(),
            line: *line,
            reason: reason.to_string(),
        })
        .collect();
    // The exact front-matter line (TOML; YAML writes `sessions: …`) that chooses otherwise.
    let override_hint = if talk_reasons.is_empty() {
        // The runner-up level, else the level most of the considered headings have.
        let level = runner_up_level.or_else(|| {
            let mut counts = [0usize; 5];
            for (_, level, _, _) in &detection.headings {
                counts[usize::from((*level).min(4))] += 1;
            }
            (1..=4u8).max_by_key(|l| (counts[usize::from(*l)], std::cmp::Reverse(*l)))
        });
        match level {
            Some(l) => format!("sessions = {{ level = {l} }}   (its level-{l} headings are the talks)"),
            None => "sessions = { under = \"heading text\" }   (the headings under that one are the talks)".into(),
        }
    } else {
        match runner_up_level {
            Some(l) => format!(
                "sessions = false   (no session pages), or sessions = {{ level = {l} }}   (the runner-up)"
            ),
            None => "sessions = false   (no session pages)".into(),
        }
    };
    NoteExplanation {
        file: file.to_string(),
        rule: detection
            .rule
            .as_ref()
            .map_or("the heading structure".into(), ToString::to_string),
        confidence,
        runner_up,
        sessions,
        not_talks,
        override_hint,
    }
}

/// Checks the site. `external` also fetches external links.
pub fn check(options: &BuildOptions, external: bool) -> CheckReport {
    let project = match Project::open(options) {
        Ok(project) => project,
        Err(BuildError::Invalid(findings)) => {
            return CheckReport {
                findings,
                ..CheckReport::default()
            };
        }
        Err(other) => {
            return CheckReport {
                findings: vec![Diagnostic::error(".", other.to_string())],
                ..CheckReport::default()
            };
        }
    };
    let mut report = CheckReport {
        findings: project.warnings(),
        ..CheckReport::default()
    };
    let config = project.config();
    // A path (`/`, `/notes/`) is a choice: links stay relative until a build is given the
    // address (the Pages workflow passes --base-url). A host without a scheme is a slip.
    if !config.base_url.contains("://") && !config.base_url.starts_with('/') {
        report.findings.push(
            Diagnostic::warning(
                crate::config::CONFIG_FILE,
                format!(
                    "base_url `{}` has no scheme, so it is taken as a path, not an address",
                    config.base_url
                ),
            )
            .with_hint("write base_url = \"https://…\" with the scheme, or a path starting with /"),
        );
    }
    let links = project.links(&project.page_ids());
    report.findings.extend(links.findings);
    for (note, entry) in project.notes() {
        let file = format!("{CONTENT_DIR}/{}", note.path);
        let Some(entry) = entry else { continue };
        report.explanations.push(explain(note, &file, entry));
        check_note(note, entry, &file, &project, &mut report.findings);
    }
    for tag in &project.tags().tags {
        if tag.spellings.len() > 1 {
            report.findings.push(
                Diagnostic::warning(
                    CONTENT_DIR,
                    format!(
                        "tag written as {}; shown as `{}`",
                        tag.spellings
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        tag.link.name
                    ),
                )
                .with_hint("write it one way, or add [tags.aliases] in config.toml"),
            );
        }
    }
    if external {
        report.external = fetch_all(links.external);
        for link in report.external.iter().filter(|l| !l.ok) {
            report.findings.push(Diagnostic {
                line: link.line,
                ..Diagnostic::error(
                    &link.file,
                    format!("external link {} failed: {}", link.url, link.result),
                )
            });
        }
    }
    report.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    report.findings.dedup();
    report
}

/// Slugs that had to change, empty sessions and untitled notes.
fn check_note(
    note: &Note,
    entry: &NoteEntry,
    file: &str,
    project: &Project,
    findings: &mut Vec<Diagnostic>,
) {
    let config = project.config();
    if let Some(own) = &note.front_matter.slug {
        if crate::slug::slugify(own, config.slug).is_empty() {
            findings.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "front-matter slug `{own}` has no letter or digit to keep, so the note is at /{}/",
                        entry.slug
                    ),
                )
                .with_hint("write the slug with letters or digits, or remove it"),
            );
        }
    } else {
        let wanted = crate::site::wanted_slug(note, config);
        if entry.slug != wanted {
            findings.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "slug `{wanted}` is taken by another note, so this one is at /{}/",
                        entry.slug
                    ),
                )
                .with_hint("give one of the notes its own `slug` in front matter"),
            );
        }
    }
    for session in &entry.sessions {
        let base = session
            .slug
            .rsplit_once('-')
            .filter(|(_, n)| n.parse::<u32>().is_ok())
            .map(|(b, _)| b);
        if base.is_some_and(|b| entry.sessions.iter().any(|s| s.slug == b)) {
            findings.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "two sessions are both titled like `{}`; this one is at …/{}/",
                        session.title, session.slug
                    ),
                )
                .at_line_column(&note.text, session.line, 1),
            );
        }
        if !session.has_notes {
            findings.push(
                Diagnostic::warning(file, format!("session `{}` has no notes", session.title))
                    .at_line_column(&note.text, session.line, 1),
            );
        }
    }
    if note.title_source == TitleSource::FileName {
        findings.push(
            Diagnostic::warning(
                file,
                format!("no title: the file name `{}` is used", note.title),
            )
            .with_hint("start the note with a `# 제목` line or set `title` in front matter"),
        );
    }
}

/// Fetches external links, eight at a time, ten seconds each.
fn fetch_all(links: Vec<(String, String, usize)>) -> Vec<ExternalLink> {
    let unique: BTreeSet<String> = links.iter().map(|(u, _, _)| u.clone()).collect();
    let queue = std::sync::Mutex::new(unique.into_iter().collect::<Vec<_>>());
    let results = std::sync::Mutex::new(HashMap::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                while let Some(url) = queue.lock().map(|mut q| q.pop()).ok().flatten() {
                    let result = match agent.head(&url).call() {
                        Ok(r) if r.status().as_u16() == 405 => agent.get(&url).call(),
                        other => other,
                    };
                    let outcome = match result {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            (status.to_string(), status < 400)
                        }
                        Err(e) => (e.to_string(), false),
                    };
                    if let Ok(mut map) = results.lock() {
                        map.insert(url, outcome);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    links
        .into_iter()
        .map(|(url, file, line)| {
            let (result, ok) = results
                .get(&url)
                .cloned()
                .unwrap_or(("not fetched".into(), false));
            ExternalLink {
                url,
                file,
                line,
                result,
                ok,
            }
        })
        .collect()
}
