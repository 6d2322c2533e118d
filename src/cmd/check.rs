//! `hugi check`: prints what the review of the site found (text, JSON, and GitHub annotations
//! under GitHub Actions) and sets the exit status.

use std::process::ExitCode;

use hugi::project::BuildOptions;

/// How findings are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(
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
