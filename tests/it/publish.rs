//! The CI files `hugi init` writes, run here as their hosts would run them: the install step
//! downloads a release archive that `scripts/dist` made from this build, from a loopback
//! server, checks its SHA-256 and installs it; the check and build steps then build the site
//! with the address the host gives. GitHub Pages, GitLab Pages, Netlify and Cloudflare Pages.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serves the files under `dir` on loopback (GET only) until the test process ends; returns
/// the base URL.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Read the headers to the blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let file = dir.join(path);
            let mut stream = &stream;
            let _ = match std::fs::read(&file) {
                Ok(body) if !path.contains("..") => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|_| stream.write_all(&body)),
                _ => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    url
}

/// The release archive of this build for this machine, laid out as the releases are
/// (`<root>/v<version>/hugi-v<version>-<target>.tar.gz` and its `.sha256`), made by the same
/// script as the release workflow.
fn release(root: &Path) -> PathBuf {
    let target = match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    };
    let dir = root.join(format!("v{VERSION}"));
    let made = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dist"))
        .arg(target)
        .arg(assert_cmd::cargo::cargo_bin("hugi"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    dir.join(format!("hugi-v{VERSION}-{target}.tar.gz.sha256"))
}

/// A job's environment: a home of its own (so nothing is installed yet), the releases on the
/// loopback server, and what the host sets.
fn job_env(home: &Path, releases: &str, host: &[(&str, String)]) -> HashMap<String, String> {
    let mut env: HashMap<String, String> = HashMap::from([
        ("HOME".into(), home.display().to_string()),
        ("HUGI_RELEASES".into(), releases.to_string()),
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
    ]);
    env.extend(host.iter().map(|(k, v)| (k.to_string(), v.clone())));
    env
}

fn bash(script: &str, dir: &Path, env: &HashMap<String, String>) -> Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .envs(env)
        .output()
        .unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `${{ expression }}` in a GitHub workflow, given the values a run would have.
fn github_expressions(text: &str, values: &HashMap<&str, &str>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let end = start + rest[start..].find("}}").unwrap();
        let expression = rest[start + 3..end].trim();
        let value = values
            .get(expression)
            .unwrap_or_else(|| panic!("no value for `{expression}`"));
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A new site written by `hugi init --ci <ci>`.
fn init(dir: &Path, ci: &str) -> PathBuf {
    let site = dir.join("site");
    let made = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args(["init", "--ci", ci])
        .arg(&site)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", said(&made));
    site
}

/// Runs the `run:` steps of a GitHub Actions job in order, as the runner does: each in bash,
/// with the workflow's env, and with what a step adds to `$GITHUB_PATH` on the path of the
/// steps after it. Returns each step's name and output.
fn run_github_job(
    site: &Path,
    workflow: &str,
    job: &str,
    env: &mut HashMap<String, String>,
    values: &HashMap<&str, &str>,
) -> Vec<(String, Output)> {
    let yaml: serde_json::Value = serde_saphyr::from_str(workflow).unwrap();
    for (key, value) in yaml["env"].as_object().unwrap() {
        env.insert(key.clone(), value.as_str().unwrap().to_string());
    }
    let github_path = site.join("../github_path");
    std::fs::write(&github_path, "").unwrap();
    env.insert("GITHUB_PATH".into(), github_path.display().to_string());
    env.insert("GITHUB_ACTIONS".into(), "true".into());
    let mut outputs = Vec::new();
    for step in yaml["jobs"][job]["steps"].as_array().unwrap() {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        let started = Instant::now();
        let output = bash(&github_expressions(run, values), site, env);
        let name = step["name"].as_str().unwrap_or(run).to_string();
        eprintln!("{job}: {name}: {:.2} s", started.elapsed().as_secs_f64());
        let ok = output.status.success();
        outputs.push((name, output));
        if !ok {
            break;
        }
        let added = std::fs::read_to_string(&github_path).unwrap();
        for dir in added.lines().filter(|l| !l.is_empty()) {
            let path = format!("{dir}:{}", env["PATH"]);
            env.insert("PATH".into(), path);
        }
        std::fs::write(&github_path, "").unwrap();
    }
    outputs
}

/// Whether the built home page links to pages under `path` (minified or not).
fn links_under(site: &Path, path: &str) -> bool {
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    index.contains(&format!("href={path}")) || index.contains(&format!("href=\"{path}"))
}

fn assert_all_ran(outputs: &[(String, Output)], expected: usize) {
    for (name, output) in outputs {
        assert!(output.status.success(), "{name}:\n{}", said(output));
    }
    assert_eq!(outputs.len(), expected, "steps run");
}

#[test]
fn the_github_pages_workflow_installs_the_release_checks_it_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), "github");
    let releases = dir.path().join("releases");
    release(&releases);
    let releases = serve(releases);
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let values = HashMap::from([
        (
            "steps.pages.outputs.base_url",
            "https://user.github.io/notes",
        ),
        ("runner.os", "Linux"),
        ("runner.arch", "X64"),
        ("env.HUGI_VERSION", VERSION),
    ]);
    let home = dir.path().join("home");
    let mut env = job_env(&home, &releases, &[]);
    let outputs = run_github_job(&site, &workflow, "build", &mut env, &values);
    assert_all_ran(&outputs, 3);
    let install = said(&outputs[0].1);
    assert!(
        install.contains(": OK"),
        "the checksum was checked:\n{install}"
    );
    assert!(install.contains(&format!("hugi {VERSION}")), "{install}");
    assert!(home.join(".hugi/bin/hugi").is_file());
    assert!(said(&outputs[1].1).contains("0 error(s)"));
    assert!(links_under(&site, "/notes/"), "built for the Pages address");

    // The next run finds hugi in the cache (the same ~/.hugi) and downloads nothing.
    let mut env = job_env(&home, "http://127.0.0.1:9", &[]);
    let again = run_github_job(&site, &workflow, "build", &mut env, &values);
    assert_all_ran(&again, 3);
    assert!(
        said(&again[0].1).contains("installed already"),
        "{}",
        said(&again[0].1)
    );
}

#[test]
fn an_archive_whose_checksum_does_not_match_is_never_installed() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), "github");
    let releases = dir.path().join("releases");
    let sum = release(&releases);
    let text = std::fs::read_to_string(&sum).unwrap();
    let flipped = if text.starts_with('0') { "1" } else { "0" };
    std::fs::write(&sum, format!("{flipped}{}", &text[1..])).unwrap();
    let releases = serve(releases);
    let home = dir.path().join("home");
    let env = job_env(&home, &releases, &[("HUGI_VERSION", VERSION.to_string())]);
    let output = bash("bash ci/install-hugi.sh", &site, &env);
    assert!(!output.status.success());
    assert!(said(&output).contains("FAILED"), "{}", said(&output));
    assert!(!home.join(".hugi/bin/hugi").exists());
}

#[test]
fn gitlab_netlify_and_cloudflare_configurations_build_the_site_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    release(&releases);
    let releases = serve(releases);

    // GitLab Pages: the job's script lines run in one shell, with its variables.
    let gitlab = dir.path().join("gitlab");
    let site = init(&gitlab, "gitlab");
    let config = std::fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
    let yaml: serde_json::Value = serde_saphyr::from_str(&config).unwrap();
    let job = &yaml["pages"];
    assert_eq!(job["artifacts"]["paths"][0], "public");
    let site_dir = site.display().to_string();
    let mut host = vec![
        ("CI_PROJECT_DIR", site_dir.clone()),
        ("CI_PAGES_URL", "https://user.gitlab.io/notes".to_string()),
    ];
    for (key, value) in job["variables"].as_object().unwrap() {
        let value = value
            .as_str()
            .unwrap()
            .replace("$CI_PROJECT_DIR", &site_dir);
        host.push((key.as_str(), value));
    }
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let env = job_env(&gitlab.join("home"), &releases, &host);
    let output = bash(&script.join("\n"), &site, &env);
    assert!(output.status.success(), "{}", said(&output));
    assert!(
        site.join(".hugi/bin/hugi").is_file(),
        "installed in the cached folder"
    );
    assert!(links_under(&site, "/notes/"));

    // Netlify: one build command, with the site's URL.
    let netlify = dir.path().join("netlify");
    let site = init(&netlify, "netlify");
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(site.join("netlify.toml")).unwrap()).unwrap();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    let mut host = vec![("URL", "https://hugi-notes.netlify.app".to_string())];
    for (key, value) in config["build"]["environment"].as_table().unwrap() {
        host.push((key.as_str(), value.as_str().unwrap().to_string()));
    }
    let env = job_env(&netlify.join("home"), &releases, &host);
    let output = bash(config["build"]["command"].as_str().unwrap(), &site, &env);
    assert!(output.status.success(), "{}", said(&output));
    let feed = std::fs::read_to_string(site.join("public/atom.xml")).unwrap();
    assert!(
        feed.contains("https://hugi-notes.netlify.app/"),
        "absolute URLs use the site's"
    );

    // Cloudflare Pages: a GitHub Actions job; the deploy step is the wrangler action's.
    let cloudflare = dir.path().join("cloudflare");
    let site = init(&cloudflare, "cloudflare");
    let workflow =
        std::fs::read_to_string(site.join(".github/workflows/cloudflare-pages.yml")).unwrap();
    let values = HashMap::from([
        (
            "vars.SITE_URL || format('https://{0}.pages.dev/', vars.CLOUDFLARE_PROJECT)",
            "https://notes.pages.dev/",
        ),
        ("runner.os", "Linux"),
        ("runner.arch", "X64"),
        ("env.HUGI_VERSION", VERSION),
    ]);
    let mut env = job_env(&cloudflare.join("home"), &releases, &[]);
    let outputs = run_github_job(&site, &workflow, "deploy", &mut env, &values);
    assert_all_ran(&outputs, 3);
    assert!(site.join("public/index.html").is_file());
}
