//! Snapshots of the HTML a session renders to, so any change to Markdown rendering shows up in
//! review.

use hugi::output::Content;
use hugi::project::BuildOptions;
use hugi::project::Project;

#[test]
fn seed_style_session_html() {
    let options = BuildOptions {
        root: "tests/fixtures/seed-style".into(),
        ..BuildOptions::default()
    };
    let project = Project::open(&options).unwrap();
    let note = &project.site().notes[0];
    for slug in [
        "civic-py-civic-tech-txt",
        "backend-ai에-점진적-typing-적용하기",
        "django-orm-queryset-구조와-원리",
    ] {
        let session = note.sessions.iter().find(|s| s.slug == slug).unwrap();
        insta::assert_snapshot!(slug, session.html);
    }
    let page = project
        .artifact("pycon-2020/backend-ai에-점진적-typing-적용하기/index.html")
        .unwrap();
    let Content::Bytes(bytes) = page else {
        panic!("page is not rendered bytes")
    };
    insta::assert_snapshot!("session_page", String::from_utf8_lossy(bytes));
}
