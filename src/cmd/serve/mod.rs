//! `hugi serve`: a preview server that builds the site in memory (the published `public/` is
//! never touched), serves it on loopback, rebuilds incrementally when files change, and tells
//! open pages to reload over server-sent events. A failed rebuild keeps the last good site and
//! shows the error over the page until it is fixed.

mod connections;
mod http;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::broadcast;

use hugi::output::Content;
use hugi::project::{
    BuildError, BuildOptions, Changes, Project, RebuildReport, check_root, load_config,
};
use hugi::watch::{Rebuilder, SiteWatcher};

/// What `hugi serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: std::net::IpAddr,
    pub port: u16,
    pub open: bool,
    /// Names besides this machine's own that requests may give as `Host`.
    pub allow_hosts: Vec<String>,
}

/// The site as currently served.
#[derive(Debug, Default)]
pub struct Served {
    pub files: Arc<std::collections::BTreeMap<String, Content>>,
    /// Increases with every rebuild; stylesheets are re-fetched with it.
    pub version: u64,
    /// The last build's errors, shown over the page; `None` when it succeeded.
    pub error: Option<String>,
}

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadEvent {
    pub version: u64,
    /// URL paths (decoded) whose output changed: `/notes/pycon/`, `/notes/style.css`.
    pub changed: Vec<String>,
    pub error: Option<String>,
}

/// The preview's live state: the site being served, reload events and the base path, read by
/// the HTTP handlers and replaced by the rebuild loop.
pub struct Preview {
    pub served: RwLock<Arc<Served>>,
    pub events: broadcast::Sender<ReloadEvent>,
    /// Path prefix of the site (`/` or `/notes/`).
    pub base_path: String,
    /// `content/`, resolved: files copied from it are served only from inside it.
    pub content_dir: Option<std::path::PathBuf>,
    /// Room for pages listening for reload events ([`MAX_EVENT_STREAMS`]).
    pub event_streams: Arc<tokio::sync::Semaphore>,
    /// The live-reload script's tag, put into every page, with the error overlay's heading in
    /// the site's language.
    pub script_tag: String,
    /// The title of the page shown when no build has succeeded yet, in the site's language.
    pub error_title: String,
    /// The site's language, for that page's `lang`.
    pub language: String,
}

/// Pages listening for reload events at once; more are told to wait.
pub const MAX_EVENT_STREAMS: usize = 256;

impl Preview {
    fn current(&self) -> Arc<Served> {
        self.served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn replace(&self, served: Served) {
        *self.served.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(served);
    }
}

/// The URL path a reader uses for an output file.
pub fn url_of(base_path: &str, artifact: &str) -> String {
    match artifact.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{base_path}{dir}"),
        _ => format!("{base_path}{artifact}"),
    }
}

/// Runs the preview server until Ctrl-C.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    check_root(&options.build.root)?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "port {} on {} is already in use: stop the other server, choose another --port, \
             or use --port 0 to pick a free one",
            options.port,
            options.bind
        ),
        Err(e) => anyhow::bail!("cannot listen on {address}: {e}"),
    };
    let address = listener.local_addr()?;
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines can reach: anyone on the network \
             can read the preview. Leave out --bind to keep it on this machine.",
            address.ip()
        );
    }
    let config = load_config(&options.build).unwrap_or_default();
    let base_path = config.base_path();
    let words = hugi::theme::bundled_strings(&hugi::strings::table_language(&config.language));
    let script_tag = format!(
        "<script src=\"/__hugi/livereload.js\" data-heading=\"{}\" defer></script>",
        hugi::markdown::escape_html(words.get("build_error_overlay"))
    );
    let mut build = options.build.clone();
    build.base_url = Some(format!("http://{address}{base_path}"));

    let started = Instant::now();
    let (project, served) = match Project::open(&build) {
        Ok(project) => {
            let served = Served {
                files: project.files(),
                version: 1,
                error: None,
            };
            println!(
                "built {} notes, {} sessions in {} ms",
                project.site().notes.len(),
                project.site().session_count(),
                started.elapsed().as_millis()
            );
            (Some(project), served)
        }
        Err(e) => {
            eprintln!("{e}\n");
            (
                None,
                Served {
                    error: Some(e.to_string()),
                    version: 1,
                    ..Served::default()
                },
            )
        }
    };
    let (events, _) = broadcast::channel(64);
    let preview = Arc::new(Preview {
        served: RwLock::new(Arc::new(served)),
        events,
        base_path: base_path.clone(),
        content_dir: build.root.join(hugi::load::CONTENT_DIR).canonicalize().ok(),
        event_streams: Arc::new(tokio::sync::Semaphore::new(MAX_EVENT_STREAMS)),
        script_tag,
        error_title: words.get("build_error").to_string(),
        language: config.language.clone(),
    });

    if let Some(project) = &project {
        show_broken_links(&preview, project);
    }
    let output = build.output_dir();
    let watcher = SiteWatcher::new(&build.root, &[output])?;
    let loop_preview = preview.clone();
    std::thread::spawn(move || rebuild_loop(watcher, build, project, &loop_preview));

    let url = format!("http://{address}{base_path}");
    println!("serving {url} (Ctrl-C to stop)");
    if options.open {
        open_in_browser(&url);
    }
    let hosts = Arc::new(connections::HostCheck::new(
        options.bind,
        &options.allow_hosts,
    ));
    tokio::select! {
        () = connections::accept(listener, http::router(preview), hosts) => {}
        _ = tokio::signal::ctrl_c() => println!("\nstopped"),
    }
    Ok(())
}

/// Asks the desktop to open `url`, quietly: the opener's own chatter is not ours to print, and
/// it is waited for on a thread of its own so it leaves no zombie behind. A machine without one
/// gets one line saying so.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("cannot open a browser here ({opener} not found); open {url} yourself"),
    }
}

/// Waits for changes, rebuilds, and publishes the result to the served site: the edited pages
/// first, site-wide pages and the search index right after.
fn rebuild_loop(
    mut watcher: SiteWatcher,
    options: BuildOptions,
    project: Option<Project>,
    preview: &Preview,
) {
    let mut rebuilder = Rebuilder::new(options, project);
    while let Some(changes) = watcher.next_batch(None) {
        let started = Instant::now();
        let rebuilt = match rebuilder.apply(&changes, true) {
            Ok(rebuilt) => rebuilt,
            Err(error) => {
                report_error(preview, &error, &changes);
                continue;
            }
        };
        let project = rebuilder
            .project_mut()
            .expect("a successful rebuild leaves a project");
        let report = rebuilt.report;
        publish(preview, project, &report);
        let shown = started.elapsed();
        // A project made from nothing has its site-wide outputs already.
        let site = if rebuilt.opened {
            Ok(RebuildReport::default())
        } else {
            project.refresh_site()
        };
        match site {
            Ok(site) => {
                publish(preview, project, &site);
                println!(
                    "rebuilt {changes}: {} pages redone, {} files changed in {} ms (site-wide pages and search {} ms more)",
                    report.pages_redone + site.pages_redone,
                    report.changed.len() + site.changed.len(),
                    shown.as_millis(),
                    (started.elapsed() - shown).as_millis()
                );
                if std::env::var_os("HUGI_TIMINGS").is_some() {
                    println!("  pages: {}\n  site: {}", report.timings, site.timings);
                }
                // Last: the rebuild is shown and counted before the whole site's links are read.
                show_broken_links(preview, project);
            }
            Err(error) => report_error(preview, &error, &changes),
        }
    }
}

/// Serves the project's current output and tells open pages what changed.
fn publish(preview: &Preview, project: &Project, report: &RebuildReport) {
    let version = preview.current().version + 1;
    preview.replace(Served {
        files: project.files(),
        version,
        error: None,
    });
    let changed: Vec<String> = report
        .changed
        .iter()
        .map(|p| url_of(&preview.base_path, p))
        .collect();
    let _ = preview.events.send(ReloadEvent {
        version,
        changed,
        error: None,
    });
}

/// Shows the site's broken links, which `hugi build` stops on, in the terminal and over the
/// page; the preview goes on serving the site.
fn show_broken_links(preview: &Preview, project: &Project) {
    let broken: Vec<_> = project
        .links(&project.page_ids())
        .findings
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !broken.is_empty() {
        let error = BuildError::Invalid(broken);
        eprintln!("broken links (hugi build stops on them):\n{error}\n");
        show_error(preview, error.to_string());
    }
}

/// Keeps the last good site, and shows the error in the terminal and over the page.
fn report_error(preview: &Preview, error: &BuildError, what: &Changes) {
    eprintln!("rebuild after {what} failed; still serving the last good site\n{error}\n");
    show_error(preview, error.to_string());
}

/// Serves the current files with `error` over every page.
fn show_error(preview: &Preview, error: String) {
    let last = preview.current();
    let version = last.version + 1;
    preview.replace(Served {
        files: last.files.clone(),
        version,
        error: Some(error.clone()),
    });
    let _ = preview.events.send(ReloadEvent {
        version,
        changed: Vec::new(),
        error: Some(error),
    });
}
