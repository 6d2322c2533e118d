//! `hugi init` and `hugi new`: a new site with a config, an example note in the seed's style, a
//! `.gitignore` and the CI configuration that publishes it (GitHub Pages unless asked for others,
//! see [`ci`]); and a new note from a template. Neither ever overwrites a file.

mod ci;

pub use ci::{CiHost, INSTALL_SCRIPT, install_script, releases};

use std::path::{Path, PathBuf};

use crate::config::SlugStyle;
use crate::front_matter::Date;
use crate::slug::slugify;

/// What `hugi init` writes.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub title: String,
    pub base_url: String,
    pub language: String,
    /// Write into a folder that already has files (never replacing any of them).
    pub force: bool,
    /// Where the site is published from: the CI configurations to write (none for an empty list).
    pub ci: Vec<CiHost>,
}

/// Why a scaffold step stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "{0} is not empty; use --force to add the site's files to it (existing files are kept)"
    )]
    NotEmpty(String),
    #[error("{0} already exists; hugi never overwrites files")]
    Exists(String),
    #[error(
        "{0} is not a hugi site (it has neither content/ nor config.toml); run `hugi init` there \
         first, or point --root at the site"
    )]
    NotASite(String),
    #[error(
        "{other} already has the address /{slug}/, and a new note titled like it would take it \
         (moving that note to /{slug}-2/); give the new note another title"
    )]
    SlugTaken { slug: String, other: String },
    #[error("cannot write {path}: {cause}")]
    Io {
        path: String,
        /// Not the error's `source`: the message shows it already, so a chain printed with
        /// `{:#}` does not repeat it.
        cause: std::io::Error,
    },
}

/// Creates a site in `options.dir`; returns the files written.
pub fn init(options: &InitOptions) -> Result<Scaffolded, ScaffoldError> {
    let dir = &options.dir;
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |cause| ScaffoldError::Io { path, cause }
    };
    if dir.exists() {
        let has_files = std::fs::read_dir(dir).map_err(io(dir))?.next().is_some();
        if has_files && !options.force {
            return Err(ScaffoldError::NotEmpty(dir.display().to_string()));
        }
    }
    let toml_string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let config = format!(
        "# hugi site configuration. Every key is optional; see the README for all of them.\n\
         title = {}\nbase_url = {}\nlanguage = {}\n",
        toml_string(&options.title),
        toml_string(&options.base_url),
        toml_string(&options.language),
    );
    let today = today();
    let note = example_note(&today);
    let mut files: Vec<(String, String)> = vec![
        ("config.toml".into(), config),
        (
            format!("content/{}-example-conference.md", today.iso()),
            note,
        ),
        (
            ".gitignore".into(),
            "public/\n.public.hugi-*\n.hugi/\n".into(),
        ),
    ];
    if !options.ci.is_empty() {
        files.push((INSTALL_SCRIPT.into(), install_script()));
    }
    files.extend(options.ci.iter().map(|host| {
        let (path, text) = host.file();
        (path.to_string(), text)
    }));
    let mut made = Scaffolded::default();
    for (path, text) in files.iter() {
        let target = dir.join(path);
        if target.exists() {
            made.kept.push(target);
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&target, text).map_err(io(&target))?;
        #[cfg(unix)]
        if path.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            let executable = std::fs::Permissions::from_mode(0o755);
            std::fs::set_permissions(&target, executable).map_err(io(&target))?;
        }
        made.written.push(target);
    }
    Ok(made)
}

/// What `hugi init` did.
#[derive(Debug, Default)]
pub struct Scaffolded {
    pub written: Vec<PathBuf>,
    /// Files that were there already (with `--force`), left as they were.
    pub kept: Vec<PathBuf>,
}

fn example_note(date: &Date) -> String {
    format!(
        "+++\ntitle = \"예시 컨퍼런스 {year} 후기\"\ndate = {iso}\ntags = [\"예시\"]\n+++\n\
         # 예시 컨퍼런스 {year} 후기\n\
         들은 세션을 줄 단위로 적습니다. 이 파일을 지우고 새 후기를 써 보세요.\n\n\
         ## Keynote : 커뮤니티와 함께 자라기\n\
         - 처음 온 사람이 절반이 넘었다\n\
         - **\"같이 배우자\"**는 문화\n\n\
         ## Session 101 : 파이썬 타입 힌트 실전\n\
         ### 점진적 도입\n\
         기존 코드에 조금씩 추가\n\
         -> CI에서 mypy 실행\n\n\
         |도구|용도|\n|---|---|\n|mypy|정적 타입검사|\n|pydantic|런타임 검증|\n\n\
         ## 배운 점\n\
         - 발표 자료는 행사 후에 공개된다\n",
        year = date.year,
        iso = date.iso()
    )
}

/// Creates `content/<date>-<slug>.md` for a new note titled `title`, dated `date` (today when
/// not given): a draft, with the session headings to copy inside a comment, so building at once
/// publishes nothing half-written. `taken` lists the addresses (slugs) the site's notes have,
/// with their files; a title that would take one is refused. Returns the note's path.
pub fn new_note(
    root: &Path,
    title: &str,
    date: Option<Date>,
    taken: &[(String, String)],
) -> Result<PathBuf, ScaffoldError> {
    if !root.join("content").is_dir() && !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(ScaffoldError::NotASite(root.display().to_string()));
    }
    let date = date.unwrap_or_else(today);
    let slug = slugify(title, SlugStyle::Hangul);
    let slug = if slug.is_empty() {
        "note".to_string()
    } else {
        slug
    };
    if let Some((_, other)) = taken.iter().find(|(s, _)| *s == slug) {
        return Err(ScaffoldError::SlugTaken {
            slug,
            other: other.clone(),
        });
    }
    let path = root
        .join("content")
        .join(format!("{}-{slug}.md", date.iso()));
    if path.exists() {
        return Err(ScaffoldError::Exists(path.display().to_string()));
    }
    let io = |cause| ScaffoldError::Io {
        path: path.display().to_string(),
        cause,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let title_toml = toml::Value::String(title.to_string()).to_string();
    let text = format!(
        "+++\ntitle = {title_toml}\ndate = {}\ntags = []\n\
         draft = true   # 다 쓰면 이 줄을 지우세요: 초안은 hugi build에 나오지 않습니다\n+++\n\
         # {title}\n\n\
         <!-- 세션마다 아래처럼 적으면 세션마다 페이지가 생깁니다.\n\
         ## Keynote : 발표 제목 - 발표자\n- 들은 내용을 줄마다\n\n\
         ## Session 101 : 발표 제목\n### 소제목\n- 내용\n\n\
         ## 배운 점\n- 행사 전체에 대한 생각\n-->\n",
        date.iso()
    );
    std::fs::write(&path, text).map_err(io)?;
    Ok(path)
}

/// Today's date (UTC), from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    civil_from_days(days)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert_eq!(civil_from_days(0).iso(), "1970-01-01");
        assert_eq!(civil_from_days(19_992).iso(), "2024-09-26");
        assert_eq!(civil_from_days(11_016).iso(), "2000-02-29");
    }
}
