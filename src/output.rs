//! Output: turns the site model into artifacts — page bytes from the theme's templates, the
//! theme's static files and the files notes link to — each a pure function of the model, so any
//! subset can be produced again on its own. Nothing here touches the disk.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::Asset;
use crate::site::{DateView, NoteEntry, SessionEntry, Site};
use crate::theme::Theme;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as it is (an image under `content/`).
    Copy(PathBuf),
}

/// One file of the output, by its `/`-separated path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: String,
    pub content: Content,
}

/// Site-wide values every template receives as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub author: &'a str,
    pub language: &'a str,
    /// `og:locale` form of the language (`ko_KR`).
    pub locale: String,
    pub base_url: &'a str,
    /// Path prefix of every link (`/` or `/notes/`).
    pub base_path: String,
    /// Whether `base_url` has a scheme and host, so absolute URLs (canonical, feeds) exist.
    pub absolute_urls: bool,
    pub generator: &'static str,
}

/// What every template receives as `page`.
#[derive(Debug, Clone, Serialize)]
struct PageView<'a> {
    /// `home`, `note`, `session` or `404`.
    kind: &'static str,
    title: &'a str,
    url: String,
    permalink: String,
    description: &'a str,
}

/// A note as lists show it: no HTML bodies.
#[derive(Debug, Clone, Serialize)]
pub struct NoteSummary<'a> {
    pub title: &'a str,
    pub event: &'a str,
    pub url: &'a str,
    pub date: Option<&'a DateView>,
    pub location: Option<&'a str>,
    pub description: &'a str,
    pub tags: &'a [String],
    pub reading_minutes: u32,
    pub sessions: Vec<SessionSummary<'a>>,
}

/// A session as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'a str,
    pub room: Option<&'a str>,
    pub reading_minutes: u32,
    pub has_notes: bool,
    pub description: &'a str,
}

impl<'a> NoteSummary<'a> {
    pub fn of(note: &'a NoteEntry) -> Self {
        NoteSummary {
            title: &note.title,
            event: &note.event,
            url: &note.url,
            date: note.date.as_ref(),
            location: note.location.as_deref(),
            description: &note.description,
            tags: &note.tags,
            reading_minutes: note.reading_minutes,
            sessions: note.sessions.iter().map(SessionSummary::of).collect(),
        }
    }
}

impl<'a> SessionSummary<'a> {
    fn of(session: &'a SessionEntry) -> Self {
        SessionSummary {
            title: &session.title,
            url: &session.url,
            kind: &session.kind,
            room: session.room.as_deref(),
            reading_minutes: session.reading_minutes,
            has_notes: session.has_notes,
            description: &session.description,
        }
    }
}

fn locale(language: &str) -> String {
    match language {
        "ko" => "ko_KR".into(),
        "en" => "en_US".into(),
        "ja" => "ja_JP".into(),
        other => other.replace('-', "_"),
    }
}

/// Every page of the site, rendered in parallel, plus static files and assets, sorted by path.
pub fn artifacts(
    site: &Site,
    theme: &Theme,
    config: &Config,
    assets: &[(String, Asset)],
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let site_view = SiteView {
        title: &config.title,
        description: &config.description,
        author: &config.author,
        language: &config.language,
        locale: locale(&config.language),
        base_url: &config.base_url,
        base_path: config.base_path(),
        absolute_urls: config.base_url.contains("://"),
        generator: concat!("hugi ", env!("CARGO_PKG_VERSION")),
    };
    let origin = site_view.base_url.trim_end_matches('/');
    let origin = if origin.contains("://") { origin } else { "" };
    let base_path = site_view.base_path.clone();

    // Each job renders one page; jobs are independent so they run in parallel.
    enum Job<'s> {
        Home,
        NotFound,
        Note(&'s NoteEntry),
        Session(&'s NoteEntry, &'s SessionEntry),
    }
    let mut jobs = vec![Job::Home, Job::NotFound];
    for note in &site.notes {
        jobs.push(Job::Note(note));
        jobs.extend(note.sessions.iter().map(|s| Job::Session(note, s)));
    }
    let summaries: Vec<NoteSummary<'_>> = site.notes.iter().map(NoteSummary::of).collect();
    let rendered: Vec<Result<Artifact, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut context = Context::new();
            context.insert("site", &site_view);
            let (template, path, page) = match job {
                Job::Home => {
                    context.insert("notes", &summaries);
                    let page = PageView {
                        kind: "home",
                        title: &config.title,
                        url: base_path.clone(),
                        permalink: format!("{origin}/"),
                        description: &config.description,
                    };
                    ("index.html", "index.html".to_string(), page)
                }
                Job::NotFound => {
                    let page = PageView {
                        kind: "404",
                        title: "페이지를 찾을 수 없습니다",
                        url: format!("{base_path}404.html"),
                        permalink: format!("{origin}/404.html"),
                        description: "",
                    };
                    ("404.html", "404.html".to_string(), page)
                }
                Job::Note(note) => {
                    context.insert("note", note);
                    let page = PageView {
                        kind: "note",
                        title: &note.title,
                        url: note.url.clone(),
                        permalink: note.permalink.clone(),
                        description: &note.description,
                    };
                    ("note.html", format!("{}/index.html", note.slug), page)
                }
                Job::Session(note, session) => {
                    context.insert("note", &NoteSummary::of(note));
                    context.insert("session", session);
                    let page = PageView {
                        kind: "session",
                        title: &session.title,
                        url: session.url.clone(),
                        permalink: session.permalink.clone(),
                        description: &session.description,
                    };
                    let path = format!("{}/{}/index.html", note.slug, session.slug);
                    ("session.html", path, page)
                }
            };
            context.insert("page", &page);
            let html = theme.render(template, &context)?;
            Ok(Artifact {
                path,
                content: Content::Bytes(html.into_bytes()),
            })
        })
        .collect();

    let mut errors = Vec::new();
    let mut files: BTreeMap<String, Content> = BTreeMap::new();
    for result in rendered {
        match result {
            Ok(artifact) => {
                files.insert(artifact.path, artifact.content);
            }
            Err(d) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (path, bytes) in &theme.statics {
        files
            .entry(path.clone())
            .or_insert_with(|| Content::Bytes(bytes.clone()));
    }
    for (path, asset) in assets {
        files
            .entry(path.clone())
            .or_insert_with(|| Content::Copy(asset.disk_path.clone()));
    }
    Ok(files
        .into_iter()
        .map(|(path, content)| Artifact { path, content })
        .collect())
}
