"""Writes the messy-file fixtures of tests/it/values.rs and tests/it/mapping.rs.

Each messy file has a clean twin with the same patients: the messy one spells values as clinics
do (yes/no codes of every kind, missing codes, VAS in millimetres, day/month/year dates, Excel
day numbers, Chinese headers, a REDCap export); the clean one writes them plainly. The tests
assert both give the same statistics. Deterministic: run `python3 tests/data/messy/make_messy.py`.
(`ambiguous.csv`, where the guessed mapping must ask rather than pick, is written by hand.)
"""
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20250814)

YES = ["Yes", "yes", "Y", "y", "1", "TRUE", "Checked", "是"]
NO = ["No", "no", "N", "n", "0", "FALSE", "Unchecked", "否"]
MISSING = ["", "NA", "N/A", ".", "-", "missing", "unknown", "-99", "-999", "888"]
EPOCH = dt.date(1899, 12, 30)  # Excel day 0 (for days from 1900-03-01 on)


def patients(n):
    out = []
    for i in range(n):
        t = None if rng.random() < 0.1 else round(rng.uniform(-4.0, 1.5), 1)
        start = dt.date(2019, 11, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        end = start + dt.timedelta(days=rng.randrange(20, 1500))
        before = rng.randrange(30, 101) if rng.random() > 0.05 else None  # tenths of a point
        after = max(0, (before or 70) - rng.randrange(0, 70)) if rng.random() > 0.08 else None
        improved = None if rng.random() < 0.05 else rng.random() < 0.78
        vcf = None if rng.random() < 0.03 else rng.random() < 0.08
        vcf_date = start + dt.timedelta(days=rng.randrange(10, max(11, (end - start).days))) if vcf else None
        age = None if rng.random() < 0.05 else rng.randrange(48, 90)
        out.append(dict(id=f"P{i + 1:03}", age=age, sex=rng.choice("FFM"), t=t, start=start, end=end,
                        before=before, after=after, improved=improved, vcf=vcf, vcf_date=vcf_date))
    return out


def clean_row(p):
    yn = lambda v: "" if v is None else ("Yes" if v else "No")
    num = lambda v: "" if v is None else str(v)
    vas = lambda v: "" if v is None else f"{v / 10:g}"
    day = lambda d: "" if d is None else d.isoformat()
    return [p["id"], num(p["age"]), p["sex"], num(p["t"]), day(p["start"]), day(p["end"]),
            vas(p["before"]), vas(p["after"]), yn(p["improved"]), yn(p["vcf"]), day(p["vcf_date"])]


def messy_row(p, i):
    miss = lambda: MISSING[i % len(MISSING)]
    yn = lambda v: miss() if v is None else rng.choice(YES if v else NO)
    num = lambda v: miss() if v is None else str(v)
    mm = lambda v: miss() if v is None else str(v)
    # Day first, or an Excel day number now and then.
    day = lambda d: "" if d is None else (str((d - EPOCH).days) if rng.random() < 0.2 else f"{d.day:02}/{d.month:02}/{d.year}")
    return [p["id"], num(p["age"]), p["sex"], num(p["t"]), day(p["start"]), day(p["end"]),
            mm(p["before"]), mm(p["after"]), yn(p["improved"]), yn(p["vcf"]), day(p["vcf_date"])]


HEADER = ["Record ID", "Age", "Sex", "DEXA T-score", "Procedure date", "Last follow-up", "VAS baseline",
          "VAS 6 wk", "Functional improvement", "VCF", "VCF date"]
CHINESE = ["患者编号", "年龄", "性别", "骨密度T值", "手术日期", "末次随访日期", "术前VAS", "术后6周VAS", "功能改善",
           "椎体骨折", "骨折日期"]


def write(name, header, rows, sep=","):
    text = "\n".join(sep.join(r) for r in [header] + rows) + "\n"
    (HERE / name).write_text(text, encoding="utf-8")


ps = patients(80)
clean = [clean_row(p) for p in ps]
messy = [messy_row(p, i) for i, p in enumerate(ps)]
# Values out of range in the messy file are blank in the clean one: 150 mm, a T-score of -12.
clean[10][6], messy[10][6] = "", "150"
clean[11][3], messy[11][3] = "", "-12"
write("clinic_clean.csv", HEADER, clean)
write("clinic_messy.csv", HEADER, messy)

# Semicolons with decimal commas: the clean file as a European spreadsheet saves it.
write("clinic_semicolon.csv", HEADER, [[c.replace(".", ",") for c in row] for row in clean], sep=";")


def chinese_row(row):
    """A clean row as a Chinese clinic writes it: 是/否, 女/男, 2021年3月4日."""
    def day(c):
        if not c:
            return c
        d = dt.date.fromisoformat(c)
        return f"{d.year}年{d.month}月{d.day}日"
    yn = {"Yes": "是", "No": "否", "": ""}
    return row[:2] + [{"F": "女", "M": "男"}[row[2]], row[3], day(row[4]), day(row[5]), row[6], row[7],
                      yn[row[8]], yn[row[9]], day(row[10])]


write("chinese.csv", CHINESE, [chinese_row(row) for row in clean])


def redcap():
    """A REDCap export, raw (`field___code` checkboxes, two events, a repeating instrument) and
    with labels (`Label (choice=Option)`, Checked/Unchecked)."""
    r = random.Random(7)
    raw = ["record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,age,dexa_tscore,"
           "vas_baseline,vas_6wk,improved,complication___1,complication___2,procedure_date,last_visit,"
           "baseline_complete"]
    labels = ['"Record ID","Event Name","Repeat Instrument","Repeat Instance","Age","DEXA T-score",'
              '"VAS baseline","VAS 6 weeks","Improved?","Complications (choice=Vertebral fracture)",'
              '"Complications (choice=Other)","Procedure date","Last visit","Complete?"']
    yn = lambda v: "Yes" if v else "No"
    ck = lambda v: "Checked" if v else "Unchecked"
    for i in range(1, 13):
        age = r.randrange(50, 88)
        t = round(r.uniform(-3.5, 1.0), 1)
        b = r.randrange(5, 11)
        a = max(0, b - r.randrange(0, 7))
        imp = int(r.random() < 0.75)
        vcf, oth = int(i in (3, 9)), int(i == 5)
        d0 = f"2021-{(i % 12) + 1:02}-{r.randrange(1, 28):02}"
        d1 = f"2023-{(i % 12) + 1:02}-{r.randrange(1, 28):02}"
        vb = "UNK" if i == 7 else str(b)  # a REDCap missing-data code
        raw.append(f"{i},baseline_arm_1,,,{age},{t},{vb},{a},{imp},{vcf},{oth},{d0},{d1},2")
        if i % 4 == 0:
            raw.append(f"{i},baseline_arm_1,adverse_events,1,,,,,,,,,,")
        raw.append(f"{i},followup_arm_1,,,,,,,,,,,{d1},1")
        labels.append(f'"{i}","Baseline (Arm 1: Arm A)","","","{age}","{t}","{vb}","{a}","{yn(imp)}",'
                      f'"{ck(vcf)}","{ck(oth)}","{d0}","{d1}","Complete"')
    (HERE / "redcap.csv").write_text("\n".join(raw) + "\n", encoding="utf-8")
    (HERE / "redcap_labels.csv").write_text("\n".join(labels) + "\n", encoding="utf-8")


redcap()
