//! Stage one: source text to a typed syntax tree with spans.
//!
//! pest pairs never leave this module; callers get [`ast::Agreement`] and diagnostics.

pub mod ast;
mod build;
mod cursor;
mod error;
mod expected;
mod parser;
mod prescan;
mod quantity;

use pest::Parser;

pub use build::MAX_EXPRESSION_DEPTH;
pub use error::SyntaxError;
pub use prescan::MAX_NESTING;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use ast::{Agreement, Span};
use cursor::Fail;
use parser::{Rule, SlaParser};

/// What parsing one file produced.
#[derive(Debug)]
pub struct Parsed {
    /// Present unless the file's outline (the `agreement "…" { … }` around it) is broken.
    pub agreement: Option<Agreement>,
    pub diagnostics: Vec<Diagnostic>,
    /// Names declared by items that could not be read, so later stages can stay quiet
    /// about references to them.
    pub unreadable_names: Vec<String>,
}

pub fn parse(file: &SourceFile) -> Parsed {
    let text: &str = &file.text;
    let structural = prescan::scan(text);
    if !structural.is_empty() {
        return failed(structural);
    }
    let mut pairs = match SlaParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(e) => return failed(vec![expected::convert(&e, text, 0, false)]),
    };
    let Some(agreement_pair) = pairs.next().and_then(|file| file.into_inner().next()) else {
        return failed(vec![SyntaxError::Internal {
            detail: "the top of the file".to_owned(),
            span: Span::new(0, 0).into(),
        }]);
    };
    let mut builder = build::Builder::new(0);
    let built = builder.agreement(agreement_pair, text);
    let mut errors = std::mem::take(&mut builder.errors);
    let mut unreadable_names = std::mem::take(&mut builder.poisoned);
    let agreement = match built {
        Ok((agreement, broken)) => {
            for span in broken {
                let slice = file.slice(span);
                errors.push(explain_broken_item(slice, span));
                unreadable_names.extend(build::broken_name(slice));
            }
            Some(agreement)
        }
        Err(Fail::Internal(e)) => {
            errors.push(e);
            None
        }
        Err(Fail::Reported) => None,
    };
    Parsed {
        agreement,
        diagnostics: crate::diagnostic::from_all(errors),
        unreadable_names,
    }
}

/// Re-parses an item that failed inside the agreement on its own, where pest's error
/// points at the real problem instead of at the item's first token.
fn explain_broken_item(slice: &str, span: Span) -> SyntaxError {
    match SlaParser::parse(Rule::item_alone, slice) {
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
