//! The `hugi` command line: argument types and dispatch to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use hugi::build::{self, BuildError, BuildOptions};

/// A build allocates millions of small strings from two threads at once; mimalloc does that
/// with far less time in `malloc`/`free` than the system allocator (see benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hugi",
    version,
    about = "Korean conference notes → a fast, searchable static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct SiteArgs {
    /// Site folder holding content/ and optionally config.toml and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include notes marked as drafts.
    #[arg(long)]
    drafts: bool,
    /// Theme to use instead of the one in config.toml (bundled: default, paper).
    #[arg(long)]
    theme: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Overrides base_url from config.toml, e.g. for a preview deployment.
        #[arg(long)]
        base_url: Option<String>,
        /// Also print where the time went, stage by stage.
        #[arg(long)]
        timings: bool,
        /// Minify HTML, CSS and JavaScript.
        #[arg(long)]
        minify: bool,
        /// Build into an output folder that holds files hugi did not write: they are kept (never
        /// deleted), and those standing where the site has a file are replaced.
        #[arg(long)]
        force: bool,
    },
    /// Check the site without writing anything: broken links and anchors, missing files,
    /// changed slugs, empty sessions, untitled notes, tag spellings, config problems.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors (exit status 1).
        #[arg(long)]
        strict: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fetch external links (with a timeout, a few at a time).
        #[arg(long)]
        external: bool,
        /// Say, for every note, how its talks were found.
        #[arg(long)]
        explain: bool,
    },
    /// Create a new site: config.toml, an example note, .gitignore and a GitHub Pages workflow.
    Init {
        /// Folder for the site (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[arg(long, default_value = "내 컨퍼런스 후기")]
        title: String,
        #[arg(long, default_value = "/")]
        base_url: String,
        #[arg(long, default_value = "ko")]
        language: String,
        /// Add the files to a folder that is not empty (existing files are never replaced).
        #[arg(long)]
        force: bool,
    },
    /// Work with themes.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Create content/<date>-<slug>.md for a new event, ready to write.
    New {
        /// The event's title, e.g. "RustConf 2025 후기".
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Date of the event (YYYY-MM-DD); today when not given.
        #[arg(long, value_parser = parse_date)]
        date: Option<hugi::front_matter::Date>,
    },
    /// Build in memory, serve a live-reloading preview, and rebuild on every change.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on (loopback unless told otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Rebuild into the output folder on every change, for use with another web server.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build into an output folder that holds files hugi did not write: they are kept (never
        /// deleted), and those standing where the site has a file are replaced.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy a bundled theme into themes/<name>/ to customise it fully.
    Eject {
        /// Bundled theme: default or paper.
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_date(text: &str) -> Result<hugi::front_matter::Date, String> {
    hugi::front_matter::Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date like 2025-09-10"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            timings,
            minify,
            force,
        } => {
            let options = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
                minify,
                theme: site.theme,
                force,
            };
            return run_build(options, timings);
        }
        Command::Check {
            site,
            strict,
            format,
            external,
            explain,
        } => {
            let options = BuildOptions {
                root: site.root,
                drafts: site.drafts,
                theme: site.theme,
                ..BuildOptions::default()
            };
            return run_check(&options, strict, format, external, explain);
        }
        Command::Init {
            dir,
            title,
            base_url,
            language,
            force,
        } => hugi::scaffold::init(&hugi::scaffold::InitOptions {
            dir: dir.clone(),
            title,
            base_url,
            language,
            force,
        })
        .map(|written| {
            for path in &written {
                println!("created {}", path.display());
            }
            println!("next: cd {} && hugi serve", dir.display());
        })
        .map_err(Into::into),
        Command::New { title, root, date } => hugi::scaffold::new_note(&root, &title, date)
            .map(|path| println!("{}", path.display()))
            .map_err(Into::into),
        Command::Serve {
            site,
            bind,
            port,
            open,
        } => hugi::serve::run(hugi::serve::ServeOptions {
            build: BuildOptions {
                root: site.root,
                drafts: site.drafts,
                theme: site.theme,
                ..BuildOptions::default()
            },
            bind,
            port,
            open,
        }),
        Command::Watch {
            site,
            output,
            force,
        } => hugi::watch::run(BuildOptions {
            root: site.root,
            output,
            force,
            drafts: site.drafts,
            theme: site.theme,
            ..BuildOptions::default()
        }),
        Command::Theme {
            action: ThemeAction::Eject { name, root },
        } => hugi::theme::eject(&root, &name)
            .map(|dir| println!("copied theme `{name}` to {}", dir.display()))
            .map_err(Into::into),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_check(
    options: &BuildOptions,
    strict: bool,
    format: Format,
    external: bool,
    explain: bool,
) -> ExitCode {
    let report = hugi::check::check(options, external);
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "errors": report.errors(),
                "warnings": report.warnings(),
                "findings": report.findings,
                "external": report.external,
                "notes": if explain { report.explanations.clone() } else { Vec::new() },
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Text => {
            let colour = hugi::diagnostics::colour_on_stdout();
            if explain {
                for explanation in &report.explanations {
                    println!("{explanation}");
                }
                println!();
            }
            for link in &report.external {
                let mark = if link.ok { "ok  " } else { "FAIL" };
                println!(
                    "{mark} {} {} ({}:{})",
                    link.result, link.url, link.file, link.line
                );
            }
            for finding in &report.findings {
                println!("{}\n", finding.render(colour));
            }
            println!(
                "{} error(s), {} warning(s)",
                report.errors(),
                report.warnings()
            );
        }
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for finding in &report.findings {
            println!("{}", finding.github_annotation());
        }
    }
    if report.errors() > 0 || (strict && report.warnings() > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_build(options: BuildOptions, timings: bool) -> ExitCode {
    let out = options.output_dir();
    match build::build(&options) {
        Ok((summary, warnings)) => {
            for warning in &warnings {
                eprintln!("{warning}\n");
            }
            println!("{summary} → {}", out.display());
            if timings {
                println!(
                    "timings: {}, write {} ms",
                    summary.timings,
                    summary.write.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            let colour = hugi::diagnostics::colour_on_stderr();
            match &error {
                BuildError::Invalid(diagnostics) => {
                    let shown: Vec<String> = diagnostics.iter().map(|d| d.render(colour)).collect();
                    eprintln!("{}", shown.join("\n\n"));
                }
                other => eprintln!("error: {other}"),
            }
            if let BuildError::Invalid(diagnostics) = &error {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "\nbuild failed: {errors} error(s); {} left unchanged",
                    out.display()
                );
            }
            ExitCode::FAILURE
        }
    }
}
