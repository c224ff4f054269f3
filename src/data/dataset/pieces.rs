//! Reading a dataset file in pieces: the CSV header, where each piece starts (at a
//! line start, four pieces per thread), the pieces read on threads that take them in
//! turn, the check that the pieces met where they should, and NDJSON line by line.
//! Each piece's rows go to a [`Scanner`].

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::Program;
use super::records::{Found, Place, Record, Records};
use rustc_hash::FxHashSet;

use super::scan::{KeyCheck, Piece, Scanner, Stashed, key_fingerprint};
use super::{IssueKind, RowIssue as Issue};

pub use super::records::ScanError;

/// Reads a CSV file on `threads` threads (four pieces per thread, taken in turn).
/// A pass over the keys alone first finds the keys that occur twice; the full pass
/// sets the rows with those keys aside, and they are judged after it in file order
/// (the first valid row with a key counts), so a repeated key costs no second
/// reading. A piece boundary that fell inside a quoted field makes slac read the
/// file again on one thread, so the result never depends on where it was cut.
/// Returns the pieces, the header's lines and the set-aside rows judged (their
/// lines already the file's own).
pub fn csv(
    path: &Path,
    program: &Program,
    threads: usize,
    parallel_from: u64,
) -> Result<(Vec<Piece>, usize, Option<Piece>), ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let size = std::fs::metadata(path).map_err(io)?.len();
    let (fields, expected_fields, data_start, header_lines) = header(path, program)?;
    let layout = Layout {
        fields: &fields,
        expected_fields,
        data_start,
        size,
        rows: estimate_rows(path, data_start, size).map_err(io)?,
    };
    if size >= parallel_from {
        let threads = threads.max(1);
        // More pieces than threads, taken in turn: a thread that runs slower (a busy
        // core) holds up the end by one small piece, not by half the file.
        let pieces = if threads > 1 { threads * 4 } else { 1 };
        let starts = piece_starts(path, &layout, pieces).map_err(io)?;
        let key_field = program.schema.key.and_then(|k| fields.get(k)).copied();
        let suspects = match key_field {
            Some(field) => Some(super::keys::repeated(
                path,
                &starts,
                field,
                program.schema.delimiter,
                threads,
            )?),
            None => None,
        };
        let check = Suspects {
            keys: suspects.as_ref().filter(|s| !s.is_empty()),
            field: key_field.unwrap_or(0),
        };
        let mut attempt = read_pieces(path, program, &layout, &starts, threads, Some(check))?;
        if boundaries_meet(&attempt) {
            let judged = judge_set_aside(program, &layout, &mut attempt, header_lines);
            return Ok((attempt, header_lines, judged));
        }
    }
    let one = read_pieces(path, program, &layout, &[data_start, size], 1, None)?;
    Ok((one, header_lines, None))
}

/// Where each piece starts: at the first line start after each equal share of the
/// file; the last entry is the end of the file.
fn piece_starts(path: &Path, layout: &Layout<'_>, pieces: usize) -> std::io::Result<Vec<u64>> {
    let (data_start, size) = (layout.data_start, layout.size);
    let mut starts = vec![data_start];
    for k in 1..pieces {
        let nominal = data_start + size.saturating_sub(data_start) * k as u64 / pieces as u64;
        starts.push(next_line(path, nominal)?.max(data_start));
    }
    starts.push(size);
    Ok(starts)
}

/// Whether each piece started where the one before it stopped (a boundary inside a
/// quoted line break would not).
fn boundaries_meet(pieces: &[Piece]) -> bool {
    pieces.windows(2).all(|pair| match pair {
        [a, b] => a.stop.byte == b.first.byte,
        _ => true,
    })
}

/// How much each piece's lines are behind the file's: a piece counts its lines
/// from its own start, and starts on the line where the piece before it stopped.
pub fn line_offsets(pieces: &[Piece], header_lines: usize) -> Vec<u64> {
    let mut offsets = Vec::with_capacity(pieces.len());
    let mut offset = header_lines as u64;
    for (i, piece) in pieces.iter().enumerate() {
        if let Some(before) = i.checked_sub(1).and_then(|b| pieces.get(b)) {
            offset = (offset + before.stop.line).saturating_sub(piece.first.line);
        }
        offsets.push(offset);
    }
    offsets
}

/// The rows set aside for a key that occurs twice, judged in file order with every
/// key checked: the first valid row with a key counts, later ones repeat it.
fn judge_set_aside(
    program: &Program,
    layout: &Layout<'_>,
    pieces: &mut [Piece],
    header_lines: usize,
) -> Option<Piece> {
    let offsets = line_offsets(pieces, header_lines);
    let mut rows: Vec<(Place, Stashed)> = Vec::new();
    for (piece, shift) in pieces.iter_mut().zip(&offsets) {
        for (mut place, row) in std::mem::take(&mut piece.set_aside) {
            place.line += shift;
            rows.push((place, row));
        }
    }
    rows.sort_by_key(|(place, _)| place.byte);
    let (first, last) = (rows.first()?.0, rows.last()?.0);
    let mut scanner = Scanner::new(
        program,
        rows.len(),
        KeyCheck::Exact,
        layout.fields.to_vec(),
        layout.expected_fields,
    );
    for (place, row) in rows {
        match row {
            Stashed::Line(line) => scanner.push_line(&line, place),
            Stashed::Record(mut record) => scanner.push(&mut record, place),
        }
    }
    Some(scanner.finish(first, last))
}

/// Rows to set aside while reading: those whose key fingerprint is in `keys`.
#[derive(Clone, Copy)]
struct Suspects<'a> {
    keys: Option<&'a FxHashSet<u64>>,
    /// The key's field in the file.
    field: usize,
}

type Header = (Vec<usize>, usize, u64, usize);

/// Maps declared columns to the header's fields; where the first row starts.
fn header(path: &Path, program: &Program) -> Result<Header, ScanError> {
    let file = File::open(path).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut reader = Records::new(file, 0, program.schema.delimiter)
        .map_err(|e| ScanError::Io(e.to_string()))?;
    let mut record = Record::default();
    let found = reader
        .next(&mut record)
        .map_err(|e| ScanError::Io(e.to_string()))?
        .is_some();
    let names: Vec<String> = if found {
        (0..record.len())
            .map(|i| {
                std::str::from_utf8(record.get(i).unwrap_or_default()).map(|s| s.trim().to_owned())
            })
            .collect::<Result<_, _>>()
            .map_err(|_| ScanError::BadHeader { line: 1 })?
    } else {
        Vec::new()
    };
    let mut fields = Vec::new();
    for spec in &program.schema.columns {
        if names.iter().filter(|n| **n == spec.name).count() > 1 {
            return Err(ScanError::DuplicateColumn {
                column: spec.name.clone(),
            });
        }
        match names.iter().position(|n| *n == spec.name) {
            Some(i) => fields.push(i),
            None => {
                return Err(ScanError::MissingColumn {
                    column: spec.name.clone(),
                    found: names,
                });
            }
        }
    }
    let next = reader.place();
    let lines = usize::try_from(next.line.saturating_sub(1)).unwrap_or(0);
    Ok((fields, names.len(), next.byte, lines))
}

/// Where a CSV file's rows are, and how they map to the declared columns.
struct Layout<'a> {
    fields: &'a [usize],
    expected_fields: usize,
    data_start: u64,
    size: u64,
    /// Rows the file likely has, to size tables once.
    rows: usize,
}

/// Rows in the file, guessed from the length of the lines at its start.
fn estimate_rows(path: &Path, data_start: u64, size: u64) -> std::io::Result<usize> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(data_start))?;
    let mut sample = vec![0u8; 256 << 10];
    let mut filled = 0;
    while filled < sample.len() {
        let n = std::io::Read::read(&mut file, sample.get_mut(filled..).unwrap_or_default())?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    let lines = sample
        .get(..filled)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    let per_line = (filled / lines.max(1)).max(1) as u64;
    // A tenth more, so that the tables rarely grow.
    Ok(
        usize::try_from(size.saturating_sub(data_start) / per_line * 11 / 10)
            .unwrap_or(0)
            .min(1 << 28),
    )
}

fn read_pieces(
    path: &Path,
    program: &Program,
    layout: &Layout<'_>,
    starts: &[u64],
    threads: usize,
    suspects: Option<Suspects<'_>>,
) -> Result<Vec<Piece>, ScanError> {
    let (fields, expected_fields, data_start, size) = (
        layout.fields,
        layout.expected_fields,
        layout.data_start,
        layout.size,
    );
    let pieces = starts.len().saturating_sub(1);
    // With the repeated keys known, a scan need not check keys at all; read alone,
    // the file is checked key by key.
    let keys = if suspects.is_some() {
        KeyCheck::Resolved
    } else {
        KeyCheck::Exact
    };
    let read = |k: usize| {
        let from = starts.get(k).copied().unwrap_or(size);
        let to = starts.get(k + 1).copied().unwrap_or(size);
        let share =
            (to.saturating_sub(from)) as f64 / size.saturating_sub(data_start).max(1) as f64;
        let rows = (layout.rows as f64 * share) as usize + 1024;
        let scanner = Scanner::new(program, rows, keys, fields.to_vec(), expected_fields);
        read_piece(path, scanner, from, to, suspects)
    };
    super::turns::in_turn(pieces, threads, read)
}

/// The first line start at or after `at`.
fn next_line(path: &Path, at: u64) -> std::io::Result<u64> {
    let mut file = File::open(path)?;
    let from = at.saturating_sub(1);
    file.seek(SeekFrom::Start(from))?;
    let mut reader = BufReader::with_capacity(64 << 10, file);
    let mut skipped = Vec::new();
    let n = reader.read_until(b'\n', &mut skipped)?;
    Ok(from + n as u64)
}

fn read_piece(
    path: &Path,
    mut scanner: Scanner<'_>,
    from: u64,
    to: u64,
    suspects: Option<Suspects<'_>>,
) -> Result<Piece, ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let file = File::open(path).map_err(io)?;
    let delimiter = scanner.delimiter();
    let mut reader = Records::new(file, from, delimiter).map_err(io)?;
    let mut record = Record::default();
    let mut first = None;
    let mut set_aside = Vec::new();
    loop {
        let Some(found) = reader.read(&mut record).map_err(io)? else {
            let end = reader.place();
            let stop = Place {
                byte: to.max(end.byte),
                line: end.line,
            };
            let mut piece = scanner.finish(first.unwrap_or(stop), stop);
            piece.set_aside = set_aside;
            return Ok(piece);
        };
        let place = match &found {
            Found::Line(place, _) | Found::Record(place) => *place,
        };
        if place.byte >= to {
            let mut piece = scanner.finish(first.unwrap_or(place), place);
            piece.set_aside = set_aside;
            return Ok(piece);
        }
        if first.is_none() {
            first = Some(place);
        }
        if let Some(Suspects {
            keys: Some(keys),
            field,
        }) = suspects
        {
            let key = super::keys::key_of(&found, &record, field, delimiter);
            if keys.contains(&key_fingerprint(key)) {
                set_aside.push((
                    place,
                    match found {
                        Found::Line(_, line) => Stashed::Line(line.to_vec()),
                        Found::Record(_) => Stashed::Record(record.clone()),
                    },
                ));
                continue;
            }
        }
        match found {
            Found::Line(_, line) => scanner.push_line(line, place),
            Found::Record(_) => scanner.push(&mut record, place),
        }
    }
}

/// Reads NDJSON (one JSON object per line) on one thread.
pub fn ndjson(path: &Path, program: &Program) -> Result<Vec<Piece>, ScanError> {
    let file = File::open(path).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let expected = usize::try_from(size / 128).unwrap_or(0).min(1 << 20);
    let columns = program.schema.columns.len();
    let mut scanner = Scanner::new(
        program,
        expected,
        KeyCheck::Exact,
        (0..columns).collect(),
        columns,
    );
    let mut line = Vec::new();
    let mut record = Record::default();
    let mut at = Place { byte: 0, line: 0 };
    loop {
        line.clear();
        // Bounded like a CSV record: a file without line breaks is refused, not
        // read into memory whole.
        let limit = super::records::MAX_RECORD as u64 + 1;
        let n = std::io::Read::take(&mut reader, limit)
            .read_until(b'\n', &mut line)
            .map_err(|e| ScanError::Io(e.to_string()))?;
        if line.len() > super::records::MAX_RECORD {
            return Err(ScanError::Io(format!(
                "a line is longer than {} MiB, the longest slac reads: the file may have no line breaks",
                super::records::MAX_RECORD >> 20
            )));
        }
        if n == 0 {
            break;
        }
        at.line += 1;
        let text = trim_line(&line);
        if text.is_empty() {
            continue;
        }
        record.clear();
        match json_fields(text, program) {
            Ok(values) => {
                for v in &values {
                    record.push_field(v);
                }
                scanner.push(&mut record, at);
            }
            Err(reason) => {
                let issue = Issue::new(IssueKind::Malformed, at, 1, None, text, reason);
                scanner.unreadable_row(issue);
            }
        }
        at.byte += n as u64;
    }
    let first = Place { byte: 0, line: 1 };
    let stop = Place {
        byte: size,
        line: at.line + 1,
    };
    Ok(vec![scanner.finish(first, stop)])
}

fn trim_line(line: &[u8]) -> &[u8] {
    let mut t = line;
    while let Some((last, rest)) = t.split_last() {
        if last.is_ascii_whitespace() {
            t = rest;
        } else {
            break;
        }
    }
    t
}

/// The declared columns of one JSON object as field texts (`null` and absent keys
/// are empty; strings unescaped; numbers and booleans as written).
fn json_fields(text: &[u8], program: &Program) -> Result<Vec<Vec<u8>>, String> {
    let object: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_slice(text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            format!("not a JSON object ({message}, column {})", e.column())
        })?;
    let mut out = Vec::with_capacity(program.schema.columns.len());
    for spec in &program.schema.columns {
        let value = match object.get(&spec.name) {
            None => Vec::new(),
            Some(raw) => {
                let raw = raw.get();
                if raw == "null" {
                    Vec::new()
                } else if raw.starts_with('"') {
                    let s: String = serde_json::from_str(raw).map_err(|e| e.to_string())?;
                    s.into_bytes()
                } else if raw.starts_with('{') || raw.starts_with('[') {
                    return Err(format!(
                        "`{}` holds a JSON object or array, not a value",
                        spec.name
                    ));
                } else {
                    raw.as_bytes().to_vec()
                }
            }
        };
        out.push(value);
    }
    Ok(out)
}
