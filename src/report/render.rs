//! Rendering a report for people: rounded tables (Markdown for the CLI, HTML for the page), in
//! English or Chinese. Rounding is half away from zero on the shortest decimal representation.

use super::*;
use crate::i18n::{stratum_name, Lang};

/// Rounds `x` to `digits` decimals, half away from zero, on its shortest decimal representation
/// (so 4.125 → "4.13" and 1.005 → "1.01", as a person rounding the printed number would).
pub fn round(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut d: Vec<u8> = int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(digits)).collect();
    let round_up = frac.as_bytes().get(digits).is_some_and(|&b| b >= b'5');
    if round_up {
        let mut i = d.len();
        loop {
            if i == 0 {
                d.insert(0, b'1');
                break;
            }
            i -= 1;
            if d[i] == b'9' {
                d[i] = b'0';
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    let split = d.len() - digits;
    let mut out = String::from_utf8(d[..split].to_vec()).unwrap_or_default();
    if digits > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&d[split..]).unwrap_or_default());
    }
    let is_zero = out.bytes().all(|b| b == b'0' || b == b'.');
    if x < 0.0 && !is_zero {
        out.insert(0, '−');
    }
    out
}

/// A p-value as papers print it: "< 0.001", else three decimals.
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        round(p, 3)
    }
}

const DASH: &str = "—";

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or(DASH.into(), |v| round(v, digits))
}

fn est<T>(e: &Estimable<T>, f: impl Fn(&T) -> String) -> String {
    e.value().map_or(DASH.into(), f)
}

/// A confidence interval as "lower to upper" (中文: "lower～upper", as Chinese journals print ranges).
fn ci(i: &Interval, digits: usize, l: Lang) -> String {
    format!("{}{}{}", round(i.lower, digits), l.pick(" to ", "～"), round(i.upper, digits))
}

fn mean_sd(s: &Summary) -> String {
    match (s.mean, s.sd) {
        (Some(m), Some(sd)) => format!("{} ± {}", round(m, 2), round(sd, 2)),
        (Some(m), None) => round(m, 2),
        _ => DASH.into(),
    }
}

fn median_iqr(s: &Summary) -> String {
    match (s.median, s.q1, s.q3) {
        (Some(m), Some(a), Some(b)) => {
            format!("{} [{}, {}]", round(m, 2), round(a, 2), round(b, 2))
        }
        _ => DASH.into(),
    }
}

/// The tables a paper shows, rounded half away from zero.
pub fn tables(report: &Report, l: Lang) -> Vec<Table> {
    let mut out = Vec::new();
    let names: Vec<String> = report
        .strata
        .iter()
        .map(|s| {
            let name = stratum_name(&s.name, l);
            if s.members.is_empty() {
                name
            } else {
                let members: Vec<String> = s.members.iter().map(|m| stratum_name(m, l)).collect();
                format!("{name} ({})", members.join(" + "))
            }
        })
        .collect();
    out.push(Table {
        notes: Vec::new(),
        title: l.pick("Patients", "患者").into(),
        columns: vec![l.pick("Stratum", "分层").into(), "N".into()],
        rows: report.strata.iter().zip(&names).map(|(s, name)| vec![name.clone(), s.n.to_string()]).collect(),
    });
    for p in &report.mapping.paired {
        out.push(Table {
            notes: outcome_notes(report, &p.name, l),
            title: format!(
                "{} {}",
                p.name,
                l.pick("before and after (difference = after − before)", "治疗前后 (差值 = 治疗后 − 治疗前)")
            ),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("Pairs", "配对数"),
                l.pick("Before, mean ± SD", "治疗前，均值 ± SD"),
                l.pick("After, mean ± SD", "治疗后，均值 ± SD"),
                l.pick("Before, median [IQR]", "治疗前，中位数 [IQR]"),
                l.pick("After, median [IQR]", "治疗后，中位数 [IQR]"),
                l.pick("Difference, mean (95% CI)", "差值，均值 (95% CI)"),
                l.pick("Paired t (df)", "配对 t (df)"),
                l.pick("p (t-test)", "p (t 检验)"),
                l.pick("Wilcoxon V", "Wilcoxon V"),
                l.pick("p (Wilcoxon)", "p (Wilcoxon)"),
                l.pick("dz", "dz"),
            ]
            .map(String::from)
            .to_vec(),
            rows: stratum_rows(
                report,
                &names,
                |s| s.paired.get(&p.name),
                |r| {
                    vec![
                        r.pairs.to_string(),
                        mean_sd(&r.before),
                        mean_sd(&r.after),
                        median_iqr(&r.before),
                        median_iqr(&r.after),
                        match (&r.difference.mean, r.difference_ci95.value()) {
                            (Some(m), Some(i)) => format!("{} ({})", round(*m, 2), ci(i, 2, l)),
                            (m, _) => opt(*m, 2),
                        },
                        est(&r.t_test, |t| format!("{} ({})", round(t.t, 2), round(t.df, 0))),
                        est(&r.t_test, |t| format_p(t.p)),
                        est(&r.wilcoxon, |w| round(w.v, 1)),
                        est(&r.wilcoxon, |w| {
                            let m = if w.method == "exact" {
                                l.pick("exact", "精确")
                            } else {
                                l.pick("normal approx.", "正态近似")
                            };
                            format!("{} ({m})", format_p(w.p))
                        }),
                        est(&r.dz, |d| round(*d, 2)),
                    ]
                },
            ),
        });
    }
    for b in &report.mapping.binary {
        out.push(Table {
            notes: outcome_notes(report, &b.name, l),
            title: match binary_rule(b) {
                Some(rule) => format!("{} ({rule})", b.name),
                None => b.name.clone(),
            },
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("n", "n"),
                l.pick("Yes", "是"),
                l.pick("%", "%"),
                l.pick("95% CI (Wilson)", "95% CI (Wilson)"),
                l.pick("95% CI (Clopper–Pearson)", "95% CI (Clopper–Pearson)"),
            ]
            .map(String::from)
            .to_vec(),
            rows: stratum_rows(
                report,
                &names,
                |s| s.binary.get(&b.name),
                |r| {
                    vec![
                        r.n.to_string(),
                        r.events.to_string(),
                        est(&r.percent, |p| round(*p, 1)),
                        est(&r.wilson_ci95, |i| ci(i, 1, l)),
                        est(&r.clopper_pearson_ci95, |i| ci(i, 1, l)),
                    ]
                },
            ),
        });
    }
    for e in &report.mapping.events {
        out.push(Table {
            notes: outcome_notes(report, &e.name, l),
            title: format!("{} {}", e.name, l.pick("(events over follow-up)", "(随访期间事件)")),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("n", "n"),
                l.pick("Events", "事件数"),
                l.pick("%", "%"),
                l.pick("95% CI (Clopper–Pearson)", "95% CI (Clopper–Pearson)"),
                l.pick("Rule of three, upper %", "三分法则上限 %"),
                l.pick("Person-years", "人年"),
            ]
            .map(String::from)
            .to_vec(),
            rows: stratum_rows(
                report,
                &names,
                |s| s.events.get(&e.name),
                |r| {
                    vec![
                        r.n.to_string(),
                        r.events.to_string(),
                        est(&r.percent, |p| round(*p, 1)),
                        est(&r.clopper_pearson_ci95, |i| ci(i, 1, l)),
                        opt(r.rule_of_three_upper, 1),
                        round(r.person_years, 1),
                    ]
                },
            ),
        });
    }
    for p in &report.mapping.paired {
        let rows = stratum_rows(
            report,
            &names,
            |s| s.paired.get(&p.name),
            |r| {
                vec![
                    est(&r.normality.shapiro_wilk, |w| round(w.w, 3)),
                    est(&r.normality.shapiro_wilk, |w| format_p(w.p)),
                    est(&r.normality.skewness, |g| round(*g, 2)),
                ]
            },
        );
        out.push(Table {
            notes: Vec::new(),
            title: format!("{}: {}", p.name, l.pick("normality of the differences", "差值的正态性")),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("Shapiro–Wilk W", "Shapiro–Wilk W"),
                l.pick("p (Shapiro–Wilk)", "p (Shapiro–Wilk)"),
                l.pick("Skewness", "偏度"),
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
        let mut rows = Vec::new();
        for (s, name) in report.strata.iter().zip(&names) {
            let Some(r) = s.paired.get(&p.name) else { continue };
            for resp in &r.responders {
                rows.push(vec![
                    name.clone(),
                    crate::i18n::responder_definition(&resp.definition, l),
                    resp.n.to_string(),
                    resp.responders.to_string(),
                    est(&resp.percent, |v| round(*v, 1)),
                    est(&resp.wilson_ci95, |i| ci(i, 1, l)),
                    est(&resp.clopper_pearson_ci95, |i| ci(i, 1, l)),
                ]);
            }
        }
        out.push(Table {
            notes: outcome_notes(report, &p.name, l),
            title: format!("{}: {}", p.name, l.pick("responders", "应答者")),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("Definition", "定义"),
                l.pick("n", "n"),
                l.pick("Responders", "应答者"),
                l.pick("%", "%"),
                l.pick("95% CI (Wilson)", "95% CI (Wilson)"),
                l.pick("95% CI (Clopper–Pearson)", "95% CI (Clopper–Pearson)"),
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
    for e in &report.mapping.events {
        let times: Vec<f64> = report
            .strata
            .first()
            .and_then(|s| s.events.get(&e.name))
            .map_or(vec![], |r| r.time_to_event.survival_at.iter().map(|a| a.time).collect());
        let mut columns: Vec<String> = [
            l.pick("Stratum", "分层"),
            l.pick("Median months (95% CI)", "中位月数 (95% CI)"),
            l.pick("Per 100 person-years (95% CI)", "每 100 人年 (95% CI)"),
        ]
        .map(String::from)
        .to_vec();
        columns.extend(times.iter().map(|t| match l {
            Lang::En => format!("Event-free at {} months (95% CI)", round(*t, 0)),
            Lang::Zh => format!("{} 个月无事件率 (95% CI)", round(*t, 0)),
        }));
        let rows = stratum_rows(
            report,
            &names,
            |s| s.events.get(&e.name).map(|r| &r.time_to_event),
            |t| {
                let mut row = vec![
                    est(&t.kaplan_meier, |km| match km.median {
                        None => l.pick("not reached", "未达到").into(),
                        Some(m) => format!(
                            "{} ({}{}{})",
                            round(m, 1),
                            l.pick(" to ", "～"),
                            km.median_ci95.0.map_or("—".into(), |v| round(v, 1)),
                            km.median_ci95.1.map_or(l.pick("not reached", "未达到").into(), |v| round(v, 1))
                        ),
                    }),
                    match (t.incidence_per_100py.value(), t.incidence_ci95.value()) {
                        (Some(r), Some(i)) => format!("{} ({})", round(*r, 2), ci(i, 2, l)),
                        _ => DASH.into(),
                    },
                ];
                row.extend(t.survival_at.iter().map(|a| match (a.survival, a.ci95) {
                    (Some(v), Some(i)) => format!("{}% ({})", round(v * 100.0, 1), ci(&scale(&i, 100.0), 1, l)),
                    (Some(v), None) => format!("{}%", round(v * 100.0, 1)),
                    _ => l.pick("beyond follow-up", "超出随访").into(),
                }));
                row
            },
        );
        out.push(Table {
            notes: outcome_notes(report, &e.name, l),
            title: format!("{}: {}", e.name, l.pick("time to event (Kaplan–Meier)", "至事件时间 (Kaplan–Meier)")),
            columns,
            rows,
        });
    }
    for e in &report.mapping.events {
        let mut rows = Vec::new();
        for (s, name) in report.strata.iter().zip(&names) {
            let Some(km) = s.events.get(&e.name).and_then(|r| r.time_to_event.kaplan_meier.value()) else {
                continue;
            };
            let at_events: Vec<&KmRow> = km.table.iter().filter(|r| r.events > 0).collect();
            if at_events.is_empty() {
                rows.push(vec![
                    name.clone(),
                    l.pick("no events", "无事件").into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            for r in at_events {
                rows.push(vec![
                    name.clone(),
                    round(r.time, 2),
                    r.at_risk.to_string(),
                    r.events.to_string(),
                    r.censored.to_string(),
                    round(r.survival * 100.0, 1),
                    r.ci95.map_or(DASH.into(), |i| ci(&scale(&i, 100.0), 1, l)),
                ]);
            }
        }
        let transform = report
            .strata
            .first()
            .and_then(|s| s.events.get(&e.name))
            .and_then(|r| r.time_to_event.kaplan_meier.value())
            .map_or("log", |km| km.ci_transform.as_str())
            .to_string();
        out.push(Table {
            notes: Vec::new(),
            title: format!(
                "{}: {} ({})",
                e.name,
                l.pick("Kaplan–Meier table at event times", "Kaplan–Meier 表（事件时间点）"),
                match l {
                    Lang::En => format!("95% CI, {transform} transform"),
                    Lang::Zh => format!("95% CI，{transform} 变换"),
                }
            ),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("Months", "月"),
                l.pick("At risk", "风险人数"),
                l.pick("Events", "事件数"),
                l.pick("Censored", "删失"),
                l.pick("Event-free %", "无事件 %"),
                "95% CI",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
    if !report.mapping.covariates.is_empty() {
        out.push(table_one(report, &names, l));
    }
    if !report.comparisons.is_empty() {
        out.push(comparisons_table(report, l));
    }
    if report.mapping.followup.is_some() {
        out.push(Table {
            notes: Vec::new(),
            title: l.pick("Follow-up (months)", "随访 (月)").into(),
            columns: [
                l.pick("Stratum", "分层"),
                l.pick("n", "n"),
                l.pick("Mean ± SD", "均值 ± SD"),
                l.pick("Median [IQR]", "中位数 [IQR]"),
            ]
            .map(String::from)
            .to_vec(),
            rows: stratum_rows(
                report,
                &names,
                |s| s.followup_months.as_ref(),
                |f| vec![f.n.to_string(), mean_sd(f), median_iqr(f)],
            ),
        });
    }
    out
}

/// One row per stratum that has the figure `get` picks: the stratum's name as shown, then `cells`.
fn stratum_rows<'a, T: 'a>(
    report: &'a Report,
    names: &[String],
    get: impl Fn(&'a StratumReport) -> Option<&'a T>,
    cells: impl Fn(&'a T) -> Vec<String>,
) -> Vec<Vec<String>> {
    report
        .strata
        .iter()
        .zip(names)
        .filter_map(|(s, name)| {
            get(s).map(|r| {
                let mut row = vec![name.clone()];
                row.extend(cells(r));
                row
            })
        })
        .collect()
}

fn scale(i: &Interval, k: f64) -> Interval {
    Interval { lower: i.lower * k, upper: i.upper * k }
}

/// Table 1: covariates by stratum, with the p across levels.
fn table_one(report: &Report, names: &[String], l: Lang) -> Table {
    let mut columns = vec![l.pick("Characteristic", "特征").to_string()];
    columns.extend(report.strata.iter().zip(names).map(|(s, n)| format!("{n} (n = {})", s.n)));
    columns.push(l.pick("p across levels", "各层间 p").into());
    let across = report.comparisons.iter().find(|c| c.kind == "across levels");
    let mut rows = Vec::new();
    for name in &report.mapping.covariates {
        let p_text = across.and_then(|c| c.tests.covariates.get(name)).map_or(DASH.to_string(), |tests| {
            tests
                .iter()
                .filter_map(|t| t.value())
                .map(|t| format!("{} ({})", format_p(t.p), test_label(t, l)))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let first = report.strata.first().and_then(|s| s.covariates.get(name));
        match first {
            Some(CovariateReport::Continuous { .. }) => {
                for (i, (label, f)) in [
                    (l.pick("mean ± SD", "均值 ± SD"), mean_sd as fn(&Summary) -> String),
                    (l.pick("median [IQR]", "中位数 [IQR]"), median_iqr),
                ]
                .into_iter()
                .enumerate()
                {
                    let mut row = vec![format!("{name}, {label}")];
                    for s in &report.strata {
                        row.push(match s.covariates.get(name) {
                            Some(CovariateReport::Continuous { summary, .. }) => f(summary),
                            _ => DASH.into(),
                        });
                    }
                    row.push(if i == 0 { p_text.clone() } else { String::new() });
                    rows.push(row);
                }
            }
            Some(CovariateReport::Categorical { levels, .. }) => {
                for (i, level) in levels.iter().enumerate() {
                    let mut row = vec![format!("{name}: {}, n (%)", level.level)];
                    for s in &report.strata {
                        row.push(match s.covariates.get(name) {
                            Some(CovariateReport::Categorical { levels, .. }) => levels
                                .iter()
                                .find(|l| l.level == level.level)
                                .map_or("0".into(), |l| format!("{} ({})", l.n, round(l.percent, 1))),
                            _ => DASH.into(),
                        });
                    }
                    row.push(if i == 0 { p_text.clone() } else { String::new() });
                    rows.push(row);
                }
            }
            None => {}
        }
        let mut row = vec![format!("{name}, {}", l.pick("missing", "缺失"))];
        for s in &report.strata {
            row.push(match s.covariates.get(name) {
                Some(CovariateReport::Continuous { missing, .. } | CovariateReport::Categorical { missing, .. }) => {
                    missing.to_string()
                }
                None => DASH.into(),
            });
        }
        row.push(String::new());
        rows.push(row);
    }
    Table {
        title: l.pick("Table 1: characteristics by stratum", "表 1：各层基线特征").into(),
        columns,
        rows,
        notes: Vec::new(),
    }
}

/// Every test between strata, one row per outcome and test.
fn comparisons_table(report: &Report, l: Lang) -> Table {
    let mut rows = Vec::new();
    for c in &report.comparisons {
        let shown: Vec<String> = c.strata.iter().map(|n| stratum_name(n, l)).collect();
        let who = if c.kind == "pair" {
            shown.join(" vs ")
        } else {
            format!("{} {}", l.pick("Across", "各层间："), shown.join(", "))
        };
        for (outcome, t) in &c.tests.paired {
            let what = format!("{outcome}: {}", l.pick("change", "变化"));
            if let Some(w) = &t.welch_t {
                rows.push(vec![
                    who.clone(),
                    what.clone(),
                    crate::i18n::test_name("Welch t", l),
                    est(w, |w| {
                        format!(
                            "{} {} ({}); t = {}, df = {}",
                            l.pick("difference", "差值"),
                            round(w.difference, 2),
                            ci(&w.ci95, 2, l),
                            round(w.t, 2),
                            round(w.df, 1)
                        )
                    }),
                    est(w, |w| format_p(w.p)),
                ]);
            }
            if let Some(m) = &t.mann_whitney {
                rows.push(vec![
                    who.clone(),
                    what.clone(),
                    crate::i18n::test_name("Mann–Whitney", l),
                    est(m, |m| format!("W = {}", round(m.w, 1))),
                    est(m, |m| format_p(m.p)),
                ]);
            }
            for x in [&t.anova, &t.kruskal_wallis].into_iter().flatten() {
                rows.push(test_row(&who, &what, x, l));
            }
        }
        for (outcome, t) in &c.tests.binary {
            if let Some(f) = &t.fisher_p {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    crate::i18n::test_name("Fisher's exact", l),
                    String::new(),
                    est(f, |p| format_p(*p)),
                ]);
            }
            if let Some(r) = &t.risk_difference {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    l.pick("Risk difference (Newcombe)", "率差 (Newcombe)").into(),
                    est(r, |r| {
                        format!("{} {} ({})", round(r.difference, 1), l.pick("points", "个百分点"), ci(&r.ci95, 1, l))
                    }),
                    String::new(),
                ]);
            }
            if let Some(x) = &t.chi_square {
                rows.push(test_row(&who, outcome, x, l));
            }
        }
        for (outcome, t) in &c.tests.events {
            rows.push(test_row(&who, outcome, &t.logrank, l));
            if let Some(f) = &t.fisher_p {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    crate::i18n::test_name("Fisher's exact", l),
                    String::new(),
                    est(f, |p| format_p(*p)),
                ]);
            }
        }
    }
    Table {
        notes: Vec::new(),
        title: l.pick("Comparisons between strata", "层间比较").into(),
        columns: [
            l.pick("Strata", "分层"),
            l.pick("Outcome", "结局"),
            l.pick("Test", "检验"),
            l.pick("Estimate", "估计值"),
            l.pick("p", "p"),
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn test_row(who: &str, what: &str, t: &Estimable<Test>, l: Lang) -> Vec<String> {
    match t {
        Estimable::Value(t) => vec![
            who.into(),
            what.into(),
            test_label(t, l),
            match t.df2 {
                Some(d2) => format!("F = {}, df = {}, {}", round(t.statistic, 2), round(t.df, 0), round(d2, 0)),
                None => format!(
                    "{} = {}, df = {}",
                    if t.test.contains("Kruskal") { "H" } else { "χ²" },
                    round(t.statistic, 2),
                    round(t.df, 0)
                ),
            },
            format_p(t.p),
        ],
        Estimable::NotEstimable { not_estimable } => {
            vec![
                who.into(),
                what.into(),
                String::new(),
                format!("{}: {}", l.pick("not estimable", "无法估计"), crate::i18n::reason(not_estimable, l)),
                DASH.into(),
            ]
        }
    }
}

/// A test's name as a table shows it, with a note where a chi-square test has an expected count
/// below 5 (R's `chisq.test` warns then that the approximation may be incorrect).
fn test_label(t: &Test, l: Lang) -> String {
    let name = crate::i18n::test_name(&t.test, l);
    match t.min_expected {
        Some(e) if e < 5.0 => format!("{name}{}", l.pick("; an expected count below 5", "；有期望频数小于 5")),
        _ => name,
    }
}

#[cfg(test)]
#[test]
fn rows_are_written_as_runs() {
    assert_eq!(row_runs(&[4, 5, 6, 7, 9, 12, 13], 20), "4–7, 9, 12–13");
    assert_eq!(row_runs(&[2], 20), "2");
    assert_eq!(row_runs(&[], 20), "");
    assert_eq!(row_runs(&[1, 3, 5, 6, 7, 10], 2), "1, 3, … (+4)");
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Row numbers (ascending) as runs, "4–7, 9, 12–15", the first `most` runs, then "…" and how
/// many rows more.
fn row_runs(rows: &[usize], most: usize) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => runs.push((r, r)),
        }
    }
    let shown: Vec<String> =
        runs.iter().take(most).map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    let mut out = shown.join(", ");
    if runs.len() > most {
        let more: usize = runs[most..].iter().map(|&(a, b)| b - a + 1).sum();
        out.push_str(&format!(", … (+{more})"));
    }
    out
}

/// The report as Markdown: a heading, the row accounting, and every table.
pub fn markdown(report: &Report, l: Lang) -> String {
    let mut s = String::new();
    s.push_str(&format!("# cohortcalc {} {}\n\n", report.software.version, l.pick("report", "报告")));
    s.push_str(&match l {
        Lang::En => format!(
            "Rows read: {}; included: {}; excluded: {}.\n\n",
            report.rows_read,
            report.rows_included,
            report.excluded.len()
        ),
        Lang::Zh => format!(
            "读取行数：{}；纳入：{}；排除：{}。\n\n",
            report.rows_read,
            report.rows_included,
            report.excluded.len()
        ),
    });
    // By reason, the rows as runs ("4–1048575"): a file can have a million empty rows.
    for e in &report.flow.excluded {
        let column = e.column.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let (reason, rows) = (crate::i18n::row_reason(&e.reason, l), row_runs(&e.rows, 20));
        s.push_str(&match l {
            Lang::En => format!("- {reason}{column}: {} {}: {rows}\n", e.n, if e.n == 1 { "row" } else { "rows" }),
            Lang::Zh => format!("- {reason}{column}：{} 行（{rows}）\n", e.n),
        });
    }
    if !report.flow.excluded.is_empty() {
        s.push('\n');
    }
    s.push_str(&format!("{}\n\n", methods(report, l)));
    s.push_str(&format!("{}\n\n", results_text(report, l)));
    for t in tables(report, l) {
        s.push_str(&format!("## {}\n\n", t.title));
        s.push_str(&format!("| {} |\n", t.columns.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
        s.push_str(&format!(
            "|{}\n",
            t.columns.iter().enumerate().map(|(i, _)| if i == 0 { "---|" } else { "---:|" }).collect::<String>()
        ));
        for r in &t.rows {
            s.push_str(&format!("| {} |\n", r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
        }
        s.push('\n');
        for n in &t.notes {
            s.push_str(&format!("{} {n}\n\n", l.pick("**Note:**", "**注意：**")));
        }
    }
    s.push_str(l.pick(
        "Means ± SD; IQR = Q1, Q3 (R type 7). p two-sided; Wilcoxon signed-rank as R's wilcox.test. \
         Proportions with 95% Wilson and Clopper–Pearson intervals. Rounded half away from zero.\n",
        "均值 ± SD；IQR = Q1, Q3（R 第 7 类分位数）。p 为双侧；Wilcoxon 符号秩检验同 R 的 wilcox.test。\
         比例给出 95% Wilson 与 Clopper–Pearson 区间。四舍五入（远离零）。\n",
    ));
    s
}

/// A cell made safe for spreadsheets: text beginning with `=`, `+`, `-`, `@`, tab or carriage
/// return is prefixed with `'` so it is never run as a formula (numbers like "-2.5" stay numbers).
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_number = cell.parse::<f64>().is_ok();
    if risky && !is_number {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Tables as one CSV text (RFC 4180, CRLF), each table preceded by its title, cells neutralised.
pub fn tables_csv(tables: &[Table]) -> String {
    let quote = |c: &str| {
        let c = neutralise(c);
        if c.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c
        }
    };
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&quote(&t.title));
        out.push_str("\r\n");
        for row in std::iter::once(&t.columns).chain(&t.rows) {
            out.push_str(&row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        for n in &t.notes {
            out.push_str(&quote(n));
            out.push_str("\r\n");
        }
    }
    out
}

/// "p < 0.001" or "p = 0.008", for running text.
fn p_text(p: f64) -> String {
    let f = format_p(p);
    if f.starts_with('<') {
        format!("p {f}")
    } else {
        format!("p = {f}")
    }
}

/// A Results paragraph to paste into a manuscript, from the figures of the tables (rounded as
/// they are): who was included, each paired outcome before and after with its tests, each yes/no
/// outcome and event as a proportion, follow-up, and the pairs of strata compared. Numbers only: it
/// judges no difference "significant".
pub fn results_text(report: &Report, l: Lang) -> String {
    let zh = l == Lang::Zh;
    let name = |s: &str| stratum_name(s, l);
    let sep = l.pick("; ", "；");
    let mut parts: Vec<String> = Vec::new();
    let excluded = report.excluded.len();
    parts.push(if zh {
        format!("共读取 {} 行，纳入 {} 例患者（排除 {} 行）。", report.rows_read, report.rows_included, excluded)
    } else {
        format!(
            "Of {} rows read, {} patients were included ({} excluded).",
            report.rows_read, report.rows_included, excluded
        )
    });
    let levels: Vec<&StratumReport> = report.strata.iter().filter(|s| s.kind != "overall").collect();
    if !levels.is_empty() {
        let list: Vec<String> = levels.iter().map(|s| format!("{} {}", name(&s.name), s.n)).collect();
        parts.push(if zh {
            format!("各分层人数：{}。", list.join("，"))
        } else {
            format!("By stratum: {}.", list.join(", "))
        });
    }
    let overall = report.strata.iter().find(|s| s.kind == "overall");
    // Each paired outcome: overall, then by stratum.
    let paired_names: Vec<&String> = overall.map(|o| o.paired.keys().collect()).unwrap_or_default();
    for outcome in paired_names {
        let clause = |s: &StratumReport| -> Option<String> {
            let p = s.paired.get(outcome)?;
            let (b, a) = (mean_sd(&p.before), mean_sd(&p.after));
            let diff = match (p.difference.mean, p.difference_ci95.value()) {
                (Some(d), Some(i)) => {
                    format!("{}{}{}{}", round(d, 2), l.pick(" (", "（"), ci(i, 2, l), l.pick(")", "）"))
                }
                (Some(d), None) => round(d, 2),
                _ => DASH.into(),
            };
            let t = p.t_test.value().map(|t| p_text(t.p));
            let w = p.wilcoxon.value().map(|w| p_text(w.p));
            let tests = match (t, w) {
                (Some(t), Some(w)) => {
                    if zh {
                        format!("配对 t 检验 {t}，Wilcoxon 检验 {w}")
                    } else {
                        format!("paired t-test {t}, Wilcoxon {w}")
                    }
                }
                (Some(t), None) => format!("{}{t}", l.pick("paired t-test ", "配对 t 检验 ")),
                _ => String::new(),
            };
            Some(if zh {
                format!(
                    "{}（n = {}）由 {b} 变为 {a}，均值差 {diff}{}{tests}",
                    name(&s.name),
                    p.pairs,
                    if tests.is_empty() { "" } else { "，" }
                )
            } else {
                format!(
                    "{} (n = {}) from {b} to {a}, mean difference {diff}{}{tests}",
                    name(&s.name),
                    p.pairs,
                    if tests.is_empty() { "" } else { ", " }
                )
            })
        };
        let clauses: Vec<String> = report.strata.iter().filter_map(clause).collect();
        if !clauses.is_empty() {
            parts.push(if zh {
                format!("{outcome}（均值 ± SD；均值差及 95% CI）：{}。", clauses.join(sep))
            } else {
                format!("{outcome} (mean ± SD; mean difference with 95% CI) changed in {}.", clauses.join(sep))
            });
        }
    }
    // Yes/no outcomes and events: proportions by stratum.
    let (open, comma, close) = (l.pick(" (", "（"), l.pick(", ", "，"), l.pick(")", "）"));
    let proportion =
        |k: usize, n: usize, pct: &Estimable<f64>, iv: &Estimable<Interval>| match (pct.value(), iv.value()) {
            (Some(v), Some(i)) => format!("{k}/{n}{open}{}%{comma}{}{close}", round(*v, 1), ci(i, 1, l)),
            (Some(v), None) => format!("{k}/{n}{open}{}%{close}", round(*v, 1)),
            _ => format!("{k}/{n}"),
        };
    // One sentence per outcome: its proportion (k, n, percent, CI) in every stratum that has it.
    type Share<'a> = (usize, usize, &'a Estimable<f64>, &'a Estimable<Interval>);
    let mut proportions = |outcome: &str, interval: &str, of: &dyn Fn(&StratumReport) -> Option<Share<'_>>| {
        let list: Vec<String> = report
            .strata
            .iter()
            .filter_map(|s| of(s).map(|(k, n, pct, iv)| format!("{} {}", name(&s.name), proportion(k, n, pct, iv))))
            .collect();
        parts.push(if zh {
            format!("{outcome}（例数/总数，%，95% CI {interval}）：{}。", list.join(sep))
        } else {
            format!("{outcome} (n/N, %, 95% CI {interval}): {}.", list.join(sep))
        });
    };
    for outcome in overall.map(|o| o.binary.keys().collect::<Vec<_>>()).unwrap_or_default() {
        proportions(outcome, "Wilson", &|s| s.binary.get(outcome).map(|b| (b.events, b.n, &b.percent, &b.wilson_ci95)));
    }
    for outcome in overall.map(|o| o.events.keys().collect::<Vec<_>>()).unwrap_or_default() {
        proportions(outcome, "Clopper–Pearson", &|s| {
            s.events.get(outcome).map(|e| (e.events, e.n, &e.percent, &e.clopper_pearson_ci95))
        });
    }
    if let Some(f) = overall.and_then(|o| o.followup_months.as_ref()) {
        if f.mean.is_some() {
            parts.push(if zh {
                format!("随访 {} 例，时长 {} 个月（均值 ± SD），中位数 {}。", f.n, mean_sd(f), median_iqr(f))
            } else {
                format!(
                    "Follow-up was {} months (mean ± SD; median {}) in {} patients.",
                    mean_sd(f),
                    median_iqr(f),
                    f.n
                )
            });
        }
    }
    // Pairs of strata compared.
    for c in report.comparisons.iter().filter(|c| c.kind == "pair") {
        let who: Vec<String> = c.strata.iter().map(|s| name(s)).collect();
        let mut found: Vec<String> = Vec::new();
        for (outcome, t) in &c.tests.paired {
            if let Some(Estimable::Value(w)) = &t.welch_t {
                found.push(if zh {
                    format!(
                        "{outcome} 变化量 {}（{}），Welch t 检验 {}",
                        round(w.difference, 2),
                        ci(&w.ci95, 2, l),
                        p_text(w.p)
                    )
                } else {
                    format!(
                        "{outcome} change {} ({}), Welch t-test {}",
                        round(w.difference, 2),
                        ci(&w.ci95, 2, l),
                        p_text(w.p)
                    )
                });
            }
        }
        for (outcome, t) in &c.tests.binary {
            let rd = t.risk_difference.as_ref().and_then(|r| r.value());
            let fisher = t.fisher_p.as_ref().and_then(|f| f.value());
            if let (Some(r), Some(p)) = (rd, fisher) {
                found.push(if zh {
                    format!(
                        "{outcome} {} 个百分点（{}），Fisher 精确检验 {}",
                        round(r.difference, 1),
                        ci(&r.ci95, 1, l),
                        p_text(*p)
                    )
                } else {
                    format!(
                        "{outcome} {} percentage points ({}), Fisher's exact test {}",
                        round(r.difference, 1),
                        ci(&r.ci95, 1, l),
                        p_text(*p)
                    )
                });
            }
        }
        if !found.is_empty() {
            let (a, b) = (who[0].as_str(), who.get(1).map_or("", String::as_str));
            parts.push(if zh {
                format!("{a} 对比 {b}（差值 = {a} − {b}）：{}。", found.join(sep))
            } else {
                format!("{a} vs {b} (difference = {a} − {b}): {}.", found.join(sep))
            });
        }
    }
    parts.join(if zh { "" } else { " " })
}

/// The notes on an outcome's figures, in `l`.
fn outcome_notes(report: &Report, outcome: &str, l: Lang) -> Vec<String> {
    let pick = |n: &crate::report::OutcomeNote| match l {
        Lang::En => n.message.clone(),
        Lang::Zh => n.message_zh.clone(),
    };
    report.notes.iter().filter(|n| n.outcome == outcome).map(pick).collect()
}

/// How a yes/no outcome not of yes/no codes is defined: `throat pain > 0`, `resid.ds = 2`.
fn binary_rule(b: &crate::mapping::Binary) -> Option<String> {
    match (b.cutoff(), &b.event_value) {
        (Some(c), _) => Some(c.rule(&b.column)),
        (None, Some(v)) => Some(format!("{} = {v}", b.column)),
        (None, None) => None,
    }
}

/// A "Statistical methods" paragraph describing what was run, to paste into a manuscript.
pub fn methods(report: &Report, l: Lang) -> String {
    let m = &report.mapping;
    let mut parts: Vec<String> = Vec::new();
    let strata = match &m.strata {
        Some(crate::mapping::Strata::Tscore(_)) => l
            .pick(
                "Patients were stratified by DEXA T-score using the WHO categories (normal T ≥ −1.0, osteopenia −2.5 < T < −1.0, osteoporosis T ≤ −2.5); reduced bone density combined osteopenia and osteoporosis.",
                "根据 DEXA T 值按 WHO 标准分层（正常 T ≥ −1.0，骨量减少 −2.5 < T < −1.0，骨质疏松 T ≤ −2.5）；骨密度降低组包括骨量减少与骨质疏松。",
            )
            .to_string(),
        Some(crate::mapping::Strata::Column(c)) => match l {
            Lang::En => format!("Patients were stratified by {c}."),
            Lang::Zh => format!("患者按“{c}”分层。"),
        },
        None => String::new(),
    };
    if !strata.is_empty() {
        parts.push(strata);
    }
    if !m.paired.is_empty() {
        parts.push(l.pick(
            "Continuous outcomes are given as mean ± SD and median [Q1, Q3] (quantile type 7). Paired changes (after − before) were tested with the paired t-test (95% CI of the mean difference) and the Wilcoxon signed-rank test (zero differences dropped; exact p-values for fewer than 50 pairs without ties, otherwise the normal approximation with tie and continuity correction); the effect size is Cohen's dz. Normality of the differences was assessed with the Shapiro–Wilk test (Royston's algorithm) and skewness.",
            "连续型结局以均值 ± SD 及中位数 [Q1, Q3]（第 7 类分位数）表示。配对变化（治疗后 − 治疗前）采用配对 t 检验（均值差的 95% CI）及 Wilcoxon 符号秩检验（剔除零差值；少于 50 对且无结时用精确 p 值，否则用带结校正和连续性校正的正态近似）；效应量为 Cohen's dz。差值的正态性采用 Shapiro–Wilk 检验（Royston 算法）及偏度评估。",
        ).to_string());
        parts.push(responder_methods(report, l));
    }
    let defined: Vec<String> = m
        .binary
        .iter()
        .filter_map(|b| {
            binary_rule(b).map(|rule| match l {
                Lang::En => format!("{} was defined as {rule}.", b.name),
                Lang::Zh => format!("“{}”定义为 {rule}。", b.name),
            })
        })
        .collect();
    parts.extend(defined);
    if !m.binary.is_empty() || !m.events.is_empty() {
        parts.push(l.pick(
            "Proportions are reported with 95% Wilson score and Clopper–Pearson exact intervals; with no events, the rule-of-three upper bound (3/n) is given.",
            "比例给出 95% Wilson 得分区间和 Clopper–Pearson 精确区间；无事件时给出三分法则上限（3/n）。",
        ).to_string());
    }
    if !m.events.is_empty() {
        parts.push(l.pick(
            "Time to event was estimated with the Kaplan–Meier method (Greenwood standard errors; 95% CI on the log scale unless stated), with the median and its CI as in R's survival package; incidence rates per 100 person-years have exact Poisson CIs, and strata were compared with the log-rank test.",
            "至事件时间采用 Kaplan–Meier 法估计（Greenwood 标准误；除非另有说明，95% CI 基于 log 变换），中位时间及其 CI 的计算同 R survival 包；每 100 人年发生率给出精确 Poisson CI，各层比较采用 log-rank 检验。",
        ).to_string());
    }
    let untimed: Vec<&str> =
        m.events.iter().filter(|e| e.time.is_none() && e.date.is_none()).map(|e| e.name.as_str()).collect();
    if !untimed.is_empty() {
        parts.push(match l {
            Lang::En => format!(
                "Events without a date of their own ({}) were timed at the end of each patient's follow-up.",
                untimed.join(", ")
            ),
            Lang::Zh => format!("无事件日期的事件（{}）按各患者随访结束时计时。", untimed.join("、")),
        });
    }
    if !report.comparisons.is_empty() {
        parts.push(l.pick(
            "Between strata, changes were compared with Welch's t-test and the Mann–Whitney test (one-way ANOVA and Kruskal–Wallis across all levels), proportions with Fisher's exact test and the risk difference with Newcombe's hybrid score interval (Pearson chi-square across levels; flagged where an expected count is below 5, as the approximation may then be poor).",
            "层间比较：变化量采用 Welch t 检验和 Mann–Whitney 检验（多层间采用单因素方差分析和 Kruskal–Wallis 检验），比例采用 Fisher 精确检验，率差给出 Newcombe 混合得分区间（多层间采用 Pearson 卡方检验；有期望频数小于 5 时予以标注，因其近似可能不准确）。",
        ).to_string());
    }
    parts.push(match l {
        Lang::En => format!(
            "All tests were two-sided. Analyses were run in {} {} (conventions of R; validated against R, scipy and statsmodels).",
            report.software.name, report.software.version
        ),
        Lang::Zh => format!(
            "所有检验均为双侧。分析使用 {} {}（遵循 R 的约定；已与 R、scipy 和 statsmodels 对照验证）。",
            report.software.name, report.software.version
        ),
    });
    parts.join(" ")
}

/// The methods' sentence on responders: per paired outcome, the points that made a responder and
/// why — the minimal clinically important difference of a scale known by name and its source,
/// the mapping's threshold, or a tenth of the scale's top or of the range of values seen.
fn responder_methods(report: &Report, l: Lang) -> String {
    use crate::scales::{recognise, RELATIVE};
    let mut rules: Vec<String> = Vec::new();
    for p in &report.mapping.paired {
        // The points counted, as the analysis wrote them in the definition.
        let points =
            report.strata.iter().find_map(|s| s.paired.get(&p.name)).and_then(|r| r.responders.first()).and_then(|r| {
                let d = r.definition.strip_suffix(crate::scales::RELATIVE_RULE).unwrap_or(&r.definition);
                d.strip_prefix("improved by ≥ ")?.strip_suffix(" points").map(str::to_string)
            });
        let Some(points) = points else { continue };
        let n: Option<f64> = points.parse().ok();
        let texts = [p.name.as_str(), p.before.as_str(), p.after.as_str()];
        // Either form of a scale whose MCID is the threshold counted (NDI 0–50 or %, …).
        let mcid = [None, Some(f64::MAX)]
            .into_iter()
            .filter_map(|max| recognise(&texts, max)?.mcid)
            .find(|m| Some(m.points) == n);
        // A scale known by name with no MCID here (JOA lumbar, WOMAC, KSS): a tenth of its range.
        let range = [None, Some(f64::MAX)]
            .into_iter()
            .filter_map(|max| recognise(&texts, max))
            .find(|s| s.mcid.is_none() && Some(crate::scales::Rule::OfRange(0.0, Some(*s)).points()) == n)
            .map(|s| format!("{}–{}", s.range.0, s.range.1));
        let pct = RELATIVE * 100.0;
        let name = &p.name;
        rules.push(match (mcid, p.threshold, p.scale, l) {
            (Some(m), ..) => match l {
                Lang::En => format!(
                    "on {name}, responders improved by at least the minimal clinically important difference of {points} points ({})",
                    m.source
                ),
                Lang::Zh => format!("{name}的应答者定义为改善达到最小临床重要差异 {points} 分（{}）", m.source),
            },
            (None, Some(_), _, Lang::En) => format!("on {name}, responders improved by at least {points} points (as stated)"),
            (None, Some(_), _, Lang::Zh) => format!("{name}的应答者定义为改善 ≥ {points} 分（映射中规定）"),
            (None, None, Some(top), Lang::En) => format!(
                "on {name}, a scale with no minimal clinically important difference known here, responders improved by at least {pct:.0}% of the top of its scale ({top}): {points} points"
            ),
            (None, None, Some(top), Lang::Zh) => {
                format!("{name}无已知的最小临床重要差异，应答者定义为改善达到量表上限（{top}）的 {pct:.0}%，即 {points} 分")
            }
            (None, None, None, Lang::En) if range.is_some() => format!(
                "on {name}, a scale with no minimal clinically important difference known here, responders improved by at least {pct:.0}% of its {} range: {points} points",
                range.as_deref().unwrap_or_default()
            ),
            (None, None, None, Lang::Zh) if range.is_some() => format!(
                "{name}无已知的最小临床重要差异，应答者定义为改善达到其 {} 量表范围的 {pct:.0}%，即 {points} 分",
                range.as_deref().unwrap_or_default()
            ),
            (None, None, None, Lang::En) => format!(
                "on {name}, a scale with no minimal clinically important difference known here, responders improved by at least {pct:.0}% of the range of its values: {points} points"
            ),
            (None, None, None, Lang::Zh) => {
                format!("{name}无已知的最小临床重要差异，应答者定义为改善达到其取值范围的 {pct:.0}%，即 {points} 分")
            }
        });
    }
    match l {
        Lang::En if rules.is_empty() => "Responders improved by ≥ 30% and ≥ 50% from baseline.".into(),
        Lang::Zh if rules.is_empty() => "应答者定义为较基线改善 ≥ 30% 和 ≥ 50%。".into(),
        Lang::En => {
            let mut s = rules.join("; ");
            s[..1].make_ascii_uppercase();
            format!("{s}; responders also improved by ≥ 30% and ≥ 50% from baseline.")
        }
        Lang::Zh => format!("{}；另以较基线改善 ≥ 30% 和 ≥ 50% 定义应答者。", rules.join("；")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(4.125, 2), "4.13");
        assert_eq!(round(-4.125, 2), "−4.13");
        assert_eq!(round(1.005, 2), "1.01");
        assert_eq!(round(79.1044776, 1), "79.1");
        assert_eq!(round(9.995, 2), "10.00");
        assert_eq!(round(0.5, 0), "1");
        assert_eq!(round(-0.004, 2), "0.00");
        assert_eq!(round(7.0, 2), "7.00");
        assert_eq!(round(1e-7, 3), "0.000");
    }

    #[test]
    fn csv_cells_that_could_run_as_formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-2.5"), "-2.5");
        assert_eq!(neutralise("+cmd"), "'+cmd");
        let t = Table {
            notes: Vec::new(),
            title: "T".into(),
            columns: vec!["a".into()],
            rows: vec![vec!["=1+1".into()], vec!["x,\"y\"".into()]],
        };
        assert_eq!(tables_csv(&[t]), "T\r\na\r\n'=1+1\r\n\"x,\"\"y\"\"\"\r\n");
    }

    #[test]
    fn p_values_below_a_thousandth_are_bounded() {
        assert_eq!(format_p(0.0004), "< 0.001");
        assert_eq!(format_p(0.0125), "0.013");
    }
}
