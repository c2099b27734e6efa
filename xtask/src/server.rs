//! A small static file server for the built site (GET and HEAD, 127.0.0.1 only).

use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use crate::util::Result;

/// Binds 127.0.0.1:`port` (0 = any free port).
pub fn bind(port: u16) -> Result<TcpListener> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpListener::bind(addr).map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse {
            format!("port {port} is in use; pick another with `cargo xtask serve --port N`")
        } else {
            format!("cannot listen on {addr}: {e}")
        }
    })
}

/// Serves the files under `root` until the process ends, one thread per connection.
pub fn serve(listener: TcpListener, root: PathBuf, log: bool) {
    let root = root.canonicalize().unwrap_or(root);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        thread::spawn(move || {
            if let Err(e) = handle(stream, &root, log) {
                if log {
                    eprintln!("server: {e}");
                }
            }
        });
    }
}

/// Serves `root` on a free port of 127.0.0.1 in a background thread; returns the port.
pub fn spawn(root: PathBuf) -> Result<u16> {
    let listener = bind(0)?;
    let port = listener.local_addr().map_err(|e| format!("local address: {e}"))?.port();
    thread::spawn(move || serve(listener, root, false));
    Ok(port)
}

struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn text(status: &'static str, message: &str) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{message}\n").into_bytes(),
            location: None,
        }
    }
}

fn handle(mut stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let Some(head) = read_head(&mut stream)? else {
        return Ok(());
    };
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = match method {
        "GET" | "HEAD" => respond(root, target),
        _ => Response::text("405 Method Not Allowed", "only GET and HEAD are served"),
    };
    if log {
        println!("{method} {target} -> {}", response.status);
    }
    let mut out = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        out.push_str(&format!("Location: {location}\r\n"));
    }
    if response.status.starts_with("405") {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// The request line and headers, up to the blank line (None if the peer sent nothing).
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > 64 * 1024 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "request head too long"));
        }
    }
    Ok((!buf.is_empty()).then(|| String::from_utf8_lossy(&buf).into_owned()))
}

fn respond(root: &Path, target: &str) -> Response {
    let Some(rel) = request_path(target) else {
        return Response::text("400 Bad Request", "bad path");
    };
    let mut path = root.join(&rel);
    if path.is_dir() {
        let url_path = target.split(['?', '#']).next().unwrap_or("/");
        if !url_path.ends_with('/') {
            // So that relative links in the folder's index.html resolve inside it.
            return Response {
                location: Some(format!("{url_path}/")),
                ..Response::text("301 Moved Permanently", "moved")
            };
        }
        path.push("index.html");
    }
    // Symbolic links must not lead out of the site either.
    let inside = path.canonicalize().is_ok_and(|p| p.starts_with(root));
    match fs::read(&path) {
        Ok(body) if inside => Response { status: "200 OK", content_type: mime_type(&path), body, location: None },
        _ => Response::text("404 Not Found", "not found"),
    }
}

/// The file path (relative to the site root) that a request target names, or None when it
/// is malformed or tries to leave the root.
fn request_path(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut rel = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0']) || s.starts_with('.') => return None,
            s => rel.push(s),
        }
    }
    Some(rel)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by its extension.
fn mime_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(request_path("/"), Some(PathBuf::new()));
        assert_eq!(request_path("/index.html?x=1#y"), Some(PathBuf::from("index.html")));
        assert_eq!(request_path("/pkg/cohortcalc_bg.wasm"), Some(PathBuf::from("pkg/cohortcalc_bg.wasm")));
        assert_eq!(request_path("/a%20b.csv"), Some(PathBuf::from("a b.csv")));
        assert_eq!(request_path("//pkg//x.js"), Some(PathBuf::from("pkg/x.js")));
        for bad in [
            "/../etc/passwd",
            "/pkg/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2fx",
            "/a\\..\\b",
            "/.git/config",
            "x",
            "/%zz",
            "/%",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("pkg/cohortcalc_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("pkg/cohortcalc.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("index.HTML")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("style.css")), "text/css; charset=utf-8");
        assert_eq!(mime_type(Path::new("demo.csv")), "text/csv; charset=utf-8");
        assert_eq!(mime_type(Path::new("a.svg")), "image/svg+xml");
        assert_eq!(mime_type(Path::new("a.png")), "image/png");
        assert_eq!(mime_type(Path::new("a.json")), "application/json");
        assert_eq!(mime_type(Path::new("LICENSE")), "application/octet-stream");
    }

    fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_files() {
        let dir = std::env::temp_dir().join(format!("xtask-server-test-{}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        fs::write(dir.join("pkg/m.wasm"), b"\0asm").unwrap();
        let port = spawn(dir.clone()).unwrap();

        let index = get(port, "/");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(index.ends_with("\r\n\r\n<p>hi</p>"));
        let wasm = get(port, "/pkg/m.wasm");
        assert!(wasm.contains("Content-Type: application/wasm\r\n") && wasm.contains("Content-Length: 4\r\n"));
        assert!(get(port, "/pkg").starts_with("HTTP/1.1 301"));
        assert!(get(port, "/nothing.js").starts_with("HTTP/1.1 404"));
        assert!(get(port, "/../x").starts_with("HTTP/1.1 400"));
        let _ = fs::remove_dir_all(&dir);
    }
}
