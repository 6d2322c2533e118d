//! Output: turns the site model into artifacts — page bytes from the theme's templates, the
//! theme's static files and the files notes link to — each a pure function of the model, so any
//! subset can be produced again on its own. Nothing here touches the disk. [`feeds`] writes the
//! Atom feeds, the sitemap and robots.txt.

pub mod feeds;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::Asset;
use crate::markdown::escape_html;
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
    /// `[extra]`, as written.
    pub extra: &'a toml::Table,
    pub comments: &'a crate::config::CommentsConfig,
    pub analytics: &'a crate::config::AnalyticsConfig,
    pub verification: &'a crate::config::VerificationConfig,
    /// `[extra] og_image` as a full URL: the link preview image of pages without their own.
    pub og_image: Option<String>,
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
    /// The image link previews show (`og:image`), a full URL when the site has one.
    image: Option<String>,
    /// The event's date on note and session pages (`article:published_time`).
    published: Option<String>,
    /// Schema.org `Article` data of note and session pages, as JSON ready for a script element.
    json_ld: Option<String>,
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
type SpeakerSessions<'a> = (&'a str, &'a str, Vec<(usize, usize)>);

/// A speaker with the number of their sessions.
#[derive(Debug, Clone, Serialize)]
struct SpeakerCount<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

/// Page numbers of a paginated list.
#[derive(Debug, Clone, Serialize)]
struct Pagination {
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
}

impl Pagination {
    /// Every page of a list `count` pages long whose first page is at `first` and the others
    /// at `<first>page/<n>/`: each page's numbers and neighbours, with its URL.
    fn all(first: &str, count: usize) -> Vec<(Pagination, String)> {
        let url = |n: usize| match n {
            1 => first.to_string(),
            n => format!("{first}page/{n}/"),
        };
        (1..=count)
            .map(|page| {
                let pagination = Pagination {
                    page,
                    pages: count,
                    previous: (page > 1).then(|| url(page - 1)),
                    next: (page < count).then(|| url(page + 1)),
                };
                (pagination, url(page))
            })
            .collect()
    }
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
        let mut view = SiteView {
            title: &config.title,
            description: &config.description,
            author: &config.author,
            language: &config.language,
            locale: locale(&config.language),
            base_url: &config.base_url,
            base_path: config.base_path(),
            absolute_urls: config.base_url.contains("://"),
            generator: concat!("hugi ", env!("CARGO_PKG_VERSION")),
            extra: &config.extra,
            comments: &config.comments,
            analytics: &config.analytics,
            verification: &config.verification,
            og_image: None,
        };
        view.og_image = config.og_image().map(|url| view.full_url(url));
        view
    }

    /// A URL as a link preview or a feed needs it: a path of the site (`/pycon/img/a.png`)
    /// with the scheme and host of `base_url` when it has them; other URLs as they are.
    pub fn full_url(&self, url: &str) -> String {
        if url.contains("://") || !self.absolute_urls {
            return url.to_string();
        }
        let host_start = self.base_url.find("://").map_or(0, |i| i + 3);
        let host_end = self.base_url[host_start..]
            .find('/')
            .map_or(self.base_url.len(), |j| host_start + j);
        let origin = &self.base_url[..host_end];
        match url.strip_prefix('/') {
            Some(path) => format!("{origin}/{path}"),
            None => format!("{}{url}", self.permalink("")),
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

/// Schema.org `Article` data of a note or session page, as JSON that is safe inside a script
/// element (no `<` in it, so no `</script>`).
fn article_json(
    site: &SiteView<'_>,
    title: &str,
    description: &str,
    permalink: &str,
    note: &NoteEntry,
    image: Option<&str>,
) -> String {
    let mut article = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": title,
        "inLanguage": site.language,
        "url": site.full_url(permalink),
        "isPartOf": { "@type": "WebSite", "name": site.title, "url": site.permalink("") },
    });
    let fields = article.as_object_mut().expect("an object");
    if !description.is_empty() {
        fields.insert("description".into(), description.into());
    }
    if let Some(date) = &note.date {
        fields.insert("datePublished".into(), date.iso.clone().into());
    }
    if let Some(image) = image {
        fields.insert("image".into(), image.into());
    }
    if !site.author.is_empty() {
        fields.insert(
            "author".into(),
            serde_json::json!({ "@type": "Person", "name": site.author }),
        );
    }
    if !note.tags.is_empty() {
        let keywords: Vec<&str> = note.tags.iter().map(|t| t.name.as_str()).collect();
        fields.insert("keywords".into(), keywords.join(", ").into());
    }
    article.to_string().replace('<', "\\u003c")
}

fn page(
    template: &str,
    path: String,
    context: &mut Context,
    view: PageView<'_>,
    theme: &Theme,
) -> Result<Artifact, Diagnostic> {
    context.insert("page", &view);
    let html = crate::markdown::eager_first_image(theme.render(template, context)?);
    Ok(Artifact {
        path,
        content: Content::Bytes(html.into()),
    })
}

/// The pages of one note: its event page and one page per session. They depend on nothing but
/// the note and the site-wide view, so a rebuild redoes them only when the note changed.
pub fn note_pages(
    note: &NoteEntry,
    site: &SiteView<'_>,
    theme: &Theme,
) -> Result<Vec<Artifact>, Diagnostic> {
    // What every page of the note shares is turned into template values once, not per page
    // (values share their contents, so inserting one again costs nothing).
    let site_value = tera::Value::from_serializable(site);
    let published = note.date.as_ref().map(|d| d.iso.clone());
    let view = |kind, title, url: &str, permalink: &str, description, image: Option<&String>| {
        let image = image.map(|i| site.full_url(i));
        PageView {
            kind,
            title,
            url: url.to_string(),
            permalink: permalink.to_string(),
            description,
            feeds: site.feeds(),
            json_ld: Some(article_json(
                site,
                title,
                description,
                permalink,
                note,
                image.as_deref(),
            )),
            image,
            published: published.clone(),
            ..PageView::default()
        }
    };
    let mut pages = Vec::with_capacity(note.sessions.len() + 1);
    let mut context = Context::new();
    context.insert_value("site", site_value.clone());
    // The event page's note holds every session as its own page shows it.
    let note_value = tera::Value::from_serializable(note);
    let sessions = sessions_of(&note_value).to_vec();
    context.insert_value("note", note_value);
    let page_view = view(
        "note",
        &note.title,
        &note.url,
        &note.permalink,
        &note.description,
        note.image.as_ref(),
    );
    let path = format!("{}/index.html", note.slug);
    pages.push(page("note.html", path, &mut context, page_view, theme)?);
    let summary = tera::Value::from_serializable(&NoteSummary::of(note));
    for (session, session_value) in note.sessions.iter().zip(sessions) {
        let mut context = Context::new();
        context.insert_value("site", site_value.clone());
        context.insert_value("note", summary.clone());
        context.insert_value("session", session_value);
        let page_view = view(
            "session",
            &session.title,
            &session.url,
            &session.permalink,
            &session.description,
            session.image.as_ref().or(note.image.as_ref()),
        );
        let path = format!("{}/{}/index.html", note.slug, session.slug);
        pages.push(page("session.html", path, &mut context, page_view, theme)?);
    }
    for alias in &note.aliases {
        pages.push(bytes(
            alias.clone(),
            redirect(site, &note.title, &note.url, &note.permalink),
        ));
    }
    Ok(pages)
}

/// A page that sends the reader (and search engines, through the canonical link) from an
/// earlier address to `url`.
fn redirect(site: &SiteView<'_>, title: &str, url: &str, permalink: &str) -> String {
    let (title, url) = (escape_html(title), escape_html(url));
    let canonical = escape_html(&site.full_url(permalink));
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n\
         <body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
        escape_html(site.language)
    )
}

/// A fingerprint of a value as templates see it: its JSON form, hashed. Within one process,
/// equal fingerprints mean equal values.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    struct Hashing(std::hash::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(std::hash::DefaultHasher::new());
    // Writing to a hasher cannot fail, and these values have no maps with non-string keys.
    let _ = serde_json::to_writer(&mut hashing, value);
    hashing.0.finish()
}

/// The fingerprint of what lists (home, events, tag and speaker pages) show of a note.
pub fn list_fingerprint(note: &NoteEntry) -> u64 {
    fingerprint(&NoteSummary::of(note))
}

/// One site-wide output before it is made: its path, a fingerprint of everything it is made
/// from besides the theme and the config, and how to make it. Under the same theme and config,
/// an output whose fingerprint did not change would come out byte for byte the same, so a
/// rebuild keeps it instead of making it again.
pub struct SiteOutput<'a> {
    pub path: String,
    pub fingerprint: u64,
    make: Box<dyn Fn() -> Result<Artifact, Diagnostic> + Send + Sync + 'a>,
}

impl<'a> SiteOutput<'a> {
    fn new(
        path: String,
        fingerprint: u64,
        make: impl Fn(String) -> Result<Artifact, Diagnostic> + Send + Sync + 'a,
    ) -> Self {
        let at = path.clone();
        SiteOutput {
            path,
            fingerprint,
            make: Box::new(move || make(at.clone())),
        }
    }

    pub fn make(&self) -> Result<Artifact, Diagnostic> {
        (self.make)()
    }
}

/// Sessions given as (note index in site order, session index), with the fingerprint of what
/// lists show of them.
fn members_fingerprint(site: &Site, members: &[(usize, usize)], whole_notes: bool) -> u64 {
    let keys: Vec<(u64, usize)> = members
        .iter()
        .map(|&(n, s)| {
            let note = &site.notes[n];
            let key = if whole_notes {
                note.revision
            } else {
                note.list_fingerprint
            };
            (key, s)
        })
        .collect();
    fingerprint(&keys)
}

fn resolve<'a>(
    site: &'a Site,
    members: &[(usize, usize)],
) -> Vec<(&'a NoteEntry, &'a SessionEntry)> {
    members
        .iter()
        .map(|&(n, s)| (&*site.notes[n], &site.notes[n].sessions[s]))
        .collect()
}

/// Everything that depends on the whole site: home, 404, tag list and tag pages, speakers,
/// events by year, the search page, the site and tag feeds, the sitemap and robots.txt; one
/// method of [`Families`] per family of pages.
pub fn site_outputs<'a>(
    site: &'a Site,
    tags: &'a TagIndex,
    config: &'a Config,
    view: &'a SiteView<'a>,
    theme: &'a Theme,
) -> Vec<SiteOutput<'a>> {
    let mut families = Families {
        site,
        tags,
        config,
        view,
        theme,
        base: view.base_path.clone(),
        lists: site.notes.iter().map(|n| n.list_fingerprint).collect(),
        values: Arc::new(ListValues::new(site)),
        site_value: tera::Value::from_serializable(view),
        outputs: Vec::new(),
        sitemap: vec![(view.base_path.clone(), None)],
    };
    families.home();
    families.not_found();
    families.tags();
    families.speakers();
    families.events();
    families.search();
    families.feed_and_sitemap();
    families.outputs
}

/// What the families of site-wide pages share while they are planned, and what they add up to:
/// the outputs and the sitemap's URLs.
struct Families<'a> {
    site: &'a Site,
    tags: &'a TagIndex,
    config: &'a Config,
    view: &'a SiteView<'a>,
    theme: &'a Theme,
    base: String,
    /// What lists show of each note, fingerprinted.
    lists: Vec<u64>,
    values: Arc<ListValues<'a>>,
    site_value: tera::Value,
    outputs: Vec<SiteOutput<'a>>,
    sitemap: Vec<(String, Option<String>)>,
}

impl<'a> Families<'a> {
    /// The home pages: the newest events first, `[home] per_page` to a page, grouped by year,
    /// each with its first few sessions that have notes and a count of the rest.
    fn home(&mut self) {
        let Families {
            site,
            config,
            view,
            theme,
            ..
        } = *self;
        let base = self.base.clone();
        let shown = config.home.sessions;
        // An empty site still has a home page.
        let pages: Vec<std::ops::Range<usize>> = (0..site.notes.len().max(1))
            .step_by(config.home.per_page)
            .map(|start| start..(start + config.home.per_page).min(site.notes.len()))
            .collect();
        for (range, (pagination, url)) in pages.iter().zip(Pagination::all(&base, pages.len())) {
            let path = format!("{}index.html", url.strip_prefix(&base).unwrap_or(&url));
            if pagination.page > 1 {
                self.sitemap.push((url.clone(), None));
            }
            let key = fingerprint(&(&pagination, shown, &self.lists[range.clone()]));
            let (values, site_value, range) =
                (self.values.clone(), self.site_value.clone(), range.clone());
            self.outputs.push(SiteOutput::new(path, key, move |path| {
                let mut years: Vec<(Option<u16>, Vec<tera::Value>)> = Vec::new();
                for n in range.clone() {
                    let card = values.card(n, shown);
                    match years.last_mut() {
                        Some((year, cards)) if *year == site.notes[n].year => cards.push(card),
                        _ => years.push((site.notes[n].year, vec![card])),
                    }
                }
                let mut context = Context::new();
                context.insert_value("site", site_value.clone());
                context.insert_value("years", year_groups(years, "cards"));
                context.insert("pagination", &pagination);
                let home = PageView {
                    kind: "home",
                    title: view.title,
                    url: url.clone(),
                    permalink: view.permalink(url.strip_prefix(&view.base_path).unwrap_or(&url)),
                    description: view.description,
                    feeds: view.feeds(),
                    prev_url: pagination.previous.clone(),
                    next_url: pagination.next.clone(),
                    ..PageView::default()
                };
                page("index.html", path, &mut context, home, theme)
            }));
        }
    }

    /// The not-found page.
    fn not_found(&mut self) {
        let Families { view, theme, .. } = *self;
        let base = self.base.clone();
        let outputs = &mut self.outputs;
        let missing_url = format!("{base}404.html");
        outputs.push(SiteOutput::new("404.html".into(), 0, move |path| {
            let mut context = Context::new();
            context.insert("site", view);
            let missing = PageView {
                kind: "404",
                title: theme.strings.get("not_found"),
                url: missing_url.clone(),
                permalink: view.permalink("404.html"),
                ..PageView::default()
            };
            page("404.html", path, &mut context, missing, theme)
        }));
    }

    /// The tag list and cloud, and each tag's pages and feed.
    fn tags(&mut self) {
        let Families {
            site,
            tags,
            config,
            view,
            theme,
            ..
        } = *self;
        let base = self.base.clone();
        let values = self.values.clone();
        let site_value = self.site_value.clone();
        let outputs = &mut self.outputs;
        let sitemap = &mut self.sitemap;
        // Tag list and tag cloud.
        let most = tags.tags.first().map_or(1, |t| t.sessions.len()).max(1);
        let counts: Vec<TagCount<'a>> = tags
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
        sitemap.push((format!("{base}tags/"), None));
        let all_counts = counts.clone();
        outputs.push(section_output(
            view,
            theme,
            "tags",
            theme.strings.get("tags"),
            theme.strings.get("tags_description"),
            fingerprint(&counts),
            move || {
                let mut cloud = all_counts.clone();
                cloud.sort_by_key(|t| crate::tags::korean_first(t.name));
                let mut context = Context::new();
                context.insert("tags", &all_counts);
                context.insert("cloud", &cloud);
                context
            },
        ));

        // One page (or several) and one feed per tag.
        for (tag, count) in tags.tags.iter().zip(counts) {
            let feed_path = format!("tags/{}/atom.xml", tag.link.slug);
            let feed_url = format!("{base}{feed_path}");
            let feed_title = format!("{} · {}", tag.link.name, view.title);
            let chunks: Vec<&'a [(usize, usize)]> =
                tag.sessions.chunks(config.tags.per_page).collect();
            let paged = Pagination::all(&tag.link.url, chunks.len());
            for (&chunk, (pagination, url)) in chunks.iter().zip(paged) {
                let path = format!("{}index.html", url.strip_prefix(&base).unwrap_or(&url));
                sitemap.push((url.clone(), None));
                let key = fingerprint(&(
                    &count,
                    &pagination,
                    &feed_title,
                    members_fingerprint(site, chunk, false),
                ));
                let (count, base, feed_url, feed_title) = (
                    count.clone(),
                    base.clone(),
                    feed_url.clone(),
                    feed_title.clone(),
                );
                let (values, site_value) = (values.clone(), site_value.clone());
                outputs.push(SiteOutput::new(path, key, move |path| {
                    let mut context = Context::new();
                    context.insert_value("site", site_value.clone());
                    context.insert("tag", &count);
                    context.insert_value("groups", values.groups(chunk));
                    context.insert("pagination", &pagination);
                    context.insert("feed_url", &feed_url);
                    let mut feeds = view.feeds();
                    feeds.push(FeedLink {
                        title: feed_title.clone(),
                        url: feed_url.clone(),
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
                        ..PageView::default()
                    };
                    page("tag.html", path, &mut context, tag_page, theme)
                }));
            }
            let key = fingerprint(&(&feed_title, members_fingerprint(site, &tag.sessions, true)));
            outputs.push(SiteOutput::new(feed_path, key, move |path| {
                let members = resolve(site, &tag.sessions);
                let xml = feeds::atom(view, &feed_title, &feed_url, &tag.link.url, &members, false);
                Ok(bytes(path, xml))
            }));
        }
    }

    /// The speaker list and each speaker's page.
    fn speakers(&mut self) {
        let Families {
            site, view, theme, ..
        } = *self;
        let base = self.base.clone();
        let values = self.values.clone();
        let site_value = self.site_value.clone();
        let outputs = &mut self.outputs;
        let sitemap = &mut self.sitemap;
        // Speakers and their sessions.
        let mut speakers: std::collections::BTreeMap<&'a str, SpeakerSessions<'a>> =
            std::collections::BTreeMap::new();
        for (n, note) in site.notes.iter().enumerate() {
            for (s, session) in note.sessions.iter().enumerate() {
                for speaker in &session.speakers {
                    speakers
                        .entry(&speaker.slug)
                        .or_insert_with(|| (&speaker.name, &speaker.url, Vec::new()))
                        .2
                        .push((n, s));
                }
            }
        }
        let mut speaker_list: Vec<SpeakerCount<'a>> = speakers
            .iter()
            .map(|(slug, (name, url, sessions))| SpeakerCount {
                name,
                slug,
                url,
                count: sessions.len(),
            })
            .collect();
        speaker_list.sort_by_key(|s| crate::tags::korean_first(s.name));
        sitemap.push((format!("{base}speakers/"), None));
        outputs.push(section_output(
            view,
            theme,
            "speakers",
            theme.strings.get("speakers"),
            theme.strings.get("speakers_description"),
            fingerprint(&speaker_list),
            move || {
                let mut context = Context::new();
                context.insert("speakers", &speaker_list);
                context
            },
        ));
        for (slug, (name, url, members)) in speakers {
            let speaker = SpeakerCount {
                name,
                slug,
                url,
                count: members.len(),
            };
            let path = format!("{}index.html", url.strip_prefix(&base).unwrap_or(url));
            sitemap.push((url.to_string(), None));
            let key = fingerprint(&(&speaker, members_fingerprint(site, &members, false)));
            let base = base.clone();
            let (values, site_value) = (values.clone(), site_value.clone());
            outputs.push(SiteOutput::new(path, key, move |path| {
                let mut context = Context::new();
                context.insert_value("site", site_value.clone());
                context.insert("speaker", &speaker);
                context.insert_value("groups", values.groups(&members));
                let speaker_page = PageView {
                    kind: "speaker",
                    title: name,
                    url: url.to_string(),
                    permalink: view.permalink(url.strip_prefix(&base).unwrap_or(url)),
                    description: "",
                    feeds: view.feeds(),
                    ..PageView::default()
                };
                page("speaker.html", path, &mut context, speaker_page, theme)
            }));
        }
    }

    /// The events by year.
    fn events(&mut self) {
        let Families {
            site, view, theme, ..
        } = *self;
        let base = self.base.clone();
        let values = self.values.clone();
        let outputs = &mut self.outputs;
        let sitemap = &mut self.sitemap;
        let lists = &self.lists;
        // Events by year.
        sitemap.push((format!("{base}events/"), None));
        outputs.push(section_output(
            view,
            theme,
            "events",
            theme.strings.get("events"),
            theme.strings.get("events_description"),
            fingerprint(&lists),
            move || {
                let mut years: Vec<(Option<u16>, Vec<tera::Value>)> = Vec::new();
                for (n, note) in site.notes.iter().enumerate() {
                    let summary = values.note(n).clone();
                    match years.last_mut() {
                        Some((year, notes)) if *year == note.year => notes.push(summary),
                        _ => years.push((note.year, vec![summary])),
                    }
                }
                let mut context = Context::new();
                context.insert_value("years", year_groups(years, "notes"));
                context
            },
        ));
    }

    /// The search page (the index itself is made by the search module).
    fn search(&mut self) {
        let Families { view, theme, .. } = *self;
        let outputs = &mut self.outputs;
        // The search page (the index itself is made by the search module).
        outputs.push(section_output(
            view,
            theme,
            "search",
            theme.strings.get("search"),
            theme.strings.get("search_description"),
            0,
            Context::new,
        ));
    }

    /// The site feed, the sitemap and robots.txt.
    fn feed_and_sitemap(&mut self) {
        let Families { site, view, .. } = *self;
        let base = self.base.clone();
        let mut sitemap = std::mem::take(&mut self.sitemap);
        let outputs = &mut self.outputs;
        // The site feed, the sitemap and robots.txt.
        let newest: Vec<(usize, usize)> = site
            .notes
            .iter()
            .enumerate()
            .flat_map(|(n, note)| (0..note.sessions.len()).map(move |s| (n, s)))
            .take(feeds::FEED_ENTRIES)
            .collect();
        let key = members_fingerprint(site, &newest, true);
        let feed_base = base.clone();
        outputs.push(SiteOutput::new("atom.xml".into(), key, move |path| {
            let members = resolve(site, &newest);
            let url = format!("{feed_base}atom.xml");
            let xml = feeds::atom(view, view.title, &url, &feed_base, &members, true);
            Ok(bytes(path, xml))
        }));
        for note in &site.notes {
            let date = note.date.as_ref().map(|d| d.iso.clone());
            sitemap.push((note.url.clone(), date.clone()));
            sitemap.extend(note.sessions.iter().map(|s| (s.url.clone(), date.clone())));
        }
        outputs.push(SiteOutput::new(
            "sitemap.xml".into(),
            fingerprint(&sitemap),
            move |path| Ok(bytes(path, feeds::sitemap(view, &sitemap))),
        ));
        outputs.push(SiteOutput::new("robots.txt".into(), 0, move |path| {
            Ok(bytes(path, feeds::robots(view)))
        }));
    }
}

/// A page at `<base_path><kind>/` rendered from `<kind>.html` with the context `make` gives:
/// the tag list, the speaker list, the events by year and the search page.
fn section_output<'a>(
    view: &'a SiteView<'a>,
    theme: &'a Theme,
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    fingerprint: u64,
    make: impl Fn() -> Context + Send + Sync + 'a,
) -> SiteOutput<'a> {
    SiteOutput::new(format!("{kind}/index.html"), fingerprint, move |path| {
        let mut context = make();
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
        page(&format!("{kind}.html"), path, &mut context, section, theme)
    })
}

/// Runs of notes of one year as template values: each with its `year` and its items under
/// `items` (`notes` or `cards`).
fn year_groups(years: Vec<(Option<u16>, Vec<tera::Value>)>, items: &'static str) -> tera::Value {
    let groups: Vec<tera::Value> = years
        .into_iter()
        .map(|(year, notes)| {
            let mut group = BTreeMap::new();
            group.insert("year", tera::Value::from(year));
            group.insert(items, tera::Value::from(notes));
            tera::Value::from(group)
        })
        .collect();
    tera::Value::from(groups)
}

/// The `sessions` of a note's template value (made from a [`NoteEntry`] or a [`NoteSummary`],
/// which both have them).
fn sessions_of(note: &tera::Value) -> &[tera::Value] {
    note.as_map()
        .and_then(|n| n.get(&tera::value::Key::Str("sessions")))
        .and_then(tera::Value::as_array)
        .expect("a note's template value lists its sessions")
}

/// Template values of what lists show of each note, made at most once per build and shared by
/// every page that lists it: tag and speaker pages show the same notes many times over, and a
/// value's maps and arrays are shared when it is inserted again.
struct ListValues<'a> {
    site: &'a Site,
    notes: Vec<OnceLock<tera::Value>>,
}

impl<'a> ListValues<'a> {
    fn new(site: &'a Site) -> Self {
        ListValues {
            site,
            notes: site.notes.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The note at `n` in site order, as lists show it ([`NoteSummary`]).
    fn note(&self, n: usize) -> &tera::Value {
        self.notes[n]
            .get_or_init(|| tera::Value::from_serializable(&NoteSummary::of(&self.site.notes[n])))
    }

    /// The note at `n` as the home page shows it: its `note`, the first `shown` of its sessions
    /// that have notes (`sessions`), and how many other sessions it has (`more`).
    fn card(&self, n: usize, shown: usize) -> tera::Value {
        let note = &self.site.notes[n];
        let first: Vec<tera::Value> = (0..note.sessions.len())
            .filter(|&s| note.sessions[s].has_notes)
            .take(shown)
            .map(|s| self.session(n, s))
            .collect();
        let mut card = BTreeMap::new();
        card.insert("more", tera::Value::from(note.sessions.len() - first.len()));
        card.insert("sessions", tera::Value::from(first));
        card.insert("note", self.note(n).clone());
        tera::Value::from(card)
    }

    /// Session `s` of the note at `n`, as lists show it ([`SessionSummary`]).
    fn session(&self, n: usize, s: usize) -> tera::Value {
        sessions_of(self.note(n))[s].clone()
    }

    /// Sessions (in site order) grouped under their events, each group with its `note` and
    /// `sessions`.
    fn groups(&self, members: &[(usize, usize)]) -> tera::Value {
        let mut groups: Vec<(usize, Vec<tera::Value>)> = Vec::new();
        for &(n, s) in members {
            match groups.last_mut() {
                Some((note, sessions)) if *note == n => sessions.push(self.session(n, s)),
                _ => groups.push((n, vec![self.session(n, s)])),
            }
        }
        let groups: Vec<tera::Value> = groups
            .into_iter()
            .map(|(n, sessions)| {
                let mut group = BTreeMap::new();
                group.insert("note", self.note(n).clone());
                group.insert("sessions", tera::Value::from(sessions));
                tera::Value::from(group)
            })
            .collect();
        tera::Value::from(groups)
    }
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
