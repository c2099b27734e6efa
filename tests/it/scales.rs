//! Outcome scales known by name: the guess takes which direction is better and the responder
//! threshold (the minimal clinically important difference, MCID) from them, the analysis uses the
//! MCID when a mapping gives no threshold, and a scale not known by name is judged by a tenth of
//! its range — never by 2 points on a 0–100 scale. The methods name the MCID and its source.

use cohortcalc::mapping::{guess_roles, Better};
use cohortcalc::{Lang, Mapping};

fn table(bytes: &[u8]) -> cohortcalc::ingest::Table {
    cohortcalc::ingest::read_csv(bytes, &mut Vec::new(), &mut |_| {}).expect("reads")
}

/// `n` patients: an id, `before` and `after` columns from `f(i)`.
fn csv(headers: [&str; 2], n: usize, f: impl Fn(usize) -> (f64, f64)) -> String {
    let mut s = format!("ID,{},{}\n", headers[0], headers[1]);
    for i in 0..n {
        let (b, a) = f(i);
        s.push_str(&format!("P{i:03},{b},{a}\n"));
    }
    s
}

/// Responders by points, and the English methods, of `bytes` under `mapping`.
fn responders(bytes: &[u8], mapping: &Mapping, name: &str) -> (String, usize, usize, String) {
    let a = cohortcalc::analyze(bytes, Some(mapping)).expect("analyses");
    let r = &a.report.strata[0].paired[name].responders[0];
    (r.definition.clone(), r.responders, r.n, cohortcalc::report::methods(&a.report, Lang::En))
}

/// A JOA score rose by about 3 points: higher is better, and the MCID of 2.5 makes responders
/// (the page once reported 0 of 40, taking lower as better and 2 points as the threshold).
#[test]
fn a_joa_score_is_better_higher_and_its_responders_pass_its_mcid() {
    let data = csv(["JOA pre-op", "JOA 12 mo"], 40, |i| {
        let b = 8.0 + (i % 6) as f64;
        (b, b + [2.0, 3.0, 4.0, 3.0][i % 4])
    });
    let g = guess_roles(&table(data.as_bytes()));
    let p = &g.mapping.paired[0];
    assert_eq!((p.name.as_str(), p.better, p.threshold), ("JOA", Better::Higher, Some(2.5)), "{:#?}", g.roles);
    let before = g.roles.iter().find(|r| r.role == "paired.before").unwrap();
    assert!(before.reason.contains("Kato et al., Spine 2019") && before.reason_zh.contains("最小临床重要差异"));
    let (def, k, n, methods) = responders(data.as_bytes(), &g.mapping, "JOA");
    assert_eq!((def.as_str(), k, n), ("improved by ≥ 2.5 points", 30, 40));
    assert!(
        methods.contains("minimal clinically important difference of 2.5 points (Kato et al., Spine 2019)"),
        "{methods}"
    );
    let a = cohortcalc::analyze(data.as_bytes(), Some(&g.mapping)).unwrap();
    let zh = cohortcalc::report::methods(&a.report, Lang::Zh);
    assert!(zh.contains("JOA的应答者定义为改善达到最小临床重要差异 2.5 分（Kato et al., Spine 2019）"), "{zh}");
}

/// An ODI mapped without a threshold: its MCID (10 points), not 2.
#[test]
fn a_mapping_without_threshold_takes_the_scales_mcid() {
    let data =
        csv(["ODI baseline", "ODI 6 wk"], 20, |i| (40.0 + i as f64, 40.0 + i as f64 - [1.0, 4.0, 12.0, 20.0][i % 4]));
    let m =
        Mapping::from_json(r#"{"paired": [{"name": "ODI", "before": "ODI baseline", "after": "ODI 6 wk"}]}"#).unwrap();
    let (def, k, n, methods) = responders(data.as_bytes(), &m, "ODI");
    assert_eq!((def.as_str(), k, n), ("improved by ≥ 10.0 points", 10, 20));
    assert!(methods.contains("of 10.0 points (Ostelo et al., Spine 2008)"), "{methods}");
    // A threshold given is used and said as given.
    let m = Mapping::from_json(
        r#"{"paired": [{"name": "ODI", "before": "ODI baseline", "after": "ODI 6 wk", "threshold": 15}]}"#,
    )
    .unwrap();
    let (def, k, _, methods) = responders(data.as_bytes(), &m, "ODI");
    assert_eq!((def.as_str(), k), ("improved by ≥ 15.0 points", 5));
    assert!(methods.contains("at least 15.0 points (as stated)"), "{methods}");
}

/// A 0–100 score not known by name: a tenth of the range of values seen (here 20…90: 7 points),
/// or of the top of the scale the mapping gives.
#[test]
fn an_unknown_scale_is_judged_by_a_tenth_of_its_range_not_two_points() {
    let data = csv(["Grip before", "Grip after"], 20, |i| {
        (20.0 + i as f64, 20.0 + i as f64 + [1.0, 3.0, 8.0, 70.0 - i as f64][i % 4])
    });
    let m = Mapping::from_json(
        r#"{"paired": [{"name": "Grip", "before": "Grip before", "after": "Grip after", "better": "higher"}]}"#,
    )
    .unwrap();
    let (def, k, _, methods) = responders(data.as_bytes(), &m, "Grip");
    assert_eq!((def.as_str(), k), ("improved by ≥ 7.0 points (10% of the range, no MCID known)", 10));
    assert!(methods.contains("10% of the range of its values: 7.0 points"), "{methods}");
    let m = Mapping::from_json(
        r#"{"paired": [{"name": "Grip", "before": "Grip before", "after": "Grip after", "better": "higher", "scale": 100}]}"#,
    )
    .unwrap();
    let (def, ..) = responders(data.as_bytes(), &m, "Grip");
    assert_eq!(def, "improved by ≥ 10.0 points (10% of the range, no MCID known)");
}

/// "EQ-5D" is one word (not "EQ" and a time "5D"): a paired outcome named so, higher better, and
/// its MCID of 0.074 is shown as counted; the EQ-VAS is no pain score (not divided by 10).
#[test]
fn eq5d_and_eq_vas_are_recognised() {
    let data = "ID,EQ-5D pre,EQ-5D 6 mo,EQ-VAS pre,EQ-VAS 6 mo\nA,0.5,0.6,50,60\nB,0.4,0.45,40,70\nC,0.7,0.8,65,66\nD,0.3,0.5,30,50\n";
    let g = guess_roles(&table(data.as_bytes()));
    let names: Vec<(&str, Better, Option<f64>)> =
        g.mapping.paired.iter().map(|p| (p.name.as_str(), p.better, p.threshold)).collect();
    assert_eq!(
        names,
        [("EQ-5D", Better::Higher, Some(0.074)), ("EQ-VAS", Better::Higher, Some(7.0))],
        "{:#?}",
        g.roles
    );
    let a = cohortcalc::analyze(data.as_bytes(), Some(&g.mapping)).unwrap();
    let eq = &a.report.strata[0].paired["EQ-5D"];
    assert_eq!((eq.responders[0].definition.as_str(), eq.responders[0].responders), ("improved by ≥ 0.074 points", 3));
    let vas = &a.report.strata[0].paired["EQ-VAS"];
    assert_eq!(vas.before.mean, Some(46.25));
    assert!(!cohortcalc::mapping::is_pain_scale("EQ-VAS 6 mo") && cohortcalc::mapping::is_pain_scale("VAS 6 mo"));
}

/// "SF-36 PCS" is one measure (not "SF" and the number 36); an NDI in percent takes the MCID of
/// its percent form, named in the methods.
#[test]
fn sf36_summaries_and_ndi_forms_are_recognised() {
    let data = csv(["SF-36 PCS pre", "SF-36 PCS 6 mo"], 12, |i| (30.0 + i as f64, 33.0 + i as f64 * 1.2));
    let g = guess_roles(&table(data.as_bytes()));
    let p = &g.mapping.paired[0];
    assert_eq!((p.name.as_str(), p.better, p.threshold), ("SF-36 PCS", Better::Higher, Some(4.0)), "{:#?}", g.roles);
    let data = csv(["NDI (%) pre-op", "NDI (%) 12 mo"], 12, |i| (40.0 + 2.0 * i as f64, 30.0 + i as f64));
    let m =
        Mapping::from_json(r#"{"paired": [{"name": "NDI", "before": "NDI (%) pre-op", "after": "NDI (%) 12 mo"}]}"#)
            .unwrap();
    let (def, _, _, methods) = responders(data.as_bytes(), &m, "NDI");
    assert_eq!(def, "improved by ≥ 7.5 points");
    assert!(methods.contains("of 7.5 points (Carreon et al., Spine J 2010)"), "{methods}");
}

/// A scale known by name with no MCID cited here (the knee society score): a tenth of its own
/// range, 0–100, whatever range the values span; the methods say so.
#[test]
fn a_known_scale_without_mcid_is_judged_by_a_tenth_of_its_range() {
    let data = csv(["KSS pre-op", "KSS 12 mo"], 8, |i| (40.0 + i as f64, 45.0 + 2.0 * i as f64));
    let m = Mapping::from_json(
        r#"{"paired": [{"name": "KSS", "before": "KSS pre-op", "after": "KSS 12 mo", "better": "higher"}]}"#,
    )
    .unwrap();
    let (def, k, _, methods) = responders(data.as_bytes(), &m, "KSS");
    assert_eq!((def.as_str(), k), ("improved by ≥ 10.0 points (10% of the range, no MCID known)", 3));
    assert!(methods.contains("10% of its 0–100 range: 10.0 points"), "{methods}");
}
