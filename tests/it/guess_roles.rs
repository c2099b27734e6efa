//! The guess in other languages and conventions: arms and groups (English, Chinese, German,
//! French, Spanish; R's `trt` 1/2) as strata, survival data as a status and a time (R's `time`
//! and `futime` in days; 1/2 and dead/alive codes), codes of categories as `categorical`, ordinal
//! scales not taken for yes/no, German headers for every role.

use cohortcalc::ingest::Table;
use cohortcalc::mapping::{guess_roles, Followup, Guess, Strata};

fn table(bytes: &[u8]) -> Table {
    cohortcalc::ingest::read_csv(bytes, &mut Vec::new(), &mut |_| {}).expect("reads")
}

fn guess(text: &str) -> Guess {
    guess_roles(&table(text.as_bytes()))
}

fn reason<'a>(g: &'a Guess, column: &str) -> (&'a str, &'a str) {
    let r =
        g.roles.iter().find(|r| r.column == column).unwrap_or_else(|| panic!("no role for {column}: {:#?}", g.roles));
    (r.reason.as_str(), r.reason_zh.as_str())
}

/// A German chart review: every role from German headers.
#[test]
fn german_headers_are_guessed() {
    let csv = "Pat.-Nr.;Alter;Geschlecht;Gruppe;OP-Datum;Letzte Kontrolle;T-Wert;Schmerz vorher;Schmerz nachher;Fraktur;Frakturdatum\n\
               700;92;m;Kyphoplastie;07.03.2021;23.07.2021;-2,9;9;3;nein;\n\
               701;69;w;konservativ;28.10.2021;28.01.2022;-2,1;7;4;ja;05.12.2021\n\
               702;75;w;Kyphoplastie;02.02.2021;20.12.2021;-1,1;8;2;nein;\n\
               703;81;m;konservativ;11.05.2021;30.11.2021;-3,4;6;6;nein;\n";
    let g = guess(csv);
    let m = &g.mapping;
    assert_eq!(m.id.as_deref(), Some("Pat.-Nr."), "{:#?}", g.roles);
    assert_eq!(m.strata, Some(Strata::Column("Gruppe".into())));
    assert_eq!((m.paired[0].before.as_str(), m.paired[0].after.as_str()), ("Schmerz vorher", "Schmerz nachher"));
    assert_eq!(m.followup, Some(Followup::Dates { start: "OP-Datum".into(), end: "Letzte Kontrolle".into() }));
    assert_eq!((m.events[0].column.as_str(), m.events[0].date.as_deref()), ("Fraktur", Some("Frakturdatum")));
    // With groups as strata, the T-score is a characteristic, as age and sex.
    assert_eq!(m.covariates, ["T-Wert", "Alter", "Geschlecht"]);
    let (en, zh) = reason(&g, "Gruppe");
    assert!(en.contains("gruppe") && zh.contains("gruppe"), "{en} / {zh}");
}

/// An arm coded 1/2 with its labels in the header: strata, categorical, labelled; a sex coded
/// so is a categorical characteristic; a complication coded 1=yes 2=no a yes/no outcome whose
/// yes is 1; an ordinal scale (ECOG 0–3) a category, not yes/no.
#[test]
fn coded_columns_are_categories_with_their_labels() {
    let mut csv = String::from(
        "MRN,Age,\"Sex (1=male 2=female)\",\"Arm (1=conventional, 2=navigated)\",ECOG,Pain NRS pre-op,Pain NRS 6 wk,\"Complication (1=yes, 2=no)\"\n",
    );
    for i in 0..24 {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            1000 + i,
            50 + i,
            1 + i % 2,
            1 + (i / 2) % 2,
            [0, 1, 0, 2, 3, 1][i % 6],
            7,
            3,
            if i % 5 == 0 { 1 } else { 2 }
        ));
    }
    let g = guess(&csv);
    let m = &g.mapping;
    let arm = "Arm (1=conventional, 2=navigated)";
    assert_eq!(m.strata, Some(Strata::Column(arm.into())), "{:#?}", g.roles);
    assert_eq!(
        m.labels[arm].iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
        [("1", "conventional"), ("2", "navigated")]
    );
    assert!(m.categorical.iter().any(|c| c == arm) && m.categorical.iter().any(|c| c == "ECOG"), "{:?}", m.categorical);
    assert!(m.categorical.iter().any(|c| c == "Sex (1=male 2=female)"));
    assert!(m.covariates.iter().any(|c| c == "ECOG"), "{:?}", m.covariates);
    assert!(!m.binary.iter().any(|b| b.column == "ECOG"));
    let (en, zh) = reason(&g, "ECOG");
    assert!(en.contains("(0, 1, 2, 3)") && en.contains("categorical") && zh.contains("类别代码"), "{en} / {zh}");
    let comp = m.binary.iter().find(|b| b.column.starts_with("Complication")).expect("complication guessed");
    assert_eq!(comp.event_value.as_deref(), Some("1"));
    // The guessed mapping analyses the file.
    let a = cohortcalc::analyze(csv.as_bytes(), Some(m)).expect("analyses");
    assert!(
        a.report.strata.iter().any(|s| s.name == "navigated"),
        "{:?}",
        a.report.strata.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
}

/// R's survival data: `trt` 1/2, `time` in days, `status` 1/2 (2 = dead).
#[test]
fn r_survival_data_is_an_event_over_a_time_in_days() {
    let mut csv = String::from("\"\",\"trt\",\"celltype\",\"time\",\"status\",\"karno\",\"age\"\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "\"{}\",{},\"squamous\",{},{},{},{}\n",
            i + 1,
            1 + i % 2,
            10 + i * 37,
            1 + (i % 3 != 0) as u8,
            40 + i,
            50 + i
        ));
    }
    let g = guess(&csv);
    let m = &g.mapping;
    assert_eq!(m.strata, Some(Strata::Column("trt".into())), "{:#?}", g.roles);
    assert!(m.categorical.iter().any(|c| c == "trt"));
    assert_eq!(m.followup, Some(Followup::Days { days: "time".into() }));
    assert_eq!((m.events[0].column.as_str(), m.events[0].event_value.as_deref()), ("status", Some("2")));
    let (en, zh) = reason(&g, "time");
    assert!(en.contains("days") && zh.contains("天"), "{en} / {zh}");
    let a = cohortcalc::analyze(csv.as_bytes(), Some(m)).expect("analyses");
    assert_eq!(a.report.strata[0].events["status"].events, 20);
}

/// A status written in words (dead/alive) and Chinese arms.
#[test]
fn a_status_in_words_and_chinese_arms() {
    let mut csv = String::from("病案号,年龄,\"组别(1=常规组,2=微创组)\",随访时间(月),生存状态\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            100 + i,
            40 + i,
            1 + i % 2,
            3 + i,
            if i % 4 == 0 { "死亡" } else { "存活" }
        ));
    }
    let g = guess(&csv);
    let m = &g.mapping;
    assert_eq!(m.strata, Some(Strata::Column("组别(1=常规组,2=微创组)".into())), "{:#?}", g.roles);
    assert_eq!(m.labels["组别(1=常规组,2=微创组)"]["2"], "微创组");
    assert_eq!(m.followup, Some(Followup::Months { months: "随访时间(月)".into() }));
    assert_eq!((m.events[0].column.as_str(), m.events[0].event_value.as_deref()), ("生存状态", Some("死亡")));
}

/// One measure at two times is a pair whatever the words for the times and whatever the headers
/// add: a scale "(0-10)", a time range "4-6 wk", German "prä-OP" / "6 Wo.", no word for before
/// ("Pain 30 min" / "Pain next morning": the left one earlier).
#[test]
fn a_measure_at_two_times_is_a_pair_whatever_its_headers_add() {
    for (before, after) in [
        ("VAS pre-op (0-10)", "VAS 4-6 wk (0-10)"),
        ("VAS prä-OP", "VAS 6 Wo."),
        ("Pain 30 min", "Pain next morning"),
        ("Douleur avant", "Douleur après"),
    ] {
        let csv = format!("ID,Age,{before},{after}\n1,70,7,3\n2,71,8,2\n3,72,6,4\n4,60,9,1\n");
        let g = guess(&csv);
        let p = g.mapping.paired.first().unwrap_or_else(|| panic!("{before} / {after}: no pair in {:#?}", g.roles));
        assert_eq!((p.before.as_str(), p.after.as_str()), (before, after), "{:#?}", g.roles);
        let (en, zh) = reason(&g, after);
        assert!(!en.is_empty() && !zh.is_empty());
    }
    // A knee score is better higher.
    let g = guess("MRN,KSS pre-op,KSS 12 mo\n1,40,80\n2,50,70\n3,45,90\n");
    assert_eq!(g.mapping.paired[0].better, cohortcalc::mapping::Better::Higher);
}

/// A T-score column under a header that does not say so is recognised by its values.
#[test]
fn a_t_score_is_recognised_by_its_values() {
    let mut csv = String::from("ID,Age,L1-L4,VAS baseline,VAS 6 wk\n");
    for i in 0..30 {
        csv.push_str(&format!("{i},{},{:.1},7,3\n", 60 + i, -3.6 + 0.17 * i as f64));
    }
    let g = guess(&csv);
    assert_eq!(g.mapping.strata, Some(Strata::Tscore("L1-L4".into())), "{:#?}", g.roles);
    let (en, zh) = reason(&g, "L1-L4");
    assert!(en.contains("look like T-scores") && zh.contains("T 值"), "{en}");
    // A weak guess: asked about, not picked silently.
    assert!(g.roles.iter().find(|r| r.column == "L1-L4").unwrap().is_ambiguous());
}

/// Labs and other numbers the header names no role for are offered as characteristics (as are
/// categories that repeat); a time and an event in camelCase (R's medicaldata) are found.
#[test]
fn numeric_clinical_variables_are_offered_as_covariates() {
    let mut csv = String::from("ID,Hemoglobin,CRP,PVol,Race,Recurrence,TimeToRecurrence,Notes\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "{i},{:.1},{},{},{},{},{:.1},note {i}\n",
            11.0 + (i % 7) as f64 * 0.4,
            i % 9,
            30 + i % 11,
            ["White", "Black", "Asian"][i % 3],
            u8::from(i % 4 == 0),
            2.0 + i as f64 * 1.5
        ));
    }
    let g = guess(&csv);
    let m = &g.mapping;
    assert_eq!(m.covariates, ["Hemoglobin", "CRP", "PVol", "Race"], "{:#?}", g.roles);
    assert_eq!(m.followup, Some(Followup::Months { months: "TimeToRecurrence".into() }));
    assert_eq!(m.events[0].column, "Recurrence");
    assert!(g.unused.iter().any(|u| u == "Notes"));
}

/// A measure at five times: one pair from the "before" column (the rest are asked about), never
/// a second outcome of the same name (which the analysis refuses).
#[test]
fn a_measure_at_many_times_makes_one_pair() {
    let csv = "ID,bdi.pre,bdi.2m,bdi.4m,bdi.6m,bdi.8m\n1,20,15,14,12,10\n2,25,20,18,15,14\n3,30,28,20,21,19\n";
    let g = guess(csv);
    let names: Vec<&str> = g.mapping.paired.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["bdi"], "{:#?}", g.roles);
    cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("the guess analyses");
}

/// An event with a column of the time to it ("cmv", "time.to.cmv") is timed by that column, even
/// with no follow-up column.
#[test]
fn an_event_is_timed_by_its_own_time_column() {
    let mut csv = String::from("ID,age,cmv,time.to.cmv\n");
    for i in 0..20 {
        csv.push_str(&format!("{i},{},{},{:.1}\n", 40 + i, u8::from(i % 3 == 0), 1.0 + i as f64 * 0.7));
    }
    let g = guess(&csv);
    let e = g.mapping.events.first().unwrap_or_else(|| panic!("no event: {:#?}", g.roles));
    assert_eq!((e.column.as_str(), e.time.as_deref()), ("cmv", Some("time.to.cmv")));
    let (en, zh) = reason(&g, "time.to.cmv");
    assert!(en.contains("months") && zh.contains("月"), "{en}");
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&g.mapping)).expect("analyses");
    assert_eq!(a.report.strata[0].events["cmv"].events, 7);
}

/// A time named as R names it ("rfstime") times the status beside it; a censoring flag
/// ("Censor", 1 = censored) is never taken for the event, which would turn every figure around.
#[test]
fn r_time_names_and_censoring_flags() {
    let mut csv = String::from("pid,age,rfstime,status\n");
    for i in 0..20 {
        csv.push_str(&format!("{i},{},{},{}\n", 40 + i, 200 + 50 * i, u8::from(i % 3 == 0)));
    }
    let g = guess(&csv);
    assert_eq!(g.mapping.followup, Some(Followup::Days { days: "rfstime".into() }), "{:#?}", g.roles);
    assert_eq!(g.mapping.events[0].column, "status");
    let g = guess("ID,Censor,time,Improved\n1,1,20,yes\n2,0,30,no\n3,1,25,yes\n4,0,40,yes\n");
    assert!(g.mapping.events.iter().all(|e| e.column != "Censor"), "{:#?}", g.roles);
}

/// The time of an operation (minutes) beside a status is no follow-up: the status is then a
/// yes/no outcome, said so, rather than an event timed by minutes of surgery.
#[test]
fn an_operation_time_is_no_follow_up() {
    let mut csv = String::from("ID,Operation time (min),status\n");
    for i in 0..12 {
        csv.push_str(&format!("{i},{},{}\n", 60 + 7 * i, u8::from(i % 3 == 0)));
    }
    let g = guess(&csv);
    assert_eq!(g.mapping.followup, None, "{:#?}", g.roles);
    assert_eq!(g.mapping.binary[0].column, "status");
}
