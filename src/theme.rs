//! Themes: Tera templates plus static files (CSS, icons). The bundled themes are embedded in the
//! binary from `themes/` so a site without a `themes/` folder still builds; a site's own
//! `themes/<name>/` replaces the bundled theme of that name.

use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::load::display_path;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "note.html",
    "session.html",
    "tags.html",
    "tag.html",
    "events.html",
    "search.html",
    "speakers.html",
    "speaker.html",
    "404.html",
];

/// A loaded theme, ready to render.
pub struct Theme {
    pub name: String,
    pub tera: Tera,
    /// Static files, by output path (`style.css`).
    pub statics: Vec<(String, Vec<u8>)>,
    /// Template sources by name, to show the offending line of a rendering error.
    templates: Vec<(String, String)>,
}

/// A theme's files before compiling: templates by name, static files by path.
#[derive(Default)]
struct ThemeFiles {
    templates: Vec<(String, String)>,
    statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Loads theme `name`: the site's `themes/<name>/` when present, else the bundled one.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let local = root.join("themes").join(name);
        let files = if local.is_dir() {
            read_local(root, &local)?
        } else if let Some(dir) = BUNDLED.get_dir(name) {
            read_bundled(dir)
        } else {
            let known: Vec<&str> = bundled_names().collect();
            return Err(vec![
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("theme `{name}` not found in themes/ nor among the bundled themes"),
                )
                .with_hint(format!("bundled themes: {}", known.join(", "))),
            ]);
        };
        compile(name, files, &format!("themes/{name}/templates"))
    }
}

/// Names of the themes built into the binary.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED
        .dirs()
        .filter_map(|d| d.path().file_name().and_then(|n| n.to_str()))
}

fn read_bundled(dir: &'static Dir<'static>) -> ThemeFiles {
    let mut files = ThemeFiles::default();
    let mut stack = vec![dir];
    while let Some(current) = stack.pop() {
        stack.extend(current.dirs());
        for file in current.files() {
            let Ok(rel) = file.path().strip_prefix(dir.path()) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                files.templates.push((name.to_string(), text));
            } else if let Some(path) = rel.strip_prefix("static/") {
                files
                    .statics
                    .push((path.to_string(), file.contents().to_vec()));
            }
        }
    }
    files
}

fn read_local(root: &Path, dir: &Path) -> Result<ThemeFiles, Vec<Diagnostic>> {
    let mut files = ThemeFiles::default();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(e) => {
                errors.push(Diagnostic::error(display_path(root, dir), e.to_string()));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let shown = display_path(root, entry.path());
        let bytes = match std::fs::read(entry.path()) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::error(shown, format!("cannot read: {e}")));
                continue;
            }
        };
        if let Some(name) = rel.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(text) => files.templates.push((name.to_string(), text)),
                Err(_) => errors.push(Diagnostic::error(shown, "template is not valid UTF-8")),
            }
        } else if let Some(path) = rel.strip_prefix("static/") {
            files.statics.push((path.to_string(), bytes));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn compile(name: &str, mut files: ThemeFiles, shown_dir: &str) -> Result<Theme, Vec<Diagnostic>> {
    files.templates.sort();
    files.statics.sort();
    let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !files.templates.iter().any(|(n, _)| n == *t))
        .map(|t| {
            Diagnostic::error(
                format!("{shown_dir}/{t}"),
                format!("theme `{name}` has no template `{t}`"),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut tera = Tera::new();
    tera.add_raw_templates(
        files
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(|e| vec![template_diagnostic(&e, shown_dir, &files.templates)])?;
    Ok(Theme {
        name: name.to_string(),
        tera,
        statics: files.statics,
        templates: files.templates,
    })
}

/// A Tera error as a diagnostic pointing into the template file.
fn template_diagnostic(
    error: &tera::Error,
    shown_dir: &str,
    templates: &[(String, String)],
) -> Diagnostic {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report)
        }
        _ => None,
    };
    let Some(report) = report else {
        return Diagnostic::error(shown_dir, format!("template error: {error}"));
    };
    let file = format!("{shown_dir}/{}", report.filename());
    let span = report.span();
    let diagnostic = Diagnostic::error(file, format!("template error: {}", report.message()));
    match templates.iter().find(|(n, _)| n == report.filename()) {
        Some((_, text)) => diagnostic.at_line_column(text, span.start_line, span.start_col + 1),
        None => Diagnostic {
            line: span.start_line,
            column: span.start_col + 1,
            ..diagnostic
        },
    }
}

impl Theme {
    /// Renders template `name`, turning failures into diagnostics that name the template.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            template_diagnostic(
                &e,
                &format!("themes/{}/templates", self.name),
                &self.templates,
            )
        })
    }
}
