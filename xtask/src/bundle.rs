//! The page's ES modules as classic scripts, for the one-file build (`cohortcalc.html`).
//!
//! Why: a page opened from `file://` has an opaque origin, so Chromium refuses to load module
//! scripts from files, and refuses *module* workers even from `blob:` URLs; classic scripts
//! (inline, or a worker from a `blob:` URL) do run. So that the page's code stays plain ES
//! modules (what `cargo xtask serve` serves), each module is rewritten here into a function
//! registered under its path, and imports become calls that evaluate a module once and return its
//! exports — the way bundlers do it, for the shapes of code the page uses:
//!
//! * `import d, { a, b as c } from './x.js'`, `import * as ns from './x.js'`, `import './x.js'`;
//! * `export function|async function|class|const|let|var NAME`, `export default …`,
//!   `export { a, b as c }`, `export { a } from './x.js'`, `export * from './x.js'`;
//! * `import('./x.js')` with a literal path (a promise of the module, bundled too);
//! * `import.meta` (its `url` is the module's path resolved against the page);
//! * a string literal naming another `.js` file of the site (`new URL('./worker.js',
//!   import.meta.url)`) becomes the `blob:` URL of that file bundled as a classic worker.
//!
//! Not supported (the build stops and says so): `import(expression)`, static import cycles, bare
//! specifiers, import attributes, `export const a = 1, b = 2` (two statements, please), and
//! top-level `await` (a rewritten module is a plain function). Exports are read through getters,
//! so later assignments to an exported `let` are seen; named imports are copied once when the
//! importing module starts, as with destructuring. Module code runs when the inline script does,
//! at the end of `<body>` (as a module script would, before `DOMContentLoaded`).

use std::collections::BTreeMap;

use crate::util::Result;

/// One module rewritten as the body of a function.
#[derive(Debug)]
pub struct Module {
    /// The modules it imports (site-relative paths, e.g. `pkg/cohortcalc.js`).
    pub imports: Vec<String>,
    /// The modules it imports with `import('…')`, when it asks for them.
    pub lazy: Vec<String>,
    /// Other `.js` files it names in string literals (bundled as workers).
    pub workers: Vec<String>,
    /// `__cc_defs["path"] = function (…) { … };`
    pub definition: String,
}

/// The names in scope of every rewritten module (besides the page's own).
const PARAMS: &str = "__cc_import, __cc_export, __cc_meta, __cc_asset, __cc_wasm, Worker";

/// Rewrites the module at `path` (site-relative, `/`-separated) with source `src`. `exists`
/// says whether a site-relative path is a file of the site.
pub fn transform(path: &str, src: &str, exists: &dyn Fn(&str) -> bool) -> Result<Module> {
    let toks = lex(src).map_err(|e| format!("{path}: {e}"))?;
    let mut r = Rewriter {
        path,
        src,
        toks: &toks,
        exists,
        out: String::new(),
        copied: 0,
        imports: vec![],
        lazy: vec![],
        workers: vec![],
        exports: vec![],
        reexports: 0,
    };
    r.run().map_err(|e| format!("{path}: {e}"))?;
    let Rewriter { mut out, copied, imports, lazy, workers, exports, .. } = r;
    out.push_str(&src[copied..]);

    let mut def = format!("__cc_defs[{}] = function ({PARAMS}) {{\n\"use strict\";\n", js_string(path));
    if !exports.is_empty() {
        def.push_str("__cc_def(__cc_export, {");
        for (i, (name, local)) in exports.iter().enumerate() {
            def.push_str(if i == 0 { " " } else { ", " });
            def.push_str(&format!("{}: () => {local}", js_string(name)));
        }
        def.push_str(" });\n");
    }
    def.push_str(&out);
    if !def.ends_with('\n') {
        def.push('\n');
    }
    def.push_str("};\n");
    Ok(Module { imports, lazy, workers, definition: def })
}

/// The module `entry` and everything it imports, in an order where each module comes after
/// those it imports; import cycles are refused.
pub fn closure(entry: &str, modules: &BTreeMap<String, Module>) -> Result<Vec<String>> {
    fn visit(
        p: &str,
        modules: &BTreeMap<String, Module>,
        order: &mut Vec<String>,
        stack: &mut Vec<String>,
    ) -> Result<()> {
        if order.iter().any(|o| o == p) {
            return Ok(());
        }
        if let Some(i) = stack.iter().position(|s| s == p) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(p.to_string());
            return Err(format!("import cycle {}: the single-file build cannot order it", cycle.join(" -> ")));
        }
        let m = modules.get(p).ok_or_else(|| format!("module {p} was not read"))?;
        stack.push(p.to_string());
        for dep in &m.imports {
            visit(dep, modules, order, stack)?;
        }
        stack.pop();
        order.push(p.to_string());
        Ok(())
    }
    let mut order = Vec::new();
    visit(entry, modules, &mut order, &mut Vec::new())?;
    Ok(order)
}

/// What a bundle started at `entries` must define: their static imports (each after what it
/// imports) and, after them, the modules imported with `import('…')` and theirs.
pub fn bundle_order(entries: &[String], modules: &BTreeMap<String, Module>) -> Result<Vec<String>> {
    let mut order: Vec<String> = Vec::new();
    let mut starts: Vec<String> = entries.to_vec();
    let mut i = 0;
    while i < starts.len() {
        for p in closure(&starts[i], modules)? {
            if !order.contains(&p) {
                starts.extend(modules[&p].lazy.iter().filter(|l| !starts.contains(l)).cloned().collect::<Vec<_>>());
                order.push(p);
            }
        }
        i += 1;
    }
    Ok(order)
}

/// The runtime every bundle starts with: the module registry and its helpers. Before it, the
/// bundle defines `__cc_base` (the page's URL) and `__cc_wasm_b64` (the gzipped WebAssembly
/// module, base64), and after it `__cc_asset` (which turns a worker's path into its URL).
pub const PRELUDE: &str = r#""use strict";
const __cc_defs = Object.create(null);
const __cc_done = Object.create(null);
function __cc_def(e, getters) {
  for (const k of Object.keys(getters)) Object.defineProperty(e, k, { enumerable: true, get: getters[k] });
}
function __cc_star(e, from) {
  for (const k of Object.keys(from)) {
    if (k !== "default" && !(k in e)) Object.defineProperty(e, k, { enumerable: true, get: () => from[k] });
  }
}
function __cc_import(p) {
  let e = __cc_done[p];
  if (e) return e;
  e = __cc_done[p] = Object.create(null);
  __cc_defs[p](__cc_import, e, { url: new URL(p, __cc_base).href }, __cc_asset, __cc_wasm, __cc_Worker);
  return e;
}
// The WebAssembly module: gunzipped as it is compiled (DecompressionStream), so that the
// gzipped file is no bigger than the gzipped site (base64 of the raw module gzips 27% worse).
function __cc_wasm() {
  const bin = atob(__cc_wasm_b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const body = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(body, { headers: { "Content-Type": "application/wasm" } });
}
// Workers made from this bundle's blob: URLs are classic scripts (Chromium will not start a
// module worker from a file:// page), whatever `type` the page asks for.
const __cc_worker_urls = new Set();
const __cc_Worker =
  typeof Worker === "function"
    ? class extends Worker {
        constructor(url, options) {
          const ours = __cc_worker_urls.has(String(url));
          super(url, ours ? Object.assign({}, options, { type: "classic" }) : options);
        }
      }
    : undefined;
"#;

/// A JavaScript string literal for `s`, safe inside an HTML `<script>` element (no `<`).
pub fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ------------------------------------------------------------------------------------- lexing

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Identifiers, keywords and numbers.
    Word,
    /// '…' or "…".
    Str,
    /// A piece of a template literal.
    Template,
    Regex,
    Punct,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// How many brackets (and template `${`) are open around it; 0 at the top level.
    depth: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Words after which a `/` starts a regular expression rather than dividing.
const BEFORE_REGEX: &str = "return typeof instanceof in of new delete void throw case do else yield await";

/// Splits JavaScript into tokens, skipping whitespace and comments. Knows enough of the language
/// (strings, template literals, regular expressions, brackets) to find the top level.
fn lex(src: &str) -> std::result::Result<Vec<Tok>, String> {
    let b = src.as_bytes();
    let line = |i: usize| src[..i].matches('\n').count() + 1;
    let mut toks: Vec<Tok> = Vec::new();
    // Open brackets; b'$' for a template literal's `${`.
    let mut stack: Vec<u8> = Vec::new();
    let mut i = if src.starts_with('\u{feff}') { 3 } else { 0 };
    // Scans template text from `i` (just after '`' or '}'); returns where it ended and whether a
    // `${` (rather than the closing '`') ended it.
    let template = |mut i: usize| -> std::result::Result<(usize, bool), String> {
        let start = i;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'`' => return Ok((i + 1, false)),
                b'$' if b.get(i + 1) == Some(&b'{') => return Ok((i + 2, true)),
                _ => i += 1,
            }
        }
        Err(format!("line {}: unterminated template literal", line(start)))
    };
    while i < b.len() {
        let c = b[i];
        let depth = stack.len();
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").ok_or_else(|| format!("line {}: unterminated comment", line(i)))?;
                i += 2 + end + 2;
            }
            b'\'' | b'"' => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') => return Err(format!("line {}: unterminated string", line(start))),
                        Some(b'\\') => i += 2,
                        Some(&q) if q == c => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                toks.push(Tok { kind: Kind::Str, start, end: i, depth });
            }
            b'`' => {
                let (end, open) = template(i + 1)?;
                toks.push(Tok { kind: Kind::Template, start: i, end, depth });
                if open {
                    stack.push(b'$');
                }
                i = end;
            }
            b'}' if stack.last() == Some(&b'$') => {
                stack.pop();
                let (end, open) = template(i + 1)?;
                toks.push(Tok { kind: Kind::Template, start: i, end, depth: stack.len() });
                if open {
                    stack.push(b'$');
                }
                i = end;
            }
            b'{' | b'(' | b'[' => {
                toks.push(Tok { kind: Kind::Punct, start: i, end: i + 1, depth });
                stack.push(c);
                i += 1;
            }
            b'}' | b')' | b']' => {
                let open = match c {
                    b'}' => b'{',
                    b')' => b'(',
                    _ => b'[',
                };
                if stack.pop() != Some(open) {
                    return Err(format!("line {}: unbalanced `{}`", line(i), c as char));
                }
                toks.push(Tok { kind: Kind::Punct, start: i, end: i + 1, depth: stack.len() });
                i += 1;
            }
            b'/' if regex_may_follow(src, toks.last()) => {
                let start = i;
                let mut class = false;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') => {
                            return Err(format!("line {}: unterminated regular expression", line(start)))
                        }
                        Some(b'\\') => i += 2,
                        Some(b'[') => {
                            class = true;
                            i += 1
                        }
                        Some(b']') => {
                            class = false;
                            i += 1
                        }
                        Some(b'/') if !class => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                toks.push(Tok { kind: Kind::Regex, start, end: i, depth });
            }
            c if is_word_byte(c) => {
                let start = i;
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                toks.push(Tok { kind: Kind::Word, start, end: i, depth });
            }
            _ => {
                toks.push(Tok { kind: Kind::Punct, start: i, end: i + 1, depth });
                i += 1;
            }
        }
    }
    if let Some(&open) = stack.last() {
        let what = if open == b'$' { "template literal".to_string() } else { format!("`{}`", open as char) };
        return Err(format!("unclosed {what} at the end"));
    }
    Ok(toks)
}

fn regex_may_follow(src: &str, prev: Option<&Tok>) -> bool {
    let Some(t) = prev else { return true };
    let text = &src[t.start..t.end];
    match t.kind {
        Kind::Punct => !matches!(text, ")" | "]"),
        Kind::Word => BEFORE_REGEX.split(' ').any(|w| w == text),
        Kind::Str | Kind::Template | Kind::Regex => false,
    }
}

// ---------------------------------------------------------------------------------- rewriting

struct Rewriter<'a> {
    path: &'a str,
    src: &'a str,
    toks: &'a [Tok],
    exists: &'a dyn Fn(&str) -> bool,
    out: String,
    /// `src[..copied]` has been written to `out` (rewritten).
    copied: usize,
    imports: Vec<String>,
    lazy: Vec<String>,
    workers: Vec<String>,
    /// (exported name, JavaScript expression giving its value).
    exports: Vec<(String, String)>,
    reexports: usize,
}

impl Rewriter<'_> {
    fn text(&self, k: usize) -> &str {
        self.toks.get(k).map_or("", |t| &self.src[t.start..t.end])
    }

    fn is(&self, k: usize, kind: Kind, text: &str) -> bool {
        self.toks.get(k).is_some_and(|t| t.kind == kind) && self.text(k) == text
    }

    fn line(&self, k: usize) -> usize {
        let at = self.toks.get(k).map_or(self.src.len(), |t| t.start);
        self.src[..at].matches('\n').count() + 1
    }

    /// Replaces the source from token `from` to token `to` (inclusive) with `with`, keeping the
    /// line count (so that line numbers in errors still point at the page's source).
    fn replace(&mut self, from: usize, to: usize, with: &str) {
        let (start, end) = (self.toks[from].start, self.toks[to].end);
        self.out.push_str(&self.src[self.copied..start]);
        self.out.push_str(with);
        self.out.push_str(&"\n".repeat(self.src[start..end].matches('\n').count()));
        self.copied = end;
    }

    /// Removes tokens `from` to `to` (inclusive) and the spaces after them.
    fn remove(&mut self, from: usize, to: usize) {
        self.replace(from, to, "");
        let rest = &self.src[self.copied..];
        self.copied += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// The text of a string token, without quotes (escapes are not expected in paths).
    fn string_value(&self, k: usize) -> Option<&str> {
        let t = self.toks.get(k).filter(|t| t.kind == Kind::Str)?;
        let s = &self.src[t.start + 1..t.end - 1];
        (!s.contains('\\')).then_some(s)
    }

    /// A module specifier (relative to this module) as a site path.
    fn resolve(&self, spec: &str) -> Option<String> {
        if !(spec.starts_with("./") || spec.starts_with("../")) {
            return None;
        }
        let mut parts: Vec<&str> = self.path.split('/').collect();
        parts.pop();
        for seg in spec.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        let p = parts.join("/");
        (self.exists)(&p).then_some(p)
    }

    fn import_target(&mut self, k: usize) -> Result<String> {
        let spec = self.string_value(k).ok_or_else(|| format!("line {}: expected a module path", self.line(k)))?;
        let p = self.resolve(spec).ok_or_else(|| {
            format!("line {}: cannot find module {spec:?} (only ./ and ../ paths to files of the site)", self.line(k))
        })?;
        if !self.imports.contains(&p) {
            self.imports.push(p.clone());
        }
        Ok(p)
    }

    /// The index after an optional `;` at `k`.
    fn semicolon(&self, k: usize) -> usize {
        if self.is(k, Kind::Punct, ";") {
            k + 1
        } else {
            k
        }
    }

    fn ident(&self, k: usize) -> Result<String> {
        match self.toks.get(k) {
            Some(t) if t.kind == Kind::Word && !self.text(k).as_bytes()[0].is_ascii_digit() => {
                Ok(self.text(k).to_string())
            }
            _ => Err(format!("line {}: expected a name, found {:?}", self.line(k), self.text(k))),
        }
    }

    /// `{ a, b as c, default as d }` from `k` (at the `{`): the pairs (outer, inner) and the index
    /// after the `}`. For imports outer is the exporter's name; for exports it is the local name.
    fn braces(&self, mut k: usize) -> Result<(Vec<(String, String)>, usize)> {
        let mut names = Vec::new();
        k += 1;
        loop {
            if self.is(k, Kind::Punct, "}") {
                return Ok((names, k + 1));
            }
            let a = self.ident(k)?;
            k += 1;
            let b = if self.is(k, Kind::Word, "as") {
                k += 1;
                let b = self.ident(k)?;
                k += 1;
                b
            } else {
                a.clone()
            };
            names.push((a, b));
            if self.is(k, Kind::Punct, ",") {
                k += 1;
            } else if !self.is(k, Kind::Punct, "}") {
                return Err(format!("line {}: expected `,` or `}}`, found {:?}", self.line(k), self.text(k)));
            }
        }
    }

    fn run(&mut self) -> Result<()> {
        let mut k = 0;
        while k < self.toks.len() {
            let t = self.toks[k];
            // `o.import` and `{ import: 1 }` are property names, not the keywords.
            let property = (k > 0 && self.is(k - 1, Kind::Punct, ".")) || self.is(k + 1, Kind::Punct, ":");
            if t.kind == Kind::Word && !property && self.text(k) == "import" {
                if self.is(k + 1, Kind::Punct, ".") {
                    if self.text(k + 2) != "meta" {
                        return Err(format!("line {}: unexpected `import.{}`", self.line(k), self.text(k + 2)));
                    }
                    self.replace(k, k + 2, "__cc_meta");
                    k += 3;
                    continue;
                }
                if self.is(k + 1, Kind::Punct, "(") {
                    let target = self.string_value(k + 2).and_then(|spec| self.resolve(spec));
                    let (Some(p), true) = (target, self.is(k + 3, Kind::Punct, ")")) else {
                        return Err(format!(
                            "line {}: import() of anything but a literal path to a file of the site is not \
                             supported by the single-file build",
                            self.line(k)
                        ));
                    };
                    self.replace(k, k + 3, &format!("Promise.resolve().then(() => __cc_import({}))", js_string(&p)));
                    if !self.lazy.contains(&p) {
                        self.lazy.push(p);
                    }
                    k += 4;
                    continue;
                }
                if t.depth != 0 {
                    return Err(format!("line {}: `import` inside a block", self.line(k)));
                }
                k = self.import(k)?;
                continue;
            }
            if t.kind == Kind::Word && !property && self.text(k) == "export" {
                if t.depth != 0 {
                    return Err(format!("line {}: `export` inside a block", self.line(k)));
                }
                k = self.export(k)?;
                continue;
            }
            // A wrapped module is a plain function: `await` at its top level cannot work there.
            let arrow_body = k >= 2 && self.is(k - 1, Kind::Punct, ">") && self.is(k - 2, Kind::Punct, "=");
            if t.kind == Kind::Word && t.depth == 0 && !property && !arrow_body && self.text(k) == "await" {
                return Err(format!(
                    "line {}: top-level await is not supported by the single-file build; \
                     wrap the code in an async function",
                    self.line(k)
                ));
            }
            if t.kind == Kind::Str {
                let target = self.string_value(k).filter(|s| s.ends_with(".js")).and_then(|s| self.resolve(s));
                if let Some(p) = target {
                    self.replace(k, k, &format!("__cc_asset({})", js_string(&p)));
                    if !self.workers.contains(&p) {
                        self.workers.push(p);
                    }
                }
            }
            k += 1;
        }
        Ok(())
    }

    /// `import …` at `k`; returns the index after it.
    fn import(&mut self, k: usize) -> Result<usize> {
        let mut j = k + 1;
        if self.toks.get(j).is_some_and(|t| t.kind == Kind::Str) {
            let p = self.import_target(j)?;
            let end = self.semicolon(j + 1);
            self.replace(k, end - 1, &format!("__cc_import({});", js_string(&p)));
            return Ok(end);
        }
        let mut default = None;
        let mut namespace = None;
        let mut named = Vec::new();
        if self.toks.get(j).is_some_and(|t| t.kind == Kind::Word) && self.text(j) != "from" {
            default = Some(self.ident(j)?);
            j += 1;
            if self.is(j, Kind::Punct, ",") {
                j += 1;
            }
        }
        if self.is(j, Kind::Punct, "*") {
            if !self.is(j + 1, Kind::Word, "as") {
                return Err(format!("line {}: expected `* as name`", self.line(j)));
            }
            namespace = Some(self.ident(j + 2)?);
            j += 3;
        } else if self.is(j, Kind::Punct, "{") {
            (named, j) = self.braces(j)?;
        }
        if !self.is(j, Kind::Word, "from") {
            return Err(format!("line {}: expected `from`, found {:?}", self.line(j), self.text(j)));
        }
        let p = self.import_target(j + 1)?;
        if self.is(j + 2, Kind::Word, "with") || self.is(j + 2, Kind::Word, "assert") {
            return Err(format!("line {}: import attributes are not supported", self.line(j + 2)));
        }
        let end = self.semicolon(j + 2);
        let module = format!("__cc_import({})", js_string(&p));
        let code = match (namespace, default) {
            (Some(ns), Some(d)) => format!("const {ns} = {module}, {d} = {ns}.default;"),
            (Some(ns), None) => format!("const {ns} = {module};"),
            (None, default) => {
                let mut fields: Vec<String> = default.into_iter().map(|d| format!("default: {d}")).collect();
                fields.extend(named.iter().map(|(a, b)| if a == b { a.clone() } else { format!("{a}: {b}") }));
                if fields.is_empty() {
                    format!("{module};")
                } else {
                    format!("const {{ {} }} = {module};", fields.join(", "))
                }
            }
        };
        self.replace(k, end - 1, &code);
        Ok(end)
    }

    /// The name declared by `function NAME`, `async function NAME`, `function* NAME` or
    /// `class NAME` starting at `k`, if it is such a declaration (None for anonymous ones).
    fn declared_name(&self, k: usize) -> Option<Option<String>> {
        let mut j = k;
        if self.is(j, Kind::Word, "async") && self.is(j + 1, Kind::Word, "function") {
            j += 1;
        }
        if self.is(j, Kind::Word, "function") {
            j += 1;
            if self.is(j, Kind::Punct, "*") {
                j += 1;
            }
        } else if self.is(j, Kind::Word, "class") {
            j += 1;
        } else {
            return None;
        }
        let named = self.toks.get(j).is_some_and(|t| t.kind == Kind::Word) && self.text(j) != "extends";
        Some(named.then(|| self.text(j).to_string()))
    }

    /// `export …` at `k`; returns the index after the part rewritten.
    fn export(&mut self, k: usize) -> Result<usize> {
        let next = k + 1;
        if self.is(next, Kind::Word, "default") {
            match self.declared_name(next + 1) {
                Some(Some(name)) => {
                    self.remove(k, next);
                    self.exports.push(("default".into(), name));
                }
                _ => self.replace(k, next, "__cc_export.default ="),
            }
            return Ok(next + 1);
        }
        if let Some(name) = self.declared_name(next) {
            let name = name.ok_or_else(|| format!("line {}: an exported declaration needs a name", self.line(k)))?;
            self.remove(k, k);
            self.exports.push((name.clone(), name));
            return Ok(next);
        }
        if ["const", "let", "var"].iter().any(|w| self.is(next, Kind::Word, w)) {
            let name = self.ident(next + 1).map_err(|_| {
                format!("line {}: destructuring in `export {}` is not supported", self.line(k), self.text(next))
            })?;
            // Refuse `export const a = 1, b = 2` (only `a` would be seen).
            let mut j = next + 2;
            while let Some(t) = self.toks.get(j) {
                if t.depth == 0 && t.kind == Kind::Punct && self.text(j) == ";" {
                    break;
                }
                if t.depth == 0 && t.kind == Kind::Punct && self.text(j) == "," {
                    return Err(format!(
                        "line {}: `export {} a = …, b = …` is not supported by the single-file build; \
                         write one declaration per statement",
                        self.line(k),
                        self.text(next)
                    ));
                }
                j += 1;
            }
            self.remove(k, k);
            self.exports.push((name.clone(), name));
            return Ok(next);
        }
        if self.is(next, Kind::Punct, "{") {
            let (names, j) = self.braces(next)?;
            if self.is(j, Kind::Word, "from") {
                let p = self.import_target(j + 1)?;
                self.reexports += 1;
                let var = format!("__cc_re{}", self.reexports);
                for (local, exported) in names {
                    self.exports.push((exported, format!("{var}.{local}")));
                }
                let end = self.semicolon(j + 2);
                self.replace(k, end - 1, &format!("const {var} = __cc_import({});", js_string(&p)));
                return Ok(end);
            }
            for (local, exported) in names {
                self.exports.push((exported, local));
            }
            let end = self.semicolon(j);
            self.replace(k, end - 1, "");
            return Ok(end);
        }
        if self.is(next, Kind::Punct, "*") && self.is(next + 1, Kind::Word, "from") {
            let p = self.import_target(next + 2)?;
            let end = self.semicolon(next + 3);
            self.replace(k, end - 1, &format!("__cc_star(__cc_export, __cc_import({}));", js_string(&p)));
            return Ok(end);
        }
        Err(format!("line {}: this form of `export` is not supported by the single-file build", self.line(k)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(p: &str) -> bool {
        ["app.js", "worker.js", "lib/util.js", "pkg/cohortcalc.js"].contains(&p)
    }

    fn body(path: &str, src: &str) -> String {
        let m = transform(path, src, &exists).unwrap();
        let start = m.definition.find("\"use strict\";\n").unwrap() + 14;
        m.definition[start..m.definition.len() - 3].to_string()
    }

    fn err(src: &str) -> String {
        transform("app.js", src, &exists).unwrap_err()
    }

    #[test]
    fn imports_become_calls() {
        let m = transform(
            "app.js",
            "import init, { demo_csv, draw as d } from './pkg/cohortcalc.js';\nimport * as u from \"./lib/util.js\"\nimport './lib/util.js';\nconsole.log(d);\n",
            &exists,
        )
        .unwrap();
        assert_eq!(m.imports, vec!["pkg/cohortcalc.js".to_string(), "lib/util.js".to_string()]);
        assert!(m.definition.contains(
            "const { default: init, demo_csv, draw: d } = __cc_import(\"pkg/cohortcalc.js\");\n\
             const u = __cc_import(\"lib/util.js\");\n__cc_import(\"lib/util.js\");\nconsole.log(d);"
        ));
        assert_eq!(
            body("lib/util.js", "import a, * as ns from '../app.js'\n"),
            "const ns = __cc_import(\"app.js\"), a = ns.default;\n"
        );
        // A multi-line import keeps the line count.
        assert_eq!(
            body("app.js", "import {\n  a,\n  b,\n} from './worker.js';\nx;"),
            "const { a, b } = __cc_import(\"worker.js\");\n\n\n\nx;\n"
        );
    }

    #[test]
    fn exports_become_getters() {
        let src = "export function f() {}\nexport async function g() {}\nexport class C {}\nexport const k = 1;\n\
                   let x = 2;\nexport { x, x as y };\nexport default function h() {}\n";
        let m = transform("lib/util.js", src, &exists).unwrap();
        assert!(
            m.definition.contains(
                "__cc_def(__cc_export, { \"f\": () => f, \"g\": () => g, \"C\": () => C, \"k\": () => k, \"x\": () => x, \
                 \"y\": () => x, \"default\": () => h });\nfunction f() {}\nasync function g() {}\nclass C {}\nconst k = 1;\n\
                 let x = 2;\n\nfunction h() {}\n"
            ),
            "{}",
            m.definition
        );
        assert_eq!(body("app.js", "export default { a: 1 };"), "__cc_export.default = { a: 1 };\n");
        assert_eq!(
            body("app.js", "export default async function () {}"),
            "__cc_export.default = async function () {}\n"
        );
        let glue =
            "function initSync() {}\nasync function __wbg_init() {}\nexport { initSync, __wbg_init as default };\n";
        assert!(transform("pkg/cohortcalc.js", glue, &exists)
            .unwrap()
            .definition
            .contains("{ \"initSync\": () => initSync, \"default\": () => __wbg_init }"));
        let re =
            transform("app.js", "export { a, b as c } from './lib/util.js';\nexport * from './worker.js';", &exists)
                .unwrap();
        assert!(re.definition.contains("\"a\": () => __cc_re1.a, \"c\": () => __cc_re1.b"));
        assert!(re.definition.contains("const __cc_re1 = __cc_import(\"lib/util.js\");"));
        assert!(re.definition.contains("__cc_star(__cc_export, __cc_import(\"worker.js\"));"));
    }

    #[test]
    fn worker_paths_and_import_meta() {
        let src = "const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });\n\
                   const s = './not-there.js', t = 'worker.js';";
        let m = transform("app.js", src, &exists).unwrap();
        assert_eq!(m.workers, vec!["worker.js".to_string()]);
        assert!(m.definition.contains(
            "new Worker(new URL(__cc_asset(\"worker.js\"), __cc_meta.url), { type: 'module' });\n\
             const s = './not-there.js', t = 'worker.js';"
        ));
    }

    #[test]
    fn strings_comments_templates_and_regexes_are_not_code() {
        let src = "// import x from './nope.js'\n/* export const q = 1; */\nconst s = 'export default 1';\n\
                   const t = `import ${a ? `x${'}'}` : '{'} from`;\nconst r = /import ['\"]x/g.test(s) / 2;\n\
                   const o = { import: 1, export: 2 }; o.import; o.export;\nif (a) { b(); }\n";
        let out = body("app.js", src);
        assert_eq!(out, format!("{src}"));
    }

    #[test]
    fn unsupported_forms_are_refused_with_a_reason() {
        assert!(err("f(await import(name));").contains("import() of anything but a literal path"));
        assert!(err("await init();").contains("line 1: top-level await"));
        assert!(
            transform("app.js", "const f = async () => await g();\nasync function h() { await g(); }", &exists).is_ok()
        );
        assert!(err("f(import('./nope.js'));").contains("import() of anything but a literal path"));
        assert!(err("import x from 'lodash';").contains("cannot find module \"lodash\""));
        assert!(err("import x from './missing.js';").contains("cannot find module"));
        assert!(err("export const a = 1, b = 2;").contains("one declaration per statement"));
        assert!(err("export const { a } = o;").contains("destructuring"));
        assert!(err("import j from './worker.js' with { type: 'json' };").contains("attributes"));
        assert!(err("const s = 'abc;").contains("line 1: unterminated string"));
        assert!(err("f(\n`x`\n").contains("unclosed `(`"));
        assert!(err("f(`x${1}\n").contains("unterminated template"));
        assert!(err("if (a) { export const x = 1; }").contains("inside a block"));
    }

    #[test]
    fn cycles_are_refused_and_order_puts_imports_first() {
        let mut modules = BTreeMap::new();
        let m = |src: &str, path: &str| transform(path, src, &exists).unwrap();
        modules.insert("app.js".to_string(), m("import './lib/util.js'; import './pkg/cohortcalc.js';", "app.js"));
        modules.insert("lib/util.js".to_string(), m("import '../pkg/cohortcalc.js';", "lib/util.js"));
        modules.insert("pkg/cohortcalc.js".to_string(), m("export const v = 1;", "pkg/cohortcalc.js"));
        assert_eq!(closure("app.js", &modules).unwrap(), vec!["pkg/cohortcalc.js", "lib/util.js", "app.js"]);
        // A module imported when asked for comes after, and may import its importer.
        modules.insert("worker.js".to_string(), m("import './app.js';", "worker.js"));
        modules.insert("app.js".to_string(), m("import './lib/util.js';\nconst w = import('./worker.js');", "app.js"));
        assert_eq!(modules["app.js"].lazy, vec!["worker.js".to_string()]);
        assert!(modules["app.js"]
            .definition
            .contains("const w = Promise.resolve().then(() => __cc_import(\"worker.js\"));"));
        assert_eq!(
            bundle_order(&["app.js".to_string()], &modules).unwrap(),
            vec!["pkg/cohortcalc.js", "lib/util.js", "app.js", "worker.js"]
        );
        modules.insert("pkg/cohortcalc.js".to_string(), m("import '../app.js';", "pkg/cohortcalc.js"));
        let e = closure("app.js", &modules).unwrap_err();
        assert!(e.contains("app.js -> lib/util.js -> pkg/cohortcalc.js -> app.js"), "{e}");
    }

    #[test]
    fn js_strings_are_safe_in_html() {
        assert_eq!(js_string("a\"b\\c\n</script>\u{2028}\u{1}"), "\"a\\\"b\\\\c\\n\\u003c/script>\\u2028\\u0001\"");
    }
}
