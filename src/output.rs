//! Output: turns the site model into artifacts — page bytes from the theme's templates, the
//! theme's static files and the files notes link to — each a pure function of the model, so any
//! subset can be produced again on its own. Nothing here touches the disk.

use std::path::PathBuf;
use std::sync::Arc;

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
    /// Bytes shared between the project's caches and its output map.
    Bytes(Arc<[u8]>),
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

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            author: &config.author,
            language: &config.language,
            locale: locale(&config.language),
            base_url: &config.base_url,
            base_path: config.base_path(),
            absolute_urls: config.base_url.contains("://"),
            generator: concat!("hugi ", env!("CARGO_PKG_VERSION")),
        }
    }

    /// Absolute form of a site path, or the path itself when `base_url` has no host.
    fn permalink(&self, path: &str) -> String {
        if self.absolute_urls {
            format!("{}/{path}", self.base_url.trim_end_matches('/'))
        } else {
            format!("{}{path}", self.base_path)
        }
    }
}

fn page(
    template: &str,
    path: String,
    context: &mut Context,
    view: PageView<'_>,
    theme: &Theme,
) -> Result<Artifact, Diagnostic> {
    context.insert("page", &view);
    let html = theme.render(template, context)?;
    Ok(Artifact {
        path,
        content: Content::Bytes(html.into_bytes().into()),
    })
}

/// The pages of one note: its event page and one page per session. They depend on nothing but
/// the note and the site-wide view, so a rebuild redoes them only when the note changed.
pub fn note_pages(
    note: &NoteEntry,
    site: &SiteView<'_>,
    theme: &Theme,
) -> Result<Vec<Artifact>, Diagnostic> {
    let mut pages = Vec::with_capacity(note.sessions.len() + 1);
    let mut context = Context::new();
    context.insert("site", site);
    context.insert("note", note);
    let view = PageView {
        kind: "note",
        title: &note.title,
        url: note.url.clone(),
        permalink: note.permalink.clone(),
        description: &note.description,
    };
    pages.push(page(
        "note.html",
        format!("{}/index.html", note.slug),
        &mut context,
        view,
        theme,
    )?);
    let summary = NoteSummary::of(note);
    for session in &note.sessions {
        let mut context = Context::new();
        context.insert("site", site);
        context.insert("note", &summary);
        context.insert("session", session);
        let view = PageView {
            kind: "session",
            title: &session.title,
            url: session.url.clone(),
            permalink: session.permalink.clone(),
            description: &session.description,
        };
        let path = format!("{}/{}/index.html", note.slug, session.slug);
        pages.push(page("session.html", path, &mut context, view, theme)?);
    }
    Ok(pages)
}

/// Pages that depend on the whole site: the home page and the 404 page.
pub fn site_pages(
    site: &Site,
    view: &SiteView<'_>,
    theme: &Theme,
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let summaries: Vec<NoteSummary<'_>> = site.notes.iter().map(|n| NoteSummary::of(n)).collect();
    let mut context = Context::new();
    context.insert("site", view);
    context.insert("notes", &summaries);
    let home = PageView {
        kind: "home",
        title: view.title,
        url: view.base_path.clone(),
        permalink: view.permalink(""),
        description: view.description,
    };
    let home = page("index.html", "index.html".into(), &mut context, home, theme);
    let mut context = Context::new();
    context.insert("site", view);
    let missing = PageView {
        kind: "404",
        title: "페이지를 찾을 수 없습니다",
        url: format!("{}404.html", view.base_path),
        permalink: view.permalink("404.html"),
        description: "",
    };
    let missing = page("404.html", "404.html".into(), &mut context, missing, theme);
    let mut errors = Vec::new();
    let pages: Vec<Artifact> = [home, missing]
        .into_iter()
        .filter_map(|r| r.map_err(|e| errors.push(e)).ok())
        .collect();
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

/// The theme's static files and the files under `content/`, as artifacts.
pub fn files(theme: &Theme, assets: &[(String, Asset)]) -> Vec<Artifact> {
    let statics = theme.statics.iter().map(|(path, bytes)| Artifact {
        path: path.clone(),
        content: Content::Bytes(bytes.as_slice().into()),
    });
    let copies = assets.iter().map(|(path, asset)| Artifact {
        path: path.clone(),
        content: Content::Copy(asset.disk_path.clone()),
    });
    statics.chain(copies).collect()
}
