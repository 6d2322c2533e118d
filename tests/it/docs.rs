//! The README and `docs/` say true things: every `config.toml` and `theme.toml` example in them
//! builds a site, and every `hugi …` command line in them is one the real command line takes.

use std::path::Path;

use crate::common::TestSite;

/// README.md and every page under docs/, with their names.
fn pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![(
        "README.md".to_string(),
        std::fs::read_to_string(root.join("README.md")).unwrap(),
    )];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
            pages.push((name, std::fs::read_to_string(path).unwrap()));
        }
    }
    pages
}

/// The fenced blocks of a page in `language`.
fn blocks<'a>(text: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    text.match_indices(&fence)
        .filter_map(|(at, _)| {
            let body = &text[at + fence.len()..];
            body.find("\n```").map(|end| &body[..=end])
        })
        .collect()
}

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Keynote : 파이썬 - 김파이\n- 내용\n",
    );
    site
}

#[test]
fn every_toml_example_builds_a_site() {
    let mut tried = 0;
    for (page, text) in pages() {
        for block in blocks(&text, "toml") {
            let site = site();
            // A block with a theme's `name` or only `[strings]` belongs in a theme.toml.
            let theme = block.lines().any(|l| l.starts_with("name ="))
                || block.trim_start().starts_with("[strings]");
            if theme {
                // Fragments are shown without the lines every manifest has; they get them here
                // (before any table, where TOML wants them).
                let mut manifest = String::new();
                if !block.contains("name =") {
                    manifest.push_str("name = \"doc\"\n");
                }
                if !block.contains("extends =") {
                    manifest.push_str("extends = \"default\"\n");
                }
                let manifest = if block.trim_start().starts_with('[') {
                    format!("{manifest}{block}")
                } else {
                    format!("{block}{manifest}")
                };
                site.write("themes/doc/theme.toml", manifest);
                site.write("config.toml", "theme = \"doc\"\n");
            } else {
                site.write("config.toml", block);
            }
            let output = site.hugi(&["build"]).output().unwrap();
            assert!(
                output.status.success(),
                "{page}: this example does not build:\n{block}\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            tried += 1;
        }
    }
    assert!(tried >= 3, "{tried} examples");
}

/// The command lines a page shows: in `sh` blocks, and in code spans, with the optional parts'
/// brackets taken off, the first of alternatives, and placeholders given values.
fn command_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = blocks(text, "sh")
        .into_iter()
        .flat_map(str::lines)
        .map(|l| l.split(" #").next().unwrap_or(l).trim().to_string())
        .filter(|l| l.starts_with("hugi "))
        .collect();
    for span in text.split('`').skip(1).step_by(2) {
        if span.starts_with("hugi ") && !span.contains('<') {
            lines.push(span.to_string());
        }
    }
    lines
        .into_iter()
        .filter(|l| !l["hugi ".len()..].starts_with(|c: char| c.is_ascii_digit()))
        // What the shell does with the output (`> file`, `&& …`) is not hugi's.
        .map(|l| {
            let l = [" > ", " && ", " | "]
                .iter()
                .fold(l.as_str(), |l, op| l.split(op).next().unwrap_or(l));
            l.replace(['[', ']'], "")
                .replace("YYYY-MM-DD", "2025-09-10")
                .split(' ')
                .map(|word| word.split("\\|").next().unwrap_or(word))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Splits a command line into arguments, keeping "quoted parts" whole.
fn arguments(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut current = String::new();
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[test]
fn every_command_line_in_the_docs_is_taken_by_the_cli() {
    let mut tried = 0;
    for (page, text) in pages() {
        for line in command_lines(&text) {
            let mut args = arguments(&line);
            args.remove(0);
            // `--help` after the arguments makes clap read them all, then stop.
            args.push("--help".into());
            let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
                .args(&args)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{page}: `{line}` is not a command hugi takes:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            tried += 1;
        }
    }
    assert!(tried >= 15, "{tried} command lines");
}
