#!/usr/bin/env python3
"""Writes the ingest test files: one small cohort as a clean CSV twin and as every kind of file
a clinic exports (tests/data/ingest/), and the malformed-file corpus (tests/data/bad/).

Each variant holds the same table as `clean.csv`; `tests/it/ingest.rs` checks that cohortcalc
reads each one to the same cells (numbers compared through the file's decimal mark and
thousands separator), and to the same report.

Needs: openpyxl (xlsx), xlwt (xls), odfpy (ods). Run from the repository root:
    pip install openpyxl xlwt odfpy && python3 tests/oracles/make_ingest_files.py
"""

import csv
import datetime as dt
import io
import json
import os
import random
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
OUT = os.path.join(ROOT, "ingest")
BAD = os.path.join(ROOT, "bad")

HEADERS = ["Record ID", "Age", "Sex", "DEXA T-score", "Procedure date", "Last visit", "VAS baseline",
           "VAS 6 wk", "Improved", "VCF", "VCF date", "Cost", "Note"]

# Typed rows: numbers are int/float, dates are date, blanks are None.
D = dt.date
ROWS = [
    ["P01", 71, "F", -2.5, D(2022, 3, 14), D(2023, 9, 1), 8, 3, "Yes", "No", None, 1234.5, "Müller: keine Beschwerden"],
    ["P02", 64, "M", -1.3, D(2022, 4, 2), D(2023, 10, 15), 7.5, 2.5, "Yes", "No", None, 12000, "préfère la marche"],
    ["P03", 58, "F", 0.2, D(2022, 5, 20), D(2024, 1, 8), 6, 4, "No", "No", None, 980, ""],
    ["P04", 80, "F", -3.1, D(2022, 6, 11), D(2023, 12, 30), 9, 5, "Yes", "Yes", D(2023, 2, 1), 1500.25,
     "VCF at L2\nseen in clinic"],
    ["P05", 69, "M", -0.4, D(2022, 7, 7), D(2024, 2, 29), 7, 1, "Yes", "No", None, 1100, 'said "better", walks'],
    ["P06", 75, "F", -2.7, D(2022, 8, 19), D(2023, 8, 19), 8.5, None, "", "No", None, 1234, ""],
    ["P07", 62, "F", -1.9, D(2022, 9, 1), D(2024, 3, 1), 5, 2, "Yes", "No", None, 990.5, "Zürich referral"],
    ["P08", 77, "M", -2.5, D(2022, 10, 23), D(2023, 11, 2), 7, 3, "No", "No", None, 2000, ""],
    ["P09", 55, "F", 0.8, D(2022, 11, 30), D(2024, 4, 12), 6.5, 1.5, "Yes", "No", None, 1050, "naïve to opioids"],
    ["P10", 83, "F", -3.6, D(2022, 12, 5), D(2023, 6, 5), 10, 6, "No", "Yes", D(2023, 4, 20), 3100.75, ""],
    ["P11", 60, "M", -0.9, D(2023, 1, 16), D(2024, 5, 16), 6, 2, "Yes", "No", None, 870, "café au lait spots"],
    ["P12", 67, "F", -1.6, D(2023, 2, 27), D(2024, 2, 27), 8, 4, "Yes", "No", None, 1999.99, ""],
]


def num(v, comma=False, thousands=None):
    """A number as its shortest decimal, optionally with a decimal comma and thousands groups."""
    s = repr(float(v)) if isinstance(v, float) else str(v)
    if s.endswith(".0"):
        s = s[:-2]
    if thousands:
        whole, _, frac = s.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = whole.lstrip("-")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        s = sign + thousands.join(groups) + (("," if comma else ".") + frac if frac else "")
    elif comma:
        s = s.replace(".", ",")
    return s


def text(v, comma=False, thousands=None, date_fmt="%Y-%m-%d"):
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime(date_fmt)
    if isinstance(v, (int, float)):
        return num(v, comma, thousands)
    return v


def csv_text(rows, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL, **fmt):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    for r in rows:
        w.writerow([text(v, **fmt) if not isinstance(v, str) else v for v in r])
    return buf.getvalue()


def write(name, data, folder=OUT):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def table():
    return [HEADERS] + ROWS


def cells_by_cost(fmt_cost):
    """Rows with the Cost column written by `fmt_cost` (a str) and other numbers as usual."""
    out = [HEADERS]
    for r in ROWS:
        r = list(r)
        r[11] = fmt_cost(r[11])
        out.append(r)
    return out


def csv_files():
    write("clean.csv", csv_text(table()))
    write("bom_utf8.csv", "\ufeff" + csv_text(table(), lineterminator="\r\n"))
    euro = csv_text(cells_by_cost(lambda v: num(v, True, ".")), delimiter=";", lineterminator="\r\n", comma=True)
    write("semicolon_decimal_comma_cp1252.csv", euro.encode("cp1252"))
    write("utf16le_bom_tab.csv", b"\xff\xfe" + csv_text(table(), delimiter="\t", lineterminator="\r\n").encode("utf-16-le"))
    write("utf16be_bom.csv", b"\xfe\xff" + csv_text(table()).encode("utf-16-be"))
    title = "Spine clinic — chart review export" + "," * 12 + "\nExported 2024-05-01 by the registry,,,\n\n"
    write("title_rows.csv", title + csv_text(table()))
    write("quoted_all_crlf.csv", csv_text(table(), quoting=csv.QUOTE_ALL, lineterminator="\r\n"))
    # Trailing empty headers; rows whose trailing blank cells are cut off.
    ragged = csv_text([HEADERS + ["", ""]]) + "".join(
        csv_text([[text(v) for v in r]]).rstrip("\n").rstrip(",") + "\n" for r in ROWS
    )
    write("ragged_trailing_headers.csv", ragged)
    blank = csv_text(table()).split("\n")
    write("blank_lines.csv", "\n\n".join(blank[:4]) + "\n\n\n" + "\n".join(blank[4:]))
    write("sep_line_semicolon.csv", "sep=;\n" + csv_text(table(), delimiter=";"))
    write("pipe.csv", csv_text(table(), delimiter="|"))
    write("thousands_comma.csv", csv_text(cells_by_cost(lambda v: num(v, False, ","))))
    write("latin1_no_decimal_comma.csv", csv_text(table()).encode("cp1252"))
    # Duplicate, blank and trailing-empty headers, with the names cohortcalc gives them.
    dup = ["Record ID", "VAS", "VAS", "", "Note", ""]
    dup_rows = [["P1", "7", "3", "x", "ok", ""], ["P2", "8", "", "y", "", ""], ["P3", "6", "2", "", "fine", "extra"]]
    write("duplicate_blank_headers.csv", csv_text([dup] + dup_rows))
    named = ["Record ID", "VAS", "VAS (2)", "Column 4", "Note", "Column 6"]
    write("duplicate_blank_headers.expected.csv", csv_text([named] + dup_rows, lineterminator="\r\n"))
    # Chinese headers and values as Excel on Chinese Windows saves "CSV (逗号分隔)": GB18030 (GBK), CRLF.
    write("chinese_gb18030.csv", csv_text(CHINESE, lineterminator="\r\n").encode("gb18030"))
    write("chinese_utf8.csv", csv_text(CHINESE, lineterminator="\r\n"))


CHINESE = [["患者编号", "性别", "T值", "治疗前VAS", "治疗后VAS", "功能改善", "备注"],
           ["P01", "女", "-2.7", "8", "3", "是", "腰椎骨质疏松"],
           ["P02", "男", "-1.4", "7", "4", "否", "骨量减少"],
           ["P03", "女", "-0.5", "6", "2", "是", ""],
           ["P04", "女", "-3.1", "9", "5", "是", "随访中"],
           ["P05", "男", "0.2", "7", "3", "否", "正常骨密度"]]


# Files in the legacy encodings Excel saves "CSV" in on Windows set to a language other than
# English: each is read back to these cells, and its note names the encoding (tests/it/encoding.rs).
# German (Excel on German Windows: Windows-1252, semicolons, decimal commas): the header's accented
# letters come in pairs ("öß" in "Größe") that are also valid GB18030 (a two-way rule read the file
# as Chinese, "Größe" as "Gr鲞e").
GERMAN = [["Patient", "Geschlecht (männlich/weiblich)", "Größe (cm)", "Schuhgröße", "Schmerz vorher",
           "Schmerz nachher", "Bemerkung"],
          ["P01", "w", "162,5", "38", "8", "3", "Füße geschwollen"],
          ["P02", "m", "181", "44", "7", "2", "Größe und Schuhgröße gemessen"],
          ["P03", "w", "158", "37", "6", "4", "Grüße vom Hausarzt"],
          ["P04", "m", "175,5", "43", "9", "5", "Füße kalt"],
          ["P05", "w", "166", "39", "7", "1", "Schuhgröße unklar"],
          ["P06", "m", "179", "45", "8", "", "Füße blass"]]
# Traditional Chinese (Excel on Taiwanese / Hong Kong Windows: Big5).
BIG5 = [["病歷號", "性別", "骨密度T值", "治療前疼痛", "治療後疼痛", "功能改善", "備註"],
        ["P01", "女", "-2.7", "8", "3", "是", "腰椎骨質疏鬆"],
        ["P02", "男", "-1.4", "7", "4", "否", "骨量減少"],
        ["P03", "女", "-0.5", "6", "2", "是", "追蹤中"],
        ["P04", "女", "-3.1", "9", "5", "是", "壓迫性骨折"],
        ["P05", "男", "0.2", "7", "3", "否", "正常骨密度"]]
# Japanese (Excel on Japanese Windows: Shift_JIS), with half-width katakana as some systems export.
SHIFT_JIS = [["患者番号", "性別", "骨密度Tスコア", "治療前の痛み", "治療後の痛み", "機能改善", "備考"],
             ["P01", "女", "-2.7", "8", "3", "あり", "腰椎の骨粗しょう症"],
             ["P02", "男", "-1.4", "7", "4", "なし", "骨量減少"],
             ["P03", "女", "-0.5", "6", "2", "あり", "ｶﾙﾃ確認済み"],
             ["P04", "女", "-3.1", "9", "5", "あり", "圧迫骨折あり"],
             ["P05", "男", "0.2", "7", "3", "なし", "正常な骨密度"]]


def encoding_files():
    """The legacy-encoding files (no spreadsheet module needed): python3 -c 'import sys;
    sys.path.insert(0, "tests/oracles"); import make_ingest_files as m; m.encoding_files()'."""
    write("german_cp1252.csv", csv_text(GERMAN, delimiter=";", lineterminator="\r\n").encode("cp1252"))
    write("german_utf8.csv", csv_text(GERMAN, delimiter=";", lineterminator="\r\n"))
    write("chinese_big5.csv", csv_text(BIG5, lineterminator="\r\n").encode("big5"))
    write("chinese_big5_utf8.csv", csv_text(BIG5, lineterminator="\r\n"))
    # A Chinese export whose only Chinese is a few short words repeated row after row, as a
    # table's categories are (read as a web page, such text looked Cyrillic).
    rng = random.Random(7)
    words = [["编号", "性别", "吸烟", "并发症", "术前VAS", "术后VAS"]] + [
        [str(i + 1), rng.choice("男女"), rng.choice(["是", "否"]), rng.choice(["无", "有"]), str(rng.randrange(4, 10)),
         str(rng.randrange(0, 5))] for i in range(120)]
    write("chinese_gbk_short_words.csv", csv_text(words, lineterminator="\r\n").encode("gbk"))
    write("chinese_gbk_short_words_utf8.csv", csv_text(words, lineterminator="\r\n"))
    write("japanese_shift_jis.csv", csv_text(SHIFT_JIS, lineterminator="\r\n").encode("shift_jis"))
    write("japanese_utf8.csv", csv_text(SHIFT_JIS, lineterminator="\r\n"))
    # UTF-16 as Excel's "Unicode Text" writes it (LE, BOM, tabs), and without a BOM.
    write("german_utf16le_bom_tab.csv", b"\xff\xfe" + csv_text(GERMAN, delimiter="\t", lineterminator="\r\n").encode("utf-16-le"))
    write("chinese_utf16le_no_bom.csv", csv_text(CHINESE, lineterminator="\r\n").encode("utf-16-le"))


OTHER = [["Record ID", "Visit", "When", "Seen", "Count"],
         ["P01", "baseline", dt.datetime(2024, 3, 1, 10, 30), True, 3],
         ["P02", "6 wk", dt.datetime(2024, 4, 12), False, 0]]
OTHER_EXPECTED = [["Record ID", "Visit", "When", "Seen", "Count"],
                  ["P01", "baseline", "2024-03-01T10:30:00", "TRUE", "3"],
                  ["P02", "6 wk", "2024-04-12", "FALSE", "0"]]


def xlsx_files():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Empty"
    ws = wb.create_sheet("Cohort")
    ws.append(["Spine clinic chart review"])
    ws.append([])
    ws.append(HEADERS)
    for r in ROWS:
        ws.append([v if v != "" else None for v in r])
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if isinstance(c.value, dt.date):
                c.number_format = "DD/MM/YYYY"  # shown European; stored as a date serial
    other = wb.create_sheet("Other")
    for r in OTHER:
        other.append(r)
    other["C2"].number_format = "yyyy-mm-dd hh:mm"
    other["C3"].number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    write("cohort.xlsx", buf.getvalue())
    write("other.expected.csv", csv_text(OTHER_EXPECTED, lineterminator="\r\n"))
    write("truncated.xlsx", buf.getvalue()[: len(buf.getvalue()) // 2], BAD)

    # A sheet with a spreadsheet error in a cell.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Errors"
    ws.append(["Record ID", "VAS baseline", "VAS 6 wk"])
    ws.append(["P1", 7, 3])
    ws.append(["P2", "#DIV/0!", 4])
    buf = io.BytesIO()
    wb.save(buf)
    write("errors.xlsx", buf.getvalue())

    # Bad: a workbook whose only sheet is empty; one whose sheet part is 0 bytes.
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    buf = io.BytesIO()
    wb.save(buf)
    write("empty_sheet.xlsx", buf.getvalue(), BAD)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = b"" if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            z.writestr(item, data)
    write("zero_byte_sheet.xlsx", out.getvalue(), BAD)


def far_cell_xlsx():
    """See `far_cell_sheet`; and, bad, the same with the stray cell at A4000000000, a row past
    the largest sheet's last (a damaged file: it would make a billion empty rows)."""
    write("far_cell.xlsx", far_cell_sheet("XFD1048576"))
    write("cell_outside_sheet.xlsx", far_cell_sheet("A4000000000"), BAD)
    # A row number past 2^32 (calamine adds its digits up in a u32: with overflow checks, as in a
    # debug build, that panicked; Cargo.toml turns them off for calamine, so that it wraps, as in
    # release, into a row past the largest sheet's).
    write("cell_ref_overflow.xlsx", far_cell_sheet("A99999999999"), BAD)


def far_cell_sheet(ref):
    """A sheet of three columns and two patients, and one value typed in its last cell
    (XFD1048576): a used range of 17 billion cells, which must not be held cell by cell. Written
    part by part (the standard library's zipfile), as a spreadsheet program writes it."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Cohort" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Age</t></is></c><c r="B1" t="inlineStr"><is><t>VAS before</t>'
        '</is></c><c r="C1" t="inlineStr"><is><t>VAS after</t></is></c></row>'
        '<row r="2"><c r="A2"><v>60</v></c><c r="B2"><v>8</v></c><c r="C2"><v>3</v></c></row>'
        '<row r="3"><c r="A3"><v>70</v></c><c r="B3"><v>7</v></c><c r="C3"><v>2</v></c></row>'
        f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row></sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            # A fixed date, so that the file is the same each time it is made.
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xls_file():
    import xlwt

    wb = xlwt.Workbook()
    wb.add_sheet("Empty")
    ws = wb.add_sheet("Cohort")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    ws.write(0, 0, "Spine clinic chart review")
    for c, h in enumerate(HEADERS):
        ws.write(2, c, h)
    for i, r in enumerate(ROWS):
        for c, v in enumerate(r):
            if v is None or v == "":
                continue
            if isinstance(v, dt.date):
                ws.write(3 + i, c, dt.datetime(v.year, v.month, v.day), date_style)
            else:
                ws.write(3 + i, c, v)
    other = wb.add_sheet("Other")
    styles = {2: xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")}
    for i, r in enumerate(OTHER):
        for c, v in enumerate(r):
            if i > 0 and c == 2:
                other.write(i, c, v, styles[2])
            else:
                other.write(i, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    write("cohort.xls", buf.getvalue())


def ods_file():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def cell(v):
        if v is None or v == "":
            return TableCell()
        if isinstance(v, bool):
            c = TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
            c.addElement(P(text="TRUE" if v else "FALSE"))
        elif isinstance(v, dt.datetime):
            c = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%dT%H:%M:%S"))
            c.addElement(P(text=v.strftime("%d/%m/%Y %H:%M")))
        elif isinstance(v, dt.date):
            c = TableCell(valuetype="date", datevalue=v.isoformat())
            c.addElement(P(text=v.strftime("%d/%m/%Y")))
        elif isinstance(v, (int, float)):
            c = TableCell(valuetype="float", value=str(v))
            c.addElement(P(text=num(v, comma=True)))
        else:
            c = TableCell(valuetype="string")
            for i, line in enumerate(v.split("\n")):
                c.addElement(P(text=line))
        return c

    def sheet(name, rows):
        t = Table(name=name)
        for r in rows:
            tr = TableRow()
            for v in r:
                tr.addElement(cell(v))
            t.addElement(tr)
        doc.spreadsheet.addElement(t)

    sheet("Empty", [[]])
    sheet("Cohort", [["Spine clinic chart review"], []] + table())
    sheet("Other", OTHER)
    buf = io.BytesIO()
    doc.write(buf)
    write("cohort.ods", buf.getvalue())


def bad_files():
    expected = {
        "empty.csv": "the file is empty",
        "whitespace_only.csv": "the file is empty",
        "header_only.csv": "no data rows",
        "blank_cells_only.csv": "every line is blank",
        "binary_junk.bin": "binary data",
        "unclosed_quote.csv": 'row 4, column "Note": cannot read the file: a quote (") opened in this cell is never closed',
        "truncated.xlsx": "the XLSX workbook cannot be opened",
        "empty_sheet.xlsx": "no sheet of the workbook has data",
        "zero_byte_sheet.xlsx": "the sheet \"Sheet1\" cannot be read",
        "not_a_spreadsheet.zip": "a zip archive that holds no spreadsheet",
        "word.docx": "a Word document",
        "report.pdf": "a PDF document",
        "web_page.xls": "a web page",
        "ole_junk.xls": "the XLS workbook cannot be opened",
        "cell_outside_sheet.xlsx": "outside the largest sheet",
        "cell_ref_overflow.xlsx": "outside the largest sheet",
    }
    write("empty.csv", b"", BAD)
    write("whitespace_only.csv", "  \n\t\r\n   \n", BAD)
    write("header_only.csv", "Record ID,VAS baseline,VAS 6 wk\n", BAD)
    write("blank_cells_only.csv", ",,,\n , ,\n,,\n", BAD)
    rng = random.Random(20240501)
    write("binary_junk.bin", bytes(rng.randrange(256) for _ in range(4096)), BAD)
    write("unclosed_quote.csv", 'Record ID,VAS baseline,Note\nP1,7,ok\nP2,8,fine\nP3,6,"never closed\nP4,5,x\n', BAD)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("photo.txt", "not a spreadsheet")
    write("not_a_spreadsheet.zip", z.getvalue(), BAD)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("[Content_Types].xml", "<Types/>")
        f.writestr("word/document.xml", "<document/>")
    write("word.docx", z.getvalue(), BAD)
    write("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", BAD)
    write("web_page.xls", "<html><body><table><tr><td>Record ID</td></tr></table></body></html>\n", BAD)
    write("ole_junk.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(1024)), BAD)
    with open(os.path.join(BAD, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    csv_files()
    encoding_files()
    xlsx_files()
    far_cell_xlsx()
    xls_file()
    ods_file()
    bad_files()
    print("wrote", sorted(os.listdir(OUT)), sorted(os.listdir(BAD)))
