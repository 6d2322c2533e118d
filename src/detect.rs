//! Session detection: which headings of a note are talks that deserve pages of their own. People
//! put talks at any heading level, under track or day headings, between programme, venue and
//! closing sections, with or without kind words, numbers and speakers; so this reads the note's
//! heading tree rather than one level. Each heading is classed by what it says — a talk's kind
//! word (`Session 3 : …`, `키노트`), a number, a speaker, a link to slides or video; an
//! information section (`장소`, `프로그램`, `마치며`); a container that announces talks
//! (`## 발표세션`, `### 트랙 1`, `## 1일 차`) — and siblings are read together: where two or more
//! share a kind word or a numbering, plain headings among them are sections; where information
//! sections outnumber plain headings, those are not talks either. Containers, and levels with no
//! talk at all, are searched one level down. When nothing reads as a talk, the note gets no
//! session pages (a wrong split is worse than none). `[sessions]` in the config or front matter
//! overrides all of it: a level, the heading the talks sit under, or no sessions.

use std::cell::OnceCell;
use std::fmt;

use crate::talk::{SessionHead, SessionRule, person_name, split_speakers};

/// One heading of a note, as detection reads it.
#[derive(Debug, Clone, Copy)]
pub struct Heading<'a> {
    pub level: u8,
    /// The heading's text without markup.
    pub text: &'a str,
    /// The Markdown under the heading, up to the next heading of any level.
    pub body: &'a str,
    /// 1-based line in the file.
    pub line: usize,
    /// Whether the heading is a link (`### [제목](영상)`).
    pub is_link: bool,
    /// Whether only blank lines come before it in the note's body.
    pub opens_note: bool,
}

/// What the author said about a note's sessions, overriding detection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Override {
    #[default]
    Detect,
    /// No session pages.
    Off,
    /// Every heading of this level that is not an information section is a talk.
    Level(u8),
    /// Talks are the children of the heading with this text.
    Under(String),
}

/// How a note's talks were found, for `hugi check --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Read from the heading tree.
    Structure,
    /// `[sessions] level`.
    Level(u8),
    /// `[sessions] under`.
    Under(String),
    /// `sessions = false`.
    Off,
}

/// The outcome of detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// The index of the heading that is the note's title (a first `#` that is no talk).
    pub title: Option<usize>,
    /// Talk headings by index, with what they say.
    pub talks: Vec<(usize, SessionHead)>,
    pub rule: Rule,
    /// Why each heading that was considered is or is not a talk, in heading order.
    pub reasons: Vec<(usize, Reason)>,
}

/// Why a heading is, or is not, a talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    KindWord,
    Numbered,
    Speaker,
    Link,
    /// A plain heading among plain siblings.
    Plain,
    /// Under a heading that announces talks.
    Announced,
    Configured,
    /// An information section (`장소`, `마치며`).
    Information,
    /// It holds talks (`트랙 1`, `1일 차`, `발표세션`).
    Container,
    /// Its siblings share a kind word or numbering it lacks.
    OddOneOut,
    /// Information sections outnumber plain headings among its siblings.
    AmongInformation,
    /// Another heading elsewhere announces the talks.
    OutsideAnnounced,
    /// A section of a note that is the write-up of one talk.
    WriteUp,
}

impl Reason {
    pub fn is_talk(self) -> bool {
        matches!(
            self,
            Reason::KindWord
                | Reason::Numbered
                | Reason::Speaker
                | Reason::Link
                | Reason::Plain
                | Reason::Announced
                | Reason::Configured
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::KindWord => "talk: kind word",
            Reason::Numbered => "talk: numbered like its siblings",
            Reason::Speaker => "talk: names a speaker",
            Reason::Link => "talk: a link to the talk",
            Reason::Plain => "talk: a plain heading among plain siblings",
            Reason::Announced => "talk: under a heading that announces talks",
            Reason::Configured => "talk: as configured",
            Reason::Information => "not a talk: an information section",
            Reason::Container => "not a talk: holds talks",
            Reason::OddOneOut => "not a talk: its siblings share a kind word or numbering",
            Reason::AmongInformation => "not a talk: mostly information sections around it",
            Reason::OutsideAnnounced => "not a talk: the talks are announced elsewhere",
            Reason::WriteUp => "not a talk: a section of a write-up of one talk",
        })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Structure => f.write_str("the heading structure"),
            Rule::Level(level) => write!(f, "level {level} headings, as configured"),
            Rule::Under(name) => write!(f, "the headings under `{name}`, as configured"),
            Rule::Off => f.write_str("none: sessions are off for this note"),
        }
    }
}

/// Finds the talks among `headings`; `named` is the note's title when its front matter gives
/// one.
pub fn detect(
    headings: &[Heading<'_>],
    rule: &SessionRule,
    over: &Override,
    named: Option<&str>,
) -> Detection {
    // The title: a first `#` that is no talk, or a plain first heading that opens the note at
    // its highest level (`## 발표 제목` on the first line of a write-up of one talk).
    let top = headings.iter().map(|h| h.level).min();
    let title = headings
        .first()
        .filter(|h| {
            let look = Look::of(h, rule, None);
            !look.talk_shaped()
                && (h.level == 1
                    || h.opens_note
                        && Some(h.level) == top
                        && !look.info
                        && !look.speaker
                        && look.container.is_none())
        })
        .map(|_| 0);
    // A note titled by a heading of level 2 or deeper is a write-up of one talk: its other plain
    // headings are its sections.
    let write_up = title.is_some_and(|t| headings[t].level >= 2);
    let event = named.or(title.map(|t| headings[t].text));
    let looks = Looks {
        headings,
        rule,
        event,
        cells: (0..headings.len()).map(|_| OnceCell::new()).collect(),
    };
    let nodes: Vec<usize> = (0..headings.len()).filter(|&i| Some(i) != title).collect();
    let mut detection = Detection {
        title,
        talks: Vec::new(),
        rule: Rule::Structure,
        reasons: Vec::new(),
    };
    let configured = |i: usize| {
        let look = looks.get(i);
        if look.info && look.kind.is_none() {
            Reason::Information
        } else {
            Reason::Configured
        }
    };
    let mut reasons: Vec<(usize, Reason)> = Vec::new();
    match over {
        Override::Off => detection.rule = Rule::Off,
        Override::Level(level) => {
            detection.rule = Rule::Level(*level);
            let at_level = nodes.iter().filter(|&&i| headings[i].level == *level);
            reasons.extend(at_level.map(|&i| (i, configured(i))));
        }
        Override::Under(name) => {
            detection.rule = Rule::Under(name.clone());
            let key = normalise(name);
            let tree = Tree::new(headings, &nodes);
            for &parent in nodes
                .iter()
                .filter(|&&i| normalise(headings[i].text) == key)
            {
                let children = tree.children(Some(parent));
                reasons.extend(children.iter().map(|&i| (i, configured(i))));
            }
        }
        Override::Detect => {
            let tree = Tree::new(headings, &nodes);
            let context = Context {
                tree: &tree,
                looks: &looks,
                headings,
                nodes: &nodes,
                write_up,
                announced: OnceCell::new(),
            };
            context.visit(None, false, &mut reasons);
            reasons.sort_by_key(|(i, _)| *i);
        }
    }
    for (i, reason) in reasons {
        detection.reasons.push((i, reason));
        if reason.is_talk() {
            detection.talks.push((i, looks.get(i).head(&headings[i])));
        }
    }
    detection
}

/// What each heading says, worked out the first time it is asked (most headings of a note are
/// inside talks and never are).
struct Looks<'a> {
    headings: &'a [Heading<'a>],
    rule: &'a SessionRule,
    /// The note's title, which headings that only name the event repeat.
    event: Option<&'a str>,
    cells: Vec<OnceCell<Look>>,
}

impl Looks<'_> {
    fn get(&self, i: usize) -> &Look {
        self.cells[i].get_or_init(|| Look::of(&self.headings[i], self.rule, self.event))
    }
}

/// The heading tree without the title: each heading's parent is the nearest heading before it
/// with a lower level.
struct Tree {
    /// Children of each heading by index, and of the root at the end.
    children: Vec<Vec<usize>>,
}

impl Tree {
    fn new(headings: &[Heading<'_>], nodes: &[usize]) -> Tree {
        let root = headings.len();
        let mut children = vec![Vec::new(); root + 1];
        let mut stack: Vec<usize> = Vec::new();
        for &i in nodes {
            while stack
                .last()
                .is_some_and(|&top| headings[top].level >= headings[i].level)
            {
                stack.pop();
            }
            children[stack.last().copied().unwrap_or(root)].push(i);
            stack.push(i);
        }
        Tree { children }
    }

    fn children(&self, parent: Option<usize>) -> &[usize] {
        &self.children[parent.unwrap_or(self.children.len() - 1)]
    }
}

struct Context<'a> {
    tree: &'a Tree,
    looks: &'a Looks<'a>,
    headings: &'a [Heading<'a>],
    /// Every heading but the title.
    nodes: &'a [usize],
    /// The note is a write-up of one talk (see [`detect`]).
    write_up: bool,
    /// Whether some heading announces the talks under it (worked out when first needed).
    announced: OnceCell<bool>,
}

impl Context<'_> {
    /// Classes the children of `parent`, then searches the ones that are no talk one level down.
    /// `inside` says whether an announcing heading is above them.
    fn visit(&self, parent: Option<usize>, inside: bool, out: &mut Vec<(usize, Reason)>) {
        let siblings = self.tree.children(parent);
        if siblings.is_empty() {
            return;
        }
        let looks = |i: usize| self.looks.get(i);
        let kinds = siblings
            .iter()
            .filter(|&&i| looks(i).kind.is_some())
            .count();
        let numbered = numbered_run(siblings.iter().map(|&i| looks(i).number));
        let shaped = kinds >= 2 || numbered >= 2;
        let info = siblings
            .iter()
            .filter(|&&i| looks(i).info || self.container(i) == Some(Container::Grouping))
            .count();
        let plain = siblings
            .iter()
            .filter(|&&i| self.is_plain(i) && !self.holds_talks(i))
            .count();
        // A sibling that announces talks holds them: plain headings beside it are not talks.
        let announcer_beside = siblings
            .iter()
            .any(|&i| self.container(i) == Some(Container::Announcing));
        let mut found = Vec::new();
        let mut descend = Vec::new();
        for &i in siblings {
            let look = looks(i);
            let reason = if look.kind.is_some() {
                Reason::KindWord
            } else if look.info {
                Reason::Information
            } else if let Some(container) = self.container(i) {
                descend.push((i, inside || container == Container::Announcing));
                Reason::Container
            } else if look.container == Some(Container::Grouping) {
                // A track or day heading with nothing under it.
                Reason::Information
            } else if look.number.is_some() && numbered >= 2 {
                Reason::Numbered
            } else if shaped {
                Reason::OddOneOut
            } else if self.holds_talks(i) {
                descend.push((i, inside));
                Reason::Container
            } else if self.write_up && parent.is_none() {
                Reason::WriteUp
            } else if !inside && self.announced() || announcer_beside {
                Reason::OutsideAnnounced
            } else if inside {
                Reason::Announced
            } else if look.speaker {
                Reason::Speaker
            } else if look.link {
                Reason::Link
            } else if info > plain {
                Reason::AmongInformation
            } else {
                Reason::Plain
            };
            // A write-up's sections hold its points, not talks (unless they read as holders).
            if !reason.is_talk() && !matches!(reason, Reason::Container | Reason::WriteUp) {
                descend.push((i, inside));
            }
            found.push((i, reason));
        }
        let any_talk = found.iter().any(|(_, r)| r.is_talk());
        out.extend(found);
        for (i, inside) in descend {
            // Below a level that has talks, only containers (and sections whose children read
            // as talks on their own) are searched.
            if any_talk && self.container(i).is_none() && !self.holds_talks(i) {
                continue;
            }
            self.visit(Some(i), inside, out);
        }
    }

    /// Whether some heading announces the talks under it: it announces talks (only headings
    /// that mention talks at all are looked at) and holds a heading that is neither an
    /// information section nor a holder.
    fn announced(&self) -> bool {
        *self.announced.get_or_init(|| {
            self.nodes.iter().any(|&i| {
                mentions_talks(self.headings[i].text)
                    && self.looks.get(i).container == Some(Container::Announcing)
                    && self.tree.children(Some(i)).iter().any(|&c| {
                        let look = self.looks.get(c);
                        !look.info && look.container.is_none()
                    })
            })
        })
    }

    /// The holder a heading is, when it holds headings: one that announces talks or names a
    /// track with nothing under it is an ordinary heading.
    fn container(&self, i: usize) -> Option<Container> {
        self.looks
            .get(i)
            .container
            .filter(|_| !self.tree.children(Some(i)).is_empty())
    }

    fn is_plain(&self, i: usize) -> bool {
        // An announcing heading with nothing under it is an ordinary one; a childless track or
        // day heading is not plain (it counts as information).
        let look = self.looks.get(i);
        look.kind.is_none()
            && !look.info
            && self.container(i).is_none()
            && look.container != Some(Container::Grouping)
    }

    /// Whether a heading's children read as talks on their own: kind words, or two or more with
    /// speakers, numbers in sequence or links.
    fn holds_talks(&self, i: usize) -> bool {
        let children = self.tree.children(Some(i));
        let looks = |c: &usize| self.looks.get(*c);
        let own_text = self.headings[i].body.trim().chars().count();
        let with_speakers = children
            .iter()
            .filter(|c| looks(c).speaker || looks(c).link)
            .count();
        children.iter().any(|c| looks(c).kind.is_some())
            || with_speakers >= 2
            || (with_speakers == 1 && own_text < 40)
            || (self.looks.get(i).info || self.headings[i].body.trim().is_empty())
                && numbered_run(children.iter().map(|c| looks(c).number)) >= 2
    }
}

/// The length of the longest run of numbers going up by one (1, 2, 3 or 0, 1, 2) among `numbers`,
/// skipping headings without a number.
fn numbered_run(numbers: impl Iterator<Item = Option<u32>>) -> usize {
    let (mut best, mut run, mut last) = (0, 0, None::<u32>);
    for n in numbers.flatten() {
        run = match last {
            Some(l) if n == l + 1 => run + 1,
            _ => 1,
        };
        last = Some(n);
        best = best.max(run);
    }
    best
}

/// What kind of holder a heading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// It announces talks (`발표세션`, `세션 소개`, `들은 세션`).
    Announcing,
    /// A track, a room or a day (`트랙 1`, `Track A`, `1일 차`, `Day 2`).
    Grouping,
}

/// What one heading says on its own.
#[derive(Debug, Clone, Default)]
struct Look {
    /// A talk by its kind word (`Session 3 : 제목`, `키노트`, `Keynote #2`).
    kind: Option<SessionHead>,
    number: Option<u32>,
    speaker: bool,
    link: bool,
    info: bool,
    container: Option<Container>,
}

impl Look {
    /// What `heading` says, in a note about `event` (its title).
    fn of(heading: &Heading<'_>, rule: &SessionRule, event: Option<&str>) -> Look {
        let text = clean_heading(heading.text);
        let (number, rest) = leading_number(&text);
        let kind = rule.session(rest).or_else(|| {
            kind_alone(rest, rule).map(|(kind, bare)| match bare {
                true => titled_by_quote(kind, heading.body),
                false => kind,
            })
        });
        let key = normalise(rest);
        let info = kind.is_none()
            && (rule.is_note_section(rest)
                || is_information(&key, rest)
                || event.is_some_and(|e| names_the_event(rest, e)));
        let container = if kind.is_some() || info {
            None
        } else {
            container_of(&key, rest)
        };
        let (_, speakers) = speakers_of(rest);
        Look {
            speaker: !speakers.is_empty() || quote_names_speaker(heading.body),
            link: heading.is_link || links_to_talk(heading.body),
            kind,
            number,
            info,
            container,
        }
    }

    /// Whether a heading looks like a talk by itself (so a first `#` of this shape is no title).
    fn talk_shaped(&self) -> bool {
        self.kind.is_some() || self.number.is_some()
    }

    /// What the talk heading says: its kind, title and speakers.
    fn head(&self, heading: &Heading<'_>) -> SessionHead {
        if let Some(head) = &self.kind {
            return head.clone();
        }
        let text = clean_heading(heading.text);
        let (_, rest) = leading_number(&text);
        let (title, speakers) = speakers_of(rest);
        // A written number stays in the title (URLs of existing notes keep it); a keycap goes.
        let number = &text[..text.len() - rest.len()];
        let title = if number.is_empty() || number.contains('\u{20E3}') {
            title
        } else {
            format!("{number}{title}")
        };
        SessionHead {
            kind: String::new(),
            room: None,
            title,
            speakers,
        }
    }
}

/// The heading without a trailing id (`{#id}`, `{/*id*/}`) and surrounding emoji or spaces.
fn clean_heading(text: &str) -> String {
    let mut text = text.trim();
    if let Some(at) = text.rfind('{')
        && text.ends_with('}')
        && (text[at..].starts_with("{#") || text[at..].starts_with("{/*"))
    {
        text = text[..at].trim_end();
    }
    let decorative = |c: char| {
        !(c.is_alphanumeric() || c.is_ascii_punctuation() || c == '‘' || c == '“')
            || is_emoji_like(c)
    };
    let start = text.find(|c: char| !decorative(c) || c.is_ascii_digit());
    let text = start.map_or("", |s| &text[s..]);
    let end = text
        .char_indices()
        .rev()
        .find(|(_, c)| !decorative(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    text[..end].trim().to_string()
}

fn is_emoji_like(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF | 0xFE0F | 0x20E3 | 0x200D)
}

/// A leading `1.`, `2)`, `03 -` or keycap `1️⃣`, and the text after it.
fn leading_number(text: &str) -> (Option<u32>, &str) {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return (None, text);
    }
    let rest = &text[digits..];
    let keycap = rest.trim_start_matches('\u{FE0F}');
    let after = if let Some(r) = keycap.strip_prefix('\u{20E3}') {
        r
    } else if let Some(r) = rest.strip_prefix(['.', ')']) {
        r
    } else {
        return (None, text);
    };
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return (None, text);
    }
    let number = text[..digits].parse().ok();
    let after = after.trim_start();
    if after.is_empty() {
        return (None, text);
    }
    (number, after)
}

/// Lowercase letters and digits only, for comparing words.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words of a heading that name a talk by themselves, with an optional number (`키노트`,
/// `Keynote 1`, `keynote #3`, `Session 4`, `오프닝`).
const STANDALONE_KINDS: &[&str] = &[
    "keynote",
    "키노트",
    "기조연설",
    "오프닝",
    "opening",
    "클로징",
    "closing",
    "패널토크",
    "패널톡",
    "paneltalk",
    "panel",
    "패널",
    "토크콘서트",
];

/// The heading as a talk named by its kind: a talk kind alone, or a session kind word of the
/// config with a number, which is `bare`
/// (`Keynote 1`, `키노트`), or a title ending in a kind that is a talk by itself
/// (`공개SW 메인테이너 토크콘서트`).
fn kind_alone(text: &str, rule: &SessionRule) -> Option<(SessionHead, bool)> {
    let key = normalise(text);
    let letters: String = key.chars().filter(|c| !c.is_ascii_digit()).collect();
    let has_number = letters.len() < key.len();
    let bare = STANDALONE_KINDS.contains(&letters.as_str()) || has_number && rule.is_kind(&letters);
    let last = text
        .split_whitespace()
        .last()
        .map(normalise)
        .unwrap_or_default();
    let ending = STANDALONE_KINDS.contains(&last.as_str()) && last.chars().count() >= 3;
    let head = SessionHead {
        kind: String::new(),
        room: None,
        title: text.trim().to_string(),
        speakers: Vec::new(),
    };
    (bare || ending).then_some((head, bare))
}

/// A talk heading named only by its kind takes its title from a quote right under it
/// (`> 제목` then `>> 발표자(소속)`), unless the quote names a person.
fn titled_by_quote(mut head: SessionHead, body: &str) -> SessionHead {
    let quote: Vec<&str> = body
        .trim_start()
        .lines()
        .take_while(|l| l.trim_start().starts_with('>'))
        .map(|l| l.trim_start().trim_start_matches(['>', ' ']).trim())
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = quote.first() else {
        return head;
    };
    if names_person(first) {
        // `> 이름` first, then lines about them: the title, if any, is the last line, when it
        // names nobody.
        head.speakers = people_in(first);
        if let Some(last) = quote.last().filter(|l| quote.len() > 1 && !names_person(l))
            && last.split_whitespace().count() >= 2
        {
            head.title = last.to_string();
        }
        return head;
    }
    head.title = first.to_string();
    if let Some(second) = quote.get(1) {
        head.speakers = people_in(second);
    }
    head
}

/// Job titles and roles that mark a line as naming a person.
const ROLES: &[&str] = &[
    "교수",
    "부교수",
    "이사",
    "대표",
    "차장",
    "부장",
    "과장",
    "팀장",
    "실장",
    "수석",
    "책임",
    "선임",
    "엔지니어",
    "아키텍트",
    "개발자",
    "연구원",
    "매니저",
    "리드",
    "lead",
    "님",
    "cto",
    "ceo",
    "vp",
    "engineer",
    "architect",
    "developer",
    "manager",
];

/// Whether a line names a person: a role word, or nothing but a name.
fn names_person(line: &str) -> bool {
    let words: Vec<String> = line.split_whitespace().map(normalise).collect();
    words
        .iter()
        .any(|w| ROLES.contains(&w.as_str()) || ROLES.iter().any(|r| w.ends_with(r) && r.len() > 3))
        || person_name(line).is_some()
}

/// The people a line names: `이름(소속), 이름(소속)`, or a name among role words.
fn people_in(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in line.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            ',' | '，' if depth == 0 => {
                parts.push(&line[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&line[start..]);
    for part in parts {
        if let Some(name) = person_name(part) {
            names.push(name);
        } else if let Some(name) = part
            .split_whitespace()
            .filter(|w| !ROLES.contains(&normalise(w).as_str()))
            .find_map(|w| person_name(w).filter(|n| n.chars().count() == 3))
        {
            names.push(name);
        }
    }
    names
}

/// Whether the first lines under a heading name its speaker (`> AWS 김일호 솔루션즈 아키텍트`).
fn quote_names_speaker(body: &str) -> bool {
    let first = body.trim_start().lines().next().unwrap_or("").trim_start();
    first.starts_with('>') && names_person(first.trim_start_matches(['>', ' ']))
}

/// Whether the first lines under a heading link to the talk's slides or video.
fn links_to_talk(body: &str) -> bool {
    let start: String = body.trim_start().chars().take(400).collect();
    let lower = start.to_lowercase();
    [
        "발표자료",
        "발표 자료",
        "발표영상",
        "발표 영상",
        "slides",
        "youtu",
        "speakerdeck",
        "slideshare",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The title and speakers of a plain talk heading: `제목 - 이름`, `이름 | 제목`, `이름 : 제목`,
/// `이름님 '제목'`, `제목 (이름님)`.
fn speakers_of(text: &str) -> (String, Vec<String>) {
    let (title, speakers) = split_speakers(text);
    if !speakers.is_empty() {
        return (title, speakers);
    }
    for separator in [" | ", " : ", ": ", " - "] {
        if let Some((name, title)) = text.split_once(separator)
            && let Some(name) = person_name(name)
            && !title.trim().is_empty()
        {
            return (title.trim().to_string(), vec![name]);
        }
    }
    if let Some(at) = text.find("님 ")
        && let Some(name) = person_name(&text[..at + "님".len()])
    {
        let title = text[at + "님 ".len()..].trim();
        let title = title.trim_matches(['\'', '"', '‘', '’', '“', '”']).trim();
        if !title.is_empty() {
            return (title.to_string(), vec![name]);
        }
    }
    // `제목 (이름님)`: the name stays in the title, as notes have always had it.
    if let Some(open) = text.rfind(['(', '（'])
        && text.ends_with([')', '）'])
        && text[open + 1..].contains('님')
        && let Some(name) = person_name(&text[open + 1..text.len() - closing_len(text)])
    {
        return (text.to_string(), vec![name]);
    }
    (text.to_string(), Vec::new())
}

fn closing_len(text: &str) -> usize {
    text.chars().last().map_or(0, char::len_utf8)
}

/// Words of sections about the event rather than a talk: they make a heading an information
/// section when it ends with one of them, or when it is only such words.
const INFORMATION: &[&str] = &[
    "개요",
    "안내",
    "공지",
    "일정",
    "행사일정",
    "시간표",
    "타임테이블",
    "문의",
    "신청",
    "참가신청",
    "신청페이지",
    "등록",
    "장소",
    "위치",
    "오시는길",
    "찾아가는길",
    "교통",
    "주차",
    "프로그램",
    "아젠다",
    "agenda",
    "자료",
    "발표자료",
    "세미나자료",
    "참고",
    "참고자료",
    "참고링크",
    "링크",
    "후원",
    "후원사",
    "스폰서",
    "sponsors",
    "운영진",
    "발표자",
    "연사",
    "발표자소개",
    "연사소개",
    "발표제안",
    "소개",
    "정보",
    "세션정보",
    "인증샷",
    "사진",
    "총평",
    "느낀점",
    "배운점",
    "마치며",
    "마무리",
    "맺으며",
    "끝으로",
    "감사드립니다",
    "감사합니다",
    "그리고",
    "부스",
    "이벤트",
    "경품",
    "굿즈",
    "점심",
    "식사",
    "네트워킹",
    "networking",
    "뒤풀이",
    "qa",
    "질의응답",
    "질문",
    "메모",
    "목차",
    "intro",
    "outro",
    "summary",
    "경과보고",
    "faq",
    "booth",
    "결과보고",
    "개최",
    "통계",
];

/// Words that name the event or its parts without being a talk's subject.
const EVENT_WORDS: &[&str] = &[
    "오픈",
    "컨퍼런스",
    "콘퍼런스",
    "세미나",
    "행사",
    "밋업",
    "meetup",
    "conference",
    "발표",
    "및",
    "와",
    "과",
    "그",
    "전",
    "후",
    "시간",
    "커뮤니티",
    "존",
];

/// `2023년`, `2020년도`: a year, as in an index of several events.
fn is_year(key: &str) -> bool {
    let digits = key.len() - key.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits == 4 && matches!(&key[4..], "" | "년" | "년도")
}

/// Whether a heading is an information section: it ends with an information word, or is only
/// information and event words.
fn is_information(key: &str, text: &str) -> bool {
    if key.is_empty() || is_year(key) || INFORMATION.contains(&key) {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '/' || c == '&' || c == ',')
        .map(normalise)
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let Some(last) = words.last() else {
        return true;
    };
    let strong_last = INFORMATION
        .iter()
        .any(|w| last == w || (last.ends_with(w) && w.chars().count() >= 2 && last != "발표"))
        && !matches!(last.as_str(), "소개" | "정리");
    let only_info = words.iter().all(|w| {
        INFORMATION.contains(&w.as_str())
            || EVENT_WORDS.contains(&w.as_str())
            || INFORMATION
                .iter()
                .any(|i| (w.ends_with(i) || w.starts_with(i)) && i.chars().count() >= 2)
    });
    // `소개` and `정리` end talk titles too (`PyTorch 재단 및 글로벌 현황 소개`): alone or after
    // event words only, they are information.
    strong_last || only_info
}

/// Whether a heading only names the event (`DEVIEW 2023` or `인프콘 후기` in a note titled
/// `인프콘 2022 후기`): every word of it, numbers aside, is in the title or is an information word.
fn names_the_event(text: &str, title: &str) -> bool {
    let title = normalise(title);
    let words: Vec<String> = text
        .split_whitespace()
        .map(normalise)
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let in_title = |w: &String| title.contains(w.trim_end_matches(|c: char| c.is_ascii_digit()));
    !words.is_empty()
        && words.iter().any(in_title)
        && words
            .iter()
            .all(|w| in_title(w) || matches!(w.as_str(), "후기" | "참석후기" | "정리" | "소개"))
}

/// Words in a heading that announces talks (`발표세션`, `들은 세션들`, `Talks`).
const ANNOUNCING: &[&str] = &["세션", "발표", "강연", "session", "talk"];

/// Whether a heading's text has one of the [`ANNOUNCING`] words, without allocating.
fn mentions_talks(text: &str) -> bool {
    ANNOUNCING.iter().any(|w| {
        text.as_bytes()
            .windows(w.len())
            .any(|window| window.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// Whether a heading holds talks: it announces them, or names a track, room or day.
fn container_of(key: &str, text: &str) -> Option<Container> {
    let letters: String = key.chars().filter(|c| !c.is_ascii_digit()).collect();
    let has_number = letters.len() < key.len();
    let grouping = ["트랙", "track", "룸", "room", "일차", "day", "홀", "hall"];
    if has_number && grouping.contains(&letters.as_str()) {
        return Some(Container::Grouping);
    }
    if key.chars().count() > 30 {
        return None;
    }
    let words: Vec<String> = text.split_whitespace().map(normalise).collect();
    let announces = words.iter().any(|w| {
        ANNOUNCING
            .iter()
            .any(|a| w.starts_with(a) && w.len() <= a.len() + 9 || w.ends_with(a))
    });
    announces.then_some(Container::Announcing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SessionConfig;

    fn headings(text: &'static str) -> Vec<Heading<'static>> {
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            let hashes = line.len() - line.trim_start_matches('#').len();
            if hashes == 0 || !line[hashes..].starts_with(' ') {
                continue;
            }
            let start = text.find(line).unwrap() + line.len();
            let rest = &text[start..];
            let end = rest.find("\n#").map_or(rest.len(), |e| e + 1);
            let heading = line[hashes..].trim();
            out.push(Heading {
                level: hashes as u8,
                text: heading,
                body: &rest[..end],
                line: n + 1,
                is_link: heading.starts_with('['),
                opens_note: out.is_empty() && text[..text.find(line).unwrap()].trim().is_empty(),
            });
        }
        out
    }

    fn talks(text: &'static str) -> Vec<String> {
        let rule = SessionRule::new(&SessionConfig::default()).unwrap();
        detect(&headings(text), &rule, &Override::Detect, None)
            .talks
            .into_iter()
            .map(|(_, h)| h.title)
            .collect()
    }

    #[test]
    fn kind_words_at_any_level_and_titles_from_quotes() {
        let found = talks(
            "# Keynote 1\n>미래의 앱\n>>김철수(구글)\n\n### 소제목\n\n# Session 2\n>데이터 이야기\n\n# Session 3 - 세 번째\n",
        );
        assert_eq!(found, ["미래의 앱", "데이터 이야기", "세 번째"]);
    }

    #[test]
    fn numbered_talks_under_a_title_with_subsections() {
        let found = talks(
            "# AWS SUMMIT 2019\n\n# 1. 서버리스 이야기\n## Tip - 람다\n내용\n# 2. 컨테이너 이야기\n## 정리\n",
        );
        assert_eq!(found, ["1. 서버리스 이야기", "2. 컨테이너 이야기"]);
    }

    #[test]
    fn talks_under_an_announcing_heading_and_tracks() {
        let found = talks(
            "# 행사\n## 신청 페이지\n링크\n## 발표세션\n### [첫 발표](https://youtu.be/a)\n내용\n### 둘째 발표\n내용\n## 문의\n메일\n",
        );
        assert_eq!(found, ["[첫 발표](https://youtu.be/a)", "둘째 발표"]);
        let found = talks(
            "# 행사\n### 트랙 1\n#### Session 1 - 같은 제목\n내용\n#### Session 2 - 둘\n### 트랙 2\n#### Session 1 - 같은 제목\n",
        );
        assert_eq!(found, ["같은 제목", "둘", "같은 제목"]);
    }

    #[test]
    fn information_sections_hold_no_talk() {
        assert!(
            talks(
                "# 행사\n## 신청 페이지\n링크\n## 프로그램\n표\n## 장소\n코엑스\n## 문의\n메일\n"
            )
            .is_empty()
        );
        assert!(talks("## 오픈 컨퍼런스 개요\n글\n## 오픈 컨퍼런스 프로그램 및 발표 자료\n표\n## 세미나 개최 경과보고\n글\n").is_empty());
        let days = talks("## 1일 차\n글\n## 2일 차\n글\n## Q&A\n글\n");
        assert!(days.is_empty(), "{days:?}");
    }

    #[test]
    fn plain_talks_keep_working_and_odd_ones_out_are_sections() {
        let found = talks(
            "## 소개\n글\n## RxJava 구독 - 박수빈\n글\n## 오프라인과 앱\n글\n## 네트워킹 시간\n",
        );
        assert_eq!(found, ["RxJava 구독", "오프라인과 앱"]);
        let found = talks("## 소개\n### 첫 발표\n- 내용\n### 둘째 발표\n- 내용\n");
        assert_eq!(
            found,
            ["첫 발표", "둘째 발표"],
            "talks one level under a note section"
        );
        let found = talks(
            "## 시작 전 10분 모습\n사진\n## 세션 1: 하나\n글\n## 세션 2: 둘\n글\n## Networking: 피맥\n",
        );
        assert_eq!(found, ["하나", "둘"]);
        let found =
            talks("# 후기\n## 👏 총평\n글\n## 📸 인증샷\n사진\n### 1. 첫째\n글\n### 2. 둘째\n글\n");
        assert_eq!(found, ["1. 첫째", "2. 둘째"]);
    }

    #[test]
    fn speakers_first_and_quoted() {
        let found = talks(
            "## 1️⃣ 이제응 | PyTorch Foundation\n글\n## 2️⃣ 김솔 | LLM 여정\n글\n## 💡 Q&A 세션 💡\n## 마치며\n",
        );
        assert_eq!(found, ["PyTorch Foundation", "LLM 여정"]);
        let rule = SessionRule::new(&SessionConfig::default()).unwrap();
        let hs = headings("## 고승범 : 카프카 이야기\n글\n## 미정님 '제목 미정'\n글\n");
        let d = detect(&hs, &rule, &Override::Detect, None);
        let heads: Vec<(String, Vec<String>)> = d
            .talks
            .into_iter()
            .map(|(_, h)| (h.title, h.speakers))
            .collect();
        assert_eq!(
            heads,
            [
                ("카프카 이야기".to_string(), vec!["고승범".to_string()]),
                ("제목 미정".to_string(), vec!["미정".to_string()])
            ]
        );
    }

    #[test]
    fn a_write_up_of_one_talk_has_sections_not_talks() {
        let found = talks(
            "## 나도 내 코드의 문제를 찾고 싶다\n### 목차\n- 하나\n## 기본적인 세 가지\n### 테스트 케이스\n글\n### 요구사항\n글\n## 더 나아가면\n글\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let found = talks("## 소개\n글\n## 첫 발표\n글\n## 둘째 발표\n글\n");
        assert_eq!(
            found,
            ["첫 발표", "둘째 발표"],
            "an information heading is no title"
        );
        let found = talks("## 행사 후기\n## Session 1 : 하나\n글\n## Session 2 : 둘\n글\n");
        assert_eq!(found, ["하나", "둘"], "kind words still make talks");
    }

    #[test]
    fn overrides() {
        let rule = SessionRule::new(&SessionConfig::default()).unwrap();
        let hs = headings("# 행사\n## 소개\n## 둘\n### 셋\n### 넷\n");
        let titles = |o: Override| -> Vec<String> {
            detect(&hs, &rule, &o, None)
                .talks
                .into_iter()
                .map(|(_, h)| h.title)
                .collect()
        };
        assert_eq!(titles(Override::Level(3)), ["셋", "넷"]);
        assert_eq!(titles(Override::Under("둘".into())), ["셋", "넷"]);
        assert!(titles(Override::Off).is_empty());
    }
}
