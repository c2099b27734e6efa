//! Outcome scales known by name: their range, which direction is better, and the minimal
//! clinically important difference (MCID) that makes a responder, each from a cited study.
//!
//! A scale is recognised from an outcome's name or its columns' headers ("ODI pre-op", "JOA 术后",
//! "SF-36 PCS baseline", "EQ-5D 6 mo" — "EQ-5D" is one word, not "EQ" and a time "5D"). A pain
//! score (VAS, NRS) is read on 0–10 by the analysis (millimetres divided by 10), so its MCID is
//! in points of 0–10.
//!
//! A paired outcome's responders improve by at least ([`responder_rule`]): the mapping's
//! `threshold` when given; else the MCID of a recognised scale; else [`RELATIVE`] (10 %) of the
//! top of the scale when the mapping gives `scale`, or of the range of values seen (highest
//! minus lowest of both columns) — so a 0–100 score is never judged by 2 points.

use crate::mapping::{Better, Paired};

/// Share of the scale's top, or of the range of values seen, that makes a responder on a scale
/// not known by name.
pub const RELATIVE: f64 = 0.10;

/// Said after a responder threshold that is [`RELATIVE`] of the scale or of the values' range (no
/// MCID known for the scale): the definition says how it was set, beside the figure.
pub const RELATIVE_RULE: &str = " (10% of the range, no MCID known)";

/// A minimal clinically important difference and its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcid {
    /// Points of improvement, in the units the analysis reads (pain scores on 0–10).
    pub points: f64,
    /// The study: first author, year, journal.
    pub source: &'static str,
}

/// An outcome scale known by name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Its usual name ("ODI", "JOA (cervical, 0–17)").
    pub name: &'static str,
    /// Which direction is an improvement.
    pub better: Better,
    /// Lowest and highest possible values.
    pub range: (f64, f64),
    /// The responder threshold from the literature; `None` where none was found that could be
    /// cited, and [`RELATIVE`] of the range is used.
    pub mcid: Option<Mcid>,
}

// The MCIDs and their sources. Each is the anchor-based estimate a study reports for the scale
// as a whole (the lower end where it gives a range).

/// Pain, VAS or NRS, 0–10 (0–100 mm read as 0–10): 2 points. Farrar JT, Young JP, LaMoreaux L,
/// Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an
/// 11-point numerical pain rating scale. Pain 2001;94:149–158 (about 2 points or 30 %).
pub(crate) const PAIN: Mcid = Mcid { points: 2.0, source: "Farrar et al., Pain 2001" };
/// Oswestry Disability Index 0–100: 10 points; Roland–Morris Disability Questionnaire 0–24: 5
/// points. Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and
/// functional status in low back pain: towards international consensus regarding minimal
/// important change. Spine 2008;33:90–94.
const ODI: Mcid = Mcid { points: 10.0, source: "Ostelo et al., Spine 2008" };
const RMDQ: Mcid = Mcid { points: 5.0, source: "Ostelo et al., Spine 2008" };
/// JOA score for cervical myelopathy, 0–17: 2.5 points. Kato S, Oshima Y, Matsubayashi Y,
/// Taniguchi Y, Tanaka S, Takeshita K. Minimum clinically important difference and patient
/// acceptable symptom state of Japanese Orthopaedic Association score in degenerative cervical
/// myelopathy patients. Spine 2019;44:691–697.
const JOA: Mcid = Mcid { points: 2.5, source: "Kato et al., Spine 2019" };
/// Modified JOA, 0–18: 2 points. Tetreault L, Nouri A, Kopjar B, Côté P, Fehlings MG. The minimum
/// clinically important difference of the modified Japanese Orthopaedic Association scale in
/// patients with degenerative cervical myelopathy. Spine 2015;40:1653–1659.
const MJOA: Mcid = Mcid { points: 2.0, source: "Tetreault et al., Spine 2015" };
/// EQ-5D index (≤ 1): 0.074. Walters SJ, Brazier JE. Comparison of the minimally important
/// difference for two health state utility measures: EQ-5D and SF-6D. Qual Life Res
/// 2005;14:1523–1532 (mean over 11 patient groups).
const EQ5D: Mcid = Mcid { points: 0.074, source: "Walters and Brazier, Qual Life Res 2005" };
/// EQ-VAS 0–100: 7 points. Pickard AS, Neary MP, Cella D. Estimation of minimally important
/// differences in EQ-5D utility and VAS scores in cancer. Health Qual Life Outcomes 2007;5:70.
const EQVAS: Mcid = Mcid { points: 7.0, source: "Pickard et al., Health Qual Life Outcomes 2007" };
/// SF-36 (v2) physical and mental component summaries (norm-based, mean 50, SD 10): 4 points
/// each. Badhiwala JH, Witiw CD, Nassiri F, et al. Minimum clinically important difference in
/// SF-36 scores for use in degenerative cervical myelopathy. Spine 2018;43:E1260–E1266. The
/// SF-12 summaries are on the same norm-based metric and take the same value.
const SF: Mcid = Mcid { points: 4.0, source: "Badhiwala et al., Spine 2018" };
/// Barthel Index: 1.85 points on its 0–20 form, 9.25 on the 0–100 form (× 5). Hsieh YW, Wang CH,
/// Wu SC, Chen PC, Sheu CF, Hsieh CL. Establishing the minimal clinically important difference of
/// the Barthel Index in stroke patients. Neurorehabil Neural Repair 2007;21:233–238.
const BARTHEL_20: Mcid = Mcid { points: 1.85, source: "Hsieh et al., Neurorehabil Neural Repair 2007" };
const BARTHEL_100: Mcid = Mcid { points: 9.25, source: "Hsieh et al., Neurorehabil Neural Repair 2007" };
/// Neck Disability Index: 7.5 on its 0–100 (%) form, 3.75 on the 0–50 points form. Carreon LY,
/// Glassman SD, Campbell MJ, Anderson PA. Neck Disability Index, short form-36 physical component
/// summary, and pain scales for neck and arm pain: the minimum clinically important difference and
/// substantial clinical benefit after cervical spine fusion. Spine J 2010;10:469–474.
const NDI_100: Mcid = Mcid { points: 7.5, source: "Carreon et al., Spine J 2010" };
const NDI_50: Mcid = Mcid { points: 3.75, source: "Carreon et al., Spine J 2010" };
/// KOOS subscales 0–100: 8 points (the lower end of 8–10). Roos EM, Lohmander LS. The Knee injury
/// and Osteoarthritis Outcome Score (KOOS): from joint injury to osteoarthritis. Health Qual Life
/// Outcomes 2003;1:64.
const KOOS: Mcid = Mcid { points: 8.0, source: "Roos and Lohmander, Health Qual Life Outcomes 2003" };
/// PROMIS Physical Function (T-score): 2 points. Hays RD, Spritzer KL, Fries JF, Krishnan E.
/// Responsiveness and minimally important difference for the PROMIS 20-item physical functioning
/// short form in a prospective observational study of rheumatoid arthritis. Ann Rheum Dis
/// 2015;74:104–107.
const PROMIS_PF: Mcid = Mcid { points: 2.0, source: "Hays et al., Ann Rheum Dis 2015" };
/// PROMIS Pain Interference (T-score): 3.5 points (the lower end of 3.5–5.5). Amtmann D, Kim J,
/// Chung H, et al. Minimally important differences for Patient Reported Outcomes Measurement
/// Information System pain interference for individuals with back pain. J Pain Res
/// 2016;9:251–255.
const PROMIS_PI: Mcid = Mcid { points: 3.5, source: "Amtmann et al., J Pain Res 2016" };
// Not given an MCID (no anchor-based value found that could be cited here; RELATIVE of the range
// is used and said): the JOA score for the lumbar spine (0–29) and WOMAC (0–96, or 0–100
// normalised).

/// Instrument names written in two parts, joined into one word: "EQ-5D" is not "EQ" and a
/// time "5D", "SF-36" not "SF" and the number 36.
pub(crate) const JOINED: &[(&str, &str)] =
    &[("eq", "5d"), ("eq", "vas"), ("sf", "36"), ("sf", "12"), ("sf", "8"), ("sf", "6d"), ("m", "joa")];

/// The words of a name, lower case: split at anything not a letter or digit and between
/// scripts, instrument names of two parts ([`JOINED`]) joined ("eq5d", "sf36").
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if cur.chars().last().is_some_and(|p| p.is_ascii() != c.is_ascii()) {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    join_instruments(out, |a, b| format!("{a}{b}"))
}

/// Joins adjacent words that together name an instrument ([`JOINED`]), with `join`.
pub(crate) fn join_instruments(words: Vec<String>, join: impl Fn(&str, &str) -> String) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in words {
        let joined = out
            .last()
            .is_some_and(|prev| JOINED.iter().any(|(a, b)| prev.eq_ignore_ascii_case(a) && w.eq_ignore_ascii_case(b)));
        if joined {
            let prev = out.pop().unwrap_or_default();
            out.push(join(&prev, &w));
        } else {
            out.push(w);
        }
    }
    out
}

/// The scale that `texts` (an outcome's name and its columns' headers) name, if known; `max_seen`
/// (the highest value seen) tells the forms of a scale apart (NDI 0–50 or %, Barthel 0–20 or
/// 0–100, JOA cervical 0–17 or lumbar 0–29).
pub fn recognise(texts: &[&str], max_seen: Option<f64>) -> Option<Scale> {
    let all: Vec<String> = texts.iter().flat_map(|t| words(t)).collect();
    let lower: String = texts.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>().join(" ");
    let has = |w: &str| all.iter().any(|t| t == w);
    let starts = |w: &str| all.iter().any(|t| t.starts_with(w));
    let phrase = |p: &str| lower.contains(p);
    let above = |x: f64| max_seen.is_some_and(|m| m > x);
    let scale = |name, better, range, mcid| Some(Scale { name, better, range, mcid });
    use Better::{Higher, Lower};

    if has("promis") {
        if has("pf") || phrase("physical function") {
            return scale("PROMIS Physical Function", Higher, (10.0, 90.0), Some(PROMIS_PF));
        }
        if has("pi") || phrase("pain interference") {
            return scale("PROMIS Pain Interference", Lower, (10.0, 90.0), Some(PROMIS_PI));
        }
        return None;
    }
    if has("eqvas") || (has("eq5d") && has("vas")) {
        return scale("EQ-VAS", Higher, (0.0, 100.0), Some(EQVAS));
    }
    if has("eq5d") || starts("euroqol") {
        return scale("EQ-5D index", Higher, (-0.6, 1.0), Some(EQ5D));
    }
    if has("pcs") || phrase("physical component") {
        return scale("SF-36/SF-12 PCS", Higher, (0.0, 100.0), Some(SF));
    }
    if has("mcs") || phrase("mental component") {
        return scale("SF-36/SF-12 MCS", Higher, (0.0, 100.0), Some(SF));
    }
    if has("odi") || starts("oswestry") {
        return scale("ODI", Lower, (0.0, 100.0), Some(ODI));
    }
    if has("rmdq") || has("rdq") || starts("roland") {
        return scale("RMDQ", Lower, (0.0, 24.0), Some(RMDQ));
    }
    if has("mjoa") || phrase("modified joa") {
        return scale("mJOA", Higher, (0.0, 18.0), Some(MJOA));
    }
    if has("joa") || phrase("日本骨科") {
        let lumbar = has("29") || starts("lumb") || phrase("腰") || above(17.0);
        return if lumbar {
            scale("JOA (lumbar, 0–29)", Higher, (0.0, 29.0), None)
        } else {
            scale("JOA (cervical, 0–17)", Higher, (0.0, 17.0), Some(JOA))
        };
    }
    if has("ndi") || phrase("neck disability") || phrase("颈椎功能障碍") {
        let percent = lower.contains('%') || above(50.0);
        return if percent {
            scale("NDI (%)", Lower, (0.0, 100.0), Some(NDI_100))
        } else {
            scale("NDI (0–50)", Lower, (0.0, 50.0), Some(NDI_50))
        };
    }
    if starts("barthel") || (has("adl") && has("bi")) || phrase("巴氏") {
        return if above(20.0) || max_seen.is_none() {
            scale("Barthel Index (0–100)", Higher, (0.0, 100.0), Some(BARTHEL_100))
        } else {
            scale("Barthel Index (0–20)", Higher, (0.0, 20.0), Some(BARTHEL_20))
        };
    }
    // Known by name for their direction only (no MCID cited here: a tenth of the range is used).
    if has("kss") || phrase("knee society") {
        return scale("KSS", Higher, (0.0, 100.0), None);
    }
    if has("hhs") || phrase("harris hip") {
        return scale("Harris Hip Score", Higher, (0.0, 100.0), None);
    }
    if has("aofas") {
        return scale("AOFAS", Higher, (0.0, 100.0), None);
    }
    if has("dash") || has("quickdash") {
        return scale("DASH", Lower, (0.0, 100.0), None);
    }
    if has("koos") {
        return scale("KOOS", Higher, (0.0, 100.0), Some(KOOS));
    }
    if has("womac") {
        let top = if above(96.0) || lower.contains('%') { 100.0 } else { 96.0 };
        return scale("WOMAC", Lower, (0.0, top), None);
    }
    if texts.iter().any(|t| crate::mapping::guess::names_pain(t)) {
        return scale("pain score (0–10)", Lower, (0.0, 10.0), Some(PAIN));
    }
    None
}

/// How responders to a paired outcome are defined.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The mapping's `threshold`.
    Stated(f64),
    /// The MCID of a scale known by name.
    Mcid(Scale, Mcid),
    /// [`RELATIVE`] of the top of the scale the mapping gives (`scale`).
    OfScale(f64),
    /// [`RELATIVE`] of the range of values seen (highest − lowest); the scale named, if any.
    OfRange(f64, Option<Scale>),
}

impl Rule {
    /// Points of improvement that make a responder: the relative rules rounded to 2 significant
    /// digits (so the definition shown is the one counted).
    pub fn points(&self) -> f64 {
        match *self {
            Rule::Stated(t) => t,
            Rule::Mcid(_, m) => m.points,
            Rule::OfScale(top) => significant(RELATIVE * top),
            Rule::OfRange(range, scale) => match scale {
                Some(s) => significant(RELATIVE * (s.range.1 - s.range.0)),
                None => significant(RELATIVE * range),
            },
        }
    }
}

/// `x` to 2 significant digits.
fn significant(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 0.0;
    }
    let e = x.log10().floor() as i32 - 1;
    if e >= 0 {
        let p = 10f64.powi(e);
        return (x / p).round() * p;
    }
    // Through its decimal text, so that 7.3 is 7.3 (not 7.300000000000001).
    let digits = usize::try_from(-e).unwrap_or(0);
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// The responder rule of `p`, given the lowest and highest values seen in its two columns (as
/// the analysis reads them: pain scores on 0–10).
pub fn responder_rule(p: &Paired, seen: Option<(f64, f64)>) -> Rule {
    if let Some(t) = p.threshold {
        return Rule::Stated(t);
    }
    let texts = [p.name.as_str(), p.before.as_str(), p.after.as_str()];
    let scale = recognise(&texts, seen.map(|s| s.1));
    match scale {
        Some(s) => match s.mcid {
            Some(m) => Rule::Mcid(s, m),
            None => Rule::OfRange(0.0, Some(s)),
        },
        None => match p.scale {
            Some(top) => Rule::OfScale(top),
            None => Rule::OfRange(seen.map_or(0.0, |(lo, hi)| hi - lo), None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(texts: &[&str]) -> Option<&'static str> {
        recognise(texts, None).map(|s| s.name)
    }

    #[test]
    fn scales_are_known_by_their_names() {
        assert_eq!(named(&["ODI pre-op"]), Some("ODI"));
        assert_eq!(named(&["Oswestry Disability Index"]), Some("ODI"));
        assert_eq!(named(&["JOA 术前"]), Some("JOA (cervical, 0–17)"));
        assert_eq!(named(&["mJOA baseline"]), Some("mJOA"));
        assert_eq!(named(&["m-JOA baseline"]), Some("mJOA"));
        assert_eq!(named(&["EQ-5D 6 mo"]), Some("EQ-5D index"));
        assert_eq!(named(&["EQ-VAS 6 mo"]), Some("EQ-VAS"));
        assert_eq!(named(&["EQ-5D VAS"]), Some("EQ-VAS"));
        assert_eq!(named(&["SF-36 PCS baseline"]), Some("SF-36/SF-12 PCS"));
        assert_eq!(named(&["SF-12 MCS"]), Some("SF-36/SF-12 MCS"));
        assert_eq!(named(&["RMDQ"]), Some("RMDQ"));
        assert_eq!(named(&["KOOS pain"]), Some("KOOS"));
        assert_eq!(named(&["PROMIS PF"]), Some("PROMIS Physical Function"));
        assert_eq!(named(&["VAS pre-op (0-10)"]), Some("pain score (0–10)"));
        assert_eq!(named(&["Schmerz vorher"]), Some("pain score (0–10)"));
        assert_eq!(named(&["KSS 12 mo"]), Some("KSS"));
        assert_eq!(named(&["Age"]), None);
        assert_eq!(named(&["Hemoglobin"]), None);
    }

    #[test]
    fn the_values_tell_a_scales_forms_apart() {
        assert_eq!(recognise(&["JOA"], Some(27.0)).unwrap().name, "JOA (lumbar, 0–29)");
        assert_eq!(recognise(&["NDI"], Some(64.0)).unwrap().mcid.unwrap().points, 7.5);
        assert_eq!(recognise(&["NDI"], Some(31.0)).unwrap().mcid.unwrap().points, 3.75);
        assert_eq!(recognise(&["Barthel"], Some(18.0)).unwrap().mcid.unwrap().points, 1.85);
        assert_eq!(recognise(&["Barthel"], Some(85.0)).unwrap().mcid.unwrap().points, 9.25);
    }

    #[test]
    fn responders_of_an_unknown_scale_are_judged_by_a_tenth_of_its_range() {
        let p = |scale| Paired {
            name: "Grip".into(),
            before: "Grip pre".into(),
            after: "Grip post".into(),
            better: Better::Higher,
            threshold: None,
            scale,
        };
        assert_eq!(responder_rule(&p(None), Some((12.0, 85.0))).points(), 7.3);
        assert_eq!(responder_rule(&p(Some(100.0)), Some((12.0, 85.0))).points(), 10.0);
        let lumbar = Paired { name: "JOA".into(), ..p(None) };
        assert_eq!(responder_rule(&lumbar, Some((5.0, 27.0))).points(), 2.9);
        let stated = Paired { threshold: Some(3.0), ..p(None) };
        assert_eq!(responder_rule(&stated, Some((12.0, 85.0))), Rule::Stated(3.0));
    }

    #[test]
    fn instrument_names_are_one_word() {
        assert_eq!(words("EQ-5D-5L 6 wk"), ["eq5d", "5l", "6", "wk"]);
        assert_eq!(words("SF-36 PCS"), ["sf36", "pcs"]);
        assert_eq!(words("JOA术后"), ["joa", "术后"]);
    }
}
