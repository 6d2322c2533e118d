//! `hugi build`: runs the build and prints its summary, warnings and errors.

use std::process::ExitCode;

use hugi::project::{BuildError, BuildOptions, build};

pub fn run(options: BuildOptions, timings: bool) -> ExitCode {
    let out = options.output_dir();
    match build(&options) {
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
                    let folded = hugi::diagnostics::fold_repeats(diagnostics);
                    let shown: Vec<String> = folded.iter().map(|d| d.render(colour)).collect();
                    eprintln!("{}", shown.join("\n\n"));
                    let errors = folded.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "\nbuild failed: {errors} error(s); {} left unchanged",
                        out.display()
                    );
                }
                other => eprintln!("error: {other}"),
            }
            ExitCode::FAILURE
        }
    }
}
