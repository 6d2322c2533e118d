//! Output: turns the site model into artifacts — page bytes from the theme's templates, the
//! theme's static files and the files notes link to — each a pure function of the model, so any
//! subset can be produced again on its own. Nothing here touches the disk.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::feeds;
use crate::load::Asset;
use crate::site::{DateView, NoteEntry, SessionEntry, Site};
use crate::tags::TagIndex;
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
#[derive(Debug, Clone, Serialize, Default)]
struct PageView<'a> {
    /// `home`, `note`, `session`, `tags`, `tag`, `events` or `404`.
    kind: &'static str,
    title: &'a str,
    url: String,
    permalink: String,
    description: &'a str,
    /// Feeds to announce with `<link rel="alternate">`: the site's, and the tag's on tag pages.
    feeds: Vec<FeedLink>,
    /// Neighbouring pages of a paginated list, for `<link rel="prev"/"next">`.
    prev_url: Option<String>,
    next_url: Option<String>,
}

/// A feed a page announces.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
}

/// A tag with its count and a weight from 1 to 5 for tag clouds.
#[derive(Debug, Clone, Serialize)]
struct TagCount<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    weight: usize,
}

/// A speaker's name, URL and sessions, while gathering them.
type SpeakerSessions<'a> = (String, String, Vec<(&'a NoteEntry, &'a SessionEntry)>);

/// A speaker with the number of their sessions.
#[derive(Debug, Clone, Serialize)]
struct SpeakerCount<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

/// One event's sessions on a tag page.
#[derive(Debug, Clone, Serialize)]
struct EventGroup<'a> {
    note: NoteSummary<'a>,
    sessions: Vec<SessionSummary<'a>>,
}

/// Page numbers of a paginated list.
#[derive(Debug, Clone, Serialize)]
struct Pagination {
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// Notes of one year on the events page; `year` is absent for undated notes.
#[derive(Debug, Clone, Serialize)]
struct YearGroup<'a> {
    year: Option<u16>,
    notes: Vec<NoteSummary<'a>>,
}

/// A note as lists show it: no HTML bodies.
#[derive(Debug, Clone, Serialize)]
pub struct NoteSummary<'a> {
    pub title: &'a str,
    pub event: &'a str,
    pub url: &'a str,
    pub date: Option<&'a DateView>,
    pub year: Option<u16>,
    pub location: Option<&'a str>,
    pub description: &'a str,
    pub tags: &'a [crate::tags::TagLink],
    pub reading_minutes: u32,
    pub sessions: Vec<SessionSummary<'a>>,
}

/// A session as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub tags: &'a [crate::tags::TagLink],
    pub speakers: &'a [crate::site::SpeakerLink],
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
            year: note.year,
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
            tags: &session.tags,
            speakers: &session.speakers,
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

    /// The site's own feed.
    fn feeds(&self) -> Vec<FeedLink> {
        vec![FeedLink {
            title: self.title.to_string(),
            url: format!("{}atom.xml", self.base_path),
        }]
    }

    /// Absolute form of a path relative to the site root, or the site path when `base_url`
    /// has no host.
    pub fn permalink(&self, path: &str) -> String {
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
        feeds: site.feeds(),
        ..PageView::default()
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
            feeds: site.feeds(),
            ..PageView::default()
        };
        let path = format!("{}/{}/index.html", note.slug, session.slug);
        pages.push(page("session.html", path, &mut context, view, theme)?);
    }
    Ok(pages)
}

/// A page at `<base_path><kind>/` rendered from `<kind>.html`: the tag list, the speaker list,
/// the events by year and the search page.
fn section_page(
    view: &SiteView<'_>,
    theme: &Theme,
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    mut context: Context,
) -> Result<Artifact, Diagnostic> {
    context.insert("site", view);
    let section = PageView {
        kind,
        title,
        url: format!("{}{kind}/", view.base_path),
        permalink: view.permalink(&format!("{kind}/")),
        description,
        feeds: view.feeds(),
        ..PageView::default()
    };
    page(
        &format!("{kind}.html"),
        format!("{kind}/index.html"),
        &mut context,
        section,
        theme,
    )
}

/// How many of the newest events the home page lists (the events page lists them all).
pub const HOME_NOTES: usize = 30;

/// Everything that depends on the whole site: home, 404, tag list and tag pages, events by year,
/// the site and tag feeds, the sitemap and robots.txt.
pub fn site_pages(
    site: &Site,
    tags: &TagIndex,
    config: &Config,
    view: &SiteView<'_>,
    theme: &Theme,
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let summaries: Vec<NoteSummary<'_>> = site.notes.iter().map(|n| NoteSummary::of(n)).collect();
    let base = view.base_path.clone();
    let mut results: Vec<Result<Artifact, Diagnostic>> = Vec::new();
    let mut sitemap: Vec<(String, Option<String>)> = vec![(base.clone(), None)];

    let mut context = Context::new();
    context.insert("site", view);
    context.insert("notes", &summaries[..summaries.len().min(HOME_NOTES)]);
    context.insert("note_count", &summaries.len());
    let home = PageView {
        kind: "home",
        title: view.title,
        url: base.clone(),
        permalink: view.permalink(""),
        description: view.description,
        feeds: view.feeds(),
        ..PageView::default()
    };
    results.push(page(
        "index.html",
        "index.html".into(),
        &mut context,
        home,
        theme,
    ));

    let mut context = Context::new();
    context.insert("site", view);
    let missing = PageView {
        kind: "404",
        title: "페이지를 찾을 수 없습니다",
        url: format!("{base}404.html"),
        permalink: view.permalink("404.html"),
        ..PageView::default()
    };
    results.push(page(
        "404.html",
        "404.html".into(),
        &mut context,
        missing,
        theme,
    ));

    // Tag list and tag cloud.
    let most = tags.tags.first().map_or(1, |t| t.sessions.len()).max(1);
    let counts: Vec<TagCount<'_>> = tags
        .tags
        .iter()
        .map(|t| TagCount {
            name: &t.link.name,
            slug: &t.link.slug,
            url: &t.link.url,
            count: t.sessions.len(),
            weight: (1 + (t.sessions.len() - 1) * 4 / (most - 1).max(1)).min(5),
        })
        .collect();
    let mut cloud = counts.clone();
    cloud.sort_by_key(|t| crate::tags::korean_first(t.name));
    let mut context = Context::new();
    context.insert("tags", &counts);
    context.insert("cloud", &cloud);
    sitemap.push((format!("{base}tags/"), None));
    results.push(section_page(
        view,
        theme,
        "tags",
        "태그",
        "주제별로 모아 본 세션",
        context,
    ));

    // One page (or several) and one feed per tag.
    for (tag, count) in tags.tags.iter().zip(&counts) {
        let members: Vec<(&NoteEntry, &SessionEntry)> = tag
            .sessions
            .iter()
            .map(|&(n, s)| (&*site.notes[n], &site.notes[n].sessions[s]))
            .collect();
        let feed_path = format!("tags/{}/atom.xml", tag.link.slug);
        let feed_title = format!("{} · {}", tag.link.name, view.title);
        let chunks: Vec<&[(&NoteEntry, &SessionEntry)]> =
            members.chunks(config.tags.per_page).collect();
        let page_url = |n: usize| match n {
            1 => tag.link.url.clone(),
            n => format!("{}page/{n}/", tag.link.url),
        };
        for (i, chunk) in chunks.iter().enumerate() {
            let number = i + 1;
            let groups = group_by_event(chunk);
            let pagination = Pagination {
                page: number,
                pages: chunks.len(),
                previous: (number > 1).then(|| page_url(number - 1)),
                next: (number < chunks.len()).then(|| page_url(number + 1)),
            };
            let url = page_url(number);
            let mut context = Context::new();
            context.insert("site", view);
            context.insert("tag", count);
            context.insert("groups", &groups);
            context.insert("pagination", &pagination);
            context.insert("feed_url", &format!("{base}{feed_path}"));
            let mut feeds = view.feeds();
            feeds.push(FeedLink {
                title: feed_title.clone(),
                url: format!("{base}{feed_path}"),
            });
            let tag_page = PageView {
                kind: "tag",
                title: &tag.link.name,
                url: url.clone(),
                permalink: view.permalink(url.strip_prefix(&base).unwrap_or(&url)),
                description: "",
                feeds,
                prev_url: pagination.previous.clone(),
                next_url: pagination.next.clone(),
            };
            let path = format!("{}index.html", url.strip_prefix(&base).unwrap_or(&url));
            sitemap.push((url, None));
            results.push(page("tag.html", path, &mut context, tag_page, theme));
        }
        let alternate = tag.link.url.clone();
        let xml = feeds::atom(
            view,
            &feed_title,
            &format!("{base}{feed_path}"),
            &alternate,
            &members,
            false,
        );
        results.push(Ok(bytes(feed_path, xml)));
    }

    // Speakers and their sessions.
    let mut speakers: std::collections::BTreeMap<String, SpeakerSessions<'_>> =
        std::collections::BTreeMap::new();
    for note in &site.notes {
        for session in &note.sessions {
            for speaker in &session.speakers {
                let entry = speakers
                    .entry(speaker.slug.clone())
                    .or_insert_with(|| (speaker.name.clone(), speaker.url.clone(), Vec::new()));
                entry.2.push((note, session));
            }
        }
    }
    let mut speaker_list: Vec<SpeakerCount<'_>> = speakers
        .iter()
        .map(|(slug, (name, url, sessions))| SpeakerCount {
            name,
            slug,
            url,
            count: sessions.len(),
        })
        .collect();
    speaker_list.sort_by_key(|s| crate::tags::korean_first(s.name));
    let mut context = Context::new();
    context.insert("speakers", &speaker_list);
    sitemap.push((format!("{base}speakers/"), None));
    results.push(section_page(
        view,
        theme,
        "speakers",
        "발표자",
        "발표자별로 모아 본 세션",
        context,
    ));
    for (slug, (name, url, members)) in &speakers {
        let groups = group_by_event(members);
        let mut context = Context::new();
        context.insert("site", view);
        context.insert(
            "speaker",
            &SpeakerCount {
                name,
                slug,
                url,
                count: members.len(),
            },
        );
        context.insert("groups", &groups);
        let speaker_page = PageView {
            kind: "speaker",
            title: name,
            url: url.clone(),
            permalink: view.permalink(url.strip_prefix(&base).unwrap_or(url)),
            description: "",
            feeds: view.feeds(),
            ..PageView::default()
        };
        let path = format!("{}index.html", url.strip_prefix(&base).unwrap_or(url));
        sitemap.push((url.clone(), None));
        results.push(page(
            "speaker.html",
            path,
            &mut context,
            speaker_page,
            theme,
        ));
    }

    // Events by year.
    let mut years: Vec<YearGroup<'_>> = Vec::new();
    for (note, summary) in site.notes.iter().zip(&summaries) {
        let year = note.year;
        match years.last_mut() {
            Some(group) if group.year == year => group.notes.push(summary.clone()),
            _ => years.push(YearGroup {
                year,
                notes: vec![summary.clone()],
            }),
        }
    }
    let mut context = Context::new();
    context.insert("years", &years);
    sitemap.push((format!("{base}events/"), None));
    results.push(section_page(
        view,
        theme,
        "events",
        "행사",
        "연도별 행사 목록",
        context,
    ));

    // The search page (the index itself is written by the search module).
    results.push(section_page(
        view,
        theme,
        "search",
        "검색",
        "사이트 검색",
        Context::new(),
    ));

    // The site feed, the sitemap and robots.txt.
    let newest: Vec<(&NoteEntry, &SessionEntry)> = site
        .notes
        .iter()
        .flat_map(|n| n.sessions.iter().map(move |s| (&**n, s)))
        .take(feeds::FEED_ENTRIES)
        .collect();
    results.push(Ok(bytes(
        "atom.xml".into(),
        feeds::atom(
            view,
            view.title,
            &format!("{base}atom.xml"),
            &base,
            &newest,
            true,
        ),
    )));
    for note in &site.notes {
        let date = note.date.as_ref().map(|d| d.iso.clone());
        sitemap.push((note.url.clone(), date.clone()));
        sitemap.extend(note.sessions.iter().map(|s| (s.url.clone(), date.clone())));
    }
    results.push(Ok(bytes(
        "sitemap.xml".into(),
        feeds::sitemap(view, &sitemap),
    )));
    results.push(Ok(bytes("robots.txt".into(), feeds::robots(view))));

    let mut errors = Vec::new();
    let pages: Vec<Artifact> = results
        .into_iter()
        .filter_map(|r| {
            r.map_err(|e| {
                if !errors.contains(&e) {
                    errors.push(e)
                }
            })
            .ok()
        })
        .collect();
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

/// Sessions (in site order) grouped under their events.
fn group_by_event<'a>(sessions: &[(&'a NoteEntry, &'a SessionEntry)]) -> Vec<EventGroup<'a>> {
    let mut groups: Vec<EventGroup<'a>> = Vec::new();
    for (note, session) in sessions {
        match groups.last_mut() {
            Some(group) if group.note.url == note.url => {
                group.sessions.push(SessionSummary::of(session))
            }
            _ => groups.push(EventGroup {
                note: NoteSummary::of(note),
                sessions: vec![SessionSummary::of(session)],
            }),
        }
    }
    groups
}

fn bytes(path: String, text: String) -> Artifact {
    Artifact {
        path,
        content: Content::Bytes(text.into_bytes().into()),
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
