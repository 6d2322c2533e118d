//! The `hugi` command line: argument types and dispatch to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        /// Site folder holding content/ and optionally config.toml and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Overrides base_url from config.toml, e.g. for a preview deployment.
        #[arg(long)]
        base_url: Option<String>,
        /// Include notes marked as drafts.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => run_build(BuildOptions {
            root,
            output,
            base_url,
            drafts,
        }),
    }
}

fn run_build(options: BuildOptions) -> ExitCode {
    let out = options.output_dir();
    match build::build(&options) {
        Ok((summary, warnings)) => {
            for warning in &warnings {
                eprintln!("{warning}\n");
            }
            println!(
                "built {} notes, {} sessions, {} pages in {} ms → {}",
                summary.notes,
                summary.sessions,
                summary.pages,
                summary.elapsed.as_millis(),
                out.display()
            );
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
