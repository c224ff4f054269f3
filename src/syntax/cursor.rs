//! Walks the children of one pest pair by rule, so that each builder function reads
//! like its grammar rule, and a grammar/tree mismatch is an internal error instead of
//! a panic.

use std::iter::Peekable;

use pest::iterators::{Pair, Pairs};

use super::ast::Span;
use super::error::SyntaxError;
use super::parser::Rule;

/// Why building a node stopped: a bug (grammar and builder disagree), or a problem
/// with the author's text that has already been recorded.
#[derive(Debug)]
pub enum Fail {
    Internal(SyntaxError),
    Reported,
}

pub type Built<T> = Result<T, Fail>;

pub struct Cursor<'i> {
    parent: Rule,
    offset: usize,
    span: Span,
    children: Peekable<Pairs<'i, Rule>>,
}

/// The pair's span without the whitespace and comments pest lets a rule swallow when
/// it tries an optional part at its end, so labels underline only what was written.
///
/// `offset` is where the parsed text starts in the file: a large file is parsed in
/// pieces, and pest counts positions from the start of each piece.
pub fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let s = pair.as_span();
    let text = trim_trivia(s.as_str());
    Span::new(offset + s.start(), offset + s.start() + text.len())
}

fn trim_trivia(mut text: &str) -> &str {
    // Trailing trivia always ends in a blank (a comment is followed by its newline), so
    // the common case of a pair ending in a token needs no scan.
    if !text.ends_with(|c: char| c.is_ascii_whitespace()) {
        return text;
    }
    loop {
        text = text.trim_end();
        let last_line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let Some(last_line) = text.get(last_line_start..) else {
            return text;
        };
        match comment_start(last_line) {
            Some(at) if last_line_start + at > 0 => {
                text = text.get(..last_line_start + at).unwrap_or(text);
            }
            _ => return text,
        }
    }
}

/// Where a `//` comment starts on a line, ignoring `//` inside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
    }
    None
}

pub fn internal(detail: String, span: Span) -> Fail {
    Fail::Internal(SyntaxError::Internal {
        detail,
        span: span.into(),
    })
}

/// Punctuation carries no meaning once parsed; it has rules only for error messages.
fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::open
            | Rule::close
            | Rule::paren_open
            | Rule::paren_close
            | Rule::assign
            | Rule::colon
            | Rule::comma
            | Rule::arrow
            | Rule::dash
            | Rule::EOI
            | Rule::kw_a
            | Rule::kw_action
            | Rule::kw_against
            | Rule::kw_agreement
            | Rule::kw_any
            | Rule::kw_at
            | Rule::kw_bands
            | Rule::kw_by
            | Rule::kw_calendar
            | Rule::kw_cap
            | Rule::kw_contact
            | Rule::kw_credit
            | Rule::kw_credits
            | Rule::kw_deliver
            | Rule::kw_effective
            | Rule::kw_else
            | Rule::kw_every
            | Rule::kw_for
            | Rule::kw_holiday
            | Rule::kw_hours
            | Rule::kw_in
            | Rule::kw_input
            | Rule::kw_kind
            | Rule::kw_last
            | Rule::kw_let
            | Rule::kw_metric
            | Rule::kw_missed
            | Rule::kw_obligation
            | Rule::kw_of
            | Rule::kw_over
            | Rule::kw_party
            | Rule::kw_per
            | Rule::kw_period
            | Rule::kw_periods
            | Rule::kw_promise
            | Rule::kw_recalculated
            | Rule::kw_remedy
            | Rule::kw_requires
            | Rule::kw_responsible
            | Rule::kw_role
            | Rule::kw_row
            | Rule::kw_segment
            | Rule::kw_strike
            | Rule::kw_summary
            | Rule::kw_terminate
            | Rule::kw_the
            | Rule::kw_tier
            | Rule::kw_to
            | Rule::kw_when
            | Rule::kw_zone
            | Rule::kw_and
            | Rule::kw_business
            | Rule::kw_column
            | Rule::kw_count
            | Rule::kw_dataset
            | Rule::kw_expect
            | Rule::kw_from
            | Rule::kw_is
            | Rule::kw_key
            | Rule::kw_least
            | Rule::kw_max
            | Rule::kw_mean
            | Rule::kw_median
            | Rule::kw_min
            | Rule::kw_missing
            | Rule::kw_not
            | Rule::kw_optional
            | Rule::kw_or
            | Rule::kw_owner
            | Rule::kw_percentile
            | Rule::kw_set
            | Rule::kw_share
            | Rule::kw_sum
            | Rule::kw_where
            | Rule::kw_within
            | Rule::kw_as
            | Rule::kw_consequences
            | Rule::kw_follow
            | Rule::kw_root
            | Rule::kw_cause
            | Rule::kw_delimiter
    )
}

impl<'i> Cursor<'i> {
    pub fn new(pair: Pair<'i, Rule>, offset: usize) -> Self {
        Cursor {
            parent: pair.as_rule(),
            offset,
            span: span_of(&pair, offset),
            children: pair.into_inner().peekable(),
        }
    }

    fn skip_punctuation(&mut self) {
        while self
            .children
            .peek()
            .is_some_and(|p| is_punctuation(p.as_rule()))
        {
            self.children.next();
        }
    }

    pub fn peek_rule(&mut self) -> Option<Rule> {
        self.skip_punctuation();
        self.children.peek().map(Pair::as_rule)
    }

    pub fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek_rule() == Some(rule) {
            self.children.next()
        } else {
            None
        }
    }

    pub fn required(&mut self, rule: Rule) -> Built<Pair<'i, Rule>> {
        self.optional(rule).ok_or_else(|| {
            internal(
                format!("`{:?}` inside `{:?}`", rule, self.parent),
                self.span,
            )
        })
    }

    pub fn many(&mut self, rule: Rule) -> Vec<Pair<'i, Rule>> {
        std::iter::from_fn(|| self.optional(rule)).collect()
    }

    /// The next meaningful child, whatever its rule.
    pub fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_punctuation();
        self.children.next()
    }

    pub fn finish(mut self) -> Built<()> {
        match self.next() {
            None => Ok(()),
            Some(extra) => Err(internal(
                format!(
                    "unexpected `{:?}` inside `{:?}`",
                    extra.as_rule(),
                    self.parent
                ),
                span_of(&extra, self.offset),
            )),
        }
    }
}
