//! How requests reach the preview: connections accepted up to a cap, a deadline for each
//! request's headers (a client that connects and stays silent is let go), and the `Host` check
//! that keeps pages of other web sites out. A page on another site can make a browser send
//! requests to `127.0.0.1:1111` under its own name (DNS rebinding); those carry the other
//! site's name as `Host` and are refused.

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Connections open at once: far more than browsers open (about six per site, and one more
/// for each page listening for reloads) or a load test's 200, and well below the 1,024 file
/// descriptors a process may hold by default.
pub const MAX_CONNECTIONS: usize = 512;
/// How long a client has to send a request's headers, counted from when the server starts
/// waiting for them (on a new connection, or between requests on a kept one).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The names a request may give as `Host`.
pub struct HostCheck {
    /// The address the server was told to listen on.
    bound: IpAddr,
    /// Names allowed with `--allow-host`, lowercase.
    allowed: Vec<String>,
    /// Hosts already reported as refused, so a page retrying fills no terminal.
    reported: Mutex<HashSet<String>>,
}

impl HostCheck {
    pub fn new(bound: IpAddr, allowed: &[String]) -> HostCheck {
        HostCheck {
            bound,
            allowed: allowed.iter().map(|h| h.to_ascii_lowercase()).collect(),
            reported: Mutex::new(HashSet::new()),
        }
    }

    /// Whether a request for `host` that arrived on the local address `local` may be answered:
    /// `localhost`, a loopback address, the address listened on or the one the request came in
    /// on (a phone on the same network uses the machine's address), or a name allowed with
    /// `--allow-host`. A request without `Host` (HTTP/1.0 tools) comes from no browser page.
    pub fn allows(&self, host: Option<&str>, local: IpAddr) -> bool {
        let Some(host) = host else { return true };
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        if name == "localhost" || self.allowed.iter().any(|a| a == name) {
            return true;
        }
        let ip = name.strip_prefix('[').and_then(|n| n.strip_suffix(']'));
        match ip.unwrap_or(name).parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound || ip == local,
            Err(_) => false,
        }
    }

    /// The answer to a request whose `Host` is not allowed, reported once per host.
    fn refuse(&self, host: &str) -> Response {
        let name = host_name(host).unwrap_or(host);
        let first = self
            .reported
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_ascii_lowercase());
        if first {
            eprintln!(
                "refused a request for host {host:?}: only this machine's own names are \
                 served, so pages of other sites cannot read the preview; if you opened it \
                 under that name, start again with --allow-host {name}"
            );
        }
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "hugi serve does not answer requests for host {host:?}.\n\
                 Start it with --allow-host {name} to allow this name.\n"
            ),
        )
            .into_response()
    }
}

/// The name part of a `Host` value: `[::1]:1111` → `[::1]`, `localhost:1111` → `localhost`.
fn host_name(host: &str) -> Option<&str> {
    if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        return (rest.is_empty() || rest.starts_with(':')).then(|| &host[..=end]);
    }
    let name = host.split_once(':').map_or(host, |(name, _)| name);
    (!name.is_empty()).then_some(name)
}

/// Accepts connections for ever, serving each with `router` while fewer than
/// [`MAX_CONNECTIONS`] are open; the ones over the cap get a short 503 and are closed.
pub async fn accept(listener: TcpListener, router: Router, hosts: Arc<HostCheck>) {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut at_cap = false;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was taken: wait a
                // moment instead of spinning.
                eprintln!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            if !at_cap {
                eprintln!(
                    "{MAX_CONNECTIONS} connections are open, the most hugi serve keeps; \
                     refusing new ones until some close"
                );
                at_cap = true;
            }
            refuse_busy(&stream);
            continue;
        };
        at_cap = false;
        let local = stream.local_addr().map(|a| a.ip()).unwrap_or(hosts.bound);
        let (router, hosts) = (router.clone(), hosts.clone());
        tokio::spawn(async move {
            serve_connection(stream, local, router, hosts).await;
            drop(permit);
        });
    }
}

async fn serve_connection(stream: TcpStream, local: IpAddr, router: Router, hosts: Arc<HostCheck>) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let (router, hosts) = (router.clone(), hosts.clone());
        async move {
            let host = request
                .headers()
                .get(header::HOST)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            if !hosts.allows(host.as_deref(), local) {
                return Ok::<_, Infallible>(hosts.refuse(host.as_deref().unwrap_or_default()));
            }
            router.oneshot(request.map(Body::new)).await
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    // A connection that ends in an error (reset, timed out) needs no report.
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Tells a client over the connection cap why it is closed, without waiting on it.
fn refuse_busy(stream: &TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; \
        charset=utf-8\r\nContent-Length: 35\r\nRetry-After: 1\r\nConnection: close\r\n\r\n\
        too many connections to hugi serve\n";
    let _ = stream.try_write(BUSY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_this_machine_are_hosts() {
        let bound: IpAddr = "0.0.0.0".parse().unwrap();
        let lan: IpAddr = "192.168.0.7".parse().unwrap();
        let check = HostCheck::new(bound, &["Notes.Test".into()]);
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
            "192.168.0.7:1111",
            "notes.test:1111",
        ] {
            assert!(check.allows(Some(host), lan), "{host}");
        }
        assert!(check.allows(None, lan));
        for host in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:1111",
            "[::1",
            "[::1]x",
            ":1111",
            "",
        ] {
            assert!(!check.allows(Some(host), lan), "{host}");
        }
        let bound: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(HostCheck::new(bound, &[]).allows(Some("10.1.2.3:80"), bound));
    }
}
