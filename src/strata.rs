//! Putting patients in strata: "Overall", the levels of the stratification, and groups of levels.
//!
//! Architecture invariant: strata are lists of row indices; no statistics here.

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use crate::ingest::Table;
use crate::mapping::{Mapping, Strata};
use crate::values::{self, Cell, Codes};

/// Diagnostics of one kind are listed one by one up to this many, then summed up.
pub(crate) const MAX_LISTED: usize = 20;

/// The WHO levels from a DEXA T-score, in the order they are reported.
pub const WHO_LEVELS: [&str; 3] = ["Normal", "Osteopenia", "Osteoporosis"];
/// The level of patients whose stratifying value is missing.
pub const UNKNOWN: &str = "Unknown";
/// The group added for T-score strata when the mapping names no groups.
pub const REDUCED_BONE_DENSITY: &str = "Reduced bone density";

/// What kind of stratum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every included patient.
    Overall,
    /// One level of the stratification.
    Level,
    /// A union of levels.
    Group,
}

impl Kind {
    /// "overall", "level" or "group".
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Overall => "overall",
            Kind::Level => "level",
            Kind::Group => "group",
        }
    }
}

/// A table row's index: a table has fewer than 2³² rows (ingest refuses more), so four bytes
/// hold it — a million-row stratum in 4 MB.
pub type Row = u32;

/// The rows of `rows` as indices into the table.
#[inline]
pub fn each(rows: &[Row]) -> impl Iterator<Item = usize> + Clone + '_ {
    rows.iter().map(|&r| r as usize)
}

/// One stratum: its name and the (table) indices of its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    /// Name shown in results.
    pub name: String,
    /// Overall, level or group.
    pub kind: Kind,
    /// For a group: the levels it unites.
    pub members: Vec<String>,
    /// Table row indices, ascending.
    pub rows: Vec<Row>,
}

/// WHO category of a T-score: Normal (T ≥ −1.0), Osteopenia (−2.5 < T < −1.0), Osteoporosis
/// (T ≤ −2.5).
pub fn who_category(t: f64) -> &'static str {
    if t >= -1.0 {
        "Normal"
    } else if t > -2.5 {
        "Osteopenia"
    } else {
        "Osteoporosis"
    }
}

/// Rows put in the `Unknown` level, for one reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// Why, in plain words ("no T-score", "not a number", "T-score outside −6…+6").
    pub reason: &'static str,
    /// Table row indices, ascending.
    pub rows: Vec<usize>,
}

/// T-scores outside this range are taken for typing errors: the patient is counted as Unknown.
pub const TSCORE_RANGE: (f64, f64) = (-6.0, 6.0);

/// The stratum of all included rows (`rows`, ascending).
pub fn overall(rows: Vec<Row>) -> Stratum {
    Stratum { name: "Overall".into(), kind: Kind::Overall, members: vec![], rows }
}

/// Builds the strata of the `included` rows after [`overall`]: the levels, then the groups; and
/// the rows put in `Unknown`, by reason. `codes` says how the file writes numbers and missing
/// values.
pub fn assign(
    table: &Table,
    mapping: &Mapping,
    codes: &Codes,
    included: &[Row],
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Stratum>, Vec<Unassigned>)> {
    let mut out = Vec::new();
    let mut unassigned: Vec<Unassigned> = Vec::new();
    let mut note = |reason: &'static str, r: usize| match unassigned.iter_mut().find(|u| u.reason == reason) {
        Some(u) => u.rows.push(r),
        None => unassigned.push(Unassigned { reason, rows: vec![r] }),
    };
    let Some(strata) = &mapping.strata else {
        if !mapping.groups.is_empty() {
            return Err(Error::mapping("\"groups\" needs \"strata\"", Position::none())
                .with_zh("“groups”（合并组）需要先设分层"));
        }
        return Ok((out, unassigned));
    };
    let (column, is_tscore) = match strata {
        Strata::Column(c) => (c, false),
        Strata::Tscore(c) => (c, true),
    };
    let col = table.column_index(column).ok_or_else(|| {
        Error::mapping("the strata column is not in the file", Position::column(column.clone()))
            .with_zh("分层列不在文件中")
    })?;
    let mut warned = 0usize;
    let mut warn = |diags: &mut Vec<Diagnostic>, r: usize, message: String, zh: String| {
        warned += 1;
        if warned <= MAX_LISTED {
            diags.push(Diagnostic::new(
                Severity::Warning,
                Position::cell(table.row_number(r), column.clone()),
                message,
                zh,
            ));
        }
    };
    let mut levels: Vec<Stratum> = Vec::new();
    if is_tscore {
        for name in WHO_LEVELS {
            levels.push(Stratum { name: name.into(), kind: Kind::Level, members: vec![], rows: vec![] });
        }
    }
    // The level of every included row, by index (levels are few: a scan beats hashing).
    let mut level_of: Vec<u32> = Vec::with_capacity(included.len());
    let mut unknown: Option<usize> = None;
    let mut last = 0usize;
    let read = |text: &str| {
        if is_tscore {
            (codes.number(text), false)
        } else {
            (Cell::Missing, codes.is_missing(text))
        }
    };
    table.each_cell(col, each(included), read, |r, text, &(number, missing)| {
        let who = if is_tscore {
            match number {
                // The index in WHO_LEVELS of who_category(t).
                Cell::Value(t) if (TSCORE_RANGE.0..=TSCORE_RANGE.1).contains(&t) => Some(if t >= -1.0 {
                    0
                } else if t > -2.5 {
                    1
                } else {
                    2
                }),
                Cell::Value(_) => {
                    warn(
                        diags,
                        r,
                        format!("T-score {text} is outside −6…+6, so taken for a typing error; the patient is counted as Unknown"),
                        format!("T 值 {text} 超出 −6…+6，视为录入错误；该患者计入“未知”"),
                    );
                    note("T-score outside −6…+6", r);
                    None
                }
                Cell::Missing => {
                    note("no T-score", r);
                    None
                }
                Cell::Invalid => {
                    warn(
                        diags,
                        r,
                        format!("\"{text}\" is not a T-score; the patient is counted as Unknown"),
                        format!("“{text}”不是 T 值；该患者计入“未知”"),
                    );
                    note("not a number", r);
                    None
                }
            }
        } else if missing {
            note("no value", r);
            None
        } else if levels.get(last).is_some_and(|l| l.name == text) {
            Some(last)
        } else {
            match levels.iter().position(|l| l.name == text) {
                Some(i) => Some(i),
                None => {
                    levels.push(Stratum { name: text.into(), kind: Kind::Level, members: vec![], rows: vec![] });
                    Some(levels.len() - 1)
                }
            }
        };
        let i = match who {
            Some(i) => i,
            None => *unknown.get_or_insert_with(|| {
                levels.push(Stratum { name: UNKNOWN.into(), kind: Kind::Level, members: vec![], rows: vec![] });
                levels.len() - 1
            }),
        };
        last = i;
        levels[i].rows.push(r as Row);
        level_of.push(i as u32);
    });
    if !is_tscore {
        let numbers = level_numbers(&levels, unknown, codes);
        let categorical = mapping.categorical.iter().any(|c| c == column);
        if let Some(numbers) = numbers.as_ref().filter(|n| n.len() > MAX_NUMBER_LEVELS && !categorical) {
            return Err(too_many_numbers(column, numbers));
        }
        same_spellings(&mut levels, &mut level_of, &mut unknown, column, diags);
        if numbers.is_some() {
            // Strata named by numbers in their order (1, 2, 10), not as first met.
            let key = |l: &Stratum| match codes.number(&l.name) {
                Cell::Value(x) => x,
                _ => f64::INFINITY,
            };
            let mut order: Vec<usize> = (0..levels.len()).collect();
            order.sort_by(|&a, &b| key(&levels[a]).total_cmp(&key(&levels[b])));
            reorder(&mut levels, &mut level_of, &mut unknown, &order);
        }
        if let Some(labels) = mapping.labels.get(column) {
            let names: Vec<&str> =
                levels.iter().enumerate().filter(|(i, _)| Some(*i) != unknown).map(|(_, l)| l.name.as_str()).collect();
            let unmatched = crate::mapping::unmatched_labels(labels, &names, codes);
            if !unmatched.is_empty() {
                diags.push(crate::mapping::unmatched_labels_warning(column, &unmatched));
            }
            for (i, l) in levels.iter_mut().enumerate() {
                if Some(i) != unknown {
                    if let Some(label) = crate::mapping::label(labels, &l.name, codes) {
                        l.name = label.to_string();
                    }
                }
            }
        }
    }
    if warned > MAX_LISTED {
        diags.push(Diagnostic::new(
            Severity::Warning,
            Position::column(column.clone()),
            format!(
                "{} more rows with a T-score that cannot be used, counted as Unknown (only the first {MAX_LISTED} are listed)",
                warned - MAX_LISTED
            ),
            format!("另有 {} 行的 T 值无法使用，计入“未知”（只列出前 {MAX_LISTED} 行）", warned - MAX_LISTED),
        ));
    }
    let mut groups: Vec<(String, Vec<String>)> = mapping.groups.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if is_tscore && groups.is_empty() {
        groups.push((REDUCED_BONE_DENSITY.into(), vec!["Osteopenia".into(), "Osteoporosis".into()]));
    }
    let mut group_strata = Vec::new();
    for (name, members) in groups {
        if levels.iter().any(|l| l.name == name) || name == "Overall" {
            return Err(Error::mapping(format!("group \"{name}\" has the name of a stratum"), Position::none())
                .with_zh(format!("合并组“{name}”与某个分层同名")));
        }
        let mut member = vec![false; levels.len()];
        for m in &members {
            let i = levels.iter().position(|l| &l.name == m).ok_or_else(|| {
                let known: Vec<&str> = levels.iter().map(|l| l.name.as_str()).collect();
                Error::mapping(
                    format!("group \"{name}\" names \"{m}\", which is not a stratum (strata: {})", known.join(", ")),
                    Position::column(column.clone()),
                )
                .with_zh(format!("合并组“{name}”中的“{m}”不是一个分层（分层：{}）", known.join("、")))
            })?;
            member[i] = true;
        }
        // Rows in ascending order, as `included` is.
        let rows = included.iter().zip(&level_of).filter(|(_, &l)| member[l as usize]).map(|(&r, _)| r).collect();
        group_strata.push(Stratum { name, kind: Kind::Group, members, rows });
    }
    // Unknown goes last among levels.
    if let Some(i) = unknown {
        let u = levels.remove(i);
        levels.push(u);
    }
    out.extend(levels);
    out.extend(group_strata);
    for [a, b] in &mapping.compare {
        for s in [a, b] {
            if s != "Overall" && !out.iter().any(|st| &st.name == s) {
                return Err(Error::mapping(
                    format!("\"compare\" names \"{s}\", which is not a stratum"),
                    Position::none(),
                )
                .with_zh(format!("“compare”中的“{s}”不是一个分层")));
            }
        }
    }
    Ok((out, unassigned))
}

/// A strata column of numbers with more distinct values than this is no list of categories
/// unless the mapping says so (`categorical`): a T-score or a measurement, one stratum per value.
pub const MAX_NUMBER_LEVELS: usize = 12;

/// The numbers the levels (but Unknown) are named by, ascending, when every one is a number.
fn level_numbers(levels: &[Stratum], unknown: Option<usize>, codes: &Codes) -> Option<Vec<f64>> {
    let mut out = Vec::with_capacity(levels.len());
    for (i, l) in levels.iter().enumerate() {
        if Some(i) == unknown {
            continue;
        }
        match codes.number(&l.name) {
            Cell::Value(x) => out.push(x),
            _ => return None,
        }
    }
    out.sort_by(f64::total_cmp);
    (!out.is_empty()).then_some(out)
}

fn too_many_numbers(column: &str, numbers: &[f64]) -> Error {
    let (n, lo, hi) = (numbers.len(), numbers[0], numbers[numbers.len() - 1]);
    let tscore = (TSCORE_RANGE.0..=TSCORE_RANGE.1).contains(&lo) && (TSCORE_RANGE.0..=TSCORE_RANGE.1).contains(&hi);
    let (hint, hint_zh) = if tscore {
        (
            format!(" If it is a DEXA T-score, write \"strata\": {{\"tscore\": \"{column}\"}} (WHO categories);"),
            format!("如为 DEXA T 值，请写 \"strata\": {{\"tscore\": \"{column}\"}}（WHO 分类）；"),
        )
    } else {
        (String::new(), String::new())
    };
    Error::mapping(
        format!(
            "the strata column holds {n} different numbers (from {lo} to {hi}): taken as categories as written, each \
             number would be a stratum of its own.{hint} if the numbers are categories, list the column in \
             \"categorical\"; else choose another strata column"
        ),
        Position::column(column),
    )
    .with_zh(format!(
        "分层列含 {n} 个不同的数字（{lo} 至 {hi}）：按原有类别分层时每个数字各成一层。{hint_zh}如这些数字确为类别，\
         请将该列列入 \"categorical\"；否则请选择其他分层列"
    ))
}

/// Puts the levels in `order` (new position → old index); `level_of` and `unknown` follow.
fn reorder(levels: &mut Vec<Stratum>, level_of: &mut [u32], unknown: &mut Option<usize>, order: &[usize]) {
    let mut new_index = vec![0u32; levels.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    let mut old: Vec<Option<Stratum>> = std::mem::take(levels).into_iter().map(Some).collect();
    *levels = order.iter().filter_map(|&i| old[i].take()).collect();
    for l in level_of.iter_mut() {
        *l = new_index[*l as usize];
    }
    *unknown = unknown.map(|u| new_index[u] as usize);
}

/// Levels that are spellings of one category ("Kyphoplasty", "kyphoplasty"; in a sex column "M",
/// "Male") made one, named as most of its rows write it (see [`values::same_category`]), with a
/// note; `level_of` (each included row's level) and `unknown` follow.
fn same_spellings(
    levels: &mut Vec<Stratum>,
    level_of: &mut [u32],
    unknown: &mut Option<usize>,
    column: &str,
    diags: &mut Vec<Diagnostic>,
) {
    // Unknown (no value) is no spelling of anything.
    let named: Vec<usize> = (0..levels.len()).filter(|&i| Some(i) != *unknown).collect();
    let spellings: Vec<&str> = named.iter().map(|&i| levels[i].name.as_str()).collect();
    let counts: Vec<usize> = named.iter().map(|&i| levels[i].rows.len()).collect();
    let (group, names) = values::same_category(&spellings, &counts, values::is_sex_header(column));
    if names.len() == spellings.len() {
        return;
    }
    let mut merged: Vec<Stratum> =
        names.iter().map(|n| Stratum { name: n.clone(), kind: Kind::Level, members: vec![], rows: vec![] }).collect();
    let mut new_index = vec![0u32; levels.len()];
    for (k, &i) in named.iter().enumerate() {
        new_index[i] = group[k] as u32;
    }
    let (en, zh) = values::same_category_words(&spellings, &group, &names);
    if let Some(u) = *unknown {
        new_index[u] = merged.len() as u32;
        *unknown = Some(merged.len());
    }
    for (i, l) in std::mem::take(levels).into_iter().enumerate() {
        match merged.get_mut(new_index[i] as usize) {
            Some(m) => m.rows.extend(l.rows),
            None => merged.push(l),
        }
    }
    for m in &mut merged {
        m.rows.sort_unstable();
    }
    for l in level_of.iter_mut() {
        *l = new_index[*l as usize];
    }
    *levels = merged;
    diags.push(Diagnostic::new(
        Severity::Info,
        Position::column(column.to_string()),
        format!("strata: spellings of one value counted together: {en}"),
        format!("分层：同一取值的不同写法已合并计数：{zh}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_indices_follow_who_category() {
        let m = Mapping::from_json(r#"{"strata": {"tscore": "T"}, "binary": [{"name": "X", "column": "X"}]}"#).unwrap();
        let csv = b"T,X\n-1.0,Yes\n-1.05,Yes\n-2.5,No\n-2.49,Yes\n0.7,No\n-6,No\n";
        let table = crate::ingest::read_csv(csv, &mut Vec::new(), &mut |_| {}).unwrap();
        let rows: Vec<Row> = (0..table.nrows() as Row).collect();
        let (strata, _) = assign(&table, &m, &Codes::default(), &rows, &mut Vec::new()).unwrap();
        for s in strata.iter().filter(|s| s.kind == Kind::Level) {
            for r in each(&s.rows) {
                let t: f64 = table.cell(r, 0).parse().unwrap();
                assert_eq!(who_category(t), s.name, "{t}");
            }
        }
        assert_eq!(strata.iter().map(|s| s.rows.len()).collect::<Vec<_>>(), [2, 2, 2, 4]);
    }

    #[test]
    fn who_cut_offs_put_boundaries_where_who_does() {
        assert_eq!(who_category(-1.0), "Normal");
        assert_eq!(who_category(-1.1), "Osteopenia");
        assert_eq!(who_category(-2.4), "Osteopenia");
        assert_eq!(who_category(-2.5), "Osteoporosis");
        assert_eq!(who_category(0.3), "Normal");
    }
}
