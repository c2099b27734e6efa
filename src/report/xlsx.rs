//! The rounded tables as an Excel workbook (`.xlsx`): one sheet, "Results", with the tables one
//! under another as in the CSV export, titles and headings in bold.
//!
//! A cell that is a plain number as shown ("134", "7.04", "−4.00") is written as a number with a
//! format of as many decimals, so Excel computes with it and shows it as the page does; every
//! other cell ("7.04 ± 1.20", "< 0.001", "=HYPERLINK(…)" from a file) is written as an inline
//! string, which Excel never evaluates as a formula. The workbook is a zip of the few
//! SpreadsheetML parts Excel, LibreOffice and calamine need, its entries stored (not compressed):
//! the `zip` crate's writer links its deflate compressor whatever the method, 59 kB gzipped of
//! WebAssembly for tables of a few kilobytes, so the container (three record layouts of the zip
//! specification, APPNOTE 4.3) is written here, with `crc32fast` (in the module already, through
//! calamine) for the checksums. Dates are the zip epoch, so the same tables give the same bytes.

use super::Table;
use crate::error::{Error, Position, Result};
use std::fmt::Write as _;

/// Style indices of `styles.xml`'s `cellXfs`.
const TEXT: usize = 0;
const BOLD: usize = 1;
/// Numbers with 0, 1, 2, 3 and 4 decimals are styles 2 to 6.
const NUMBER: usize = 2;
const MAX_DECIMALS: usize = 4;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Results" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Fonts: regular and bold; cell formats: text, bold, then numbers with 0 to 4 decimals
/// (built-in formats 1 = "0" and 2 = "0.00", the others defined here).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.000"/><numFmt numFmtId="166" formatCode="0.0000"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// The number a cell shows and its decimals, when the cell is a plain number ("7.04", "−4",
/// "134"); `None` for anything else, numbers with more decimals than the styles have included.
fn plain_number(cell: &str) -> Option<(f64, usize)> {
    let (neg, digits) = match cell.strip_prefix('−').or_else(|| cell.strip_prefix('-')) {
        Some(rest) => (true, rest),
        None => (false, cell),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) || (digits.contains('.') && frac.is_empty()) {
        return None;
    }
    if frac.len() > MAX_DECIMALS || int.len() > 15 {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    Some((if neg { -v } else { v }, frac.len()))
}

/// Text made safe for XML: markup escaped, characters XML 1.0 forbids dropped.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

/// The column letters of 0-based column `i` ("A", …, "Z", "AA", …).
fn column_name(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.iter().rev().map(|&b| b as char).collect()
}

/// The worksheet: the tables one under another, a blank row between them.
fn sheet_xml(tables: &[Table]) -> String {
    let mut rows: Vec<(Vec<&str>, bool)> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            rows.push((Vec::new(), false));
        }
        rows.push((vec![t.title.as_str()], true));
        rows.push((t.columns.iter().map(String::as_str).collect(), true));
        rows.extend(t.rows.iter().map(|r| (r.iter().map(String::as_str).collect(), false)));
    }
    // Column widths from the longest text in each (CJK characters count double).
    let mut widths: Vec<usize> = Vec::new();
    for (cells, _) in rows.iter().filter(|(c, _)| c.len() > 1) {
        for (j, c) in cells.iter().enumerate() {
            let w = c.chars().map(|ch| if ch > '\u{2e7f}' { 2 } else { 1 }).sum::<usize>();
            if widths.len() <= j {
                widths.resize(j + 1, 0);
            }
            widths[j] = widths[j].max(w);
        }
    }
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    if !widths.is_empty() {
        x.push_str("<cols>");
        for (j, w) in widths.iter().enumerate() {
            let width = (*w as f64 * 1.1 + 2.0).clamp(8.0, 60.0);
            let _ = write!(x, r#"<col min="{n}" max="{n}" width="{width:.1}" customWidth="1"/>"#, n = j + 1);
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    for (i, (cells, bold)) in rows.iter().enumerate() {
        let r = i + 1;
        let _ = write!(x, r#"<row r="{r}">"#);
        for (j, c) in cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let at = format!("{}{r}", column_name(j));
            match plain_number(c).filter(|_| !bold) {
                Some((v, decimals)) => {
                    let _ = write!(x, r#"<c r="{at}" s="{}"><v>{v}</v></c>"#, NUMBER + decimals);
                }
                None => {
                    let s = if *bold { BOLD } else { TEXT };
                    let _ = write!(
                        x,
                        r#"<c r="{at}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                        xml_text(c)
                    );
                }
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// A zip archive of `files` (name, contents), stored, names in UTF-8; `None` past the sizes of
/// a zip without the 64-bit extensions (4 GB, 65 535 entries), which tables never reach.
fn stored_zip(files: &[(&str, &[u8])]) -> Option<Vec<u8>> {
    const VERSION: u16 = 20;
    const UTF8_NAMES: u16 = 1 << 11;
    // 1980-01-01 00:00, the zip epoch (MS-DOS date: day 1, month 1, year 0).
    const DATE: u16 = (1 << 5) | 1;
    let u16_of = |n: usize| u16::try_from(n).ok();
    let u32_of = |n: usize| u32::try_from(n).ok();
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = u32_of(out.len())?;
        let (size, name_len) = (u32_of(data.len())?, u16_of(name.len())?);
        let crc = crc32fast::hash(data);
        // Fields shared by the local and the central header, from "version needed" on.
        let mut common = Vec::with_capacity(26);
        for v in [VERSION, UTF8_NAMES, 0, 0, DATE] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&name_len.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&VERSION.to_le_bytes());
        central.extend_from_slice(&common);
        // Comment length, disk, internal and external attributes, then the local header's offset.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (entries, cd_size, cd_offset) = (u16_of(files.len())?, u32_of(central.len())?, u32_of(out.len())?);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    Some(out)
}

/// The tables (as [`super::tables`] makes them) as the bytes of an `.xlsx` workbook.
pub fn tables_xlsx(tables: &[Table]) -> Result<Vec<u8>> {
    let sheet = sheet_xml(tables);
    stored_zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
    .ok_or_else(|| {
        Error::read("the tables are too large for a workbook", Position::none()).with_zh("表格过大，无法写入工作簿")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_keep_their_decimals_and_nothing_else_is_a_number() {
        assert_eq!(plain_number("134"), Some((134.0, 0)));
        assert_eq!(plain_number("7.04"), Some((7.04, 2)));
        assert_eq!(plain_number("−4.00"), Some((-4.0, 2)));
        assert_eq!(plain_number("-0.5"), Some((-0.5, 1)));
        for s in ["", "7.", ".5", "7.04 ± 1.20", "< 0.001", "79.1%", "1e5", "=1+1", "—", "1,234", "0.12345"] {
            assert_eq!(plain_number(s), None, "{s}");
        }
    }

    #[test]
    fn columns_are_lettered_as_excel_letters_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_name).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(xml_text("<img src=x> & \"q\"\u{1}\u{7}ok\t"), "&lt;img src=x&gt; &amp; &quot;q&quot;ok\t");
    }
}
