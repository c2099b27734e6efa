//! The command line itself.

use anyhow::{bail, Context, Result};
use cohortcalc::{Analysis, Mapping};
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "\
cohortcalc — clinical cohort calculator

USAGE:
    cohortcalc analyze [FILE] [--sheet NAME] [--encoding LABEL] [--mapping MAPPING.json] [--format json|md]
                      [--chart OUT.svg] [--xlsx OUT.xlsx] [--lang en|zh]
    cohortcalc mapping FILE [--sheet NAME] [--encoding LABEL]
    cohortcalc convert FILE [--sheet NAME] [--encoding LABEL] > OUT.csv

    analyze   Analyse FILE (CSV, XLSX, XLS or ODS). Without FILE, the embedded demo cohort.
              Without --mapping the mapping is guessed from the headers, and what was
              guessed is said on standard error.
    mapping   Print the mapping guessed from FILE's headers, as JSON to edit.
    convert   Print the table as it was read (after finding the encoding, delimiter,
              header row and sheet, before any coding) as plain UTF-8 CSV: a way to see
              what the tool saw. How it was read is said on standard error.

OPTIONS:
    --sheet NAME     The sheet of a workbook to read (default: the first with data)
    --encoding LABEL The encoding of a CSV file, e.g. windows-1252, gb18030, big5, shift_jis,
                     utf-16le (default: detected from the bytes)
    --mapping FILE   Mapping JSON (see docs/mapping.md)
    --format FMT     md (default): rounded tables; json: the full report
    --chart FILE     Also write the paired-outcome chart as SVG
    --xlsx FILE      Also write the tables as an Excel workbook (in the --lang language)
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
            let (path, opts) =
                file_and_options(&rest, "usage: cohortcalc mapping FILE [--sheet NAME] [--encoding LABEL]")?;
            let bytes = read(&path)?;
            let (m, notes) = if opts == cohortcalc::ingest::ReadOptions::default() {
                cohortcalc::guess_mapping(&bytes).with_context(|| format!("{}", path.display()))?
            } else {
                let (m, mut read_notes, notes) =
                    guess_with(&bytes, opts).with_context(|| format!("{}", path.display()))?;
                read_notes.extend(notes);
                (m, read_notes)
            };
            for n in notes {
                eprintln!("{n}");
            }
            println!("{}", m.to_json());
            Ok(())
        }
        "convert" => convert(&rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        "" => bail!("no command given\n\n{USAGE}"),
        other => bail!("unknown command \"{other}\"\n\n{USAGE}"),
    }
}

/// `FILE [--sheet NAME] [--encoding LABEL]` in any order.
fn file_and_options(args: &[String], usage: &str) -> Result<(PathBuf, cohortcalc::ingest::ReadOptions)> {
    let mut file = None;
    let mut opts = cohortcalc::ingest::ReadOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sheet" => opts.sheet = Some(it.next().cloned().context("--sheet needs a sheet name")?),
            "--encoding" => opts.encoding = Some(it.next().cloned().context("--encoding needs an encoding label")?),
            s if s.starts_with('-') => bail!("unknown option \"{s}\"\n{usage}"),
            s if file.is_none() => file = Some(PathBuf::from(s)),
            _ => bail!("{usage}"),
        }
    }
    Ok((file.context(usage.to_string())?, opts))
}

/// Reads FILE as the analysis would and writes it as RFC 4180 CSV to standard output.
fn convert(args: &[String]) -> Result<()> {
    let (path, opts) =
        file_and_options(args, "usage: cohortcalc convert FILE [--sheet NAME] [--encoding LABEL] > OUT.csv")?;
    let name = path.display().to_string();
    let bytes = read(&path)?;
    let mut diags = Vec::new();
    let table = cohortcalc::ingest::read(&bytes, &opts, &mut diags, &mut |_| {}).with_context(|| name.clone())?;
    for d in &diags {
        eprintln!("{name}: {d}");
    }
    eprintln!("{name}: read as {}; {} rows × {} columns", table.dialect().describe(), table.nrows(), table.ncols());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    table.write_csv(&mut out)?;
    out.flush()?;
    Ok(())
}

type Notes = Vec<cohortcalc::Diagnostic>;

/// The mapping guessed from the file read as `opts` say (one sheet of a workbook, a text file in
/// an encoding: the mapping names them), the notes of reading it, and the notes of guessing.
fn guess_with(bytes: &[u8], opts: cohortcalc::ingest::ReadOptions) -> cohortcalc::Result<(Mapping, Notes, Notes)> {
    let mut read_notes = Vec::new();
    let table = cohortcalc::ingest::read(bytes, &opts, &mut read_notes, &mut |_| {})?;
    let (mut m, notes) = cohortcalc::mapping::guess(&table)?;
    m.sheet = opts.sheet;
    m.encoding = opts.encoding;
    Ok((m, read_notes, notes))
}

fn analyze(args: &[String]) -> Result<()> {
    let (mut file, mut mapping_path, mut chart, mut xlsx) = (None, None, None, None);
    let mut opts = cohortcalc::ingest::ReadOptions::default();
    let mut format = Format::Md;
    let mut lang = cohortcalc::Lang::En;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--mapping" => mapping_path = Some(PathBuf::from(value("--mapping")?)),
            "--chart" => chart = Some(PathBuf::from(value("--chart")?)),
            "--xlsx" => xlsx = Some(PathBuf::from(value("--xlsx")?)),
            "--sheet" => opts.sheet = Some(value("--sheet")?),
            "--encoding" => opts.encoding = Some(value("--encoding")?),
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
    let mut mapping = match &mapping_path {
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
    let mut guessed_from_sheet = false;
    if opts != cohortcalc::ingest::ReadOptions::default() {
        // The sheet and encoding travel in the mapping; without one, the mapping is guessed from
        // the file read so.
        match &mut mapping {
            Some(m) => {
                if opts.sheet.is_some() {
                    m.sheet = opts.sheet;
                }
                if opts.encoding.is_some() {
                    m.encoding = opts.encoding;
                }
            }
            None => {
                // Notes on reading the file come again with the analysis.
                let (m, _, notes) = guess_with(&bytes, opts).with_context(|| name.clone())?;
                eprintln!("{name}: note: no mapping was given, so it was guessed from the headers:");
                for n in notes {
                    eprintln!("{name}: {n}");
                }
                mapping = Some(m);
                guessed_from_sheet = true;
            }
        }
    }
    // Read, then let the file's bytes go before the analysis (the table holds what it needs).
    let opts = cohortcalc::ingest::ReadOptions {
        sheet: mapping.as_ref().and_then(|m| m.sheet.clone()),
        encoding: mapping.as_ref().and_then(|m| m.encoding.clone()),
    };
    let opened = cohortcalc::Opened::read_with(&bytes, &opts, &mut |_| {}).with_context(|| name.clone())?;
    drop(bytes);
    let Analysis { report, diagnostics } = opened.analyze(mapping.as_ref()).with_context(|| name.clone())?;
    drop(opened);
    for d in &diagnostics {
        eprintln!("{name}: {}", d.text(lang));
    }
    if mapping.is_none() || guessed_from_sheet {
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
    if let Some(p) = xlsx {
        let book = cohortcalc::report::tables_xlsx(&cohortcalc::report::tables(&report, lang))?;
        std::fs::write(&p, book).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
}
