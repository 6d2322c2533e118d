//! The preview server's HTTP side: in-memory files with correct types, Hangul paths, `/dir` →
//! `/dir/` redirects, the site's 404 page, no way out of the site (nor out of `content/` through a
//! link put there since the build), HEAD, validators instead of stale caches, byte ranges with
//! large files streamed from disk, and the live-reload endpoints under `/__hugi/`.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tokio_util::io::ReaderStream;

use super::{MAX_EVENT_STREAMS, Preview, ReloadEvent, Served};
use hugi::output::Content;

const LIVE_RELOAD: &str = include_str!("livereload.js");

pub fn router(preview: Arc<Preview>) -> Router {
    Router::new()
        .route("/__hugi/events", get(events))
        .route("/__hugi/livereload.js", get(script))
        .route("/__hugi/state", get(state))
        .fallback(file)
        .with_state(preview)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_RELOAD,
    )
        .into_response()
}

/// The build state, for tools and tests: `{"version":3,"error":null}`.
async fn state(State(preview): State<Arc<Preview>>) -> Response {
    let served = preview.current();
    let body = serde_json::json!({ "version": served.version, "error": served.error });
    ([(header::CACHE_CONTROL, "no-cache")], axum::Json(body)).into_response()
}

async fn events(State(preview): State<Arc<Preview>>) -> Response {
    // The permit goes with the stream and is given back when the page goes away.
    let Ok(permit) = preview.event_streams.clone().try_acquire_owned() else {
        eprintln!(
            "{MAX_EVENT_STREAMS} pages are listening for reloads, the most hugi serve keeps; \
             close some tabs for more to reload"
        );
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many pages are listening for reloads",
        );
    };
    let served = preview.current();
    // A page that connects while the site is broken sees the error at once.
    let initial = served.error.clone().map(|error| ReloadEvent {
        version: served.version,
        changed: Vec::new(),
        error: Some(error),
    });
    let updates = BroadcastStream::new(preview.events.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::iter(initial)
        .chain(updates)
        .map(move |event| {
            let _listening = &permit;
            Ok::<_, Infallible>(
                Event::default()
                    .event("reload")
                    .json_data(event)
                    .unwrap_or_default(),
            )
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn file(State(preview): State<Arc<Preview>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let head = request.method() == Method::HEAD;
    let uri = request.uri();
    let Some(path) = decode_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let served = preview.current();
    let Some(rel) = path.strip_prefix(&preview.base_path) else {
        if path == "/" {
            return redirect(&preview.base_path);
        }
        return not_found(&served, head, &preview);
    };
    if served.files.is_empty() && served.error.is_some() {
        return build_failed(&served, head, &preview);
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match served.files.get(&key) {
        Some(content) => respond(&key, content, request.headers(), head, &preview).await,
        None if served.files.contains_key(&format!("{rel}/index.html")) => {
            let mut target = format!("{}/", uri.path());
            if let Some(query) = uri.query() {
                target = format!("{target}?{query}");
            }
            redirect(&target)
        }
        None => not_found(&served, head, &preview),
    }
}

/// Percent-decodes a request path and rejects anything that could leave the site: `..` and `.`
/// segments (also encoded), backslashes, NUL, and bytes that are not UTF-8. Returns NFC.
pub fn decode_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).ok()?;
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return None;
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(hugi::load::nfc(&path))
}

fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// A file of the site, with the live-reload script in pages.
async fn respond(
    path: &str,
    content: &Content,
    headers: &HeaderMap,
    head: bool,
    preview: &Preview,
) -> Response {
    let script = &preview.script_tag;
    let body = match content {
        Content::Bytes(bytes) if path.ends_with(".html") => inject_script(bytes.to_vec(), script),
        Content::Bytes(bytes) => bytes.to_vec(),
        Content::Copy(file) => {
            let Some(file) = inside(file, preview.content_dir.as_deref()) else {
                return plain(StatusCode::NOT_FOUND, "file is gone");
            };
            if !path.ends_with(".html") {
                return send_file(&file, path, headers, head).await;
            }
            match tokio::fs::read(&file).await {
                Ok(bytes) => inject_script(bytes, script),
                Err(_) => return plain(StatusCode::NOT_FOUND, "file is gone"),
            }
        }
    };
    let etag = format!("\"{:016x}\"", hugi::hash::fnv1a64(&body));
    let length = body.len() as u64;
    let part = match Part::asked(headers, &etag, length) {
        Some(Ok(part)) => part,
        Some(Err(unsatisfiable)) => return unsatisfiable,
        None => Part::whole(length),
    };
    let body = if head {
        Body::empty()
    } else if part.is_whole(length) {
        Body::from(body)
    } else {
        Body::from(body[part.start as usize..=part.end as usize].to_vec())
    };
    answer(path, headers, &etag, length, part, body)
}

/// A file copied from `content/`, resolved again now: a symbolic link put in its place since the
/// build that leads out of `content/` is not followed.
fn inside(file: &Path, content_dir: Option<&Path>) -> Option<PathBuf> {
    let real = file.canonicalize().ok()?;
    real.starts_with(content_dir?).then_some(real)
}

/// Streams a file from disk, whole or the part asked for, never holding it in memory.
async fn send_file(file: &Path, path: &str, headers: &HeaderMap, head: bool) -> Response {
    let Ok(mut opened) = tokio::fs::File::open(file).await else {
        return plain(StatusCode::NOT_FOUND, "file is gone");
    };
    let Ok(meta) = opened.metadata().await else {
        return plain(StatusCode::NOT_FOUND, "file is gone");
    };
    let length = meta.len();
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!("\"{length:x}-{modified:x}\"");
    let part = match Part::asked(headers, &etag, length) {
        Some(Ok(part)) => part,
        Some(Err(unsatisfiable)) => return unsatisfiable,
        None => Part::whole(length),
    };
    let body = if head || length == 0 {
        Body::empty()
    } else {
        if opened
            .seek(std::io::SeekFrom::Start(part.start))
            .await
            .is_err()
        {
            return plain(StatusCode::NOT_FOUND, "file is gone");
        }
        Body::from_stream(ReaderStream::new(opened.take(part.len())))
    };
    answer(path, headers, &etag, length, part, body)
}

/// The bytes `start..=end` of a file of some length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    start: u64,
    end: u64,
}

impl Part {
    fn whole(length: u64) -> Part {
        Part {
            start: 0,
            end: length.saturating_sub(1),
        }
    }

    fn is_whole(self, length: u64) -> bool {
        self == Part::whole(length)
    }

    fn len(self) -> u64 {
        self.end + 1 - self.start
    }

    /// The part a `Range` header asks for, when it asks for one part this server gives: `None`
    /// for the whole file (no range, several ranges, a range on another unit, or an `If-Range`
    /// naming another version), the 416 answer when the range lies past the end.
    fn asked(headers: &HeaderMap, etag: &str, length: u64) -> Option<Result<Part, Response>> {
        let range = headers.get(header::RANGE)?.to_str().ok()?;
        if let Some(tag) = headers.get(header::IF_RANGE)
            && tag.as_bytes() != etag.as_bytes()
        {
            return None;
        }
        Some(Part::parse(range, length)?.ok_or_else(|| {
            Response::builder()
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{length}"))
                .body(Body::empty())
                .unwrap_or_default()
        }))
    }

    /// `bytes=10-19`, `bytes=10-` or `bytes=-10` against a length: `None` when the header is not
    /// one such range, `Some(None)` when it lies past the end.
    fn parse(range: &str, length: u64) -> Option<Option<Part>> {
        let spec = range.trim().strip_prefix("bytes=")?;
        let (first, last) = spec.split_once('-')?;
        let number = |s: &str| s.trim().parse::<u64>().ok();
        let part = match (first.trim().is_empty(), last.trim().is_empty()) {
            (true, true) => return None,
            (true, false) => {
                let suffix = number(last)?;
                (suffix > 0 && length > 0).then(|| Part {
                    start: length - suffix.min(length),
                    end: length - 1,
                })
            }
            (false, open) => {
                let start = number(first)?;
                let end = if open { u64::MAX } else { number(last)? };
                if end < start {
                    return None;
                }
                (start < length).then(|| Part {
                    start,
                    end: end.min(length - 1),
                })
            }
        };
        Some(part)
    }
}

/// The answer for a file: 304 when the reader has this version, 206 for a part, else 200.
fn answer(
    path: &str,
    headers: &HeaderMap,
    etag: &str,
    length: u64,
    part: Part,
    body: Body,
) -> Response {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut response = if matches {
        Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
    } else if !part.is_whole(length) {
        Response::builder()
            .status(StatusCode::PARTIAL_CONTENT)
            .header(header::CONTENT_LENGTH, part.len())
            .header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{length}", part.start, part.end),
            )
            .body(body)
    } else {
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, length)
            .body(body)
    }
    .unwrap_or_default();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script's tag before `</body>` (or at the end).
fn inject_script(mut html: Vec<u8>, script: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, script.bytes());
    html
}

fn not_found(served: &Served, head: bool, preview: &Preview) -> Response {
    let page = served.files.get("404.html").and_then(|c| match c {
        Content::Bytes(b) => Some(b.to_vec()),
        Content::Copy(_) => None,
    });
    let body = inject_script(
        page.unwrap_or_else(|| b"<!doctype html><title>404</title><h1>404</h1>".to_vec()),
        &preview.script_tag,
    );
    html_response(StatusCode::NOT_FOUND, body, head)
}

fn build_failed(served: &Served, head: bool, preview: &Preview) -> Response {
    let escape = hugi::markdown::escape_html;
    let error = escape(served.error.as_deref().unwrap_or_default());
    let (language, title) = (escape(&preview.language), escape(&preview.error_title));
    let body = format!(
        "<!doctype html><html lang=\"{language}\"><meta charset=\"utf-8\"><title>{title}</title>\
         <h1 id=\"__hugi_build_failed\">{title}</h1><pre>{error}</pre></html>"
    );
    html_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        inject_script(body.into_bytes(), &preview.script_tag),
        head,
    )
}

fn html_response(status: StatusCode, body: Vec<u8>, head: bool) -> Response {
    let length = body.len();
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::CONTENT_LENGTH, length)
        .body(if head {
            Body::empty()
        } else {
            Body::from(body)
        })
        .unwrap_or_default()
}

fn redirect(location: &str) -> Response {
    let encoded: String = location
        .bytes()
        .map(|b| match b {
            b if b.is_ascii_graphic() => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, encoded)
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::empty())
        .unwrap_or_default()
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_kept_inside() {
        assert_eq!(
            decode_path("/tags/%ED%8C%8C%EC%9D%B4%EC%8D%AC/").as_deref(),
            Some("/tags/파이썬/")
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a/%2E%2E",
            "/a\\b",
            "/%5c..%5cx",
            "/a%00",
            "/%ff",
            "/%zz",
            "/a/./b",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        let part = |start, end| Some(Some(Part { start, end }));
        assert_eq!(Part::parse("bytes=0-9", 100), part(0, 9));
        assert_eq!(Part::parse("bytes=90-200", 100), part(90, 99));
        assert_eq!(Part::parse("bytes=90-", 100), part(90, 99));
        assert_eq!(Part::parse("bytes=-10", 100), part(90, 99));
        assert_eq!(Part::parse("bytes=-500", 100), part(0, 99));
        assert_eq!(Part::parse("bytes=100-", 100), Some(None));
        assert_eq!(Part::parse("bytes=-0", 100), Some(None));
        assert_eq!(Part::parse("bytes=0-0", 0), Some(None));
        for ignored in [
            "bytes=5-1",
            "bytes=-",
            "items=0-9",
            "bytes=0-9,20-29",
            "bytes=x-",
        ] {
            assert_eq!(Part::parse(ignored, 100), None, "{ignored}");
        }
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject_script(b"<p>x</p></body></html>".to_vec(), "<script></script>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<p>x</p><script></script></body></html>"
        );
    }
}
