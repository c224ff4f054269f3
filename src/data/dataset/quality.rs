//! What reading a dataset found: the warnings (or, with `--strict`, errors) about
//! excluded rows, and the report of rows read, used and excluded.

use super::*;

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The warnings (or, with `--strict`, errors) about excluded rows: one per kind,
/// labelled at the first few such rows in the data file, whose lines are read back
/// into an excerpt for the labels to point into.
pub(super) fn quality_diagnostics(
    program: &Program,
    read: &Read,
    path: &Path,
    strict: bool,
) -> (SourceFile, Vec<Diagnostic>) {
    let name = path.display().to_string();
    let file = SourceFile::excerpt(name.clone(), excerpt_lines(path, &read.quality.examples));
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
        let mut labels = Vec::new();
        let mut unplaced = Vec::new();
        for (n, i) in examples.iter().enumerate() {
            let field = i
                .field
                .as_deref()
                .map(|f| format!("`{f}`: "))
                .unwrap_or_default();
            // A field is marked where it is written; a row as a whole, all of it.
            let span = match i.field {
                Some(_) => file.span_at(i.line, i.column, i.len),
                None => file.span_at(i.line, 1, u64::MAX),
            };
            let shown = match (&i.field, kind) {
                (None, IssueKind::Expectation) => format!("{} ({})", i.reason, i.value),
                _ => format!("{field}{}", i.reason),
            };
            match span {
                Some(span) => labels.push(Label {
                    file: file.id,
                    span,
                    text: Some(shown),
                    primary: n == 0,
                }),
                None => unplaced.push(format!(
                    "\n  {name}:{}:{}: {field}`{}`: {}",
                    i.line, i.column, i.value, i.reason
                )),
            }
        }
        if labels.first().is_some_and(|l| !l.primary)
            && let Some(first) = labels.first_mut()
        {
            first.primary = true;
        }
        let shown = examples.len() as u64;
        let mut examples = unplaced.concat();
        if count > shown {
            examples.push_str(&format!("\n  … and {} more", count - shown));
        }
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
        let mut diagnostic = Diagnostic::new(error);
        diagnostic.labels = labels;
        out.push(diagnostic);
    }
    (file, out)
}

/// Longest stretch of a row shown; longer lines are cut.
const SHOWN_BYTES: usize = 2000;

/// The lines the examples are on, read back from the file at their offsets (a
/// seek each, not a second pass). A file that can no longer be read gives none,
/// and the examples are then told in the message.
fn excerpt_lines(path: &Path, examples: &[RowIssue]) -> Vec<ExcerptLine> {
    use std::io::{Read as _, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut buf = Vec::with_capacity(SHOWN_BYTES);
    for issue in examples {
        if file.seek(SeekFrom::Start(issue.byte)).is_err() {
            continue;
        }
        buf.clear();
        if (&mut file)
            .take(SHOWN_BYTES as u64)
            .read_to_end(&mut buf)
            .is_err()
        {
            continue;
        }
        let end = memchr::memchr(b'\n', &buf).unwrap_or(buf.len());
        let bytes = buf.get(..end).unwrap_or_default();
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        // A line cut inside a character ends in a replacement character.
        let text = String::from_utf8_lossy(bytes).into_owned();
        lines.push(ExcerptLine {
            line: issue.line,
            byte: issue.byte,
            text,
            column: 0,
        });
    }
    lines
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
