//! What reading a dataset found: the warnings (or, with `--strict`, errors) about
//! excluded rows, and the report of rows read, used and excluded.

use super::*;

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn quality_diagnostics(
    program: &Program,
    read: &Read,
    file: &str,
    strict: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for kind in IssueKind::ALL {
        let count = read.quality.counts.get(kind as usize).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let mut examples: Vec<&RowIssue> = read
            .quality
            .examples
            .iter()
            .filter(|i| i.kind == kind)
            .collect();
        examples.sort_by_key(|i| i.line);
        let mut lines: Vec<String> = examples
            .iter()
            .map(|i| {
                let field = i
                    .field
                    .as_deref()
                    .map(|f| format!("`{f}` "))
                    .unwrap_or_default();
                format!(
                    "  {file}:{}:{}: {field}`{}`: {}",
                    i.line, i.column, i.value, i.reason
                )
            })
            .collect();
        if count > examples.len() as u64 {
            lines.push(format!("  … and {} more", count - examples.len() as u64));
        }
        let examples = lines.join("\n");
        let dataset = program.schema.name.clone();
        let (what, plural) = (kind.what(), plural(count));
        let error = if strict {
            let help = format!(
                "{}; without --strict such rows are excluded and reported as warnings",
                kind.help()
            );
            DatasetError::RowsRefused {
                dataset,
                count,
                plural,
                what,
                examples,
                help,
            }
        } else {
            let help = format!(
                "{}; run with --strict to refuse the file instead",
                kind.help()
            );
            DatasetError::RowsExcluded {
                dataset,
                count,
                plural,
                what,
                examples,
                help,
            }
        };
        out.push(Diagnostic::new(error));
    }
    out
}

pub(super) fn report(program: &Program, read: &Read, file: &str) -> DatasetReport {
    let mut excluded = BTreeMap::new();
    for kind in IssueKind::ALL {
        let name = match kind {
            IssueKind::Malformed => "malformed",
            IssueKind::DuplicateKey => "duplicate_key",
            IssueKind::Expectation => "expectation",
            IssueKind::ClockReversed => "clock_reversed",
        };
        excluded.insert(
            name,
            read.quality.counts.get(kind as usize).copied().unwrap_or(0),
        );
    }
    let mut examples = read.quality.examples.clone();
    examples.sort_by_key(|i| (i.line, i.kind as usize));
    DatasetReport {
        dataset: program.schema.name.clone(),
        file: file.to_owned(),
        format: read.format,
        rows: read.rows,
        used: read.used,
        excluded,
        examples,
    }
}
