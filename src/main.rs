//! The `hugi` command line: argument types, and dispatch to the commands in [`cmd`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use cmd::check::Format;
use hugi::project::BuildOptions;

mod cmd;

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
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Include notes marked as drafts.
    #[arg(long)]
    drafts: bool,
    /// Theme to use instead of the one in config.toml (bundled: default, paper).
    #[arg(long)]
    theme: Option<String>,
    /// Overrides base_url from config.toml: the address the site is published at, e.g. for a
    /// preview deployment or a sub-path.
    #[arg(long)]
    base_url: Option<String>,
    /// Read this config file instead of <root>/config.toml (serve and watch then notice edits
    /// of it only when it is inside the site folder's top level as config.toml).
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl SiteArgs {
    /// Build options for this site, the rest left as they default.
    fn options(self) -> BuildOptions {
        BuildOptions {
            root: self.root,
            drafts: self.drafts,
            theme: self.theme,
            base_url: self.base_url,
            config: self.config,
            ..BuildOptions::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/public).
        #[arg(short, long)]
        output: Option<PathBuf>,
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
        /// Where the site is published from: the CI files to write (repeat for several).
        #[arg(long, value_enum, default_values_t = [Ci::Github])]
        ci: Vec<Ci>,
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
        /// Site folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Date of the event (YYYY-MM-DD); today when not given.
        #[arg(long, value_parser = parse_date)]
        date: Option<hugi::front_matter::Date>,
    },
    /// Print a shell completion script: `hugi completions bash > ~/.local/share/bash-completion/completions/hugi`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Build in memory, serve a live-reloading preview, and rebuild on every change.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on (loopback unless told otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port; 0 picks a free one.
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests that name this host (repeatable): a name in /etc/hosts or a
        /// tunnel's name. Only this machine's own names and addresses are answered otherwise.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
    },
    /// Rebuild into the output folder on every change, for use with another web server.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/public).
        #[arg(short, long)]
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
        /// Site folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
}

/// Where `hugi init` sets the site up to be published from.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Ci {
    /// GitHub Pages, with a GitHub Actions workflow.
    Github,
    /// GitLab Pages (.gitlab-ci.yml).
    Gitlab,
    /// Netlify (netlify.toml).
    Netlify,
    /// Cloudflare Pages, deployed from a GitHub Actions workflow.
    Cloudflare,
    /// No CI files.
    None,
}

impl Ci {
    fn host(self) -> Option<hugi::scaffold::CiHost> {
        use hugi::scaffold::CiHost;
        match self {
            Ci::Github => Some(CiHost::GitHubPages),
            Ci::Gitlab => Some(CiHost::GitLabPages),
            Ci::Netlify => Some(CiHost::Netlify),
            Ci::Cloudflare => Some(CiHost::CloudflarePages),
            Ci::None => None,
        }
    }
}

impl std::fmt::Display for Ci {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use clap::ValueEnum;
        let name = self.to_possible_value().map(|v| v.get_name().to_string());
        f.write_str(&name.unwrap_or_default())
    }
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
            timings,
            minify,
            force,
        } => {
            let options = BuildOptions {
                output,
                minify,
                force,
                ..site.options()
            };
            return cmd::build::run(options, timings);
        }
        Command::Check {
            site,
            strict,
            format,
            external,
            explain,
        } => {
            return cmd::check::run(&site.options(), strict, format, external, explain);
        }
        Command::Init {
            dir,
            title,
            base_url,
            language,
            force,
            ci,
        } => cmd::init::init(&hugi::scaffold::InitOptions {
            dir,
            title,
            base_url,
            language,
            force,
            ci: ci.into_iter().filter_map(Ci::host).collect(),
        }),
        Command::New { title, root, date } => cmd::init::new(&root, &title, date),
        Command::Serve {
            site,
            bind,
            port,
            open,
            allow_hosts,
        } => cmd::serve::run(cmd::serve::ServeOptions {
            build: site.options(),
            bind,
            port,
            open,
            allow_hosts,
        }),
        Command::Watch {
            site,
            output,
            force,
        } => cmd::watch::run(BuildOptions {
            output,
            force,
            ..site.options()
        }),
        Command::Theme {
            action: ThemeAction::Eject { name, root },
        } => cmd::theme::eject(&root, &name),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "hugi", &mut std::io::stdout());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
