//! Putting patients in strata: "Overall", the levels of the stratification, and groups of levels.
//!
//! Architecture invariant: strata are lists of row indices; no statistics here.

use crate::error::{Error, Position, Result};
use crate::ingest::Table;
use crate::mapping::{Mapping, Strata};
use crate::values::{number, Cell};
use crate::{Diagnostic, Severity};

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
    pub rows: Vec<usize>,
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

/// Builds the strata of the `included` rows: Overall first, then levels, then groups.
pub fn assign(
    table: &Table,
    mapping: &Mapping,
    included: &[usize],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Stratum>> {
    let mut out =
        vec![Stratum { name: "Overall".into(), kind: Kind::Overall, members: vec![], rows: included.to_vec() }];
    let Some(strata) = &mapping.strata else {
        if !mapping.groups.is_empty() {
            return Err(Error::mapping("\"groups\" needs \"strata\"", Position::none()));
        }
        return Ok(out);
    };
    let (column, is_tscore) = match strata {
        Strata::Column(c) => (c, false),
        Strata::Tscore(c) => (c, true),
    };
    let col = table
        .column_index(column)
        .ok_or_else(|| Error::mapping("the strata column is not in the file", Position::column(column.clone())))?;
    let mut levels: Vec<Stratum> = Vec::new();
    if is_tscore {
        for name in WHO_LEVELS {
            levels.push(Stratum { name: name.into(), kind: Kind::Level, members: vec![], rows: vec![] });
        }
    }
    for &r in included {
        let text = table.cell(r, col);
        let name: &str = if is_tscore {
            match number(text) {
                Cell::Value(t) => who_category(t),
                Cell::Missing => UNKNOWN,
                Cell::Invalid => {
                    diags.push(Diagnostic {
                        severity: Severity::Warning,
                        position: Position::cell(table.row_number(r), column.clone()),
                        message: format!("\"{text}\" is not a T-score; the patient is counted as Unknown"),
                    });
                    UNKNOWN
                }
            }
        } else if crate::values::is_missing(text) {
            UNKNOWN
        } else {
            text
        };
        match levels.iter_mut().find(|l| l.name == name) {
            Some(l) => l.rows.push(r),
            None => levels.push(Stratum { name: name.into(), kind: Kind::Level, members: vec![], rows: vec![r] }),
        }
    }
    // Unknown goes last among levels.
    if let Some(i) = levels.iter().position(|l| l.name == UNKNOWN) {
        let u = levels.remove(i);
        levels.push(u);
    }
    let mut groups: Vec<(String, Vec<String>)> = mapping.groups.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if is_tscore && groups.is_empty() {
        groups.push((REDUCED_BONE_DENSITY.into(), vec!["Osteopenia".into(), "Osteoporosis".into()]));
    }
    let mut group_strata = Vec::new();
    for (name, members) in groups {
        if levels.iter().any(|l| l.name == name) || name == "Overall" {
            return Err(Error::mapping(format!("group \"{name}\" has the name of a stratum"), Position::none()));
        }
        let mut rows = Vec::new();
        for m in &members {
            let level = levels.iter().find(|l| &l.name == m).ok_or_else(|| {
                let known: Vec<&str> = levels.iter().map(|l| l.name.as_str()).collect();
                Error::mapping(
                    format!("group \"{name}\" names \"{m}\", which is not a stratum (strata: {})", known.join(", ")),
                    Position::column(column.clone()),
                )
            })?;
            rows.extend_from_slice(&level.rows);
        }
        rows.sort_unstable();
        rows.dedup();
        group_strata.push(Stratum { name, kind: Kind::Group, members, rows });
    }
    out.extend(levels);
    out.extend(group_strata);
    for [a, b] in &mapping.compare {
        for s in [a, b] {
            if !out.iter().any(|st| &st.name == s) {
                return Err(Error::mapping(
                    format!("\"compare\" names \"{s}\", which is not a stratum"),
                    Position::none(),
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_cut_offs_put_boundaries_where_who_does() {
        assert_eq!(who_category(-1.0), "Normal");
        assert_eq!(who_category(-1.1), "Osteopenia");
        assert_eq!(who_category(-2.4), "Osteopenia");
        assert_eq!(who_category(-2.5), "Osteoporosis");
        assert_eq!(who_category(0.3), "Normal");
    }
}
