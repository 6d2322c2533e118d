//! Incremental rebuilds must equal fresh builds: after any sequence of edits, renames, deletions,
//! theme and config changes, `Project::rebuild` with the changed paths gives exactly the output
//! of `Project::open` on the same files.

use crate::common::TestSite;
use hugi::project::BuildOptions;
use hugi::project::{Changes, Project};

/// A small deterministic generator (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TITLES: &[&str] = &[
    "파이썬 타입검사",
    "장고 ORM",
    "Rust 소유권",
    "음성인식 모델",
    "같은 제목",
];

fn note_text(rng: &mut Rng, n: usize) -> String {
    let mut text = String::new();
    match rng.below(3) {
        0 => text.push_str(&format!(
            "+++\ntitle = \"행사 {n}\"\ndate = 2020-0{}-1{}\n+++\n",
            1 + rng.below(9),
            rng.below(9)
        )),
        1 => text.push_str(&format!(
            "---\ntitle: 행사 {n}\nslug: fixed-{}\n---\n",
            rng.below(3)
        )),
        _ => text.push_str(&format!("# 행사 {n}\n")),
    }
    for i in 0..1 + rng.below(4) {
        let title = TITLES[rng.below(TITLES.len())];
        text.push_str(&format!(
            "## Session 10{i} : {title}\n### 소제목\n- 내용 {}\n",
            rng.next() % 1000
        ));
        if rng.below(4) == 0 {
            text.push_str("![사진](img/a.png) [다른 행사](other.md)\n");
        }
    }
    if rng.below(3) == 0 {
        text.push_str("## 배운 점\n- 끝\n");
    }
    text
}

fn assert_same_as_fresh(site: &TestSite, project: &Project, step: &str) {
    let fresh = Project::open(&BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    });
    match fresh {
        Ok(fresh) => {
            let (a, b) = (project.artifacts(), fresh.artifacts());
            let paths =
                |v: &[hugi::output::Artifact]| v.iter().map(|a| a.path.clone()).collect::<Vec<_>>();
            assert_eq!(paths(&a), paths(&b), "paths differ after {step}");
            for (x, y) in a.iter().zip(&b) {
                assert!(x.content == y.content, "{} differs after {step}", x.path);
            }
        }
        Err(e) => panic!("fresh build failed after {step}: {e}"),
    }
}

#[test]
fn random_edit_sequences_equal_fresh_builds() {
    let (mut compared, mut failed) = (0, 0);
    for seed in 1..=6u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let site = TestSite::new();
        let mut files: Vec<String> = Vec::new();
        for n in 0..4 {
            let path = format!("content/note-{n}.md");
            site.write(&path, note_text(&mut rng, n));
            files.push(path);
        }
        site.write("content/img/a.png", [1u8, 2, 3]);
        let options = BuildOptions {
            root: site.root().to_path_buf(),
            ..BuildOptions::default()
        };
        let mut project = Project::open(&options).unwrap();
        // Changes not yet applied because the site had an error, as the watch loop keeps them.
        let mut pending: Vec<String> = Vec::new();
        for step in 0..25 {
            let mut changed = Vec::new();
            let action = rng.below(9);
            match action {
                0..=2 if !files.is_empty() => {
                    let path = files[rng.below(files.len())].clone();
                    site.write(&path, note_text(&mut rng, step));
                    changed.push(path);
                }
                3 => {
                    let path = format!("content/sub/new-{step}.md");
                    site.write(&path, note_text(&mut rng, step));
                    files.push(path.clone());
                    changed.push(path);
                }
                4 if files.len() > 1 => {
                    let path = files.remove(rng.below(files.len()));
                    std::fs::remove_file(site.root().join(&path)).unwrap();
                    changed.push(path);
                }
                5 if !files.is_empty() => {
                    let i = rng.below(files.len());
                    let from = files[i].clone();
                    let to = format!("content/renamed-{step}.md");
                    std::fs::rename(site.root().join(&from), site.root().join(&to)).unwrap();
                    files[i] = to.clone();
                    changed.extend([from, to]);
                }
                6 => {
                    let css = format!("body {{ color: #{:06x}; }}", rng.next() % 0xFFFFFF);
                    site.write("themes/default/static/style.css", css);
                    for name in hugi::theme::REQUIRED_TEMPLATES {
                        let template =
                            format!("<title>{}</title><p>{{{{ page.title }}}} {step}</p>", name);
                        site.write(&format!("themes/default/templates/{name}"), template);
                    }
                    changed.push("themes/default/templates/note.html".into());
                }
                7 => {
                    // The image replaced by one of another size: pages show the new size.
                    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
                    png.extend((1 + rng.below(2000) as u32).to_be_bytes());
                    png.extend((1 + rng.below(2000) as u32).to_be_bytes());
                    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
                    site.write("content/img/a.png", png);
                    changed.push("content/img/a.png".into());
                }
                _ => {
                    let base = ["/", "https://example.org/notes/"][rng.below(2)];
                    site.write("config.toml", format!("base_url = \"{base}\"\n"));
                    changed.push("config.toml".into());
                }
            }
            let label = format!("seed {seed} step {step} action {action} {changed:?}");
            pending.extend(changed);
            // Half the steps go the preview server's way: pages first, then the site.
            let result = if step % 2 == 0 {
                project.rebuild(&Changes::of(pending.clone()))
            } else {
                project
                    .rebuild_pages(&Changes::of(pending.clone()))
                    .and_then(|_| project.refresh_site())
            };
            match result {
                Ok(_) => {
                    pending.clear();
                    assert_same_as_fresh(&site, &project, &label);
                    compared += 1;
                }
                Err(incremental) => {
                    let fresh = Project::open(&options).err().map(|e| e.to_string());
                    assert_eq!(fresh, Some(incremental.to_string()), "{label}");
                    failed += 1;
                }
            }
        }
    }
    // Both paths must really be exercised: mostly good sites, some broken ones.
    assert!(
        compared >= 100 && failed >= 3,
        "compared {compared}, failed {failed}"
    );
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site() {
    let site = TestSite::new();
    site.write("content/a.md", "# A\n## Talk : 하나\n- a\n");
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut project = Project::open(&options).unwrap();
    let before = project.artifacts();
    site.write("content/a.md", "+++\ntitle = \n+++\n");
    assert!(project.rebuild(&Changes::of(["content/a.md"])).is_err());
    assert_eq!(project.artifacts(), before);
    site.write("content/a.md", "# A\n## Talk : 둘\n- b\n");
    let report = project.rebuild(&Changes::of(["content/a.md"])).unwrap();
    assert!(report.changed.contains(&"a/둘/index.html".to_string()));
    assert!(
        report.changed.contains(&"a/하나/index.html".to_string()),
        "removed page is reported"
    );
    assert_eq!(report.notes_redone, 1);
}

#[test]
fn editing_one_note_redoes_only_that_note() {
    let site = TestSite::new();
    for n in 0..5 {
        site.write(
            &format!("content/n{n}.md"),
            format!("# N{n}\n## Talk : 세션 {n}\n- 내용\n"),
        );
    }
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut project = Project::open(&options).unwrap();
    site.write("content/n3.md", "# N3\n## Talk : 세션 3\n- 바뀐 내용\n");
    let report = project.rebuild(&Changes::of(["content/n3.md"])).unwrap();
    assert_eq!(report.notes_redone, 1);
    // The note's pages, and the feeds that carry its text; no other page.
    let (search, other): (Vec<&String>, Vec<&String>) = report
        .changed
        .iter()
        .partition(|p| p.starts_with("search/"));
    assert_eq!(
        other,
        [
            "atom.xml",
            "n3/index.html",
            "n3/세션-3/index.html",
            "tags/n3/atom.xml"
        ]
    );
    // The search index changes only where the edited words live.
    assert!(
        search.iter().any(|p| p.starts_with("search/s/")),
        "{search:?}"
    );
    assert!(search.len() <= 6, "{search:?}");
    assert_same_as_fresh(&site, &project, "one edit");
}

#[test]
fn site_pages_are_made_again_only_when_what_they_list_changed() {
    let site = TestSite::new();
    let long = "긴 첫 줄 ".repeat(40);
    let note = |last: &str| {
        format!("# 행사\n## Talk : 세션\n태그: 공통\n- {long}\n- {last}\n## Talk : 둘째\n- 내용\n")
    };
    site.write("content/a.md", note("마지막 줄"));
    site.write(
        "content/b.md",
        "# 다른 행사\n## Talk : 세션 B\n태그: 공통\n- 내용\n",
    );
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut project = Project::open(&options).unwrap();
    // A change past the description: lists show the same, so only the note's own pages are
    // made again (plus the feeds, which carry the whole text).
    site.write("content/a.md", note("고친 마지막 줄"));
    let report = project.rebuild(&Changes::of(["content/a.md"])).unwrap();
    assert_eq!(report.pages_redone, 3, "{report:?}");
    assert_same_as_fresh(&site, &project, "body edit");
    // A new session title is on the tag and event lists: they are made again.
    site.write(
        "content/a.md",
        note("고친 마지막 줄").replace("세션\n", "새 세션\n"),
    );
    let report = project.rebuild(&Changes::of(["content/a.md"])).unwrap();
    assert!(report.pages_redone > 3, "{report:?}");
    assert!(report.changed.contains(&"tags/공통/index.html".to_string()));
    assert_same_as_fresh(&site, &project, "title edit");
}

#[test]
fn reused_plans_and_tag_index_stay_right() {
    let site = TestSite::new();
    for n in 0..4 {
        site.write(
            &format!("content/2024-0{}-01-n{n}.md", n + 1),
            format!("# 행사 {n}\n## Talk : Django 세션 {n}\n태그: 공통\n- 내용 {n}\n## Talk : 둘째 {n}\n- 내용\n"),
        );
    }
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut project = Project::open(&options).unwrap();
    let edits = [
        // body only: plans and the tag index are reused
        "# 행사 1\n## Talk : Django 세션 1\n태그: 공통\n- 바뀐 내용\n## Talk : 둘째 1\n- 내용\n",
        // a tag changes spelling majority: other notes' chips change
        "# 행사 1\n## Talk : Django 세션 1\n태그: 공통, django, DJANGO\n- 바뀐 내용\n## Talk : 둘째 1\n- 내용\n",
        // a session title changes: its slug changes
        "# 행사 1\n## Talk : 새 제목\n태그: 공통\n- 바뀐 내용\n## Talk : 둘째 1\n- 내용\n",
        // the title changes: the order of notes and the note's slug stay, its title moves
        "# 가장 먼저 올 행사\n## Talk : 새 제목\n- 내용\n",
    ];
    for (step, text) in edits.iter().enumerate() {
        site.write("content/2024-02-01-n1.md", text);
        project
            .rebuild_pages(&Changes::of(["content/2024-02-01-n1.md"]))
            .and_then(|_| project.refresh_site())
            .unwrap();
        assert_same_as_fresh(&site, &project, &format!("edit {step}"));
    }
}

#[test]
fn related_sessions_follow_edits_of_other_notes() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "# 행사 A\n## Talk : 장고 이야기\n태그: Django\n- 내용\n",
    );
    site.write(
        "content/b.md",
        "# 행사 B\n## Talk : 장고 성능\n태그: Django\n- 내용\n",
    );
    site.write("content/c.md", "# 행사 C\n## Talk : 러스트\n- 내용\n");
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut project = Project::open(&options).unwrap();
    let page = |project: &Project| {
        let artifact = project
            .artifacts()
            .into_iter()
            .find(|a| a.path == "a/장고-이야기/index.html")
            .unwrap();
        match artifact.content {
            hugi::output::Content::Bytes(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
            other => panic!("{other:?}"),
        }
    };
    assert!(page(&project).contains(">장고 성능</a>"));
    site.write(
        "content/b.md",
        "# 행사 B\n## Talk : 장고 튜닝\n태그: Django\n- 내용\n",
    );
    project.rebuild(&Changes::of(["content/b.md"])).unwrap();
    assert!(
        page(&project).contains(">장고 튜닝</a>"),
        "the title changed in b"
    );
    assert_same_as_fresh(&site, &project, "retitle");
    site.write(
        "content/c.md",
        "# 행사 C\n## Talk : 러스트와 장고\n태그: Django\n- 내용\n",
    );
    project.rebuild(&Changes::of(["content/c.md"])).unwrap();
    assert!(
        page(&project).contains(">러스트와 장고</a>"),
        "c joined the tag"
    );
    assert_same_as_fresh(&site, &project, "new tag");
    site.write("content/b.md", "# 행사 B\n## Talk : 장고 튜닝\n- 내용\n");
    project.rebuild(&Changes::of(["content/b.md"])).unwrap();
    assert!(!page(&project).contains(">장고 튜닝</a>"), "b left the tag");
    assert_same_as_fresh(&site, &project, "tag removed");
}
