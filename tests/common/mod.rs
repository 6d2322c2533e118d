//! Helpers shared by the integration tests: throwaway sites and the `hugi` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
