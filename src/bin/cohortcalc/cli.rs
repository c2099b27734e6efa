//! The command line itself.

use anyhow::{bail, Context, Result};
use cohortcalc::{Analysis, Mapping};
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "\
cohortcalc — clinical cohort calculator

USAGE:
    cohortcalc analyze [FILE] [--mapping MAPPING.json] [--format json|md] [--chart OUT.svg]
    cohortcalc mapping FILE

    analyze   Analyse FILE (CSV). Without FILE, the embedded demo cohort.
              Without --mapping the mapping is guessed from the headers, and what was
              guessed is said on standard error.
    mapping   Print the mapping guessed from FILE's headers, as JSON to edit.

OPTIONS:
    --mapping FILE   Mapping JSON (see README.md)
    --format FMT     md (default): rounded tables; json: the full report
    --chart FILE     Also write the paired-outcome chart as SVG
    --lang en|zh     Language of the tables (default en)
    -h, --help       This help
";

enum Format {
    Md,
    Json,
}

fn read(path: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match cmd.as_str() {
        "analyze" | "analyse" => analyze(&rest),
        "mapping" => {
            let [file] = rest.as_slice() else { bail!("usage: cohortcalc mapping FILE") };
            let path = PathBuf::from(file);
            let (m, notes) = cohortcalc::guess_mapping(&read(&path)?).with_context(|| format!("{}", path.display()))?;
            for n in notes {
                eprintln!("{n}");
            }
            println!("{}", m.to_json());
            Ok(())
        }
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        "" => bail!("no command given\n\n{USAGE}"),
        other => bail!("unknown command \"{other}\"\n\n{USAGE}"),
    }
}

fn analyze(args: &[String]) -> Result<()> {
    let (mut file, mut mapping_path, mut chart) = (None, None, None);
    let mut format = Format::Md;
    let mut lang = cohortcalc::Lang::En;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--mapping" => mapping_path = Some(PathBuf::from(value("--mapping")?)),
            "--chart" => chart = Some(PathBuf::from(value("--chart")?)),
            "--lang" => lang = cohortcalc::Lang::from_tag(&value("--lang")?),
            "--format" => {
                format = match value("--format")?.as_str() {
                    "md" | "markdown" => Format::Md,
                    "json" => Format::Json,
                    f => bail!("unknown format \"{f}\" (use md or json)"),
                }
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => bail!("unknown option \"{s}\"\n\n{USAGE}"),
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => bail!("only one FILE can be analysed, got also \"{s}\""),
        }
    }
    let mapping = match &mapping_path {
        Some(p) => {
            Some(Mapping::from_json(&String::from_utf8_lossy(&read(p)?)).with_context(|| format!("{}", p.display()))?)
        }
        None if file.is_none() => Some(cohortcalc::demo_mapping()),
        None => None,
    };
    let (bytes, name) = match &file {
        Some(p) => (read(p)?, p.display().to_string()),
        None => (cohortcalc::DEMO_CSV.to_vec(), "demo cohort".to_string()),
    };
    let Analysis { report, diagnostics } =
        cohortcalc::analyze(&bytes, mapping.as_ref()).with_context(|| name.clone())?;
    for d in &diagnostics {
        eprintln!("{name}: {d}");
    }
    if mapping.is_none() {
        eprintln!("{name}: to change the guessed mapping, save it with `cohortcalc mapping FILE > mapping.json`, edit it, and pass --mapping mapping.json");
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Md => out.write_all(cohortcalc::report::markdown(&report, lang).as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({"report": report, "diagnostics": diagnostics}))?;
            writeln!(out)?;
        }
    }
    if let Some(p) = chart {
        let outcome = report
            .mapping
            .paired
            .first()
            .map(|p| p.name.clone())
            .context("the mapping has no paired outcome to chart")?;
        let svg = cohortcalc::chart::paired_means_svg(&report, &outcome, 900, 560).map_err(anyhow::Error::msg)?;
        std::fs::write(&p, svg).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
}
