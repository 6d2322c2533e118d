//! `hugi build --minify`: smaller HTML, CSS and JavaScript through minify-html (which minifies
//! CSS with lightningcss and JavaScript with oxc). Standalone stylesheets and scripts are
//! minified as the body of a `<style>` or module `<script>` element.

use minify_html::{Cfg, minify};
use rayon::prelude::*;

use crate::output::{Artifact, Content};

fn config() -> Cfg {
    Cfg {
        minify_css: true,
        minify_js: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..Cfg::default()
    }
}

/// Minifies the HTML, CSS and JavaScript artifacts in place.
pub fn minify_all(artifacts: &mut [Artifact]) {
    artifacts.par_iter_mut().for_each(shrink);
}

/// Minifies one artifact in place when it is HTML, CSS or JavaScript.
pub fn shrink(artifact: &mut Artifact) {
    let Content::Bytes(bytes) = &artifact.content else {
        return;
    };
    let cfg = config();
    let minified = if artifact.path.ends_with(".html") {
        Some(minify(bytes, &cfg))
    } else if artifact.path.ends_with(".css") {
        wrapped(bytes, b"<style>", b"</style>", &cfg)
    } else if artifact.path.ends_with(".js") {
        wrapped(bytes, b"<script type=module>", b"</script>", &cfg)
    } else {
        None
    };
    if let Some(minified) = minified {
        artifact.content = Content::Bytes(minified.into());
    }
}

/// Minifies `body` as the content of an element; `None` when the result is not that element.
fn wrapped(body: &[u8], open: &[u8], close: &[u8], cfg: &Cfg) -> Option<Vec<u8>> {
    let mut document = open.to_vec();
    document.extend_from_slice(body);
    document.extend_from_slice(close);
    let out = minify(&document, cfg);
    let start = out.windows(open.len()).position(|w| w == open)? + open.len();
    let end = out.windows(close.len()).rposition(|w| w == close)?;
    (start <= end).then(|| out[start..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(path: &str, text: &str) -> Artifact {
        Artifact {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().into()),
        }
    }

    fn text(a: &Artifact) -> String {
        match &a.content {
            Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
            Content::Copy(_) => unreachable!(),
        }
    }

    #[test]
    fn html_css_and_js_shrink() {
        let mut files = vec![
            artifact(
                "a.html",
                "<!doctype html>\n<html lang=\"ko\">\n<head>\n<title>제목</title>\n</head>\n<body>\n  <p>  한글   문장  </p>\n</body>\n</html>\n",
            ),
            artifact("s.css", "body {\n  color : #ff0000 ;\n}\n"),
            artifact(
                "m.js",
                "const base = new URL('./', import.meta.url);\nexport function hello(name) {\n  return 'hi ' + name;\n}\n",
            ),
        ];
        minify_all(&mut files);
        assert!(
            text(&files[0]).contains("<p>한글 문장</p>"),
            "{}",
            text(&files[0])
        );
        assert!(text(&files[0]).contains("lang=ko"), "{}", text(&files[0]));
        assert_eq!(text(&files[1]), "body{color:red}");
        let js = text(&files[2]);
        assert!(
            js.contains("import.meta.url") && js.contains("export"),
            "{js}"
        );
        assert!(js.len() < 100, "{js}");
    }
}
