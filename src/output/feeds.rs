//! Machine-readable outputs: Atom 1.0 feeds (the whole site and one per tag), `sitemap.xml`
//! and `robots.txt`. Written directly rather than through templates so they are always
//! well-formed XML with absolute, percent-encoded URLs.

use std::fmt::Write;

use super::SiteView;
use crate::site::{NoteEntry, SessionEntry};

/// How many sessions a feed carries.
pub const FEED_ENTRIES: usize = 50;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    // Noncharacters (U+FFFE and U+FFFF are not XML characters at all; the others are
    // discouraged) are dropped first, in the rare text that has any.
    // Their UTF-8 starts with 0xEF or a four-byte lead; Hangul and ASCII skip the scan.
    if text.bytes().any(|b| b == 0xEF || b >= 0xF0) && text.chars().any(is_noncharacter) {
        let kept: String = text.chars().filter(|c| !is_noncharacter(*c)).collect();
        return xml_escape(&kept);
    }
    let mut out = String::with_capacity(text.len());
    // Runs between the bytes that change are copied whole; those bytes are ASCII, so every cut
    // falls between characters.
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            // Characters XML 1.0 forbids.
            0x00..=0x1F if !matches!(byte, b'\t' | b'\n' | b'\r') => "",
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(replacement);
        run = at + 1;
    }
    out.push_str(&text[run..]);
    out
}

/// U+FDD0–U+FDEF, and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE…).
fn is_noncharacter(c: char) -> bool {
    let code = c as u32;
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Percent-encodes what a URI may not contain (non-ASCII, spaces, quotes), keeping `/`, `:`,
/// `#`, `?`, `%` and the other reserved characters.
pub fn encode_url(url: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(url.len() * 2);
    for byte in url.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

/// An absolute, encoded URL for a site path like `/notes/pycon/`.
fn absolute(view: &SiteView<'_>, site_path: &str) -> String {
    let relative = site_path.strip_prefix(&view.base_path).unwrap_or(site_path);
    encode_url(&view.permalink(relative))
}

/// An id for an entry: its absolute URL, or a `tag:` URI when the site has no host.
fn id(view: &SiteView<'_>, site_path: &str) -> String {
    if view.absolute_urls {
        absolute(view, site_path)
    } else {
        format!("tag:hugi.invalid,2000:{}", encode_url(site_path))
    }
}

fn timestamp(note: &NoteEntry) -> Option<String> {
    note.date.as_ref().map(|d| format!("{}T00:00:00Z", d.iso))
}

/// An Atom feed of `sessions` (newest first), titled `title`, living at `self_path`; with the
/// sessions' full HTML when `content` is set, else their summaries only.
pub fn atom(
    view: &SiteView<'_>,
    title: &str,
    self_path: &str,
    alternate_path: &str,
    sessions: &[(&NoteEntry, &SessionEntry)],
    content: bool,
) -> String {
    let updated = sessions
        .iter()
        .filter_map(|(n, _)| timestamp(n))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let author = if view.author.is_empty() {
        view.title
    } else {
        view.author
    };
    let mut xml = String::with_capacity(4096 + sessions.len() * 2048);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n",
        lang = xml_escape(view.language),
        title = xml_escape(title),
    );
    if !view.description.is_empty() {
        let _ = writeln!(xml, "<subtitle>{}</subtitle>", xml_escape(view.description));
    }
    let _ = write!(
        xml,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{site}\"/>\n\
         <id>{id}</id>\n<updated>{updated}</updated>\n\
         <author><name>{author}</name></author>\n\
         <generator version=\"{version}\">hugi</generator>\n",
        feed = absolute(view, self_path),
        site = absolute(view, alternate_path),
        id = id(view, self_path),
        author = xml_escape(author),
        version = env!("CARGO_PKG_VERSION"),
    );
    for (note, session) in sessions.iter().take(FEED_ENTRIES) {
        let _ = write!(
            xml,
            "<entry>\n<title>{title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <id>{id}</id>\n<updated>{updated}</updated>\n",
            title = xml_escape(&session.title),
            link = absolute(view, &session.url),
            id = id(view, &session.url),
            updated = timestamp(note).unwrap_or_else(|| updated.clone()),
        );
        for tag in &session.tags {
            let _ = writeln!(xml, "<category term=\"{}\"/>", xml_escape(&tag.name));
        }
        if !session.description.is_empty() {
            let _ = writeln!(
                xml,
                "<summary type=\"text\">{}</summary>",
                xml_escape(&session.description)
            );
        }
        if content {
            let _ = writeln!(
                xml,
                "<content type=\"html\">{}</content>",
                xml_escape(&session.html)
            );
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `sitemap.xml` for the given site paths with their optional last-modified dates.
pub fn sitemap(view: &SiteView<'_>, pages: &[(String, Option<String>)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        let _ = write!(xml, "<url><loc>{}</loc>", xml_escape(&absolute(view, path)));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt` allowing everything and, when the site has an absolute `base_url`, pointing at
/// the sitemap (crawlers accept only absolute sitemap URLs).
pub fn robots(view: &SiteView<'_>) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if view.absolute_urls {
        let sitemap = format!("{}sitemap.xml", view.base_path);
        let _ = write!(text, "\nSitemap: {}\n", absolute(view, &sitemap));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_encoding() {
        assert_eq!(xml_escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            xml_escape("파이썬 <3>\t탭\n줄\u{1f}끝"),
            "파이썬 &lt;3&gt;\t탭\n줄끝"
        );
        assert_eq!(xml_escape("그대로"), "그대로");
        // Every class of noncharacter: the U+FDD0 block, U+FFFE/U+FFFF, and the last two of
        // the supplementary planes; the characters around them stay.
        let nonchars = [
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFE}',
            '\u{1FFFF}',
            '\u{10FFFE}',
            '\u{10FFFF}',
        ];
        for c in nonchars {
            assert_eq!(
                xml_escape(&format!("제{c}목<")),
                "제목&lt;",
                "U+{:X}",
                c as u32
            );
        }
        assert_eq!(xml_escape("\u{FDCF}\u{FFFD}😀"), "\u{FDCF}\u{FFFD}😀");
        assert_eq!(
            encode_url("https://x.org/notes/파이썬 3/"),
            "https://x.org/notes/%ED%8C%8C%EC%9D%B4%EC%8D%AC%203/"
        );
    }
}
