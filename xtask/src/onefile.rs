//! `cohortcalc.html`: the whole page in one file that works opened from `file://`, offline.
//!
//! Chromium gives a page opened from a file an opaque origin: it will not load module scripts
//! from files, nor start a module worker even from a `blob:` URL. So the page's modules (the
//! wasm-bindgen `--target web` glue included) are rewritten by [`bundle`] into one inline classic
//! script; the worker's modules into a second bundle that the page starts as a classic worker
//! from a `blob:` URL; the stylesheet and icon are inlined. `--target no-modules` would have
//! spared rewriting the glue, but not the page's own modules, and the page stays plain ES modules
//! when served (`cargo xtask serve`), so one rewriting serves both.
//!
//! The WebAssembly module is inlined gzipped and base64-encoded in a data block
//! (`<script type="application/octet-stream">`); the glue's `init()` gets it as a `Response`
//! streamed through `DecompressionStream`, so it is compiled as it is unpacked, off the main
//! thread's critical path, as when served. base64 of the raw module would gzip 27% worse.
//!
//! The Content-Security-Policy is the page's own with `'self'` taken out (there is nothing to
//! load) and the hashes of the inline script and style put in: scripts run only if they are the
//! ones built here; the worker is allowed as `blob:`; `'wasm-unsafe-eval'` lets WebAssembly compile.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::bundle::{self, js_string, Module, PRELUDE};
use crate::encoding::{base64, csp_hash};
use crate::util::Result;

/// The file written into the site folder.
pub const FILE_NAME: &str = "cohortcalc.html";

/// The wasm-bindgen glue and its module, as `site::build` leaves them.
const GLUE: &str = "pkg/cohortcalc.js";
const WASM: &str = "pkg/cohortcalc_bg.wasm";
/// Where the glue finds its module when served, replaced by the inlined one.
const GLUE_WASM_URL: &str = "new URL('cohortcalc_bg.wasm', import.meta.url)";

/// What the page is given when it brings no policy of its own.
const DEFAULT_CSP: &str = "default-src 'none'; script-src 'wasm-unsafe-eval'; worker-src blob:; \
                           style-src 'self'; style-src-attr 'unsafe-inline'; img-src blob: data:; \
                           base-uri 'none'; form-action 'none'";

/// Writes `site/cohortcalc.html` from the built site; returns its path.
pub fn write(site: &Path) -> Result<std::path::PathBuf> {
    let html = build(site)?;
    let out = site.join(FILE_NAME);
    fs::write(&out, html).map_err(|e| format!("writing {}: {e}", out.display()))?;
    Ok(out)
}

fn read(site: &Path, rel: &str) -> Result<Vec<u8>> {
    let p = site.join(rel);
    fs::read(&p).map_err(|e| format!("reading {}: {e}", p.display()))
}

fn read_text(site: &Path, rel: &str) -> Result<String> {
    String::from_utf8(read(site, rel)?).map_err(|_| format!("{} is not UTF-8", site.join(rel).display()))
}

/// The one-file page for the site in `site`.
pub fn build(site: &Path) -> Result<String> {
    let exists = |rel: &str| !rel.is_empty() && !rel.starts_with('/') && site.join(rel).is_file();
    let index = read_text(site, "index.html")?;
    let nodes = parse_html(&index)?;

    let mut out = String::with_capacity(index.len() + 2_000_000);
    let mut page_csp: Option<String> = None;
    let mut csp_at: Option<usize> = None;
    let mut entries: Vec<String> = Vec::new();
    let mut script_hashes = Vec::new();
    let mut style_hashes = Vec::new();
    let mut body_end = None;
    // Set when a tag's raw text (a dropped <script src>) and end tag are to be left out.
    let mut skip_raw = false;

    for node in &nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Raw(t) => {
                if !skip_raw {
                    out.push_str(t);
                }
            }
            Node::End(name, text) => {
                if skip_raw && name == "script" {
                    skip_raw = false;
                    continue;
                }
                if name == "body" {
                    body_end = Some(out.len());
                }
                out.push_str(text);
            }
            Node::Tag(tag) => {
                if let Some(a) = tag.attrs.iter().find(|(n, _)| n.starts_with("on")) {
                    return Err(format!(
                        "index.html: <{} {}=…>: inline event handlers would be blocked by the CSP",
                        tag.name, a.0
                    ));
                }
                match tag.name.as_str() {
                    "meta"
                        if tag.get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy")) =>
                    {
                        page_csp = tag.get("content").map(str::to_string);
                        csp_at = Some(out.len());
                    }
                    "meta" if tag.get("charset").is_some() => {
                        out.push_str(&tag.text);
                        csp_at.get_or_insert(out.len());
                    }
                    "link" => {
                        let rel = tag.get("rel").unwrap_or("").to_ascii_lowercase();
                        let href = tag.get("href").unwrap_or("");
                        if rel.split_whitespace().any(|r| r == "stylesheet") {
                            let css = inline_css(site, &read_text(site, href)?, &exists)?;
                            style_hashes.push(csp_hash(&css));
                            out.push_str(&format!("<style>{css}</style>"));
                        } else if rel.split_whitespace().any(|r| r == "icon") && exists(href) {
                            let mut t = tag.clone();
                            t.set("href", &data_url(site, href)?);
                            out.push_str(&t.render());
                        } else if ["modulepreload", "preload", "prefetch"].contains(&rel.as_str()) {
                            // Nothing to preload: everything is in the file.
                        } else if exists(href) {
                            return Err(format!("index.html: <link rel=\"{rel}\" href=\"{href}\">: not inlined"));
                        } else {
                            out.push_str(&tag.text);
                        }
                    }
                    "script" => {
                        let kind = tag.get("type").unwrap_or("").trim().to_ascii_lowercase();
                        let src = tag.get("src");
                        match (kind.as_str(), src) {
                            ("module", Some(src)) => {
                                let rel = src.trim_start_matches("./").to_string();
                                if !exists(&rel) {
                                    return Err(format!("index.html: <script src=\"{src}\">: no such file"));
                                }
                                entries.push(rel);
                                skip_raw = true;
                            }
                            ("module", None) => {
                                return Err("index.html: inline module scripts are not supported by the \
                                            single-file build; put the code in a .js file"
                                    .into())
                            }
                            ("" | "text/javascript" | "application/javascript", Some(src)) => {
                                let js = script_safe(&read_text(site, src.trim_start_matches("./"))?);
                                script_hashes.push(csp_hash(&js));
                                out.push_str(&format!("<script>{js}</script>"));
                                skip_raw = true;
                            }
                            ("" | "text/javascript" | "application/javascript", None) => {
                                // Its text follows as Raw; hashed below.
                                out.push_str(&tag.text);
                            }
                            _ => out.push_str(&tag.text),
                        }
                    }
                    _ => match tag.get("src") {
                        Some(src) if exists(src) => {
                            let mut t = tag.clone();
                            t.set("src", &data_url(site, src)?);
                            out.push_str(&t.render());
                        }
                        _ => out.push_str(&tag.text),
                    },
                }
            }
        }
    }
    // Inline classic scripts and styles of the page itself.
    for (i, node) in nodes.iter().enumerate() {
        if let (Node::Tag(tag), Some(Node::Raw(text))) = (node, nodes.get(i + 1)) {
            let kind = tag.get("type").unwrap_or("").to_ascii_lowercase();
            if tag.name == "script" && tag.get("src").is_none() && ["", "text/javascript"].contains(&kind.as_str()) {
                script_hashes.push(csp_hash(text));
            } else if tag.name == "style" {
                style_hashes.push(csp_hash(text));
            }
        }
    }

    if entries.is_empty() {
        return Err("index.html has no <script type=\"module\" src=…>: nothing to bundle".into());
    }
    let main = main_bundle(site, &entries, &exists)?;
    script_hashes.push(csp_hash(&main));
    let wasm_b64 = if exists(WASM) { base64(&gzip(&site.join(WASM))?) } else { String::new() };
    let tail = format!(
        "<script type=\"application/octet-stream\" id=\"cohortcalc-wasm\">{wasm_b64}</script>\n<script>{main}</script>\n"
    );
    let at = body_end.ok_or("index.html has no </body>")?;
    out.insert_str(at, &tail);

    let csp = one_file_csp(page_csp.as_deref().unwrap_or(DEFAULT_CSP), &script_hashes, &style_hashes);
    let meta = format!("\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">", attr_escape(&csp));
    let at = csp_at.ok_or("index.html has no <meta charset>; the CSP must come before any script")?;
    out.insert_str(at, &meta);
    Ok(out)
}

/// The inline classic script that defines every module of the page and of its workers and
/// starts the page's entry modules.
fn main_bundle(site: &Path, entries: &[String], exists: &dyn Fn(&str) -> bool) -> Result<String> {
    // Read and rewrite every module reachable from the entries and the workers they name.
    let mut modules: BTreeMap<String, Module> = BTreeMap::new();
    let mut todo: Vec<String> = entries.to_vec();
    while let Some(p) = todo.pop() {
        if modules.contains_key(&p) {
            continue;
        }
        let mut src = read_text(site, &p)?;
        if p == GLUE {
            if src.matches(GLUE_WASM_URL).count() != 1 {
                return Err(format!(
                    "{GLUE}: expected `{GLUE_WASM_URL}` once (wasm-bindgen's output changed?); \
                     see xtask/src/onefile.rs"
                ));
            }
            src = src.replace(GLUE_WASM_URL, "__cc_wasm()");
        }
        let m = bundle::transform(&p, &src, exists)?;
        todo.extend(m.imports.iter().chain(&m.lazy).chain(&m.workers).cloned());
        modules.insert(p, m);
    }

    let page_modules = bundle::bundle_order(entries, &modules)?;
    let mut workers: Vec<&String> = page_modules.iter().flat_map(|p| &modules[p].workers).collect();
    workers.sort();
    workers.dedup();

    let mut js = String::from("(() => {\n\"use strict\";\nconst __cc_base = document.baseURI;\n");
    js.push_str("const __cc_wasm_b64 = (document.getElementById(\"cohortcalc-wasm\") || {}).textContent || \"\";\n");
    js.push_str(PRELUDE);
    js.push_str("const __cc_workers = {\n");
    for w in &workers {
        let order = bundle::bundle_order(&[w.to_string()], &modules)?;
        let mut src = String::from("(() => {\n\"use strict\";\n");
        src.push_str(PRELUDE);
        src.push_str(
            "function __cc_asset(p) {\n  throw new Error(\"a worker cannot start workers in the single-file build: \" + p);\n}\n",
        );
        for p in &order {
            if let Some(nested) = modules[p].workers.first() {
                return Err(format!("{p}, run in a worker, names {nested}: workers in workers are not supported"));
            }
            src.push_str(&modules[p].definition);
        }
        src.push_str(&format!("__cc_import({});\n}})();\n", js_string(w)));
        js.push_str(&format!("  {}: {},\n", js_string(w), js_string(&src)));
    }
    js.push_str(
        r#"};
const __cc_urls = Object.create(null);
function __cc_asset(p) {
  let u = __cc_urls[p];
  if (!u) {
    if (!(p in __cc_workers)) throw new Error("not in the single-file build: " + p);
    const head = "const __cc_base = " + JSON.stringify(__cc_base) + ", __cc_wasm_b64 = \"";
    const parts = [head, __cc_wasm_b64, "\";\n", __cc_workers[p]];
    u = __cc_urls[p] = URL.createObjectURL(new Blob(parts, { type: "text/javascript" }));
    __cc_worker_urls.add(u);
  }
  return u;
}
"#,
    );
    for p in &page_modules {
        js.push_str(&modules[p].definition);
    }
    for e in entries {
        js.push_str(&format!("__cc_import({});\n", js_string(e)));
    }
    js.push_str("})();\n");
    Ok(script_safe(&js))
}

/// JavaScript made safe to sit between `<script>` and `</script>`: `</script` would end the
/// element and `<script` could put the HTML parser in its "double escaped" state; they can only
/// occur in strings, templates, regular expressions and comments, where `<\/script` and
/// `<\x73cript` mean the same (so would `<\script` in a string, but not in a regex).
fn script_safe(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i + 1]);
        rest = &rest[i + 1..];
        let slash = rest.starts_with('/');
        let word = &rest[usize::from(slash)..];
        if word.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("script")) {
            if slash {
                out.push_str("\\/");
                rest = &rest[1..];
            } else {
                out.push_str(&format!("\\x{:02x}", word.as_bytes()[0]));
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The stylesheet with the files it names in `url(…)` inlined as data: URLs.
fn inline_css(site: &Path, css: &str, exists: &dyn Fn(&str) -> bool) -> Result<String> {
    if css.to_ascii_lowercase().contains("</style") {
        return Err("the stylesheet contains `</style`".into());
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let end = rest.find(')').ok_or("the stylesheet has an unclosed url(")?;
        let target = rest[..end].trim().trim_matches(['"', '\'']);
        if exists(target) {
            out.push_str(&format!("\"{}\"", data_url(site, target)?));
        } else if target.starts_with("data:") || target.starts_with('#') {
            out.push_str(&rest[..end]);
        } else {
            return Err(format!("the stylesheet refers to {target:?}, which is not a file of the site"));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

fn data_url(site: &Path, rel: &str) -> Result<String> {
    let mime = match rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase().as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "css" => "text/css",
        _ => "application/octet-stream",
    };
    Ok(format!("data:{mime};base64,{}", base64(&read(site, rel)?)))
}

/// `gzip -9 -n -c path` (the build already relies on gzip for the size report).
pub fn gzip(path: &Path) -> Result<Vec<u8>> {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("could not run gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip -9 -n -c {} failed", path.display()));
    }
    Ok(out.stdout)
}

/// The page's policy for the one file: `'self'` removed everywhere (there is nothing to load),
/// the inline scripts' and styles' hashes added, workers from `blob:` and WebAssembly allowed,
/// `default-src 'none'` first.
fn one_file_csp(page: &str, scripts: &[String], styles: &[String]) -> String {
    let mut directives: Vec<(String, Vec<String>)> = Vec::new();
    for d in page.split(';') {
        let mut words = d.split_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        if directives.iter().any(|(n, _)| *n == name) {
            continue; // as browsers do: the first one counts
        }
        let sources = words.filter(|w| *w != "'self'" && *w != "'none'").map(str::to_string).collect();
        directives.push((name, sources));
    }
    let mut ensure = |name: &str, add: &[String]| {
        let i = match directives.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                directives.push((name.to_string(), Vec::new()));
                directives.len() - 1
            }
        };
        for a in add {
            if !directives[i].1.contains(a) {
                directives[i].1.push(a.clone());
            }
        }
    };
    ensure("default-src", &[]);
    ensure("script-src", scripts);
    ensure("script-src", &["'wasm-unsafe-eval'".to_string()]);
    ensure("worker-src", &["blob:".to_string()]);
    ensure("style-src", styles);
    directives.retain(|(n, _)| n != "default-src");
    directives.insert(0, ("default-src".into(), Vec::new()));
    directives
        .iter()
        .map(|(n, s)| if s.is_empty() { format!("{n} 'none'") } else { format!("{n} {}", s.join(" ")) })
        .collect::<Vec<_>>()
        .join("; ")
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

// ---------------------------------------------------------------------------------- HTML

#[derive(Clone, Debug)]
struct Tag {
    /// Lower case.
    name: String,
    /// (lower-case name, value), values as written (entities are not expected in paths).
    attrs: Vec<(String, Option<String>)>,
    /// The tag as written.
    text: String,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    fn set(&mut self, name: &str, value: &str) {
        if let Some(a) = self.attrs.iter_mut().find(|(n, _)| n == name) {
            a.1 = Some(value.to_string());
        }
    }

    fn render(&self) -> String {
        let mut s = format!("<{}", self.name);
        for (n, v) in &self.attrs {
            match v {
                Some(v) => s.push_str(&format!(" {n}=\"{}\"", attr_escape(v))),
                None => s.push_str(&format!(" {n}")),
            }
        }
        s.push('>');
        s
    }
}

#[derive(Debug)]
enum Node {
    /// Text, comments and doctype, as written.
    Text(String),
    Tag(Tag),
    /// The content of a <script> or <style> element.
    Raw(String),
    /// An end tag: (lower-case name, as written).
    End(String, String),
}

/// Splits HTML into text, tags, end tags and the raw text of script and style elements.
fn parse_html(html: &str) -> Result<Vec<Node>> {
    let mut nodes = Vec::new();
    let mut i = 0;
    let b = html.as_bytes();
    let mut text_start = 0;
    while let Some(off) = html[i..].find('<') {
        let lt = i + off;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").ok_or("index.html: unclosed comment")?;
            i = lt + end + 3;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = lt + rest.find('>').ok_or("index.html: unclosed <!")? + 1;
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        if text_start < lt {
            nodes.push(Node::Text(html[text_start..lt].to_string()));
        }
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        if closing {
            let end = html[j..].find('>').ok_or("index.html: unclosed end tag")? + j + 1;
            nodes.push(Node::End(name, html[lt..end].to_string()));
            i = end;
            text_start = i;
            continue;
        }
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                None => return Err(format!("index.html: unclosed <{name}>")),
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                    j += 2;
                    break;
                }
                _ => {}
            }
            let an = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !b"=>/".contains(&b[j]) {
                j += 1;
            }
            if an == j {
                j += 1; // a stray '/'
                continue;
            }
            let attr = html[an..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = html[j + 1..].find(q as char).ok_or("index.html: unclosed attribute value")?;
                        let v = &html[j + 1..j + 1 + end];
                        j += end + 2;
                        Some(v.replace("&amp;", "&"))
                    }
                    _ => {
                        let vs = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        Some(html[vs..j].to_string())
                    }
                }
            } else {
                None
            };
            attrs.push((attr, value));
        }
        nodes.push(Node::Tag(Tag { name: name.clone(), attrs, text: html[lt..j].to_string() }));
        i = j;
        text_start = i;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let end = html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .ok_or_else(|| format!("index.html: <{name}> is not closed"))?;
            nodes.push(Node::Raw(html[i..i + end].to_string()));
            i += end;
            text_start = i;
        }
    }
    if text_start < html.len() {
        nodes.push(Node::Text(html[text_start..].to_string()));
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_drops_self_and_adds_hashes() {
        let page = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; \
                    img-src 'self' blob: data:; style-src 'self'; style-src-attr 'unsafe-inline'; base-uri 'none'";
        let csp = one_file_csp(page, &["'sha256-A'".into(), "'sha256-B'".into()], &["'sha256-S'".into()]);
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'wasm-unsafe-eval' 'sha256-A' 'sha256-B'; worker-src blob:; \
             connect-src 'none'; img-src blob: data:; style-src 'sha256-S'; style-src-attr 'unsafe-inline'; \
             base-uri 'none'"
        );
        let csp = one_file_csp("img-src data:", &["'sha256-A'".into()], &[]);
        assert_eq!(
            csp,
            "default-src 'none'; img-src data:; script-src 'sha256-A' 'wasm-unsafe-eval'; worker-src blob:; style-src 'none'"
        );
        assert!(one_file_csp(DEFAULT_CSP, &[], &[]).starts_with("default-src 'none'; script-src 'wasm-unsafe-eval';"));
    }

    #[test]
    fn script_text_cannot_end_the_element() {
        assert_eq!(
            script_safe("a('</script>'); b('<!--'); c('<SCRIPT', /<script>/); d < e; f('</Script')"),
            "a('<\\/script>'); b('<!--'); c('<\\x53CRIPT', /<\\x73cript>/); d < e; f('<\\/Script')"
        );
    }

    #[test]
    fn html_is_split_into_tags_and_raw_text() {
        let html = "<!doctype html><html><head><meta charset=utf-8><!-- <script> -->\
                    <script type=\"module\" src=\"app.js\"></script><style>a>b{}</style></head>\
                    <body class='x' hidden><p>1 < 2</p></body></html>";
        let nodes = parse_html(html).unwrap();
        let tags: Vec<String> = nodes
            .iter()
            .map(|n| match n {
                Node::Tag(t) => format!("<{}{}>", t.name, t.attrs.len()),
                Node::End(n, _) => format!("</{n}>"),
                Node::Raw(r) => format!("raw:{r}"),
                Node::Text(t) => format!("text:{t}"),
            })
            .collect();
        assert_eq!(
            tags,
            [
                "text:<!doctype html>",
                "<html0>",
                "<head0>",
                "<meta1>",
                "text:<!-- <script> -->",
                "<script2>",
                "raw:",
                "</script>",
                "<style0>",
                "raw:a>b{}",
                "</style>",
                "</head>",
                "<body2>",
                "<p0>",
                "text:1 < 2",
                "</p>",
                "</body>",
                "</html>"
            ]
        );
        let Node::Tag(body) = &nodes[12] else { panic!() };
        assert_eq!(body.get("class"), Some("x"));
        assert_eq!(body.get("hidden"), Some(""));
        assert_eq!(body.render(), "<body class=\"x\" hidden>");
    }

    /// A small site: a page with a module, a worker, a "glue" with a wasm module.
    #[test]
    fn a_site_becomes_one_file() {
        let dir = std::env::temp_dir().join(format!("xtask-onefile-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("pkg")).unwrap();
        let w = |p: &str, s: &str| fs::write(dir.join(p), s).unwrap();
        w(
            "index.html",
            "<!doctype html><html><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\">\
             <link rel=\"icon\" href=\"i.svg\"><link rel=\"stylesheet\" href=\"s.css\">\
             <script type=\"module\" src=\"app.js\"></script></head><body><p>hi</p></body></html>",
        );
        w("i.svg", "<svg/>");
        w("s.css", "p{color:red}");
        w("app.js", "import init from './pkg/cohortcalc.js';\nnew Worker(new URL('./worker.js', import.meta.url));\n");
        w("worker.js", "import init, { go } from './pkg/cohortcalc.js';\ninit().then(go);\n");
        w(
            "pkg/cohortcalc.js",
            "export function go() {}\nasync function __wbg_init(m) { m = new URL('cohortcalc_bg.wasm', import.meta.url); }\n\
             export { __wbg_init as default };\n",
        );
        fs::write(dir.join("pkg/cohortcalc_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let html = build(&dir).unwrap();

        let csp_start = html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"").unwrap();
        assert!(csp_start < html.find("<style>").unwrap());
        assert_eq!(html.matches("Content-Security-Policy").count(), 1);
        let main_start = html.rfind("<script>").unwrap() + 8;
        let main = &html[main_start..html.rfind("</script>").unwrap()];
        assert!(html.contains(&csp_hash(main).replace('\'', "&#39;")) || html.contains(&csp_hash(main)));
        assert!(html.contains(&csp_hash("p{color:red}")));
        assert!(html.contains("<link rel=\"icon\" href=\"data:image/svg+xml;base64,PHN2Zy8+\">"));
        assert!(!html.contains("src=\"app.js\""));
        assert!(main.contains("__cc_defs[\"app.js\"]") && main.contains("__cc_defs[\"pkg/cohortcalc.js\"]"));
        assert!(main.contains("\"worker.js\": \"(() => {"));
        assert!(main.contains("__cc_wasm()") && !main.contains("import.meta"));
        assert!(html.contains(&format!("id=\"cohortcalc-wasm\">{}</script>", base64(&gzip(&dir.join(WASM)).unwrap()))));
        assert!(html.find("cohortcalc-wasm").unwrap() > html.find("<p>hi</p>").unwrap());

        w("app.js", "import x from './pkg/missing.js';\n");
        assert!(build(&dir).unwrap_err().contains("cannot find module"));
        w("app.js", "document.body.onclick = 1;\n");
        w("index.html", "<html><head><meta charset=utf-8></head><body onload=\"x()\"></body></html>");
        assert!(build(&dir).unwrap_err().contains("inline event handlers"));
        let _ = fs::remove_dir_all(&dir);
    }
}
