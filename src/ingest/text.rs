//! Bytes → text: the encoding is decided (BOM, UTF-8, UTF-16 without BOM, GB18030, Windows-1252)
//! and text in another encoding than UTF-8 is decoded (UTF-8 text is borrowed, not copied).
//!
//! GB18030 (a superset of GBK and GB2312) is what Excel on Chinese Windows writes when it saves
//! "CSV (逗号分隔)"; encoding_rs' tables for it are in the module anyway (calamine's XML reader
//! decodes by the encoding a file declares).

use crate::error::{Error, Position, Result};
use crate::{Diagnostic, Severity};
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

/// Decides the encoding of `bytes` (a BOM; UTF-16 without one; UTF-8; GB18030; else
/// Windows-1252) and decodes them.
pub(super) fn source<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Result<Source<'a>> {
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

fn utf8<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Source<'a> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            // Mostly good UTF-8 with a few bad bytes stays UTF-8; anything else is Windows-1252.
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
            } else if let Some(text) = gb18030(bytes) {
                note(
                    diags,
                    Severity::Info,
                    "the file is not UTF-8; read it as GB18030 (Chinese, as Excel saves CSV on Chinese Windows)".into(),
                    "文件不是 UTF-8，已按 GB18030 读取（中文 Windows 上 Excel 保存 CSV 的编码）".into(),
                );
                return Source { encoding: encoding_rs::GB18030.name(), text: Cow::Owned(text) };
            } else {
                note(
                    diags,
                    Severity::Info,
                    "the file is not UTF-8; read it as Windows-1252 (Western European)".into(),
                    "文件不是 UTF-8，已按 Windows-1252（西欧）读取".into(),
                );
                return decoded(encoding_rs::WINDOWS_1252, bytes);
            }
        }
    };
    Source { encoding: "UTF-8", text }
}

/// `bytes` as GB18030 text, when they are that: they decode without error, and nine in ten of
/// their two-byte characters lie in the GB2312 area (both bytes 0xA1–0xFE), as Chinese text's do.
/// Western text in Windows-1252 fails one or the other: an accented letter followed by a comma,
/// space or line end is not GB18030, and followed by a letter it falls outside GB2312.
fn gb18030(bytes: &[u8]) -> Option<String> {
    let (mut pairs, mut gb2312) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if next.is_ascii_digit() {
            // A four-byte sequence (rare characters).
            i += 4;
            continue;
        }
        pairs += 1;
        if (0xa1..=0xfe).contains(&b) && (0xa1..=0xfe).contains(&next) {
            gb2312 += 1;
        }
        i += 2;
    }
    if pairs == 0 || gb2312 * 10 < pairs * 9 {
        return None;
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(Cow::into_owned)
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
        assert_eq!(source(b"a,b\n", &mut d).unwrap().encoding, "UTF-8");
        assert_eq!(source(b"\xef\xbb\xbfa,b\n", &mut d).unwrap().encoding, "UTF-8");
        assert_eq!(source(b"\xff\xfea\0,\0b\0", &mut d).unwrap().encoding, "UTF-16LE");
        assert_eq!(source(b"a\0,\0b\0\n\0c\0,\0d\0", &mut d).unwrap().encoding, "UTF-16LE");
        assert_eq!(source(b"Caf\xe9,b\n", &mut d).unwrap().encoding, "windows-1252");
        // "Année,Bézier" in Windows-1252: valid GB18030 byte pairs, but not Chinese ones.
        assert_eq!(source(b"Ann\xe9e,B\xe9zier\n", &mut d).unwrap().encoding, "windows-1252");
        // "患者,年龄\n" as Excel on Chinese Windows saves it.
        let s = source(b"\xbb\xbc\xd5\xdf,\xc4\xea\xc1\xe4\n", &mut d).unwrap();
        assert_eq!((s.encoding, &*s.text), ("gb18030", "患者,年龄\n"));
        let mostly_utf8 = "é,ü,ö\n".repeat(20) + "\u{fffd}";
        let bytes = mostly_utf8.replace('\u{fffd}', "").into_bytes().into_iter().chain([0xff]).collect::<Vec<_>>();
        assert_eq!(source(&bytes, &mut d).unwrap().encoding, "UTF-8");
        assert!(d.last().unwrap().message.contains("line 21"));
    }

    #[test]
    fn binary_is_not_text() {
        assert!(check_is_text("a,b\n1,2\n").is_ok());
        assert!(check_is_text("a\0b").is_err());
        assert!(check_is_text(&"\u{1}\u{2}\u{3}x".repeat(10)).is_err());
    }
}
