//! Bad input never panics and always names the file, and the rest of the site still reports
//! all of its problems in the same run. Output is never lost: an interrupted build leaves the
//! old or the new output, whole.

use crate::common::{Running, TestSite, tree};

fn build_output(site: &TestSite) -> (i32, String) {
    let output = site.hugi(&["build"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap(), stderr)
}

#[test]
fn strange_files_are_reported_or_handled_all_in_one_run() {
    let site = TestSite::new();
    site.write("content/ok.md", "# 멀쩡한 노트\n## Talk : 세션\n- 내용\n");
    site.write("content/bom-only.md", "\u{feff}");
    site.write("content/empty.md", "");
    site.write("content/binary.md", [0u8, 159, 146, 150, 0, 1, 2]);
    site.write(
        "content/bad-utf8.md",
        b"# \xed\xa0\x80 surrogate\n".as_slice(),
    );
    site.write(
        "content/unclosed.md",
        "---\ntitle: 끝나지 않는 front matter\n",
    );
    site.write(
        "content/laughs.md",
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ntitle: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\n",
    );
    std::fs::create_dir_all(site.root().join("content/folder-named.md")).unwrap();
    site.write("content/a.md", "+++\nslug = \"same\"\n+++\n# A\n");
    site.write("content/b.md", "+++\nslug = \"same\"\n+++\n# B\n");
    let (code, stderr) = build_output(&site);
    assert_eq!(code, 1);
    for file in [
        "binary.md",
        "bad-utf8.md",
        "unclosed.md",
        "laughs.md",
        "b.md",
    ] {
        assert!(
            stderr.contains(&format!("content/{file}")),
            "{file} not named:\n{stderr}"
        );
    }
    assert!(stderr.contains("looks like a binary file"));
    assert!(stderr.contains("never closed"));
    assert!(stderr.contains("5 error(s)"), "{stderr}");
    assert!(
        !stderr.contains("content/ok.md"),
        "a good note is not reported"
    );
    assert!(
        !stderr.contains("bom-only.md") && !stderr.contains("empty.md"),
        "empty notes are fine"
    );
}

#[test]
fn huge_and_deep_notes_build() {
    let site = TestSite::new();
    let mut table = String::from("# 큰 표\n## Talk : 십만 줄\n|번호|내용|\n|---|---|\n");
    for n in 0..100_000 {
        table.push_str(&format!("|{n}|값 {n}|\n"));
    }
    site.write("content/table.md", table);
    let mut nested = String::from("# 깊은 목록\n## Talk : 천 단계\n");
    for depth in 0..1000 {
        nested.push_str(&format!("{}- 단계 {depth}\n", "  ".repeat(depth)));
    }
    site.write("content/nested.md", nested);
    let line = "- 파이썬으로 **강조**는 그대로, Django 쿼리셋은 게으르다\n";
    let mut big = String::from("# 큰 노트\n");
    let mut n = 0;
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&format!("## Session {n} : 세션 {n}\n"));
        for _ in 0..200 {
            big.push_str(line);
        }
        n += 1;
    }
    site.write("content/big.md", big);
    let (code, stderr) = build_output(&site);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        site.page("table/십만-줄/index.html")
            .contains("<td>99999</td>")
    );
    assert!(site.page("nested/천-단계/index.html").contains("단계 999"));
    assert!(site.public().join("big/세션-0/index.html").exists());
}

#[test]
fn odd_file_names_and_links_are_handled() {
    let site = TestSite::new();
    site.write(
        "content/이름에 공백이 있는 노트.md",
        "## Talk : 공백\n- a\n",
    );
    site.write("content/🎉 이모지 행사.md", "## Talk : 이모지\n- b\n");
    site.write("content/outside-target.md", "# 밖\n");
    #[cfg(unix)]
    {
        let content = site.root().join("content");
        std::os::unix::fs::symlink(site.root(), content.join("loop")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", content.join("outside.md")).unwrap();
        std::os::unix::fs::symlink(
            content.join("outside-target.md"),
            content.join("inside-link.md"),
        )
        .unwrap();
    }
    let (code, stderr) = build_output(&site);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        site.public()
            .join("이름에-공백이-있는-노트/공백/index.html")
            .exists()
    );
    assert!(site.public().join("이모지-행사/이모지/index.html").exists());
    #[cfg(unix)]
    {
        assert!(
            stderr.contains("content/outside.md") && stderr.contains("leads outside content/"),
            "{stderr}"
        );
        let public = tree(&site.public());
        assert!(
            !public
                .iter()
                .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(
                    &std::fs::read_to_string("/etc/hostname")
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                ) && !std::fs::read_to_string("/etc/hostname")
                    .unwrap_or_default()
                    .trim()
                    .is_empty()),
            "nothing from outside content/ is published"
        );
    }
}

#[test]
fn refuses_the_home_folder_as_output() {
    let site = TestSite::from_fixture("seed-style");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("precious.txt"), "keep").unwrap();
    let output = site
        .hugi(&["build", "--output", home.path().to_str().unwrap()])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("home folder"));
    assert_eq!(
        std::fs::read_to_string(home.path().join("precious.txt")).unwrap(),
        "keep"
    );
}

/// Kills `hugi build` with SIGKILL at many moments; the output must always be the old or the new
/// site, complete, and never anything outside it touched.
#[test]
fn killing_a_build_leaves_old_or_new_output() {
    let site = TestSite::new();
    let write_notes = |version: &str| {
        for n in 0..60 {
            let mut text = format!("# 행사 {n}\n");
            for s in 0..8 {
                text.push_str(&format!("## Talk : 세션 {s}\n- {version} 내용 {n} {s}\n### 소제목\n- 더 많은 {version} 내용\n"));
            }
            site.write(&format!("content/note-{n}.md"), text);
        }
    };
    write_notes("옛");
    site.build();
    let old = tree(&site.public());
    write_notes("새");
    let reference = TestSite::new();
    for (path, bytes) in tree(&site.root().join("content")) {
        reference.write(&format!("content/{path}"), bytes);
    }
    reference.build();
    let new = tree(&reference.public());
    assert_ne!(old, new);
    let mut saw_old = 0;
    let mut saw_new = 0;
    for attempt in 0..24u64 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5 + attempt * 9));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&site.public());
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("attempt {attempt}: public/ is neither the old nor the new site");
        }
        if now == new {
            // Back to the old output for the next attempt.
            std::fs::remove_dir_all(site.public()).unwrap();
            let restore = TestSite::new();
            for (path, bytes) in &old {
                restore.write(&format!("public/{path}"), bytes);
            }
            std::fs::rename(restore.public(), site.public()).unwrap();
        }
    }
    assert!(saw_old > 0, "some kills must land before the swap");
    assert!(saw_old + saw_new == 24);
    // A later build repairs whatever half-updated spare a kill left behind.
    site.build();
    assert_eq!(tree(&site.public()), new);
    site.build();
    assert_eq!(tree(&site.public()), new);
}

/// The same for `hugi watch`: killed while it applies a rebuild, it leaves the output of one
/// complete build or of the next.
#[test]
fn killing_watch_leaves_a_whole_output() {
    let site = TestSite::new();
    let note = |version: usize| {
        let mut text = String::from("# 행사\n");
        for s in 0..30 {
            text.push_str(&format!("## Talk : 세션 {s}\n- 판 {version} 내용 {s}\n"));
        }
        text
    };
    site.write("content/a.md", note(0));
    for n in 0..20 {
        site.write(
            &format!("content/other-{n}.md"),
            format!("# 다른 행사 {n}\n## Talk : 하나\n- x\n"),
        );
    }
    for version in 1..=8usize {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args(["watch", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines =
            std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
        // Wait for the first build, then edit and kill at some moment of the rebuild.
        while let Some(Ok(line)) = lines.next() {
            if line.starts_with("watching") {
                break;
            }
        }
        let files = tree(&site.public()).len();
        site.write("content/a.md", note(version));
        std::thread::sleep(std::time::Duration::from_millis(
            10 + (version as u64 * 37) % 120,
        ));
        let _ = child.kill();
        let _ = child.wait();
        let page = std::fs::read_to_string(site.public().join("a/세션-29/index.html")).unwrap();
        let shown = (0..=version)
            .filter(|v| page.contains(&format!("판 {v} 내용 29")))
            .count();
        assert_eq!(
            shown, 1,
            "version {version}: the page is from exactly one build"
        );
        let events = std::fs::read_to_string(site.public().join("events/index.html")).unwrap();
        assert!(
            events.contains("다른 행사 19"),
            "the rest of the site is whole"
        );
        assert_eq!(
            tree(&site.public()).len(),
            files,
            "no file missing or left over"
        );
    }
}

/// `hugi watch` applies each rebuild to the spare output and swaps it in; after every edit of a
/// sequence (the spare then lacks the changes of two rebuilds) the output equals a fresh build.
#[test]
fn watch_output_equals_a_fresh_build_after_each_edit() {
    let site = TestSite::new();
    site.write("content/a.md", "# 가 행사\n## Talk : 하나\n- 처음\n");
    site.write("content/b.md", "# 나 행사\n## Talk : 둘\n- 처음\n");
    let mut watch = Running(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args(["watch", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = watch.0.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let mut wait_for = |prefix: &str| {
        for line in lines.by_ref() {
            if line.unwrap().starts_with(prefix) {
                return;
            }
        }
        panic!("watch ended before `{prefix}`");
    };
    wait_for("watching");
    let edits: [(&str, Option<&str>); 6] = [
        ("content/a.md", Some("# 가 행사\n## Talk : 하나\n- 고침\n")),
        ("content/c.md", Some("# 다 행사\n## Talk : 셋\n- 새 노트\n")),
        ("content/b.md", None),
        (
            "content/a.md",
            Some("# 가 행사\n## Talk : 하나\n- 고침\n## Talk : 넷\n- 더\n"),
        ),
        (
            "content/c.md",
            Some("# 다 행사\n## Talk : 셋\n- 다시 고침\n"),
        ),
        (
            "content/a.md",
            Some("# 가 행사\n## Talk : 하나\n- 마지막\n"),
        ),
    ];
    for (step, (path, text)) in edits.into_iter().enumerate() {
        match text {
            Some(text) => {
                site.write(path, text);
            }
            None => std::fs::remove_file(site.root().join(path)).unwrap(),
        }
        wait_for("rebuilt");
        let reference = TestSite::new();
        for (file, bytes) in tree(&site.root().join("content")) {
            reference.write(&format!("content/{file}"), bytes);
        }
        reference.build();
        // A loaded machine may split one save into two batches (the file made, then written),
        // so the output is compared until it matches or no rebuild could still be coming.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while tree(&site.public()) != tree(&reference.public()) {
            assert!(
                std::time::Instant::now() < deadline,
                "step {step}: the output differs from a fresh build"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
