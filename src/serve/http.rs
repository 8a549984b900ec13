//! The preview's HTTP/1.1 layer: request heads read into a bounded buffer and parsed with
//! httparse, so that no request can make the server hold more than a few kilobytes; the `Host`
//! header checked against the address it listens on (a web page cannot reach the preview
//! through a DNS name it controls); a cap on open connections; GET and HEAD only.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The largest request head accepted (request line and headers), in bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers accepted in one request.
pub const MAX_HEADERS: usize = 64;
/// The most connections served at once; further ones are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a connection may take to send a request head, and may stay idle between requests.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// One request, as the handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent (path and query).
    pub url: String,
    /// The client asked to close the connection after this request (or spoke HTTP/1.0).
    pub close: bool,
}

impl Request {
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }
}

/// A response: status, content type, extra headers and body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Why a request head was refused before it reached the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The head is larger than [`MAX_HEAD`] or has more than [`MAX_HEADERS`] headers (431).
    TooLarge,
    /// Not HTTP (400).
    Malformed,
    /// A `Host` that is not this server's address (403).
    ForeignHost(String),
    /// No complete head arrived (the connection closed or timed out): nothing to answer.
    Incomplete,
}

/// The hosts a request may name: the address and port the server listens on, `localhost`, and
/// any IP address literal with the same port (a bind to 0.0.0.0 is reached by the machine's
/// addresses). A DNS name other than `localhost` is refused: that is how a web page would reach
/// the preview through DNS rebinding.
#[derive(Debug, Clone)]
pub struct Hosts {
    pub port: u16,
}

impl Hosts {
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]:3000`, `127.0.0.1:3000`, `localhost:3000`
            Some((n, p)) if !n.is_empty() && !p.contains(']') => (n, p.parse::<u16>().ok()),
            _ => (host, None),
        };
        // A Host without a port means port 80.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        name.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok()
    }
}

/// Reads one request head from `stream`, refusing anything oversized, malformed or addressed
/// to another host. `buf` keeps bytes that arrived after the head (a pipelined request).
pub fn read_request(
    stream: &mut impl Read,
    buf: &mut Vec<u8>,
    hosts: &Hosts,
) -> Result<Request, Refusal> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = head_end(buf) {
            let head: Vec<u8> = buf.drain(..end).collect();
            return parse_head(&head, hosts);
        }
        if buf.len() >= MAX_HEAD {
            return Err(Refusal::TooLarge);
        }
        let want = chunk.len().min(MAX_HEAD + 4 - buf.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return Err(Refusal::Incomplete),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Refusal::Incomplete),
        }
    }
}

/// The length of the head (through its blank line) when `buf` holds a whole one.
fn head_end(buf: &[u8]) -> Option<usize> {
    memchr::memmem::find(buf, b"\r\n\r\n").map(|i| i + 4)
}

fn parse_head(head: &[u8], hosts: &Hosts) -> Result<Request, Refusal> {
    if head.len() > MAX_HEAD {
        return Err(Refusal::TooLarge);
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(Refusal::Malformed),
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::TooLarge),
        Err(_) => return Err(Refusal::Malformed),
    }
    let (Some(method), Some(path)) = (req.method, req.path) else {
        return Err(Refusal::Malformed);
    };
    let mut host = None;
    let mut close = req.version != Some(1);
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("connection") {
            let v = String::from_utf8_lossy(h.value).to_ascii_lowercase();
            close = v.split(',').any(|t| t.trim() == "close");
        }
        if h.name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(Refusal::Malformed);
            }
            host = Some(String::from_utf8_lossy(h.value).trim().to_string());
        }
        // A body is never read: a request that announces one cannot be framed by us.
        if h.name.eq_ignore_ascii_case("transfer-encoding")
            || (h.name.eq_ignore_ascii_case("content-length")
                && h.value
                    .iter()
                    .any(|&b| b != b'0' && !b.is_ascii_whitespace()))
        {
            return Err(Refusal::Malformed);
        }
    }
    match host {
        Some(h) if hosts.allows(&h) => Ok(Request {
            method: method.to_string(),
            url: path.to_string(),
            close,
        }),
        Some(h) => Err(Refusal::ForeignHost(h)),
        None => Err(Refusal::ForeignHost(String::new())),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a response; HEAD gets the headers only. `close` ends the connection after it.
pub fn write_response(
    stream: &mut impl Write,
    resp: &Response,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len()
    );
    for (name, value) in &resp.headers {
        // Values are ours; a line break in one would split the header.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "\r\n"
    });
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&resp.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Serves connections from `listener` until it fails, one thread per connection (at most
/// [`MAX_CONNECTIONS`]), each request answered by `handle`.
pub fn serve(
    listener: TcpListener,
    hosts: Hosts,
    handle: Arc<dyn Fn(&Request) -> Response + Send + Sync>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = write_response(
                &mut stream,
                &Response::text(503, "too many connections"),
                false,
                true,
            );
            continue;
        }
        let count = open.clone();
        let hosts = hosts.clone();
        let handle = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("aims-site-http".into())
            .spawn(move || {
                connection(stream, &hosts, handle.as_ref());
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One connection: requests answered in turn until the client closes, asks to, or errs.
fn connection(mut stream: TcpStream, hosts: &Hosts, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let refused = |status: u16, text: &str| Response::text(status, text);
        let (resp, head_only, close) = match read_request(&mut stream, &mut buf, hosts) {
            Ok(req) => (handle(&req), req.is_head(), req.close),
            Err(Refusal::Incomplete) => return,
            Err(Refusal::TooLarge) => (refused(431, "request headers too large"), false, true),
            Err(Refusal::Malformed) => (refused(400, "bad request"), false, true),
            Err(Refusal::ForeignHost(h)) => (
                refused(
                    403,
                    &format!(
                        "this preview answers requests for localhost or its IP address only, not for host `{h}`"
                    ),
                ),
                false,
                true,
            ),
        };
        if write_response(&mut stream, &resp, head_only, close).is_err() || close {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, Refusal> {
        let mut buf = Vec::new();
        read_request(&mut &bytes[..], &mut buf, &Hosts { port: 3000 })
    }

    #[test]
    fn a_plain_request_is_read() {
        let r = read(b"GET /doc/a.html?x=1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\r\n");
        assert_eq!(
            r,
            Ok(Request {
                method: "GET".into(),
                url: "/doc/a.html?x=1".into(),
                close: false,
            })
        );
    }

    #[test]
    fn oversized_heads_are_refused_without_reading_them_whole() {
        let mut big = b"GET / HTTP/1.1\r\nHost: localhost:3000\r\nX: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 10 * MAX_HEAD));
        big.extend_from_slice(b"\r\n\r\n");
        assert_eq!(read(&big), Err(Refusal::TooLarge));
        let mut many = b"GET / HTTP/1.1\r\nHost: localhost:3000\r\n".to_vec();
        for i in 0..MAX_HEADERS + 1 {
            many.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        assert_eq!(read(&many), Err(Refusal::TooLarge));
    }

    #[test]
    fn only_our_hosts_are_answered() {
        let hosts = Hosts { port: 3000 };
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
            "192.168.1.20:3000",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "127.0.0.1:3001",
            "localhost",
            "127.0.0.1.nip.io:3000",
            "",
            "[::1]",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(matches!(
            read(b"GET / HTTP/1.1\r\nHost: rebind.evil.example:3000\r\n\r\n"),
            Err(Refusal::ForeignHost(_))
        ));
        assert!(matches!(
            read(b"GET / HTTP/1.0\r\n\r\n"),
            Err(Refusal::ForeignHost(_))
        ));
    }

    #[test]
    fn garbage_and_bodies_are_bad_requests() {
        assert_eq!(read(b"\x00\x01garbage\r\n\r\n"), Err(Refusal::Malformed));
        assert_eq!(
            read(b"GET / HTTP/1.1\r\nHost: localhost:3000\r\nContent-Length: 5\r\n\r\nhello"),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            read(b"GET / HTTP/1.1\r\nHost: localhost:3000\r\n"),
            Err(Refusal::Incomplete)
        );
    }
}
