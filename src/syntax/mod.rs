//! Stage one: source text to a typed syntax tree with spans.
//!
//! pest pairs never leave this module; callers get [`ast::Agreement`] and diagnostics.

pub mod ast;
mod build;
mod cursor;
pub mod error;
mod expected;
mod parser;
mod pieces;
mod prescan;
pub(crate) mod quantity;

pub use quantity::minor_units;

use pest::Parser;

pub use build::MAX_EXPRESSION_DEPTH;
pub use error::SyntaxError;
pub use prescan::MAX_NESTING;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use ast::{Agreement, Span};

/// What parsing one file produced.
#[derive(Debug)]
pub struct Parsed {
    /// Present unless the file's outline (the `agreement "…" { … }` around it) is broken.
    pub agreement: Option<Agreement>,
    /// Every syntax error found, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Names declared by items that could not be read, so later stages can stay quiet
    /// about references to them.
    pub unreadable_names: Vec<String>,
}

/// Parses one `.sla` file, reporting every syntax error rather than stopping at the first.
/// Large files are parsed in pieces on several threads.
pub fn parse(file: &SourceFile) -> Parsed {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let pieces = if file.text.len() >= pieces::PIECEWISE_BYTES {
        workers
    } else {
        1
    };
    parse_in_pieces(file, pieces)
}

/// Parses a file in up to `pieces` pieces on as many threads. The result is the same
/// for every number of pieces; [`parse`] chooses one by file size and processor count.
pub fn parse_in_pieces(file: &SourceFile, pieces: usize) -> Parsed {
    let text: &str = &file.text;
    let scan = prescan::scan(text);
    if !scan.errors.is_empty() {
        return failed(scan.errors);
    }
    let starts = pieces::starts(text.len(), &scan.obligation_starts, pieces);
    let mut errors = Vec::new();
    let mut unreadable_names = Vec::new();
    let mut name = None;
    let mut span: Option<Span> = None;
    let mut items = Vec::new();
    let mut outline_errors = Vec::new();
    for result in pieces::parse(text, &starts) {
        let Some(piece) = result.piece else {
            // Parsed whole, the file would stop at the first broken outline.
            if outline_errors.is_empty() {
                outline_errors = result.errors;
            }
            continue;
        };
        errors.extend(result.errors);
        unreadable_names.extend(result.unreadable_names);
        name = name.or(piece.name);
        span = Some(span.map_or(piece.span, |s| s.to(piece.span)));
        items.extend(piece.items);
        for broken in piece.broken {
            let slice = file.slice(broken);
            errors.push(explain_broken_item(slice, broken));
            unreadable_names.extend(build::broken_name(slice));
        }
    }
    // A broken outline makes everything else noise, as when the file is parsed whole.
    if !outline_errors.is_empty() {
        return failed(outline_errors);
    }
    let agreement = match (name, span) {
        (Some(name), Some(span)) => Some(Agreement { name, span, items }),
        _ => {
            errors.push(SyntaxError::Internal {
                detail: "the agreement's name".to_owned(),
                span: Span::new(0, 0).into(),
            });
            None
        }
    };
    // Sorted, so that the result does not depend on how the file was cut.
    let mut diagnostics = crate::diagnostic::from_all(errors);
    crate::diagnostic::sort(&mut diagnostics);
    unreadable_names.sort();
    unreadable_names.dedup();
    Parsed {
        agreement,
        diagnostics,
        unreadable_names,
    }
}

/// Re-parses an item that failed inside the agreement on its own, where pest's error
/// points at the real problem instead of at the item's first token.
fn explain_broken_item(slice: &str, span: Span) -> SyntaxError {
    match parser::SlaParser::parse(parser::Rule::item_alone, slice) {
        Err(e) => expected::convert(&e, slice, span.start as usize, true),
        Ok(_) => SyntaxError::Unexpected {
            expected: "a complete item".to_owned(),
            found: format!("`{}`", slice.trim()),
            span: span.into(),
            help: "an item must fit on its own lines; check what comes right after it".to_owned(),
        },
    }
}

fn failed(errors: Vec<SyntaxError>) -> Parsed {
    Parsed {
        agreement: None,
        diagnostics: crate::diagnostic::from_all(errors),
        unreadable_names: Vec::new(),
    }
}
