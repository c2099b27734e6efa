//! Charts: each renders for the demo and second.csv reports in English and Chinese with its
//! labels and the report's figures, and says plainly (never panics) when there is nothing to draw.
//!
//! `CHARTS_OUT=dir cargo test charts` also writes every chart as SVG to `dir` to look at.

use cohortcalc::chart::{self, ChartKind, PatientData, StratumPairs};
use cohortcalc::stats::describe::{self, Histogram};
use cohortcalc::{Lang, Mapping, Report};

/// A report with the per-patient chart data the report does not carry, computed here from the
/// file the way the analysis sees it (every row of these files is included).
struct Fixture {
    name: &'static str,
    report: Report,
    pairs: Vec<Owned>,
    tscores: Option<Histogram>,
}

/// What a `StratumPairs` borrows.
struct Owned {
    outcome: String,
    stratum: String,
    sample: Vec<[f64; 2]>,
    change: Option<Histogram>,
}

impl Fixture {
    fn data(&self) -> PatientData<'_> {
        PatientData {
            pairs: self
                .pairs
                .iter()
                .map(|p| StratumPairs {
                    outcome: &p.outcome,
                    stratum: &p.stratum,
                    sample: &p.sample,
                    change: p.change.as_ref(),
                })
                .collect(),
            tscores: self.tscores.as_ref(),
        }
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn fixture(name: &'static str, csv_text: &str, mapping_json: &str) -> Fixture {
    let mapping = Mapping::from_json(mapping_json).unwrap();
    let report = cohortcalc::analyze(csv_text.as_bytes(), Some(&mapping)).unwrap().report;
    assert!(report.excluded.is_empty(), "the fixture assumes every row is included");
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let strata_col = match &report.mapping.strata {
        Some(cohortcalc::mapping::Strata::Tscore(c)) => Some((col(c), true)),
        Some(cohortcalc::mapping::Strata::Column(c)) => Some((col(c), false)),
        None => None,
    };
    let level = |r: &csv::StringRecord| -> String {
        let Some((c, tscore)) = strata_col else { return String::new() };
        let v = r.get(c).unwrap_or("").trim();
        match (tscore, number(v)) {
            (true, Some(t)) => cohortcalc::strata::who_category(t).to_string(),
            _ if v.is_empty() => "Unknown".to_string(),
            _ => v.to_string(),
        }
    };
    let in_stratum = |s: &cohortcalc::report::StratumReport, r: &csv::StringRecord| match s.kind.as_str() {
        "overall" => true,
        "level" => level(r) == s.name,
        _ => s.members.contains(&level(r)),
    };
    let mut pairs = Vec::new();
    for p in &report.mapping.paired {
        let (b, a) = (col(&p.before), col(&p.after));
        for s in &report.strata {
            let (before, after): (Vec<f64>, Vec<f64>) = rows
                .iter()
                .filter(|r| in_stratum(s, r))
                .filter_map(|r| Some((number(r.get(b)?)?, number(r.get(a)?)?)))
                .unzip();
            // The same patients as the analysis.
            assert_eq!(before.len(), s.paired[&p.name].pairs, "{name} {} {}", p.name, s.name);
            let change: Vec<f64> = after.iter().zip(&before).map(|(y, x)| y - x).collect();
            pairs.push(Owned {
                outcome: p.name.clone(),
                stratum: s.name.clone(),
                sample: describe::sample_pairs(&before, &after, describe::SAMPLE_PAIRS),
                change: describe::change_histogram(&change),
            });
        }
    }
    let tscores = match strata_col {
        Some((c, true)) => {
            let t: Vec<f64> = rows.iter().filter_map(|r| number(r.get(c)?)).collect();
            describe::tscore_histogram(&t)
        }
        _ => None,
    };
    Fixture { name, report, pairs, tscores }
}

fn demo() -> Fixture {
    fixture("demo", include_str!("../data/demo.csv"), include_str!("../data/demo.mapping.json"))
}

fn second() -> Fixture {
    fixture("second", include_str!("../data/second.csv"), include_str!("../data/second.mapping.json"))
}

/// Text a chart of `kind` shows in `lang`, whatever the data.
fn labels(kind: ChartKind, lang: Lang) -> &'static [&'static str] {
    match (kind, lang) {
        (ChartKind::PairedMeans, Lang::En) => &["mean before and after, with 95% CI", "Before", "After"],
        (ChartKind::PairedMeans, Lang::Zh) => &["治疗前后均值及 95% CI", "治疗前", "治疗后"],
        (ChartKind::PairedLines, Lang::En) => &["each patient before and after", "decreased", "mean (95% CI)"],
        (ChartKind::PairedLines, Lang::Zh) => &["每位患者治疗前后", "下降", "均值 (95% CI)"],
        (ChartKind::ChangeDistribution, Lang::En) => &["change (after − before) by stratum", "patients (histogram)"],
        (ChartKind::ChangeDistribution, Lang::Zh) => &["各分层的变化（治疗后 − 治疗前）", "患者数（直方图）"],
        (ChartKind::Responders, Lang::En) => &["responders with 95% CI (Wilson)", "Responders (%)"],
        (ChartKind::Responders, Lang::Zh) => &["应答者比例及 95% CI (Wilson)", "应答者 (%)"],
        (ChartKind::KaplanMeier, Lang::En) => &["Kaplan–Meier estimate by stratum", "Number at risk", "Months"],
        (ChartKind::KaplanMeier, Lang::Zh) => &["各分层 Kaplan–Meier 曲线", "风险人数", "月"],
        (ChartKind::TscoreHistogram, Lang::En) => &["WHO cut-offs", "Osteopenia", "T ≤ −2.5", "−1.0"],
        (ChartKind::TscoreHistogram, Lang::Zh) => &["WHO 切点", "骨量减少", "T ≤ −2.5", "−1.0"],
        (ChartKind::FlowDiagram, Lang::En) => &["Flow of patients", "Rows read", "Excluded", "Included"],
        (ChartKind::FlowDiagram, Lang::Zh) => &["患者流程", "读取的行", "排除", "纳入分析"],
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The text of an SVG's `<text>` elements, one per line.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
        .collect()
}

fn write_out(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("CHARTS_OUT") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), svg).unwrap();
    }
}

#[test]
fn every_chart_renders_with_its_labels_in_english_and_chinese() {
    for f in [demo(), second()] {
        let data = f.data();
        let available = chart::available(&f.report, &data);
        for kind in ChartKind::ALL {
            if kind == ChartKind::TscoreHistogram && f.tscores.is_none() {
                continue;
            }
            assert!(available.iter().any(|s| s.kind == kind), "{}: {kind} not listed", f.name);
            for lang in [Lang::En, Lang::Zh] {
                let svg = chart::svg_with(&f.report, &data, kind, None, lang, 900, 560)
                    .unwrap_or_else(|e| panic!("{} {kind} {lang:?}: {e}", f.name));
                write_out(&format!("{}-{kind}-{lang:?}.svg", f.name), &svg);
                if std::env::var_os("CHARTS_OUT").is_some() {
                    for (w, h) in [(1000, 400), (600, 420)] {
                        let svg = chart::svg_with(&f.report, &data, kind, None, lang, w, h).unwrap();
                        write_out(&format!("{}-{kind}-{lang:?}-{w}x{h}.svg", f.name), &svg);
                    }
                }
                assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
                let t = texts(&svg).join("\n");
                for l in labels(kind, lang) {
                    assert!(t.contains(l), "{} {kind} {lang:?} lacks {l:?}:\n{t}", f.name);
                }
                match lang {
                    Lang::En => assert!(!has_cjk(&t), "{} {kind}: Chinese in the English chart:\n{t}", f.name),
                    Lang::Zh => assert!(has_cjk(&t), "{} {kind}: no Chinese in the Chinese chart", f.name),
                }
            }
        }
    }
}

#[test]
fn stratum_charts_name_every_stratum_with_pairs() {
    let f = demo();
    let data = f.data();
    for kind in [ChartKind::PairedMeans, ChartKind::PairedLines, ChartKind::ChangeDistribution, ChartKind::Responders] {
        let en = texts(&chart::svg_with(&f.report, &data, kind, Some("VAS"), Lang::En, 1200, 800).unwrap()).join("\n");
        let zh = texts(&chart::svg_with(&f.report, &data, kind, Some("VAS"), Lang::Zh, 1200, 800).unwrap()).join("\n");
        for (s, z) in
            [("Overall", "总体"), ("Osteopenia", "骨量减少"), ("Osteoporosis", "骨质疏松"), ("Normal", "正常")]
        {
            assert!(en.contains(s) && zh.contains(z), "{kind} lacks {s} / {z}");
        }
        // Wrapped in narrow slots, so only its first word is certain to be whole.
        assert!(en.contains("Reduced") && zh.contains("骨密度降低"), "{kind}");
        assert!(en.contains("n = 134") && en.contains("n = 23"), "{kind}:\n{en}");
    }
    let f = second();
    let data = f.data();
    for kind in ChartKind::ALL.into_iter().filter(|k| *k != ChartKind::TscoreHistogram) {
        let t = texts(&chart::svg_with(&f.report, &data, kind, None, Lang::En, 900, 560).unwrap()).join("\n");
        for s in ["Lakeview", "Riverside", "Hillcrest"] {
            assert!(t.contains(s), "second {kind} lacks {s}:\n{t}");
        }
    }
}

#[test]
fn charts_show_the_reports_figures() {
    let f = demo();
    let data = f.data();
    let svg =
        |kind, o: Option<&str>, lang| texts(&chart::svg_with(&f.report, &data, kind, o, lang, 1400, 800).unwrap());
    // T-score regions hold exactly the WHO strata of the report.
    let t = svg(ChartKind::TscoreHistogram, None, Lang::En);
    for s in ["Normal", "Osteopenia", "Osteoporosis"] {
        let n = f.report.strata.iter().find(|x| x.name == s).unwrap().n;
        let at = t.iter().position(|x| x == s).unwrap_or_else(|| panic!("{s} missing: {t:?}"));
        assert_eq!(t[at + 2], format!("n = {n}"), "{s}");
    }
    assert!(t.iter().any(|x| x == "42 patients without a usable T-score (Unknown) are not shown"), "{t:?}");
    // Functional improvement: 79.1% overall, 78.1% with reduced bone density (the abstract's figures).
    let t = svg(ChartKind::Responders, Some("Functional improvement"), Lang::En);
    assert!(t.contains(&"79.1".to_string()) && t.contains(&"78.1".to_string()), "{t:?}");
    // Flow: rows read, included, and each level's n.
    let t = svg(ChartKind::FlowDiagram, None, Lang::En);
    assert_eq!(t.iter().filter(|x| *x == "n = 134").count(), 2, "{t:?}");
    for n in ["n = 60", "n = 23", "n = 9", "n = 42"] {
        assert!(t.contains(&n.to_string()), "{n}: {t:?}");
    }
    assert!(t.iter().any(|x| x == "Reduced bone density = Osteopenia + Osteoporosis, n = 32"), "{t:?}");
    // Kaplan–Meier: at time 0 every patient of each level is at risk.
    let f2 = second();
    let t = texts(&chart::svg(&f2.report, ChartKind::KaplanMeier, Some("Fracture"), Lang::En, 900, 560).unwrap());
    let at = t.iter().position(|x| x == "Number at risk").unwrap();
    for s in f2.report.strata.iter().filter(|s| s.kind == "level") {
        let row = t[at..].iter().position(|x| x == &s.name).unwrap() + at;
        let km = s.events["Fracture"].time_to_event.kaplan_meier.value().unwrap();
        assert_eq!(t[row + 1], km.table[0].at_risk.to_string(), "{}", s.name);
    }
}

#[test]
fn the_flow_diagram_gives_every_reason_a_row_or_value_was_not_used() {
    let csv = "id,tscore,before,after,better,months,event\n\
               1,-1.5,7,3,yes,12,no\n\
               2,,8,,no,6,no\n\
               3,-3.0,x,4,yes,3,yes\n\
               ,,,,,,\n\
               5,0.2,6,2,yes,,no\n\
               6,-0.5,5,5,maybe,8,no\n";
    let mapping = r#"{"id": "id", "strata": {"tscore": "tscore"},
        "paired": [{"name": "Pain", "before": "before", "after": "after"}],
        "binary": [{"name": "Better", "column": "better"}],
        "followup": {"months": "months"}, "events": [{"name": "Fall", "column": "event"}]}"#;
    let r = cohortcalc::analyze(csv.as_bytes(), Some(&Mapping::from_json(mapping).unwrap())).unwrap().report;
    let svg = chart::svg(&r, ChartKind::FlowDiagram, None, Lang::En, 1200, 900).unwrap();
    write_out("reasons-flow_diagram-En-1200x900.svg", &svg);
    // Long lines wrap inside their box: compare without white space.
    let flat = |t: Vec<String>| t.concat().split_whitespace().collect::<String>();
    let t = flat(texts(&svg));
    for s in [
        "empty row: 1",
        "no T-score: 1",
        "Pain: 0 (1 not a number)",
        "Better: 1 (1 not yes or no)",
        "Follow-up: 1 (1 missing)",
        "Pain: 0 (1 missing)",
    ] {
        assert!(t.contains(&s.replace(' ', "")), "{s}: {t}");
    }
    let t = flat(texts(&chart::svg(&r, ChartKind::FlowDiagram, None, Lang::Zh, 1200, 900).unwrap()));
    for s in ["空行：1", "无 T 值：1", "Pain：0（非数字 1）", "Better：1（非是/否 1）", "随访：1（缺失 1）"]
    {
        assert!(t.contains(&s.replace(' ', "")), "{s}: {t}");
    }
}

#[test]
fn names_from_the_file_are_escaped_and_long_ones_shortened() {
    let long = "A very long outcome name that a registry might export for a pain score".repeat(2);
    let csv = "id,site,before,after,yes,months,event\n\
         1,<img src=x onerror=alert(1)>,7,3,yes,12,no\n\
         2,<img src=x onerror=alert(1)>,6,2,no,10,yes\n\
         3,=HYPERLINK(\"http://x\"),8,5,yes,6,no\n\
         4,=HYPERLINK(\"http://x\"),5,5,no,9,no\n";
    let mapping = format!(
        r#"{{"id": "id", "strata": {{"column": "site"}},
        "paired": [{{"name": "{long}", "before": "before", "after": "after"}}],
        "binary": [{{"name": "<b>yes</b>", "column": "yes"}}],
        "followup": {{"months": "months"}}, "events": [{{"name": "&event", "column": "event"}}]}}"#
    );
    let r = cohortcalc::analyze(csv.as_bytes(), Some(&Mapping::from_json(&mapping).unwrap())).unwrap().report;
    let none = PatientData::default();
    for kind in ChartKind::ALL.into_iter().filter(|k| *k != ChartKind::TscoreHistogram && *k != ChartKind::PairedLines)
    {
        for lang in [Lang::En, Lang::Zh] {
            let svg = chart::svg_with(&r, &none, kind, None, lang, 900, 560).unwrap_or_else(|e| panic!("{kind}: {e}"));
            write_out(&format!("names-{kind}-{lang:?}.svg"), &svg);
            assert!(!svg.contains("<img") && !svg.contains("<b>") && !svg.contains("&event"), "{kind}");
            for t in texts(&svg) {
                // Every label fits the canvas: none is longer than the width allows at its size.
                assert!(t.chars().count() < 120, "{kind}: {t}");
            }
        }
    }
    let t = texts(&chart::svg(&r, ChartKind::Responders, Some("<b>yes</b>"), Lang::En, 900, 560).unwrap());
    assert!(t.iter().any(|x| x.contains("&lt;b&gt;yes&lt;/b&gt;")), "{t:?}");
}

#[test]
fn kinds_have_snake_case_names() {
    assert_eq!(serde_json::to_string(&ChartKind::KaplanMeier).unwrap(), "\"kaplan_meier\"");
    for k in ChartKind::ALL {
        assert_eq!(k.as_str().parse::<ChartKind>().unwrap(), k);
        assert_eq!(serde_json::from_str::<ChartKind>(&format!("\"{k}\"")).unwrap(), k);
        assert!(!k.title(Lang::En).is_empty() && has_cjk(k.title(Lang::Zh)));
    }
    let e = "pie".parse::<ChartKind>().unwrap_err();
    assert!(e.contains("\"pie\"") && e.contains("kaplan_meier"), "{e}");
}

#[test]
fn charts_without_patient_data_say_so_or_draw_what_the_report_has() {
    let f = demo();
    let none = PatientData::default();
    for kind in [ChartKind::PairedLines, ChartKind::TscoreHistogram] {
        let e = chart::svg_with(&f.report, &none, kind, None, Lang::En, 900, 560).unwrap_err();
        assert!(e.starts_with("there are no"), "{kind}: {e}");
        let e = chart::svg_with(&f.report, &none, kind, None, Lang::Zh, 900, 560).unwrap_err();
        assert!(has_cjk(&e), "{kind}: {e}");
    }
    // Quartiles come from the report: the distribution of change still draws, without histograms.
    let t = texts(&chart::svg_with(&f.report, &none, ChartKind::ChangeDistribution, None, Lang::En, 900, 560).unwrap());
    assert!(!t.iter().any(|x| x.contains("histogram")), "{t:?}");
    let listed: Vec<ChartKind> = chart::available(&f.report, &none).into_iter().map(|s| s.kind).collect();
    assert!(!listed.contains(&ChartKind::PairedLines) && !listed.contains(&ChartKind::TscoreHistogram));
    assert!(listed.contains(&ChartKind::ChangeDistribution) && listed.contains(&ChartKind::FlowDiagram));
}

/// A report of two rows with no complete pair, no yes/no value and no follow-up.
fn degenerate() -> Report {
    let csv = "id,site,before,after,better,months,event\n1,A,5,,,,\n2,B,,3,,,\n";
    let mapping = r#"{"id": "id", "strata": {"column": "site"},
        "paired": [{"name": "Pain", "before": "before", "after": "after"}],
        "binary": [{"name": "Better", "column": "better"}],
        "followup": {"months": "months"}, "events": [{"name": "Fall", "column": "event"}]}"#;
    cohortcalc::analyze(csv.as_bytes(), Some(&Mapping::from_json(mapping).unwrap())).unwrap().report
}

#[test]
fn degenerate_reports_give_a_plain_reason_not_a_panic() {
    let r = degenerate();
    let none = PatientData::default();
    for kind in ChartKind::ALL.into_iter().filter(|k| *k != ChartKind::FlowDiagram) {
        for lang in [Lang::En, Lang::Zh] {
            let e = chart::svg_with(&r, &none, kind, None, lang, 900, 560).unwrap_err();
            assert!(!e.is_empty() && !e.contains("panick"), "{kind}: {e}");
        }
    }
    // The flow diagram still has rows to show.
    assert!(chart::svg(&r, ChartKind::FlowDiagram, None, Lang::En, 900, 560).is_ok());
    // A report with nothing at all.
    let mut empty = r.clone();
    empty.strata.clear();
    empty.rows_read = 0;
    empty.rows_included = 0;
    for kind in ChartKind::ALL {
        assert!(chart::svg(&empty, kind, None, Lang::En, 900, 560).is_err(), "{kind}");
    }
    // Empty sample and histogram data for every stratum.
    let empty_hist = Histogram { lo: 0.0, width: 0.0, counts: vec![] };
    let f = demo();
    let pairs: Vec<StratumPairs> = f
        .report
        .strata
        .iter()
        .map(|s| StratumPairs { outcome: "VAS", stratum: &s.name, sample: &[], change: Some(&empty_hist) })
        .collect();
    let data = PatientData { pairs, tscores: Some(&empty_hist) };
    assert!(chart::svg_with(&f.report, &data, ChartKind::PairedLines, None, Lang::En, 900, 560).is_err());
    assert!(chart::svg_with(&f.report, &data, ChartKind::TscoreHistogram, None, Lang::En, 900, 560).is_err());
    assert!(chart::svg_with(&f.report, &data, ChartKind::ChangeDistribution, None, Lang::En, 900, 560).is_ok());
}

#[test]
fn unknown_outcomes_and_tiny_canvases_are_refused_plainly() {
    let f = demo();
    let e = chart::svg(&f.report, ChartKind::KaplanMeier, Some("VAS"), Lang::En, 900, 560).unwrap_err();
    assert_eq!(e, "the report has no event named \"VAS\"");
    let e = chart::svg(&f.report, ChartKind::PairedMeans, Some("VCF"), Lang::Zh, 900, 560).unwrap_err();
    assert!(e.contains("VCF") && has_cjk(&e), "{e}");
    let e = chart::svg(&f.report, ChartKind::FlowDiagram, None, Lang::En, 100, 60).unwrap_err();
    assert!(e.contains("too small"), "{e}");
    for (w, h) in [(0, 0), (1, 1), (240, 160), (300, 2000), (4000, 160)] {
        let data = f.data();
        for kind in ChartKind::ALL {
            // Either drawn or refused; never a panic.
            let _ = chart::svg_with(&f.report, &data, kind, None, Lang::Zh, w, h);
        }
    }
}

#[test]
fn charts_scale_with_the_canvas() {
    let f = demo();
    let data = f.data();
    let size_of = |svg: &str| -> f64 {
        let t = svg.split("font-size=\"").nth(1).unwrap();
        t[..t.find('"').unwrap()].parse().unwrap()
    };
    for kind in ChartKind::ALL {
        let small = chart::svg_with(&f.report, &data, kind, None, Lang::En, 720, 450).unwrap();
        let large = chart::svg_with(&f.report, &data, kind, None, Lang::En, 1800, 1125).unwrap();
        let ratio = size_of(&large) / size_of(&small);
        assert!((ratio - 2.5).abs() < 0.05, "{kind}: fonts scale by {ratio}");
        // The title renders at 24 design pixels (SVG font sizes are the size / 1.24 plotters uses).
        let base = chart::svg_with(&f.report, &data, kind, None, Lang::En, 900, 560).unwrap();
        assert!((size_of(&base) - 24.0).abs() < 0.01, "{kind}: {}", size_of(&base));
    }
}

#[test]
fn the_paired_chart_of_the_cli_is_unchanged_in_english() {
    let f = demo();
    let a = chart::paired_means_svg(&f.report, "VAS", 900, 560).unwrap();
    let b = chart::svg(&f.report, ChartKind::PairedMeans, Some("VAS"), Lang::En, 900, 560).unwrap();
    assert_eq!(a, b);
}

#[test]
fn the_report_carries_the_patient_data_every_chart_needs() {
    let f = demo();
    let data = PatientData::of(&f.report);
    assert!(f.report.tscore_histogram.is_some());
    let overall = &f.report.strata[0].paired["VAS"];
    assert_eq!(overall.sample.len(), 134, "a small cohort keeps every pair");
    assert!(overall.change_histogram.is_some());
    let listed: Vec<ChartKind> = chart::available(&f.report, &data).into_iter().map(|s| s.kind).collect();
    for k in ChartKind::ALL {
        assert!(listed.contains(&k), "{k} not available from the demo report");
        chart::svg(&f.report, k, None, Lang::En, 900, 560).unwrap_or_else(|e| panic!("{k}: {e}"));
    }
}

/// The page replays the display list the worker makes: it holds the same drawing as the SVG (the
/// same texts, in order), every operation is one of the five kinds the page draws, and every
/// coordinate lies on the canvas.
#[test]
fn the_display_list_for_the_page_draws_what_the_svg_draws() {
    let f = demo();
    let data = f.data();
    for kind in [ChartKind::FlowDiagram, ChartKind::PairedMeans, ChartKind::KaplanMeier, ChartKind::TscoreHistogram] {
        let (w, h) = (900, 500);
        let list = chart::display_list(&f.report, &data, kind, None, Lang::Zh, w, h).expect("draws");
        assert!(!list.is_empty(), "{kind:?}: nothing drawn");
        let ops: serde_json::Value = serde_json::to_value(&list).expect("serializes");
        let ops = ops.as_array().expect("a JSON array");
        assert_eq!(ops.len(), list.len());
        let mut list_texts = Vec::new();
        for op in ops {
            let on_canvas = |p: &serde_json::Value| {
                let (x, y) = (p[0].as_i64().unwrap(), p[1].as_i64().unwrap());
                // Lines may end on the far edge; nothing is placed far outside.
                assert!(
                    (-2..=w as i64 + 2).contains(&x) && (-2..=h as i64 + 2).contains(&y),
                    "{kind:?}: {op} off canvas"
                );
            };
            match op["op"].as_str().expect("tagged") {
                "path" | "polygon" => op["points"].as_array().unwrap().iter().for_each(on_canvas),
                "rect" => [&op["from"], &op["to"]].into_iter().for_each(on_canvas),
                "circle" => on_canvas(&op["at"]),
                "text" => {
                    on_canvas(&op["at"]);
                    assert!(["left", "center", "right"].contains(&op["align"].as_str().unwrap()));
                    assert!(["top", "middle", "bottom"].contains(&op["baseline"].as_str().unwrap()));
                    list_texts.push(op["text"].as_str().unwrap().to_string());
                }
                other => panic!("{kind:?}: unknown op {other}"),
            }
            assert!(op["color"].as_str().unwrap().starts_with("rgba("), "{op}");
        }
        let svg = chart::svg_with(&f.report, &data, kind, None, Lang::Zh, w, h).expect("draws");
        // SVG escapes markup characters in text; the display list carries the text itself.
        let unescape =
            |t: String| t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        let svg_texts: Vec<String> = texts(&svg).into_iter().map(unescape).collect();
        assert_eq!(list_texts, svg_texts, "{kind:?}: the page and the SVG show different texts");
    }
}
