//! Recorded metrics (CSV, JSON, NDJSON: one value per period, metric and optional
//! segment) and the deliveries log (CSV: date, deliverable, party). Every value is
//! parsed by the metric's declared type; every bad row is a diagnostic with its place.

use std::path::Path;

use jiff::civil::Date;
use miette::SourceSpan;
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::error::DataError;
use super::store::{DataFile, Origin, Recorded};
use super::value::decimal;
use crate::diagnostic::Diagnostic;
use crate::model::Agreement;
use crate::model::period::Period;
use crate::model::{MetricType, Span};
use crate::source;

/// A row's fields by column name: at most four, kept inline so that reading a large
/// file does not allocate a map per row.
#[derive(Default)]
struct Fields<'t> {
    entries: [Option<(&'static str, (&'t str, Span))>; 4],
}

impl<'t> Fields<'t> {
    fn insert(&mut self, name: &'static str, value: (&'t str, Span)) {
        let slot = self
            .entries
            .iter_mut()
            .find(|e| e.is_none_or(|(n, _)| n == name));
        if let Some(slot) = slot {
            *slot = Some((name, value));
        }
    }

    fn get(&self, name: &str) -> Option<&(&'t str, Span)> {
        self.entries
            .iter()
            .flatten()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// A data file as text, or with the reason it could not be read.
fn open(path: &Path) -> DataFile {
    let loaded = source::load(path);
    DataFile {
        file: loaded.file,
        diagnostics: loaded.error.into_iter().map(Diagnostic::new).collect(),
    }
}

/// The file with its problems, sorted by position.
fn finish(mut data: DataFile, errors: Vec<DataError>) -> DataFile {
    data.diagnostics = crate::diagnostic::from_all(errors);
    crate::diagnostic::sort(&mut data.diagnostics);
    data
}

/// One row's fields with their places.
struct Row<'t> {
    fields: Fields<'t>,
    whole: Span,
}

/// Reads a `--metrics` file (CSV, JSON or NDJSON, by its extension) into `recorded`.
/// `file_index` is its place among the `--metrics` files, to tell where a duplicate's first is.
pub fn load_metrics(
    path: &Path,
    model: &Agreement,
    recorded: &mut Recorded,
    file_index: usize,
) -> DataFile {
    let data = open(path);
    if !data.diagnostics.is_empty() {
        return data;
    }
    let name = path.display().to_string();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let text = data.file.text.clone();
    let mut errors = Vec::new();
    recorded.periods_hint = recorded.periods_hint.max(model.periods.len().min(64));
    let rows = match extension.as_str() {
        "csv" => csv_rows(
            &text,
            &["period", "metric", "value", "segment"],
            &["period", "metric", "value"],
            &mut errors,
        ),
        "json" => json_rows(&text, false, &mut errors),
        "ndjson" | "jsonl" => json_rows(&text, true, &mut errors),
        _ => {
            errors.push(DataError::UnknownFormat { path: name });
            Vec::new()
        }
    };
    for row in rows {
        if let Some(e) = record_row(&row, model, recorded, file_index) {
            errors.push(e);
        }
    }
    finish(data, errors)
}

fn record_row(
    row: &Row<'_>,
    model: &Agreement,
    recorded: &mut Recorded,
    file_index: usize,
) -> Option<DataError> {
    let field = |name: &str| row.fields.get(name).copied();
    let (period_text, period_span) = field("period")?;
    let (metric, metric_span) = field("metric")?;
    let (value_text, value_span) = field("value")?;
    let segment = field("segment").filter(|(s, _)| !s.is_empty());
    let period = match Period::parse(period_text, model.period) {
        Ok(p) => p,
        Err(reason) => {
            return Some(DataError::InvalidPeriod {
                reason,
                span: period_span.into(),
                unit: model.period.word(),
                help: format!("this agreement is evaluated per {}", model.period.word()),
            });
        }
    };
    if !model.covers(period) {
        return Some(DataError::PeriodOutside {
            period: period.label(),
            from: model.from.to_string(),
            to: model.to.to_string(),
            span: period_span.into(),
        });
    }
    let Some(metric_info) = model.metric_named(metric) else {
        let mut names: Vec<&str> = model.metrics().map(|(_, v, _)| v.name.as_str()).collect();
        names.sort_unstable();
        return Some(DataError::UnknownMetric {
            name: metric.to_owned(),
            span: metric_span.into(),
            help: crate::check::names_help(metric, "metric", names.into_iter()),
        });
    };
    if let Some((value, span)) = segment {
        let segment = metric_info
            .segment
            .and_then(|id| model.segments.get(id.index()));
        match segment {
            None => {
                return Some(DataError::UnexpectedSegment {
                    metric: metric.to_owned(),
                    segment: value.to_owned(),
                    span: span.into(),
                });
            }
            Some(s) if !s.has(value) => {
                return Some(DataError::UnknownSegmentValue {
                    value: value.to_owned(),
                    segment: s.name.clone(),
                    span: span.into(),
                    help: crate::check::names_help(
                        value,
                        "segment value",
                        s.values.iter().map(String::as_str),
                    ),
                });
            }
            Some(_) => {}
        }
    }
    let value = match parse_value(value_text, &metric_info.ty, metric, value_span) {
        Ok(v) => v,
        Err(e) => return Some(*e),
    };
    let origin = Origin {
        file: file_index,
        span: row.whole,
    };
    let first = recorded
        .put(metric, segment.map(|(s, _)| s), period, value, origin)
        .err()?;
    let same_file = first.file == file_index;
    Some(DataError::DuplicateRow {
        metric: metric.to_owned(),
        segment: segment
            .map(|(s, _)| format!(" (segment `{s}`)"))
            .unwrap_or_default(),
        period: period.label(),
        elsewhere: if same_file {
            String::new()
        } else {
            "; the first is in another metrics file".to_owned()
        },
        span: row.whole.into(),
        first: same_file.then(|| first.span.into()),
    })
}

/// Parses a recorded value by the metric's type, exactly.
pub fn parse_value(
    text: &str,
    ty: &MetricType,
    metric: &str,
    span: Span,
) -> Result<Decimal, Box<DataError>> {
    let text = text.trim();
    let invalid = |expected: &'static str, help: &str| {
        Box::new(DataError::InvalidValue {
            text: text.to_owned(),
            expected,
            metric: metric.to_owned(),
            ty: type_name(ty),
            span: span.into(),
            help: help.to_owned(),
        })
    };
    // The shared strict reader's reason replaces the general help when it names
    // the problem (an exponent, a thousands separator, too many digits).
    let number = |text: &str, expected: &'static str, help: &str| {
        decimal(text).map_err(|reason| {
            if reason.starts_with("expected") {
                invalid(expected, help)
            } else {
                invalid(expected, &reason)
            }
        })
    };
    match ty {
        MetricType::Count => {
            let help = "write a whole number such as `100`";
            number(text, "a count", help).and_then(|d| {
                if d.fract().is_zero() && !d.is_sign_negative() {
                    Ok(d)
                } else {
                    Err(invalid("a count", help))
                }
            })
        }
        MetricType::Number => number(text, "a number", "write a number such as `6` or `5.5`"),
        MetricType::Percent => {
            let help = "write percentages with `%`, such as `99.95%`, so that 0.9995 and 99.95 cannot be confused";
            let Some(n) = text.strip_suffix('%') else {
                return Err(invalid("a percentage", help));
            };
            let percent = number(n.trim(), "a percentage", help)?;
            // As a fraction it has two more places, which must still fit exactly.
            percent
                .checked_div(Decimal::ONE_HUNDRED)
                .filter(|f| f.checked_mul(Decimal::ONE_HUNDRED) == Some(percent))
                .ok_or_else(|| {
                    invalid(
                        "a percentage",
                        "more than 28 significant digits cannot be held exactly; slac does not round",
                    )
                })
        }
        MetricType::Duration => parse_duration(text).ok_or_else(|| {
            invalid(
                "a duration",
                "write a duration such as `45min`, `1h30m`, `90s` or ISO 8601 `PT1H30M`",
            )
        }),
        MetricType::Money(currency) => {
            let (amount, code) = match text.rsplit_once(' ') {
                Some((a, c)) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                    (a.trim(), Some(c))
                }
                _ => (text, None),
            };
            if let Some(code) = code
                && code != currency.0
            {
                return Err(Box::new(DataError::WrongCurrency {
                    text: text.to_owned(),
                    found: code.to_owned(),
                    expected: currency.0.clone(),
                    metric: metric.to_owned(),
                    span: span.into(),
                }));
            }
            let help = "write an amount such as `1250.50` or `1250.50 EUR`";
            let value = number(amount, "an amount of money", help)?;
            // A currency has so many minor digits; more would be rounded away later.
            let places = crate::model::minor_units(&currency.0);
            if value.normalize().scale() > places {
                return Err(invalid(
                    "an amount of money",
                    &format!(
                        "{} has {places} decimal places and slac does not round; if `.` separates thousands here, write the amount without separators",
                        currency.0
                    ),
                ));
            }
            Ok(value)
        }
    }
}

fn type_name(ty: &MetricType) -> String {
    match ty {
        MetricType::Count => "a count".to_owned(),
        MetricType::Number => "a number".to_owned(),
        MetricType::Percent => "a percentage".to_owned(),
        MetricType::Duration => "a duration".to_owned(),
        MetricType::Money(c) => format!("money in {c}"),
    }
}

/// `45min`, `1h30m`, `90s`, `2d`, or ISO 8601 `PT1H30M`, in whole or decimal seconds.
pub fn parse_duration(text: &str) -> Option<Decimal> {
    if text.starts_with('P') {
        let span: jiff::SignedDuration = text.parse().ok()?;
        return Decimal::try_from_i128_with_scale(span.as_nanos(), 9)
            .ok()
            .map(|d| d.normalize());
    }
    let mut total = Decimal::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&n| n > 0)?;
        let (number, after) = rest.split_at(digits);
        let letters = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let (unit, tail) = after.split_at(letters);
        let factor = match unit {
            "s" => 1,
            "min" | "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return None,
        };
        total = total.checked_add(decimal(number).ok()?.checked_mul(Decimal::from(factor))?)?;
        rest = tail;
    }
    Some(total)
}

/// Splits CSV text into rows of named fields with spans. Field spans come from the
/// raw line, so that a bad value is underlined exactly.
fn csv_rows<'t>(
    text: &'t str,
    known: &[&'static str],
    required: &[&'static str],
    errors: &mut Vec<DataError>,
) -> Vec<Row<'t>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_span = Span::new(0, text.find('\n').unwrap_or(text.len()));
    let Some(Ok(header)) = records.next() else {
        for column in required {
            errors.push(DataError::MissingColumn {
                column,
                span: header_span.into(),
                help: format!(
                    "start the file with a header line: `{}`",
                    required.join(",")
                ),
            });
        }
        return Vec::new();
    };
    let mut header_fields = Vec::new();
    field_spans(text, 0, &mut header_fields);
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut unused: Vec<(String, Span)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let column = known.iter().copied().find(|k| *k == name);
        // A column named twice: neither copy can be taken over the other.
        if column.is_some() && columns.contains(&column) {
            let span = header_fields.get(i).copied().unwrap_or(header_span);
            errors.push(DataError::Malformed {
                reason: format!("the header names `{name}` twice; keep one column of that name"),
                span: span.into(),
            });
            return Vec::new();
        }
        if column.is_none() {
            let span = header_fields.get(i).copied().unwrap_or(header_span);
            unused.push((name.to_owned(), span));
        }
        columns.push(column);
    }
    // A few unused columns are named one by one; an export with hundreds gets one
    // warning, so the report stays as long as the problem, not the header.
    const NAMED: usize = 3;
    let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    let help = |what: &str| {
        format!(
            "this file's columns are {}; remove the others or rename {what}",
            listed.join(", ")
        )
    };
    if unused.len() <= NAMED {
        for (column, span) in unused {
            errors.push(DataError::UnknownColumn {
                column,
                span: span.into(),
                help: help("this one"),
            });
        }
    } else if let Some((_, first)) = unused.first() {
        let names: Vec<String> = unused
            .iter()
            .take(5)
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        errors.push(DataError::UnknownColumns {
            count: unused.len(),
            listed: format!(
                "{} and {} more",
                names.join(", "),
                unused.len() - names.len()
            ),
            span: (*first).into(),
            help: help("them"),
        });
    }
    let missing: Vec<&'static str> = required
        .iter()
        .copied()
        .filter(|r| !columns.contains(&Some(r)))
        .collect();
    if !missing.is_empty() {
        for column in missing {
            errors.push(DataError::MissingColumn {
                column,
                span: header_span.into(),
                help: format!("start the file with a header line: `{}`", known.join(",")),
            });
        }
        return Vec::new();
    }
    let mut rows = Vec::new();
    drop(records);
    // One record and one list of spans, reused for every row.
    // Bytes, not strings: the text is valid UTF-8 already and fields are read from it.
    let mut record = csv::ByteRecord::new();
    let mut spans: Vec<Span> = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                errors.push(DataError::Malformed {
                    reason: e.to_string(),
                    span: Span::new(at, at + 1).into(),
                });
                if e.is_io_error() {
                    break;
                }
                continue;
            }
        }
        let Some(position) = record.position() else {
            continue;
        };
        let start = position.byte() as usize;
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        field_spans(text, start, &mut spans);
        let end = spans.last().map_or(start, |s| s.end as usize);
        // A field the header has no column for is not dropped: the row is refused.
        if let Some(extra) = spans.get(columns.len()) {
            let decimal_comma = record.len() == columns.len() + 1;
            errors.push(DataError::Malformed {
                reason: format!(
                    "the row has {} fields but the header has {} columns{}",
                    record.len(),
                    columns.len(),
                    if decimal_comma {
                        "; a decimal comma (`5,9`) splits a number in two: write `5.9`, or quote the field"
                    } else {
                        ""
                    }
                ),
                span: Span::new(extra.start as usize, end).into(),
            });
            continue;
        }
        let mut fields = Fields::default();
        for (i, column) in columns.iter().enumerate() {
            let (Some(column), Some(span)) = (column, spans.get(i)) else {
                continue;
            };
            let raw = text
                .get(span.start as usize..span.end as usize)
                .unwrap_or("");
            fields.insert(column, (unquote(raw), *span));
        }
        let whole = Span::new(start, end);
        for column in required {
            if !fields.contains_key(column) {
                errors.push(DataError::Malformed {
                    reason: format!("no `{column}` field"),
                    span: whole.into(),
                });
            }
        }
        if required.iter().all(|c| fields.contains_key(c)) {
            rows.push(Row { fields, whole });
        }
    }
    rows
}

fn unquote(raw: &str) -> &str {
    let raw = raw.trim();
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw)
}

/// Byte spans of the fields of the CSV record starting at `start`, quotes included,
/// surrounding blanks excluded.
fn field_spans(text: &str, start: usize, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    spans.clear();
    let mut field_start = start;
    let mut in_quotes = false;
    let mut i = start;
    loop {
        let b = bytes.get(i).copied();
        match b {
            Some(b'"') => in_quotes = !in_quotes,
            Some(b',') if !in_quotes => {
                spans.push(trimmed(text, field_start, i));
                field_start = i + 1;
            }
            Some(b'\n') | Some(b'\r') | None if !in_quotes => {
                spans.push(trimmed(text, field_start, i));
                break;
            }
            None => {
                spans.push(trimmed(text, field_start, i));
                break;
            }
            _ => {}
        }
        i += 1;
    }
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let slice = text.get(start..end).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    Span::new(start + lead, end.saturating_sub(trail).max(start + lead))
}

/// A JSON object's entries in the order written, repeated keys kept (a map would
/// silently keep only one of them).
struct Entries<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<&'de str, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Rows of a JSON array of objects, or of NDJSON (one object a line). Values keep
/// their exact text: numbers are never read as floating point.
fn json_rows<'t>(text: &'t str, lines: bool, errors: &mut Vec<DataError>) -> Vec<Row<'t>> {
    let offset_of = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    let mut objects: Vec<(&'t str, usize)> = Vec::new();
    if lines {
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if !line.trim().is_empty() {
                objects.push((line.trim_end(), at));
            }
            at += line.len();
        }
    } else {
        match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => objects.extend(items.into_iter().map(|r| (r.get(), offset_of(r.get())))),
            Err(e) => errors.push(json_error(text, &e, 0)),
        }
    }
    let mut rows = Vec::new();
    for (object, at) in objects {
        let parsed: Result<Entries<'_>, _> = serde_json::from_str(object);
        let map = match parsed {
            Ok(m) => m.0,
            Err(e) => {
                errors.push(json_error(object, &e, at));
                continue;
            }
        };
        let whole = Span::new(at, at + object.len());
        // A key given twice: neither value can be taken over the other.
        let repeated = map
            .iter()
            .enumerate()
            .find(|(i, (key, _))| map.iter().take(*i).any(|(k, _)| k == key));
        if let Some((_, (key, value))) = repeated {
            let start = offset_of(value.get());
            errors.push(DataError::Malformed {
                reason: format!("the object names `{key}` twice; keep one"),
                span: Span::new(start, start + value.get().len()).into(),
            });
            continue;
        }
        let mut fields = Fields::default();
        for (key, value) in map {
            let Some(column) = ["period", "metric", "value", "segment"]
                .into_iter()
                .find(|k| *k == key)
            else {
                continue;
            };
            let raw = value.get();
            let start = offset_of(raw);
            let span = Span::new(start, start + raw.len());
            let content = if raw.starts_with('"') {
                raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")
            } else if raw == "null" {
                ""
            } else {
                raw
            };
            fields.insert(column, (content, span));
        }
        let missing: Vec<&str> = ["period", "metric", "value"]
            .into_iter()
            .filter(|c| !fields.contains_key(c))
            .collect();
        if missing.is_empty() {
            rows.push(Row { fields, whole });
        } else {
            errors.push(DataError::Malformed {
                reason: format!("no `{}` field", missing.join("`, `")),
                span: whole.into(),
            });
        }
    }
    rows
}

fn json_error(text: &str, e: &serde_json::Error, at: usize) -> DataError {
    // serde_json counts lines and columns from 1 within the text it was given.
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == e.line() {
            offset += line
                .char_indices()
                .nth(e.column().saturating_sub(1))
                .map_or(line.len(), |(b, _)| b);
            break;
        }
        offset += line.len();
    }
    DataError::Malformed {
        reason: e.to_string(),
        span: SourceSpan::new((at + offset.min(text.len())).into(), 1),
    }
}

/// The deliveries log: `date,deliverable,party`, one line a delivery.
pub fn load_deliveries(path: &Path, model: &Agreement, recorded: &mut Recorded) -> DataFile {
    let data = open(path);
    if !data.diagnostics.is_empty() {
        return data;
    }
    let text = data.file.text.clone();
    let mut errors = Vec::new();
    let known = ["date", "deliverable", "party"];
    for row in csv_rows(&text, &known, &known, &mut errors) {
        let (Some(&(date_text, date_span)), Some(&(what, what_span)), Some(&(party, party_span))) = (
            row.fields.get("date"),
            row.fields.get("deliverable"),
            row.fields.get("party"),
        ) else {
            continue;
        };
        let Some(obligation) = model.deliverable(what) else {
            let names = model.index.deliverables.keys().map(String::as_str);
            errors.push(DataError::UnknownDeliverable {
                name: what.to_owned(),
                span: what_span.into(),
                help: crate::check::names_help(what, "deliverable", names),
            });
            continue;
        };
        let Some(date) = parse_day(date_text, &model.zone) else {
            errors.push(DataError::InvalidDate {
                text: date_text.to_owned(),
                span: date_span.into(),
            });
            continue;
        };
        let owner = model.party(obligation.owner);
        if owner != party {
            errors.push(DataError::WrongParty {
                party: party.to_owned(),
                deliverable: what.to_owned(),
                owner: owner.to_owned(),
                span: party_span.into(),
            });
            continue;
        }
        let period = Period::containing(date, model.period);
        if !model.covers(period) {
            errors.push(DataError::PeriodOutside {
                period: date.to_string(),
                from: model.from.to_string(),
                to: model.to.to_string(),
                span: date_span.into(),
            });
            continue;
        }
        recorded.periods.insert(period);
        recorded
            .deliveries
            .entry(obligation.name.clone())
            .or_default()
            .push(date);
    }
    for days in recorded.deliveries.values_mut() {
        days.sort();
    }
    finish(data, errors)
}

/// A calendar day, or a timestamp with offset taken as the day in the agreement's zone.
pub fn parse_day(text: &str, zone: &jiff::tz::TimeZone) -> Option<Date> {
    // A day is the date alone: `2026-01-29 17:30` has a time but no offset, so which
    // day it is depends on a zone the log does not name; it is refused, not cut.
    let is_day = text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if is_day && let Ok(date) = text.parse::<Date>() {
        return Some(date);
    }
    let timestamp: jiff::Timestamp = text.parse().ok()?;
    Some(timestamp.to_zoned_datetime(zone.clone()).date())
}
