//! Themes: Tera templates plus static files (CSS, scripts). The bundled themes are embedded in
//! the binary from `themes/`, so a site without a `themes/` folder still builds. A theme is found
//! as layers, later ones overriding earlier ones file by file:
//!
//! 1. the theme it `extends` in its `theme.toml`, recursively;
//! 2. the theme itself: the site's `themes/<name>/`, or else the bundled one;
//! 3. the site's own `templates/` and `static/` folders.
//!
//! `theme.toml` declares `name`, `description`, the hugi versions it works with
//! (`hugi = ">=0.1"`), optionally `extends`, and `[strings]` overriding single words. The words
//! pages show come from [`crate::strings`]: tables per language under a theme's `strings/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use serde::Deserialize;
use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::load::display_path;
use crate::strings::{
    BASE_LANGUAGE, FALLBACK_LANGUAGE, StringTable, Strings, parse_table, table_language,
};

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
    /// The words pages show, in the site's language.
    pub strings: Arc<Strings>,
    /// Template sources by name, to show the offending line of a rendering error.
    templates: Vec<(String, String)>,
    /// Where each template came from, for diagnostics (`themes/paper/templates/base.html`).
    origins: BTreeMap<String, String>,
}

/// `theme.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeManifest {
    pub name: String,
    pub description: String,
    /// Versions of hugi the theme works with: `>=0.1`, `0.2`, `*`.
    pub hugi: String,
    /// A theme whose files this one starts from.
    pub extends: Option<String>,
    /// Words overriding those of the theme's tables in any language (`[strings]`); a theme
    /// that extends another overrides only those it sets.
    pub strings: StringTable,
}

/// One layer of a theme: its files, where they were shown from, and its manifest.
#[derive(Default)]
struct Layer {
    manifest: Option<ThemeManifest>,
    /// Where the manifest was read from, as shown in diagnostics.
    manifest_path: String,
    /// Template name → (text, shown path).
    templates: BTreeMap<String, (String, String)>,
    statics: BTreeMap<String, Vec<u8>>,
    /// Language → (text of `strings/<language>.toml`, shown path).
    strings: BTreeMap<String, (String, String)>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`, with its parents and the site's overrides,
    /// speaking `language` (the site's `language`, `ko` or `en-US`).
    pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Vec<Diagnostic>> {
        let layers = theme_layers(root, name)?;
        let language = table_language(language);
        let mut strings = bundled_strings(&language);
        let mut merged = Layer::default();
        for layer in layers.into_iter().chain([site_overrides(root)?]) {
            if let Some((text, shown)) = layer.strings.get(&language) {
                strings
                    .apply(&parse_table(text, shown).map_err(|e| vec![e])?, shown)
                    .map_err(|e| vec![e])?;
            }
            if let Some(manifest) = &layer.manifest {
                strings
                    .apply(&manifest.strings, &layer.manifest_path)
                    .map_err(|e| vec![e])?;
            }
            merged.templates.extend(layer.templates);
            merged.statics.extend(layer.statics);
        }
        compile(name, merged, Arc::new(strings))
    }
}

/// The bundled default theme's words for `language` (a table's language, `ko`): Korean, with
/// English over it for any other language (a theme's own tables come on top).
pub fn bundled_strings(language: &str) -> Strings {
    let table = |language: &str| {
        BUNDLED
            .get_file(format!("default/strings/{language}.toml"))
            .and_then(|f| f.contents_utf8())
            .and_then(|text| parse_table(text, language).ok())
    };
    let base = table(BASE_LANGUAGE).unwrap_or_default();
    let fallback = table(language).or_else(|| table(FALLBACK_LANGUAGE));
    Strings::new(language, base, fallback.as_ref())
}

/// The layers of theme `name`, parents first.
fn theme_layers(root: &Path, name: &str) -> Result<Vec<Layer>, Vec<Diagnostic>> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut current = name.to_string();
    loop {
        if chain.len() > 8 {
            return Err(vec![Diagnostic::error(
                format!("themes/{current}/theme.toml"),
                "themes extend each other in a loop",
            )]);
        }
        let layer = read_theme(root, &current)?;
        let parent = layer.manifest.as_ref().and_then(|m| m.extends.clone());
        chain.push(layer);
        match parent {
            Some(parent) => current = parent,
            None => break,
        }
    }
    chain.reverse();
    Ok(chain)
}

/// One theme's own files: the site's `themes/<name>/` or the bundled copy.
fn read_theme(root: &Path, name: &str) -> Result<Layer, Vec<Diagnostic>> {
    let local = root.join("themes").join(name);
    let layer = if local.is_dir() {
        read_dir(root, &local, "templates", "static")?
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
    if let Some(manifest) = &layer.manifest {
        check_version(name, manifest)?;
    }
    Ok(layer)
}

/// The site's own `templates/` and `static/`, overriding single theme files.
fn site_overrides(root: &Path) -> Result<Layer, Vec<Diagnostic>> {
    read_dir(root, root, "templates", "static")
}

fn check_version(name: &str, manifest: &ThemeManifest) -> Result<(), Vec<Diagnostic>> {
    let need = manifest.hugi.trim();
    if need.is_empty() || need == "*" {
        return Ok(());
    }
    let version = |text: &str| -> Vec<u64> {
        text.split('.')
            .map(|p| p.trim().parse().unwrap_or(0))
            .collect()
    };
    let wanted = version(need.trim_start_matches(">=").trim_start_matches('^').trim());
    let ours = version(env!("CARGO_PKG_VERSION"));
    let padded = |mut v: Vec<u64>| {
        v.resize(3, 0);
        v
    };
    if padded(ours) < padded(wanted) {
        return Err(vec![
            Diagnostic::error(
                format!("themes/{name}/theme.toml"),
                format!(
                    "theme `{name}` needs hugi {need}, and this is hugi {}",
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .with_hint("update hugi, or use a theme made for this version"),
        ]);
    }
    Ok(())
}

/// Names of the themes built into the binary.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED
        .dirs()
        .filter_map(|d| d.path().file_name().and_then(|n| n.to_str()))
}

fn parse_manifest(text: &str, shown: &str) -> Result<ThemeManifest, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| {
        vec![crate::config::toml_diagnostic(&e, text, shown, |_| {
            &["name", "description", "hugi", "extends"]
        })]
    })
}

fn read_bundled(dir: &'static Dir<'static>) -> Layer {
    let name = dir.path().display().to_string();
    let mut layer = Layer::default();
    let mut stack = vec![dir];
    while let Some(current) = stack.pop() {
        stack.extend(current.dirs());
        for file in current.files() {
            let Ok(rel) = file.path().strip_prefix(dir.path()) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == "theme.toml" {
                let text = String::from_utf8_lossy(file.contents());
                layer.manifest_path = format!("themes/{name}/theme.toml");
                layer.manifest = parse_manifest(&text, &layer.manifest_path).ok();
            } else if let Some(template) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let shown = format!("themes/{name}/{rel}");
                layer.templates.insert(template.to_string(), (text, shown));
            } else if let Some(path) = rel.strip_prefix("static/") {
                layer
                    .statics
                    .insert(path.to_string(), file.contents().to_vec());
            } else if let Some(language) = strings_language(&rel) {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let shown = format!("themes/{name}/{rel}");
                layer.strings.insert(language.to_string(), (text, shown));
            }
        }
    }
    layer
}

/// Reads `<dir>/theme.toml`, `<dir>/<templates>/**` and `<dir>/<statics>/**` from disk.
fn read_dir(
    root: &Path,
    dir: &Path,
    templates: &str,
    statics: &str,
) -> Result<Layer, Vec<Diagnostic>> {
    let mut layer = Layer::default();
    let mut errors = Vec::new();
    let manifest = dir.join("theme.toml");
    if dir != root && manifest.is_file() {
        let shown = display_path(root, &manifest);
        match std::fs::read_to_string(&manifest) {
            Ok(text) => match parse_manifest(&text, &shown) {
                Ok(m) => {
                    layer.manifest = Some(m);
                    layer.manifest_path = shown;
                }
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
        }
    }
    let tables = dir.join("strings");
    if dir != root && tables.is_dir() {
        let files = std::fs::read_dir(&tables).into_iter().flatten().flatten();
        for file in files {
            let shown = display_path(root, &file.path());
            let rel = format!("strings/{}", file.file_name().to_string_lossy());
            let Some(language) = strings_language(&rel) else {
                continue;
            };
            match std::fs::read_to_string(file.path()) {
                Ok(text) => {
                    layer.strings.insert(language.to_string(), (text, shown));
                }
                Err(e) => errors.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
            }
        }
    }
    for (sub, is_template) in [(templates, true), (statics, false)] {
        let base: PathBuf = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(e) => {
                    errors.push(Diagnostic::error(display_path(root, &base), e.to_string()));
                    continue;
                }
            };
            let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let shown = display_path(root, entry.path());
            if rel.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            let bytes = match std::fs::read(entry.path()) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(Diagnostic::error(shown, format!("cannot read: {e}")));
                    continue;
                }
            };
            if is_template {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        layer.templates.insert(rel, (text, shown));
                    }
                    Err(_) => errors.push(Diagnostic::error(shown, "template is not valid UTF-8")),
                }
            } else {
                layer.statics.insert(rel, bytes);
            }
        }
    }
    if errors.is_empty() {
        Ok(layer)
    } else {
        Err(errors)
    }
}

/// The language of a theme file that is a table of strings: `strings/en.toml` → `en`.
fn strings_language(rel: &str) -> Option<&str> {
    let language = rel.strip_prefix("strings/")?.strip_suffix(".toml")?;
    (!language.is_empty() && !language.contains('/')).then_some(language)
}

fn compile(name: &str, merged: Layer, strings: Arc<Strings>) -> Result<Theme, Vec<Diagnostic>> {
    let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !merged.templates.contains_key(**t))
        .map(|t| {
            Diagnostic::error(
                format!("themes/{name}/templates/{t}"),
                format!("theme `{name}` has no template `{t}`"),
            )
            .with_hint("copy it from a bundled theme: hugi theme eject default")
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let origins: BTreeMap<String, String> = merged
        .templates
        .iter()
        .map(|(n, (_, shown))| (n.clone(), shown.clone()))
        .collect();
    let templates: Vec<(String, String)> = merged
        .templates
        .into_iter()
        .map(|(n, (text, _))| (n, text))
        .collect();
    let mut tera = Tera::new();
    strings.register(&mut tera);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| vec![template_diagnostic(&e, &origins, &templates)])?;
    Ok(Theme {
        name: name.to_string(),
        strings,
        tera,
        statics: merged.statics.into_iter().collect(),
        templates,
        origins,
    })
}

/// A Tera error as a diagnostic pointing into the template file it came from.
fn template_diagnostic(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
    templates: &[(String, String)],
) -> Diagnostic {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report)
        }
        _ => None,
    };
    let Some(report) = report else {
        return Diagnostic::error("templates", format!("template error: {error}"));
    };
    let file = origins
        .get(report.filename())
        .cloned()
        .unwrap_or_else(|| report.filename().to_string());
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
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        // Rendered straight into bytes, which is what a page is: a String would have its
        // UTF-8 checked once more.
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut html)
            .map_err(|e| template_diagnostic(&e, &self.origins, &self.templates))?;
        Ok(html)
    }
}

/// Why `hugi theme eject` stopped.
#[derive(Debug, thiserror::Error)]
pub enum EjectError {
    #[error("no bundled theme `{0}`; bundled themes: {1}")]
    Unknown(String, String),
    #[error("{0} already exists; remove it first or eject under another name")]
    Exists(String),
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
}

/// Copies bundled theme `name` (flattened with the themes it extends) into
/// `<root>/themes/<name>/` for full customisation; returns the folder.
pub fn eject(root: &Path, name: &str) -> Result<PathBuf, EjectError> {
    if BUNDLED.get_dir(name).is_none() {
        let known: Vec<&str> = bundled_names().collect();
        return Err(EjectError::Unknown(name.into(), known.join(", ")));
    }
    let target = root.join("themes").join(name);
    if target.exists() {
        return Err(EjectError::Exists(target.display().to_string()));
    }
    let mut chain = Vec::new();
    let mut current = Some(name.to_string());
    while let Some(theme) = current.take().filter(|_| chain.len() < 8) {
        let layer = BUNDLED
            .get_dir(&theme)
            .map(read_bundled)
            .unwrap_or_default();
        current = layer.manifest.as_ref().and_then(|m| m.extends.clone());
        chain.push(layer);
    }
    let own = chain
        .first()
        .and_then(|l| l.manifest.clone())
        .unwrap_or_default();
    let mut merged = Layer::default();
    for layer in chain.into_iter().rev() {
        merged.templates.extend(layer.templates);
        merged.statics.extend(layer.statics);
        merged.strings.extend(layer.strings);
    }
    let write = |path: PathBuf, bytes: &[u8]| -> Result<(), EjectError> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| EjectError::Io(shown.clone(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| EjectError::Io(shown, e))
    };
    let manifest = format!(
        "name = {}\ndescription = {}\nhugi = {}\n",
        toml::Value::String(own.name.clone()),
        toml::Value::String(own.description.clone()),
        toml::Value::String(own.hugi.clone()),
    );
    write(target.join("theme.toml"), manifest.as_bytes())?;
    for (template, (text, _)) in &merged.templates {
        write(target.join("templates").join(template), text.as_bytes())?;
    }
    for (path, bytes) in &merged.statics {
        write(target.join("static").join(path), bytes)?;
    }
    for (language, (text, _)) in &merged.strings {
        write(
            target.join("strings").join(format!("{language}.toml")),
            text.as_bytes(),
        )?;
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_table(language: &str) -> StringTable {
        let text = BUNDLED
            .get_file(format!("default/strings/{language}.toml"))
            .and_then(|f| f.contents_utf8())
            .unwrap();
        parse_table(text, language).unwrap()
    }

    #[test]
    fn the_english_table_has_every_korean_word() {
        let korean = bundled_table("ko");
        let english = bundled_table("en");
        let missing: Vec<&String> = korean
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        let unknown: Vec<&String> = english
            .keys()
            .filter(|k| !korean.contains_key(k.strip_suffix("_one").unwrap_or(k)))
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn every_word_the_templates_use_is_in_the_tables() {
        let korean = bundled_table("ko");
        let used = regex::Regex::new(r#"\bt\.([a-z_]+)|of="([a-z_]+)""#).unwrap();
        for file in BUNDLED.get_dir("default/templates").unwrap().files() {
            let text = file.contents_utf8().unwrap();
            for found in used.captures_iter(text) {
                let key = found.get(1).or(found.get(2)).unwrap().as_str();
                let key = key.strip_suffix("_one").unwrap_or(key);
                assert!(korean.contains_key(key), "{}: {key}", file.path().display());
            }
        }
    }
}
