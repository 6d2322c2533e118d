//! Helpers for the integration tests: throwaway sites and the `hugi` binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use hugi::config::Config;
use hugi::load::Source;
use hugi::note::{Note, parse};
use hugi::talk::SessionRule;

/// A site in a temporary folder, removed when dropped.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of a fixture site under `tests/fixtures/`.
    pub fn from_fixture(name: &str) -> Self {
        let site = TestSite::new();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        for entry in walkdir::WalkDir::new(&source) {
            let entry = entry.unwrap();
            let target = site
                .root()
                .join(entry.path().strip_prefix(&source).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: impl AsRef<[u8]>) -> &Self {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
        self
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Text of a file in the output.
    pub fn page(&self, path: &str) -> String {
        let file = self.public().join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// `hugi <args> --root <site>`.
    pub fn hugi(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("hugi").unwrap();
        command.args(args).arg("--root").arg(self.root());
        command.env("NO_COLOR", "1");
        command
    }

    /// Runs `hugi build` and expects success.
    pub fn build(&self) -> String {
        let output = self.hugi(&["build"]).output().unwrap();
        assert!(
            output.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs `hugi build` and expects failure with exit status 1; returns stderr.
    pub fn build_fails(&self) -> String {
        let output = self.hugi(&["build"]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "expected exit status 1");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
        stderr
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A running `hugi serve`, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    pub port: u16,
    /// Lines the server printed, collected in the background.
    pub output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[])
    }

    /// Starts `hugi serve` with more arguments.
    pub fn start_with(site: &TestSite, args: &[&str]) -> Server {
        Server::start_in(site, args, &[])
    }

    /// Starts `hugi serve` with more arguments and environment variables.
    pub fn start_in(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(args)
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let (output, tx) = (output.clone(), tx.clone());
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                {
                    if let Some(at) = line.find("serving http://") {
                        let address = &line[at + 15..];
                        let port: String = address[address.find(':').unwrap() + 1..]
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        let _ = tx.send(port.parse::<u16>().unwrap());
                    }
                    output.lock().unwrap().push(line);
                }
            });
        }
        let port = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("server printed its address");
        Server {
            child,
            port,
            output,
        }
    }

    /// Sends a raw request line (with `Connection: close`) and returns the whole response.
    pub fn raw(&self, method: &str, target: &[u8], headers: &str) -> Response {
        self.raw_to("127.0.0.1", method, target, headers)
    }

    /// The same, naming `host` as the request's `Host`.
    pub fn raw_to(&self, host: &str, method: &str, target: &[u8], headers: &str) -> Response {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut request = Vec::new();
        request.extend_from_slice(method.as_bytes());
        request.push(b' ');
        request.extend_from_slice(target);
        request.extend_from_slice(
            format!(" HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}\r\n").as_bytes(),
        );
        stream.write_all(&request).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, path: &str) -> Response {
        self.raw("GET", path.as_bytes(), "")
    }

    /// Rebuild lines printed so far.
    pub fn rebuilds(&self) -> usize {
        self.output
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("rebuilt "))
            .count()
    }

    /// Waits until `check` holds for the printed lines, up to `seconds`.
    pub fn wait_for(&self, seconds: u64, check: impl Fn(&[String]) -> bool) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        while std::time::Instant::now() < deadline {
            if check(&self.output.lock().unwrap()) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }
}

/// A child process that is killed when dropped, so a failing test leaves nothing running.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..split]);
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: bytes.get(split + 4..).unwrap_or_default().to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads server-sent events from `port` until one contains `needle` or `seconds` pass.
pub fn wait_for_event(
    port: u16,
    seconds: u64,
    trigger: impl FnOnce(),
    needle: &str,
) -> Option<String> {
    use std::io::{BufRead, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            b"GET /__hugi/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_millis(200)))
        .unwrap();
    let mut reader = std::io::BufReader::new(stream);
    // Wait for the response head so the subscription exists before the trigger.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
        line.clear();
    }
    trigger();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).is_ok() && line.starts_with("data:") && line.contains(needle)
        {
            return Some(line.trim().to_string());
        }
    }
    None
}

/// Parses `content/<path>` of the fixture site `fixture` with the default config.
pub fn parse_fixture(fixture: &str, path: &str) -> Note {
    let full = format!("tests/fixtures/{fixture}/content/{path}");
    let text = std::fs::read_to_string(&full).unwrap();
    let config = Config::default();
    let rule = SessionRule::new(&config.sessions).unwrap();
    let source = Source {
        path: path.into(),
        text,
    };
    parse(&source, &full, &config, &rule).unwrap()
}

/// The talks of a note: (title, speakers).
pub fn sessions(note: &Note) -> Vec<(String, Vec<String>)> {
    note.sessions()
        .map(|(_, head)| (head.title.clone(), head.speakers.clone()))
        .collect()
}
