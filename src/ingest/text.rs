//! Bytes → text: the encoding is decided (BOM, UTF-16 without BOM, UTF-8, else the legacy
//! encoding the bytes fit best, found by chardetng) or given (the mapping's `"encoding"`), and
//! text in another encoding than UTF-8 is decoded (UTF-8 text is borrowed, not copied).
//!
//! A file that is not UTF-8 is what Excel saves as "CSV" on a Windows set to a language's legacy
//! encoding: Windows-1252 in Western Europe and the Americas, GB18030 (GBK) on Chinese Windows,
//! Big5 on Traditional Chinese, Shift_JIS on Japanese, Windows-1250 in Central Europe, and so on.
//! chardetng (by encoding_rs' author, made to guess the encoding of legacy web pages the way
//! Firefox does) scores each candidate by how plausible the text it decodes to is; its guess of
//! GBK is read as GB18030, its superset (encoding_rs decodes both alike).

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use encoding_rs::Encoding;
use std::borrow::Cow;

/// How much of the text is looked at up front to sniff the delimiter and check it is text.
pub(super) const SAMPLE: usize = 1 << 16;

/// The text of a file, decoded to UTF-8.
pub(super) struct Source<'a> {
    /// Name of the encoding, as encoding_rs spells it (`UTF-8`, `UTF-16LE`, `gb18030`, `windows-1252`).
    pub encoding: &'static str,
    /// The whole text (borrowed when the file is UTF-8 without a BOM or with one).
    pub text: Cow<'a, str>,
}

impl Source<'_> {
    /// The first [`SAMPLE`] bytes or so of the text, and whether that is not all of it.
    pub fn sample(&self) -> (&str, bool) {
        let cut = floor_char_boundary(&self.text, SAMPLE);
        (&self.text[..cut], cut < self.text.len())
    }
}

fn note(diags: &mut Vec<Diagnostic>, severity: Severity, message: String, zh: String) {
    diags.push(Diagnostic::new(severity, Position::none(), message, zh));
}

/// UTF-16 without a BOM: every other byte of ASCII-heavy text is zero.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 > pairs * 3 && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > pairs * 3 && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// An encoding named by a label (`"windows-1252"`, `"latin1"`, `"GBK"`, `"utf-16le"`, …: any
/// label of the Encoding Standard, case and surrounding blanks aside), or an error naming the
/// label and a few that are known.
pub(super) fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(enc) if enc != encoding_rs::REPLACEMENT => Ok(enc),
        _ => {
            let known =
                "\"UTF-8\", \"windows-1252\", \"gb18030\", \"big5\", \"shift_jis\", \"utf-16le\", \"iso-8859-2\"";
            Err(Error::mapping(
                format!(
                    "the encoding \"{label}\" is not one this tool knows; write a label such as {known} \
                     (any label of the WHATWG Encoding Standard), or leave \"encoding\" out to have it detected"
                ),
                Position::none(),
            )
            .with_zh(format!(
                "不认识编码“{label}”；请写如 {known} 这样的名称（WHATWG 编码标准中的任一名称），\
                 或删去 \"encoding\" 以自动识别"
            )))
        }
    }
}

/// A language or region an encoding is used for, in English and Chinese, for the notes.
fn described(enc: &'static Encoding) -> (String, String) {
    let (en, zh) = match enc.name() {
        "windows-1252" => ("Windows-1252", "Windows-1252"),
        "gb18030" => ("GB18030", "GB18030"),
        name => (name, name),
    };
    let what = match enc.name() {
        "windows-1252" | "ISO-8859-15" => Some(("Western European", "西欧")),
        "gb18030" | "GBK" => {
            Some(("Chinese, as Excel saves CSV on Chinese Windows", "中文，中文 Windows 上 Excel 保存 CSV 的编码"))
        }
        "Big5" => Some(("Traditional Chinese", "繁体中文")),
        "Shift_JIS" | "EUC-JP" | "ISO-2022-JP" => Some(("Japanese", "日文")),
        "EUC-KR" => Some(("Korean", "韩文")),
        "windows-1250" | "ISO-8859-2" => Some(("Central European", "中欧")),
        "windows-1251" | "KOI8-U" | "KOI8-R" | "IBM866" | "ISO-8859-5" => Some(("Cyrillic", "西里尔文")),
        "windows-1253" | "ISO-8859-7" => Some(("Greek", "希腊文")),
        "windows-1254" => Some(("Turkish", "土耳其文")),
        "windows-1255" | "ISO-8859-8" | "ISO-8859-8-I" => Some(("Hebrew", "希伯来文")),
        "windows-1256" | "ISO-8859-6" => Some(("Arabic", "阿拉伯文")),
        "windows-1257" | "ISO-8859-13" | "ISO-8859-4" => Some(("Baltic", "波罗的海语言")),
        "windows-1258" => Some(("Vietnamese", "越南文")),
        "windows-874" => Some(("Thai", "泰文")),
        _ => None,
    };
    match what {
        Some((w, wz)) => (format!("{en} ({w})"), format!("{zh}（{wz}）")),
        None => (en.to_string(), zh.to_string()),
    }
}

/// Decides the encoding of `bytes` (a BOM; UTF-16 without one; UTF-8; else the legacy encoding
/// chardetng finds they fit best) and decodes them; or, with `given` (the mapping's), decodes
/// them in that encoding (a BOM of that encoding left out).
pub(super) fn source<'a>(
    bytes: &'a [u8],
    given: Option<&'static Encoding>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Source<'a>> {
    if let Some(enc) = given {
        return Ok(given_encoding(bytes, enc, diags));
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if enc == encoding_rs::UTF_8 {
            return Ok(utf8(body, diags));
        }
        note(
            diags,
            Severity::Info,
            format!("the file is {} text (it starts with a byte-order mark)", enc.name()),
            format!("文件为 {} 文本（以字节顺序标记开头）", enc.name()),
        );
        return Ok(decoded(enc, body));
    }
    if let Some(enc) = bomless_utf16(bytes) {
        note(
            diags,
            Severity::Info,
            format!("the file is {} text without a byte-order mark", enc.name()),
            format!("文件为 {} 文本（无字节顺序标记）", enc.name()),
        );
        return Ok(decoded(enc, bytes));
    }
    Ok(utf8(bytes, diags))
}

/// `bytes` read in `enc`, as the mapping says, with a note (and a warning if some bytes are not
/// text in it).
fn given_encoding<'a>(bytes: &'a [u8], enc: &'static Encoding, diags: &mut Vec<Diagnostic>) -> Source<'a> {
    let body = match Encoding::for_bom(bytes) {
        Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
        _ => bytes,
    };
    let (en, zh) = described(enc);
    note(
        diags,
        Severity::Info,
        format!("the file was read as {en}, the encoding the mapping gives (\"encoding\")"),
        format!("文件已按映射指定的编码（\"encoding\"）{zh} 读取"),
    );
    decoded_noting(enc, body, diags)
}

/// `body` decoded in `enc`, with a warning if some bytes are not text in it.
fn decoded_noting<'a>(enc: &'static Encoding, body: &'a [u8], diags: &mut Vec<Diagnostic>) -> Source<'a> {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if had_errors {
        let (en, zh) = described(enc);
        let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
        note(
            diags,
            Severity::Warning,
            format!(
                "{bad} byte sequence(s) of the file are not {en} text; they were replaced by \u{fffd} \
                 (is the encoding right?)"
            ),
            format!("文件中有 {bad} 处字节不是 {zh} 文本，已替换为 \u{fffd}（编码是否正确？）"),
        );
    }
    Source { encoding: enc.name(), text }
}

/// How much of the text past its first byte that is not ASCII is looked at to decide its
/// encoding, and how much of that chardetng is shown at most: enough to tell encodings apart,
/// however large the file.
const DETECT_SCAN: usize = 8 << 20;
const DETECT_BYTES: usize = 1 << 20;

/// The legacy encoding `bytes` (not UTF-8) fit best, as chardetng guesses it from their distinct
/// cells that are not ASCII; GBK is read as GB18030, its superset.
///
/// chardetng scores text as a web page's: a table's few short words repeated row after row (是,
/// 否, 无 in GBK, two bytes between commas) read as that many words of a Cyrillic page, and a
/// Chinese clinic export of 110 rows was guessed ISO-8859-5. Each distinct cell shown once, it
/// is text again. Cells are split at bytes below 0x40 (comma, semicolon, tab, quote, line
/// ends), which no two-byte encoding uses as a trail byte.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let first = bytes.iter().position(|&b| b >= 0x80).unwrap_or(0);
    // From the start of the line, so that the first cell is whole.
    let from = bytes[..first].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = bytes.len().min(first.saturating_add(DETECT_SCAN));
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    let mut shown: Vec<u8> = Vec::new();
    for cell in bytes[from..end].split(|&b| matches!(b, b',' | b';' | b'\t' | b'"' | b'\n' | b'\r')) {
        if cell.iter().any(|&b| b >= 0x80) && seen.insert(cell) {
            shown.extend_from_slice(cell);
            shown.push(b'\n');
            if shown.len() >= DETECT_BYTES {
                break;
            }
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&shown, true);
    match detector.guess(None, chardetng::Utf8Detection::Deny) {
        enc if enc == encoding_rs::GBK => encoding_rs::GB18030,
        enc => enc,
    }
}

fn utf8<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Source<'a> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            // Mostly good UTF-8 with a few bad bytes stays UTF-8; anything else is in the legacy
            // encoding it fits best.
            let (good, bad) = utf8_census(bytes);
            if good >= 10 * bad {
                let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
                note(
                    diags,
                    Severity::Warning,
                    format!(
                        "the file is UTF-8 but {bad} byte sequence(s) are not valid UTF-8 (the first on line {line}); \
                         they were replaced by \u{fffd}"
                    ),
                    format!(
                        "文件为 UTF-8，但有 {bad} 处字节不是有效的 UTF-8（第一处在第 {line} 行），已替换为 \u{fffd}"
                    ),
                );
                Cow::Owned(String::from_utf8_lossy(bytes).into_owned())
            } else {
                let enc = detect(bytes);
                let (en, zh) = described(enc);
                note(
                    diags,
                    Severity::Info,
                    format!(
                        "the file is not UTF-8; read it as {en}, the encoding its text fits best; if letters look \
                         wrong, choose the encoding (\"encoding\" in the mapping)"
                    ),
                    format!("文件不是 UTF-8，已按最吻合其文本的编码 {zh} 读取；如文字显示有误，请选择编码（映射中的 \"encoding\"）"),
                );
                return decoded_noting(enc, bytes, diags);
            }
        }
    };
    Source { encoding: "UTF-8", text }
}

/// Valid multi-byte UTF-8 characters and invalid sequences in `bytes`.
fn utf8_census(mut bytes: &[u8]) -> (usize, usize) {
    let (mut good, mut bad) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => return (good + s.chars().filter(|c| !c.is_ascii()).count(), bad),
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                good += std::str::from_utf8(valid).map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                bad += 1;
                let skip = e.error_len().unwrap_or(rest.len()).max(1);
                bytes = &rest[skip.min(rest.len())..];
            }
        }
    }
}

fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(0)
}

fn decoded<'a>(enc: &'static Encoding, body: &'a [u8]) -> Source<'a> {
    let (text, _) = enc.decode_without_bom_handling(body);
    Source { encoding: enc.name(), text: Cow::Owned(text.into_owned()) }
}

/// Rejects text that is not text: NUL or many other control characters in the sample.
pub(super) fn check_is_text(sample: &str) -> Result<()> {
    let mut controls = 0usize;
    for (i, c) in sample.char_indices() {
        if c == '\0' {
            return Err(binary(i));
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}' | '\u{1a}') && (c as u32) < 0x80 {
            controls += 1;
        }
    }
    if controls * 100 > sample.chars().count().max(1) {
        return Err(binary(0));
    }
    Ok(())
}

fn binary(at: usize) -> Error {
    Error::read(
        format!(
            "the file holds binary data (e.g. near byte {at}), not text: it is not a CSV file, nor a spreadsheet \
             this tool reads (XLSX, XLS, ODS)"
        ),
        Position::none(),
    )
    .with_zh(format!("文件含二进制数据（如第 {at} 字节附近），不是文本：既不是 CSV 文件，也不是本工具可读的电子表格（XLSX、XLS、ODS）"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised() {
        let mut d = Vec::new();
        assert_eq!(source(b"a,b\n", None, &mut d).unwrap().encoding, "UTF-8");
        assert_eq!(source(b"\xef\xbb\xbfa,b\n", None, &mut d).unwrap().encoding, "UTF-8");
        assert_eq!(source(b"\xff\xfea\0,\0b\0", None, &mut d).unwrap().encoding, "UTF-16LE");
        assert_eq!(source(b"a\0,\0b\0\n\0c\0,\0d\0", None, &mut d).unwrap().encoding, "UTF-16LE");
        assert_eq!(source(b"Caf\xe9,b\n", None, &mut d).unwrap().encoding, "windows-1252");
        // "Année,Bézier" in Windows-1252: valid GB18030 byte pairs, but not Chinese ones.
        assert_eq!(source(b"Ann\xe9e,B\xe9zier\n", None, &mut d).unwrap().encoding, "windows-1252");
        // "患者,年龄\n" as Excel on Chinese Windows saves it.
        let s = source(b"\xbb\xbc\xd5\xdf,\xc4\xea\xc1\xe4\n", None, &mut d).unwrap();
        assert_eq!((s.encoding, &*s.text), ("gb18030", "患者,年龄\n"));
        let mostly_utf8 = "é,ü,ö\n".repeat(20) + "\u{fffd}";
        let bytes = mostly_utf8.replace('\u{fffd}', "").into_bytes().into_iter().chain([0xff]).collect::<Vec<_>>();
        assert_eq!(source(&bytes, None, &mut d).unwrap().encoding, "UTF-8");
        assert!(d.last().unwrap().message.contains("line 21"));
    }

    #[test]
    fn binary_is_not_text() {
        assert!(check_is_text("a,b\n1,2\n").is_ok());
        assert!(check_is_text("a\0b").is_err());
        assert!(check_is_text(&"\u{1}\u{2}\u{3}x".repeat(10)).is_err());
    }
}
