//! Guessing the mapping from headers and values (English, Chinese, REDCap), saying how sure each
//! guess is, and asking rather than picking when two columns could be meant; and the mapping
//! JSON's new options, which leave existing mappings valid.

use cohortcalc::ingest::Table;
use cohortcalc::mapping::{guess_roles, DateOrder, Guess, RoleGuess};
use cohortcalc::{Mapping, Severity};

fn table(bytes: &[u8]) -> Table {
    cohortcalc::ingest::read_csv(bytes, &mut Vec::new(), &mut |_| {}).expect("reads")
}

fn guess(bytes: &[u8]) -> Guess {
    guess_roles(&table(bytes))
}

fn role<'a>(g: &'a Guess, role: &str, outcome: Option<&str>) -> &'a RoleGuess {
    g.roles
        .iter()
        .find(|r| r.role == role && (outcome.is_none() || r.outcome.as_deref() == outcome))
        .unwrap_or_else(|| panic!("no role {role} {outcome:?} in {:#?}", g.roles))
}

#[test]
fn chinese_headers_are_guessed() {
    let g = guess(include_bytes!("../data/messy/chinese.csv"));
    let want = Mapping::from_json(include_str!("../data/messy/chinese.mapping.json")).unwrap();
    assert_eq!(g.mapping, want, "{:#?}", g.roles);
    assert!(!g.is_ambiguous(), "{:#?}", g.ambiguous().collect::<Vec<_>>());
    let before = role(&g, "paired.before", Some("VAS"));
    assert!(before.confidence >= 0.9 && before.reason.contains("术前"), "{before:?}");
    assert!(role(&g, "strata.tscore", None).reason.contains("t值"));
    // The guessed mapping analyses the file.
    let a = cohortcalc::analyze(include_bytes!("../data/messy/chinese.csv"), Some(&g.mapping)).unwrap();
    assert_eq!(a.report.strata[0].n, 80);
    assert!(a.report.strata[0].paired["VAS"].pairs > 60);
}

#[test]
fn english_headers_with_messy_values_are_guessed_like_the_clean_file() {
    let clean = guess(include_bytes!("../data/messy/clinic_clean.csv"));
    let messy = guess(include_bytes!("../data/messy/clinic_messy.csv"));
    let semi = guess(include_bytes!("../data/messy/clinic_semicolon.csv"));
    let mut want = Mapping::from_json(include_str!("../data/messy/clinic.mapping.json")).unwrap();
    want.compare.clear();
    want.missing.clear();
    assert_eq!(clean.mapping, want);
    assert_eq!(messy.mapping, want, "{:#?}", messy.roles);
    assert_eq!(semi.mapping, want, "{:#?}", semi.roles);
}

#[test]
fn ambiguous_columns_are_asked_about_not_picked_silently() {
    let g = guess(include_bytes!("../data/messy/ambiguous.csv"));
    assert!(g.is_ambiguous());
    let t = role(&g, "strata.tscore", None);
    assert!(t.is_ambiguous());
    assert_eq!(t.column, "T-score lumbar");
    assert_eq!(t.alternatives[0].column, "T-score hip");
    let after = role(&g, "paired.after", Some("VAS"));
    assert!(after.is_ambiguous());
    assert_eq!((after.column.as_str(), after.alternatives[0].column.as_str()), ("VAS 6 wk", "VAS 12 mo"));
    let start = role(&g, "followup.start", None);
    assert!(start.is_ambiguous());
    assert_eq!(start.alternatives[0].column, "Procedure date");
    // Each ambiguity is a warning naming both columns; the CLI and the page show them.
    let notes = g.notes();
    for (a, b) in [("T-score lumbar", "T-score hip"), ("VAS 6 wk", "VAS 12 mo"), ("Surgery date", "Procedure date")] {
        let n = notes
            .iter()
            .find(|n| n.severity == Severity::Warning && n.message.contains(a) && n.message.contains(b))
            .unwrap_or_else(|| panic!("no warning naming {a} and {b}: {notes:#?}"));
        assert!(n.message.contains("say which in the mapping"), "{}", n.message);
    }
    // Unambiguous roles are notes, not warnings.
    assert!(notes.iter().any(|n| n.severity == Severity::Info && n.message.contains("\"Improved\"")));
    let (_, diags) = cohortcalc::guess_mapping(include_bytes!("../data/messy/ambiguous.csv")).unwrap();
    assert!(diags.iter().filter(|d| d.severity == Severity::Warning).count() >= 3, "{diags:#?}");
}

#[test]
fn unambiguous_files_have_confident_guesses() {
    for (name, bytes) in [
        ("demo", cohortcalc::DEMO_CSV),
        ("second", include_bytes!("../data/second.csv").as_slice()),
        ("clean", include_bytes!("../data/messy/clinic_clean.csv").as_slice()),
    ] {
        let g = guess(bytes);
        assert!(!g.is_ambiguous(), "{name}: {:#?}", g.ambiguous().collect::<Vec<_>>());
        for r in &g.roles {
            assert!((0.0..=1.0).contains(&r.confidence) && !r.reason.is_empty(), "{name}: {r:?}");
        }
    }
}

#[test]
fn the_guess_serializes_for_the_page() {
    let g = guess(include_bytes!("../data/messy/ambiguous.csv"));
    let v = serde_json::to_value(&g).unwrap();
    let roles = v["roles"].as_array().unwrap();
    assert!(roles.iter().all(|r| r["role"].is_string() && r["column"].is_string() && r["confidence"].is_number()));
    assert!(roles.iter().any(|r| r["alternatives"].as_array().is_some_and(|a| !a.is_empty())));
    assert!(v["mapping"]["paired"].is_array());
    let back: Guess = serde_json::from_value(v).unwrap();
    assert_eq!(back, g);
}

#[test]
fn redcap_raw_export_is_recognised() {
    let bytes = include_bytes!("../data/messy/redcap.csv");
    let g = guess(bytes);
    let m = &g.mapping;
    assert_eq!(m.id.as_deref(), Some("record_id"));
    assert_eq!(m.redcap.as_ref().and_then(|r| r.event.as_deref()), Some("baseline_arm_1"));
    // Two events: which one is analysed is asked.
    let ev = role(&g, "redcap.event", None);
    assert!(ev.is_ambiguous());
    assert_eq!(ev.alternatives[0].column, "followup_arm_1");
    assert_eq!(m.paired.len(), 1);
    assert_eq!((m.paired[0].before.as_str(), m.paired[0].after.as_str()), ("vas_baseline", "vas_6wk"));
    let events: Vec<(&str, &str)> = m.events.iter().map(|e| (e.name.as_str(), e.column.as_str())).collect();
    assert_eq!(events, [("complication: 1", "complication___1"), ("complication: 2", "complication___2")]);
    // Bookkeeping columns get no role.
    for c in ["redcap_repeat_instance", "baseline_complete"] {
        assert!(g.unused.iter().any(|u| u == c), "{c} in {:?}", g.unused);
    }
    // Rows of the other event and of the repeating instrument are left out, with reasons.
    let a = cohortcalc::analyze(bytes, Some(m)).unwrap();
    let flow = &a.report.flow;
    assert_eq!(flow.rows_included, 12);
    let reasons: Vec<(&str, usize)> = flow.excluded.iter().map(|e| (e.reason.as_str(), e.n)).collect();
    assert_eq!(
        reasons,
        [
            ("a REDCap event other than \"baseline_arm_1\"", 12),
            ("a row of the REDCap repeating instrument \"adverse_events\"", 3)
        ]
    );
    // "UNK" is REDCap's missing-data code: missing, not a bad number.
    let vas = flow.strata[0].outcomes.iter().find(|o| o.kind == "paired").unwrap();
    assert_eq!((vas.used, vas.missing[0].reason.as_str(), vas.missing[0].n), (11, "missing", 1));
    assert!(!a.diagnostics.iter().any(|d| d.message.contains("UNK")), "{:#?}", a.diagnostics);
    assert_eq!(a.report.strata[0].events["complication: 1"].events, 2);
}

#[test]
fn redcap_label_export_is_recognised() {
    let bytes = include_bytes!("../data/messy/redcap_labels.csv");
    let g = guess(bytes);
    let m = &g.mapping;
    assert!(m.redcap.as_ref().is_some_and(|r| r.event.is_none()));
    let events: Vec<&str> = m.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(events, ["Vertebral fracture", "Other"]);
    assert_eq!(m.binary.iter().map(|b| b.column.as_str()).collect::<Vec<_>>(), ["Improved?"]);
    assert!(g.unused.iter().any(|u| u == "Complete?"));
    let raw = cohortcalc::analyze(
        include_bytes!("../data/messy/redcap.csv"),
        Some(&guess(include_bytes!("../data/messy/redcap.csv")).mapping),
    )
    .unwrap();
    let labels = cohortcalc::analyze(bytes, Some(m)).unwrap();
    let (r, l) = (&raw.report.strata[0], &labels.report.strata[0]);
    // The raw export names the outcome "vas", the labels "VAS".
    assert_eq!(serde_json::to_value(&r.paired["vas"]).unwrap(), serde_json::to_value(&l.paired["VAS"]).unwrap());
    assert_eq!(r.events["complication: 1"].events, l.events["Vertebral fracture"].events);
}

#[test]
fn no_outcome_is_an_error_listing_the_columns() {
    let e = cohortcalc::guess_mapping(b"Name,Age\nA,70\nB,65\n").unwrap_err();
    assert!(e.to_string().contains("Columns: Name, Age"), "{e}");
    // The structured guess still says what it found.
    let g = guess(b"Name,Age\nA,70\nB,65\n");
    assert_eq!(g.mapping.covariates, ["Age"]);
}

#[test]
fn existing_mappings_stay_valid_and_new_options_round_trip() {
    for text in [include_str!("../data/demo.mapping.json"), include_str!("../data/second.mapping.json")] {
        let m = Mapping::from_json(text).unwrap();
        let json = m.to_json();
        for key in ["missing", "date_format", "sheet", "redcap", "scale"] {
            assert!(!json.contains(&format!("\"{key}\"")), "{key} written for an old mapping");
        }
    }
    let text = r#"{"binary": [{"name": "X", "column": "X"}], "missing": ["888", "not done"],
                   "date_format": "MDY", "sheet": "Cohort", "redcap": {"event": "baseline_arm_1"},
                   "paired": [{"name": "VAS", "before": "a", "after": "b", "scale": 100}]}"#;
    let m = Mapping::from_json(text).unwrap();
    assert_eq!(m.date_format, Some(DateOrder::Mdy));
    assert_eq!(m.sheet.as_deref(), Some("Cohort"));
    assert_eq!(m.missing, ["888", "not done"]);
    assert_eq!(m.paired[0].scale, Some(100.0));
    assert_eq!(Mapping::from_json(&m.to_json()).unwrap(), m);
    let e = Mapping::from_json(r#"{"binary": [{"name": "X", "column": "X"}], "date_format": "DD/MM"}"#).unwrap_err();
    assert!(e.to_string().contains("date_format") || e.to_string().contains("DMY"), "{e}");
}

#[test]
fn before_and_after_headers_pair_up_in_many_spellings() {
    for (before, after, name) in [
        ("VAS baseline", "VAS 6 wk", "VAS"),
        ("Pain (VAS) pre-op", "Pain (VAS) 6 weeks post-op", "Pain VAS"),
        ("Baseline VAS", "6-week VAS", "VAS"),
        ("vas_pre", "vas_6wk", "vas"),
        ("ODI before", "ODI after", "ODI"),
        ("术前疼痛评分", "术后3个月疼痛评分", "疼痛"),
        ("NRS（术前）", "NRS（术后）", "NRS"),
    ] {
        let csv = format!("{before},{after}\n7,3\n6,2\n8,5\n");
        let g = guess(csv.as_bytes());
        let p = g.mapping.paired.first().unwrap_or_else(|| panic!("{before} / {after}: {:#?}", g.roles));
        assert_eq!((p.before.as_str(), p.after.as_str(), p.name.as_str()), (before, after, name));
    }
}

#[test]
fn an_outcome_about_the_patient_is_no_identifier() {
    let g = guess(b"Patient,Patient satisfied,Patient age\nP1,Yes,70\nP2,No,65\nP3,Yes,80\n");
    assert_eq!(g.mapping.id.as_deref(), Some("Patient"));
    assert_eq!(g.mapping.binary.iter().map(|b| b.column.as_str()).collect::<Vec<_>>(), ["Patient satisfied"]);
    assert_eq!(g.mapping.covariates, ["Patient age"]);
}

/// Every guessed role and alternative gives its reason in Chinese too, for the page in 中文.
#[test]
fn every_reason_is_given_in_chinese_too() {
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (name, bytes) in [
        ("demo", cohortcalc::DEMO_CSV.to_vec()),
        ("second", std::fs::read(format!("{}/tests/data/second.csv", env!("CARGO_MANIFEST_DIR"))).unwrap()),
    ] {
        let g = cohortcalc::inspect(&bytes, None).expect("inspects").guess;
        assert!(!g.roles.is_empty(), "{name}");
        for r in &g.roles {
            assert!(cjk(&r.reason_zh) && !r.reason.is_empty(), "{name}: {r:?}");
            for a in &r.alternatives {
                assert!(cjk(&a.reason_zh), "{name}: {a:?}");
            }
        }
    }
}

#[test]
fn an_event_without_follow_up_is_guessed_as_a_yes_no_outcome_and_the_guess_analyses() {
    // No follow-up column and no dates: a VCF column cannot be timed (an event needs a time), and
    // the T-scores are written with the minus sign of a word processor (U+2212).
    let csv =
        "ID,T score,VAS pre,VAS post,VCF\n1,\u{2212}2.6,8,3,No\n2,-1.2,7,2,Yes\n3,\u{2212}0.5,9,4,No\n4,0.3,6,1,No\n";
    let g = guess(csv.as_bytes());
    assert!(g.mapping.events.is_empty(), "{:#?}", g.mapping);
    assert_eq!(g.mapping.binary.len(), 1);
    assert_eq!(g.mapping.binary[0].column, "VCF");
    let r = role(&g, "binary", Some("VCF"));
    assert!(r.reason.contains("no follow-up") && r.reason_zh.contains("随访"), "{r:?}");
    assert!(role(&g, "strata.tscore", None).confidence >= 0.9);
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("the guessed mapping analyses");
    let n = |name: &str| a.report.strata.iter().find(|s| s.name == name).map(|s| s.n);
    assert_eq!((n("Normal"), n("Osteopenia"), n("Osteoporosis")), (Some(2), Some(1), Some(1)));
    assert_eq!(a.report.strata[0].binary["VCF"].events, 1);
    // With follow-up, the same column is an event.
    let timed =
        "ID,T score,VAS pre,VAS post,VCF,Follow-up (months)\n1,-2.6,8,3,No,12\n2,-1.2,7,2,Yes,6\n3,-0.5,9,4,No,24\n";
    let g = guess(timed.as_bytes());
    assert_eq!(g.mapping.events.len(), 1, "{:#?}", g.mapping);
    assert!(g.mapping.binary.is_empty());
}

#[test]
fn a_yes_no_column_in_its_own_words_is_read_and_guessed() {
    // "Improved" / "Not improved" (in any case and spacing), "改善" / "未改善": no yes/no code.
    let csv = "ID,VAS pre,VAS post,Functional improvement,功能改善\n\
               1,8,3,Improved,改善\n2,7,2,Not improved,未改善\n3,9,4,improved,改善\n4,6,1,Not  Improved,改善\n5,8,2,,未改善\n";
    let g = guess(csv.as_bytes());
    let columns: Vec<&str> = g.mapping.binary.iter().map(|b| b.column.as_str()).collect();
    assert_eq!(columns, ["Functional improvement", "功能改善"], "{:#?}", g.roles);
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("analyses");
    let overall = &a.report.strata[0];
    let fi = &overall.binary["Functional improvement"];
    assert_eq!((fi.events, fi.n, fi.missing), (2, 4, 1));
    let zh = &overall.binary["功能改善"];
    assert_eq!((zh.events, zh.n), (3, 5));
    let notes: Vec<&str> =
        a.diagnostics.iter().map(|d| d.message.as_str()).filter(|m| m.contains("read as yes")).collect();
    assert_eq!(
        notes,
        [r#""Improved" read as yes and "Not improved" as no"#, r#""改善" read as yes and "未改善" as no"#]
    );

    // Two words that are no negation of each other stay unread, each cell said.
    let other = "ID,VAS pre,VAS post,Improved\n1,8,3,Better\n2,7,2,Worse\n3,9,4,Better\n";
    let mapping = Mapping::from_json(
        r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}],
            "binary": [{"name": "Improved", "column": "Improved"}]}"#,
    )
    .unwrap();
    let a = cohortcalc::analyze(other.as_bytes(), Some(&mapping)).expect("analyses");
    assert_eq!(a.report.strata[0].binary["Improved"].n, 0);
    assert!(a.diagnostics.iter().any(|d| d.message.contains("expected yes or no, found \"Better\"")));
}

#[test]
fn dates_written_as_yyyymmdd_or_in_mixed_styles_are_guessed_as_dates() {
    // yyyymmdd numbers (hospital system exports), with and without a date word in the header.
    let ymd = "ID,VAS pre,VAS post,Surgery date,Last visit,Fracture\n\
               1,8,3,20200304,20210506,No\n2,7,2,20200314,20210516,Yes\n3,9,4,20200304,20211206,No\n";
    // Chinese files: slashes, dots, dashes, 年月日 and yyyymmdd in one column.
    let mixed = "ID,VAS pre,VAS post,手术日期,末次随访,骨折\n1,8,3,2020/3/4,2021/5/6,否\n\
                 2,7,2,2020.3.14,2021.5.16,是\n3,9,4,2020-3-4,2021-12-6,否\n4,6,1,2020年3月4日,2022年1月2日,否\n\
                 5,8,2,20200304,20210506,否\n";
    for (csv, start, end, event) in
        [(ymd, "Surgery date", "Last visit", "Fracture"), (mixed, "手术日期", "末次随访", "骨折")]
    {
        let g = guess(csv.as_bytes());
        let want = cohortcalc::mapping::Followup::Dates { start: start.into(), end: end.into() };
        assert_eq!(g.mapping.followup, Some(want), "{:#?}", g.roles);
        assert_eq!(g.mapping.events.len(), 1);
        assert_eq!(g.mapping.events[0].column, event);
        let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("analyses");
        let n = a.report.strata[0].followup_months.as_ref().expect("follow-up").n;
        assert_eq!(n, a.report.rows_included, "every follow-up read");
    }
}

#[test]
fn follow_up_in_days_weeks_or_years_is_given_in_months() {
    use cohortcalc::mapping::Followup;
    // 365.25 days, 52.178… weeks and 1 year are each 12 months.
    for (header, value, want) in [
        ("Follow-up (days)", "365.25", Followup::Days { days: "Follow-up (days)".into() }),
        ("FU weeks", "52.17857142857143", Followup::Weeks { weeks: "FU weeks".into() }),
        ("Follow-up (years)", "1", Followup::Years { years: "Follow-up (years)".into() }),
        ("随访时间(天)", "365.25", Followup::Days { days: "随访时间(天)".into() }),
        ("Follow-up (months)", "12", Followup::Months { months: "Follow-up (months)".into() }),
    ] {
        let csv = format!("ID,VAS pre,VAS post,{header},VCF\n1,8,3,{value},No\n2,7,2,{value},Yes\n");
        let g = guess(csv.as_bytes());
        assert_eq!(g.mapping.followup.as_ref(), Some(&want), "{header}: {:#?}", g.roles);
        assert_eq!(g.mapping.events.len(), 1, "{header}: the event is timed by the follow-up");
        let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("analyses");
        let fu = a.report.strata[0].followup_months.as_ref().expect("follow-up");
        assert!((fu.mean.unwrap() - 12.0).abs() < 1e-12, "{header}: {fu:?}");
        let converted = a.diagnostics.iter().any(|d| d.message.contains("given in months"));
        assert_eq!(converted, !header.contains("months"), "{header}");
        // The mapping as JSON, and back.
        let json = serde_json::to_string(&g.mapping).unwrap();
        assert_eq!(Mapping::from_json(&json).unwrap(), g.mapping, "{json}");
    }
}

#[test]
fn follow_up_cells_may_give_their_own_unit() {
    use cohortcalc::mapping::Followup;
    // "6 mo", "2 years": read in their unit; a header without one is months when its cells give theirs.
    for header in ["Follow-up", "Follow-up (months)"] {
        let csv = format!(
            "ID,VAS pre,VAS post,{header},VCF\n1,8,3,6 mo,No\n2,7,2,2 years,Yes\n3,9,4,12 months,No\n4,6,1,18,No\n"
        );
        let g = guess(csv.as_bytes());
        assert_eq!(g.mapping.followup, Some(Followup::Months { months: header.into() }), "{:#?}", g.roles);
        let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("analyses");
        let fu = a.report.strata[0].followup_months.as_ref().expect("follow-up");
        assert_eq!((fu.n, fu.mean), (4, Some(15.0)), "{header}");
        assert!(a
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with("3 follow-up values give their own unit (e.g. \"6 mo\"")));
    }
    // A unit that is no time is not a length: the cell is reported and counted as missing.
    let csv = "ID,VAS pre,VAS post,Follow-up (months),VCF\n1,8,3,6 kg,No\n2,7,2,12,Yes\n3,9,4,12,No\n";
    let mapping = Mapping::from_json(
        r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}],
            "followup": {"months": "Follow-up (months)"}, "events": [{"name": "VCF", "column": "VCF"}]}"#,
    )
    .unwrap();
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&mapping)).expect("analyses");
    assert_eq!(a.report.strata[0].followup_months.as_ref().unwrap().n, 2);
    assert!(a.diagnostics.iter().any(|d| d.message.contains("expected a number, found \"6 kg\"")));
}
