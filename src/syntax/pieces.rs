//! Parsing a large file in pieces on several threads.
//!
//! pest spends most of slac's time; a file of thousands of obligations is cut before
//! `obligation NAME {` lines at the top level of the agreement (found by the pre-scan),
//! and each piece is parsed and built on its own thread. Pieces are joined in file
//! order, so the result is the same whatever the number of threads.

use pest::Parser;

use super::ast::Span;
use super::build::{Builder, Piece};
use super::cursor::Fail;
use super::error::SyntaxError;
use super::expected;
use super::parser::{Rule, SlaParser};

/// Smaller files are parsed in one piece: threads would cost more than they save.
pub const PIECEWISE_BYTES: usize = 256 * 1024;

/// Each piece's thread gets a stack as roomy as the main one's.
const STACK_BYTES: usize = 16 * 1024 * 1024;

/// Where each piece starts: the first at 0, the others at the cut points closest to
/// equal shares of the file.
pub fn starts(len: usize, cut_points: &[usize], pieces: usize) -> Vec<usize> {
    let mut starts = vec![0];
    for k in 1..pieces.max(1) {
        let target = len / pieces * k;
        let at = cut_points.partition_point(|&p| p < target);
        if let Some(&cut) = cut_points.get(at)
            && starts.last().is_some_and(|&last| cut > last)
        {
            starts.push(cut);
        }
    }
    starts
}

/// The result of one piece: what it built, what went wrong, and whether its outline
/// (the part of `agreement "…" { … }` it holds) parsed at all.
pub struct PieceResult {
    pub piece: Option<Piece>,
    pub errors: Vec<SyntaxError>,
    pub unreadable_names: Vec<String>,
}

#[derive(Clone, Copy)]
enum Kind {
    Whole,
    Head,
    Body,
    Tail,
}

/// Parses `text` in pieces starting at `starts` (one piece parses it whole).
pub fn parse(text: &str, starts: &[usize]) -> Vec<PieceResult> {
    let ranges: Vec<(usize, usize, Kind)> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let kind = match (i, starts.len()) {
                (_, 1) => Kind::Whole,
                (0, _) => Kind::Head,
                (i, n) if i + 1 == n => Kind::Tail,
                _ => Kind::Body,
            };
            (start, end, kind)
        })
        .collect();
    let Some((&first, rest)) = ranges.split_first() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = rest
            .iter()
            .map(|&(start, end, kind)| {
                let spawned = std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, move || piece(text, start, end, kind));
                (start, spawned)
            })
            .collect();
        let mut results = vec![piece(text, first.0, first.1, first.2)];
        for (start, handle) in handles {
            let result = match handle {
                Ok(h) => h.join().ok(),
                // No thread to be had: do the work here instead.
                Err(_) => None,
            };
            results.push(result.unwrap_or_else(|| {
                let (_, end, kind) = ranges.iter().copied().find(|r| r.0 == start).unwrap_or((
                    start,
                    text.len(),
                    Kind::Tail,
                ));
                piece(text, start, end, kind)
            }));
        }
        results
    })
}

fn piece(text: &str, start: usize, end: usize, kind: Kind) -> PieceResult {
    let slice = text.get(start..end).unwrap_or("");
    let rule = match kind {
        Kind::Whole => Rule::file,
        Kind::Head => Rule::agreement_head,
        Kind::Body => Rule::agreement_body,
        Kind::Tail => Rule::agreement_tail,
    };
    let mut pairs = match SlaParser::parse(rule, slice) {
        Ok(pairs) => pairs,
        Err(e) => {
            return PieceResult {
                piece: None,
                errors: vec![expected::convert(&e, slice, start, false)],
                unreadable_names: Vec::new(),
            };
        }
    };
    let pair = pairs.next().and_then(|p| match kind {
        // `file` wraps the agreement; the pieces are agreements themselves.
        Kind::Whole => p.into_inner().next(),
        _ => Some(p),
    });
    let Some(pair) = pair else {
        return PieceResult {
            piece: None,
            errors: vec![SyntaxError::Internal {
                detail: "the top of the file".to_owned(),
                span: Span::new(start, start).into(),
            }],
            unreadable_names: Vec::new(),
        };
    };
    let mut builder = Builder::new(start);
    let built = builder.agreement(pair, text);
    let mut errors = std::mem::take(&mut builder.errors);
    let piece = match built {
        Ok(piece) => Some(piece),
        Err(Fail::Internal(e)) => {
            errors.push(e);
            None
        }
        Err(Fail::Reported) => None,
    };
    PieceResult {
        piece,
        errors,
        unreadable_names: builder.poisoned,
    }
}
