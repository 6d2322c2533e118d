//! Parsing the shapes of a real user's notes (written fresh in the seed's style under
//! `tests/fixtures/seed-style`): sessions with kinds and rooms, the `배운 점` section, an empty
//! session, and the Markdown each session keeps.

use hugi::config::Config;
use hugi::load::Source;
use hugi::note::{PartKind, parse};
use hugi::talk::SessionRule;

fn seed_note() -> hugi::note::Note {
    let text =
        std::fs::read_to_string("tests/fixtures/seed-style/content/2020-09-26-pycon-2020.md")
            .unwrap();
    let source = Source {
        path: "2020-09-26-pycon-2020.md".into(),
        text,
    };
    let config = Config::default();
    let rule = SessionRule::new(&config.sessions).unwrap();
    parse(&source, "content/2020-09-26-pycon-2020.md", &config, &rule).unwrap()
}

#[test]
fn sessions_kinds_rooms_and_titles() {
    let note = seed_note();
    // The seed's style keeps the kind-word rule: exactly these sessions, nothing else.
    let reasons: Vec<hugi::detect::Reason> = note.detection.headings.iter().map(|h| h.3).collect();
    assert_eq!(
        reasons
            .iter()
            .filter(|r| **r == hugi::detect::Reason::KindWord)
            .count(),
        8,
        "every session by its kind word: {reasons:?}"
    );
    assert_eq!(note.title, "PyCon 2020 후기");
    assert_eq!(note.date.unwrap().iso(), "2020-09-26");
    let sessions: Vec<(String, Option<String>, String)> = note
        .sessions()
        .map(|(_, s)| (s.kind.clone(), s.room.clone(), s.title.clone()))
        .collect();
    let expected = [
        ("Keynote", None, "오픈소스가 교실에 들어갈 때"),
        ("Keynote", None, "civic.py / civic-tech.txt"),
        ("Keynote", None, "Blink Your Desk, with Python and LEDs!"),
        (
            "Session",
            Some("101"),
            "파이썬으로 구현하는 신경세포 시뮬레이터",
        ),
        (
            "Session",
            Some("103"),
            "금융 문서를 위한 언어 모델 톺아보기",
        ),
        ("Session", Some("101"), "Django ORM (QuerySet)구조와 원리"),
        ("Session", Some("101"), "대본 프롬프터의 문장 유사도"),
        (
            "Session",
            Some("102"),
            "Backend.AI에 점진적 typing 적용하기",
        ),
    ];
    let expected: Vec<(String, Option<String>, String)> = expected
        .iter()
        .map(|(k, r, t)| (k.to_string(), r.map(String::from), t.to_string()))
        .collect();
    assert_eq!(sessions, expected);
}

#[test]
fn learned_section_stays_on_the_note() {
    let note = seed_note();
    let last = note.parts.last().unwrap();
    assert_eq!(last.kind, PartKind::Section);
    assert_eq!(last.heading.as_ref().unwrap().text, "배운 점");
    assert!(note.markdown(last).contains("발표자도 참가비를 낸다."));
}

#[test]
fn empty_session_and_session_bodies() {
    let note = seed_note();
    let bodies: Vec<&str> = note.sessions().map(|(p, _)| note.markdown(p)).collect();
    assert_eq!(bodies[6].trim(), "", "the prompter session has no notes");
    assert!(bodies[1].contains("|Budget Map|예산 집행 내역 시각화|"));
    assert!(bodies[3].contains("    - Keras <-> Nengo 변환 가능"));
    assert!(bodies[7].contains("***분리***"));
    // A session runs to the next `##`: its `###` subsections stay inside.
    assert!(bodies[5].contains("### QuerySet 특 : Lazy Loading"));
}
