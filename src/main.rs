//! The `hugi` command line: argument types and dispatch to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use hugi::build::{self, BuildError, BuildOptions};

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            timings,
        } => {
            let options = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
            };
            return run_build(options, timings);
        }
        Command::Serve {
            site,
            bind,
            port,
            open,
        } => hugi::serve::run(hugi::serve::ServeOptions {
            build: BuildOptions {
                root: site.root,
                drafts: site.drafts,
                ..BuildOptions::default()
            },
            bind,
            port,
            open,
        }),
        Command::Watch { site, output } => hugi::watch::run(BuildOptions {
            root: site.root,
            output,
            drafts: site.drafts,
            ..BuildOptions::default()
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(options: BuildOptions, timings: bool) -> ExitCode {
    let out = options.output_dir();
    match build::build(&options) {
        Ok((summary, project)) => {
            for warning in project.warnings() {
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
            eprintln!("{error}");
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
