//! What reading a dataset found: the warnings (or, with `--strict`, errors) about
//! excluded rows, and the report of rows read, used and excluded.

use super::tally::Beyond;
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
    options: &Options,
) -> (SourceFile, Vec<Diagnostic>) {
    let strict = options.strict;
    let name = path.display().to_string();
    let outside_rows = read
        .tally
        .outside
        .iter()
        .flat_map(|o| o.first.iter().flatten())
        .map(|r| (r.line, r.byte));
    let places = read.quality.examples.iter().map(|i| (i.line, i.byte));
    let file = SourceFile::excerpt(
        name.clone(),
        excerpt_lines(path, places.chain(outside_rows)),
    );
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
    out.extend(outside_diagnostics(program, read, &file, options));
    if read.rows == 0 {
        out.push(Diagnostic::new(DatasetError::NoRows {
            dataset: program.schema.name.clone(),
            file: name.clone(),
        }));
    }
    (file, out)
}

/// One warning per grouping column and kind of row it places in no period,
/// labelled at the first such timestamp.
fn outside_diagnostics(
    program: &Program,
    read: &Read,
    file: &SourceFile,
    options: &Options,
) -> Vec<Diagnostic> {
    let (from, to) = (
        program.periods.first().map(|p| p.start()),
        program.periods.last().map(|p| p.end()),
    );
    let mut out = Vec::new();
    for (outside, col) in read.tally.outside.iter().zip(&program.groupings) {
        let column = program
            .schema
            .columns
            .get(*col)
            .map_or(String::new(), |c| c.name.clone());
        for kind in Beyond::ALL {
            let count = outside.rows.get(kind as usize).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let date = |d: Option<jiff::civil::Date>| d.map_or(String::new(), |d| d.to_string());
            let (when, help) = match kind {
                Beyond::Before => (
                    format!("before the agreement starts on {}", date(from)),
                    "export only the agreement's `effective` range, or start the range earlier; these rows are counted here so that none goes missing unsaid".to_owned(),
                ),
                Beyond::After => (
                    format!("after the agreement ends on {}", date(to)),
                    "export only the agreement's `effective` range, or extend the range; these rows are counted here so that none goes missing unsaid".to_owned(),
                ),
                Beyond::AfterAsOf => (
                    format!("after --as-of {}", date(options.as_of)),
                    "events after the day judged are left out; move --as-of later, or leave it out, to count them".to_owned(),
                ),
            };
            let mut diagnostic = Diagnostic::new(DatasetError::RowsOutside {
                dataset: program.schema.name.clone(),
                column: column.clone(),
                count,
                plural: plural(count),
                have: if count == 1 { "has" } else { "have" },
                them: if count == 1 { "it" } else { "them" },
                when,
                help,
            });
            if let Some(row) = outside.first.get(kind as usize).and_then(Option::as_ref)
                && let Some(span) = file.span_at(row.line, row.column, row.value.len() as u64)
            {
                diagnostic.labels.push(Label {
                    file: file.id,
                    span,
                    text: Some(format!("the first: `{}`", row.value)),
                    primary: true,
                });
            }
            out.push(diagnostic);
        }
    }
    out
}

/// Longest stretch of a row shown; longer lines are cut.
const SHOWN_BYTES: usize = 2000;

/// The lines the examples are on, read back from the file at their offsets (a
/// seek each, not a second pass). A file that can no longer be read gives none,
/// and the examples are then told in the message.
fn excerpt_lines(path: &Path, places: impl Iterator<Item = (u64, u64)>) -> Vec<ExcerptLine> {
    use std::io::{Read as _, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut buf = Vec::with_capacity(SHOWN_BYTES);
    for (line, byte) in places {
        if file.seek(SeekFrom::Start(byte)).is_err() {
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
            line,
            byte,
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
    let outside = read
        .tally
        .outside
        .iter()
        .zip(&program.groupings)
        .filter(|(o, _)| o.rows.iter().any(|n| *n > 0))
        .map(|(o, col)| OutsideReport {
            column: program
                .schema
                .columns
                .get(*col)
                .map_or(String::new(), |c| c.name.clone()),
            before: o.rows.first().copied().unwrap_or(0),
            after: o.rows.get(1).copied().unwrap_or(0),
            after_as_of: o.rows.get(2).copied().unwrap_or(0),
        })
        .collect();
    DatasetReport {
        outside,
        dataset: program.schema.name.clone(),
        file: file.to_owned(),
        format: read.format,
        rows: read.rows,
        used: read.used,
        excluded,
        examples,
    }
}
