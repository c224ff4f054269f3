//! Helpers the integration tests share: where the project is, and running an
//! agreement against data through the same facade as `slac check`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use slac::data::RecordTally;
use slac::data::dataset::DataSpec;
use slac::eval::Evaluation;

/// The project's root: file names in outputs are written relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles an agreement and insists that it is valid.
pub fn valid(path: &Path) -> slac::Compiled {
    let compiled = slac::compile_path(path);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    compiled
}

/// `--data NAME=FILE`.
pub fn dataset(name: &str, path: &Path) -> DataSpec {
    DataSpec {
        name: name.to_owned(),
        path: path.to_path_buf(),
    }
}

/// The evaluation, which the data must have allowed.
pub fn judged(evaluated: &slac::Evaluated) -> &Evaluation {
    match &evaluated.evaluation {
        Some(e) => e,
        None => panic!("not evaluated: {:?}", data_diagnostics(evaluated)),
    }
}

/// Every problem found in the data files, as (file, code) pairs.
pub fn data_diagnostics(evaluated: &slac::Evaluated) -> Vec<(String, String)> {
    evaluated
        .data
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .map(|d| (f.file.name.clone(), d.code.clone()))
        })
        .collect()
}

/// A metric's computed value in one period (and segment).
pub fn value(
    evaluated: &slac::Evaluated,
    metric: &str,
    period: &str,
    segment: Option<&str>,
) -> Option<Decimal> {
    evaluated
        .evaluation
        .as_ref()?
        .metrics
        .iter()
        .find(|m| {
            m.metric == metric && m.period.label() == period && m.segment.as_deref() == segment
        })
        .map(|m| m.value)
}

/// A per-row promise's tally in one period.
pub fn tally<'a>(
    evaluated: &'a slac::Evaluated,
    obligation: &str,
    period: &str,
) -> Option<&'a RecordTally> {
    judged(evaluated)
        .periods
        .iter()
        .find(|p| p.period.label() == period)?
        .obligations
        .iter()
        .find(|o| &*o.id == obligation)?
        .rows
        .as_ref()
}

/// `text` with each edit applied: at a byte offset (wrapped to the text, moved back
/// to a character boundary), delete `span` characters or insert one of `tokens`.
/// Fuzzing by edits keeps the text close to what people write.
pub fn mutate(text: &str, edits: &[(usize, usize, bool)], tokens: &[&str], span: usize) -> String {
    let mut out = text.to_owned();
    for &(at, token, delete) in edits {
        let mut at = at % (out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        if delete {
            let end = out
                .get(at..)
                .unwrap_or_default()
                .char_indices()
                .nth(span)
                .map_or(out.len(), |(i, _)| at + i);
            out.replace_range(at..end, "");
        } else if let Some(t) = tokens.get(token % tokens.len().max(1)) {
            out.insert_str(at, t);
        }
    }
    out
}

/// The messages of a compiled agreement's diagnostics, in order.
pub fn messages(compiled: &slac::Compiled) -> Vec<&str> {
    compiled
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect()
}
