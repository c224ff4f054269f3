//! The one diagnostic type every stage reports into.
//!
//! Each stage has its own typed error enum (deriving `miette::Diagnostic`). A
//! [`Diagnostic`] keeps that error as it is, in [`Kind`], so that a quick fix, a
//! SARIF rule or a language-server action matches on the variant and its fields;
//! beside it are the code, message, help and labels read off the error once, so that
//! one run can sort, count and hand problems from all stages to the emitters in
//! `report`, which alone render them.

use serde::Serialize;

use crate::check::error::CheckError;
use crate::data::dataset::error::DatasetError;
use crate::data::error::DataError;
use crate::eval::error::EvalError;
use crate::eval::finding::Finding;
use crate::source::{FileId, SourceError};
use crate::syntax::ast::Span;
use crate::syntax::error::SyntaxError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
/// How much a diagnostic matters.
pub enum Severity {
    /// The file or data is refused (exit status 2), or an obligation missed.
    Error,
    /// Worth fixing; does not stop a run unless `--deny-warnings`.
    Warning,
    /// A hint.
    Advice,
}

impl Severity {
    /// The severity as messages write it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A place a diagnostic points at.
pub struct Label {
    /// The file the span is in.
    pub file: FileId,
    /// Where, in that file.
    pub span: Span,
    /// What the place is, shown beside it.
    pub text: Option<String>,
    /// The place the diagnostic is about (one per diagnostic).
    pub primary: bool,
}

/// The stage a diagnostic comes from, with that stage's typed error.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Reading a file: unreadable, not UTF-8, binary, too large.
    Source(SourceError),
    /// Parsing an agreement.
    Syntax(SyntaxError),
    /// Names, units, tiers, bands and dependencies of an agreement.
    Check(CheckError),
    /// A recorded metrics file or a deliveries log.
    Data(DataError),
    /// An event dataset.
    Dataset(DatasetError),
    /// Evaluation: missing data, divisions by zero.
    Eval(EvalError),
    /// What evaluation found: a shortfall, a termination.
    Finding(Finding),
}

macro_rules! kind_from {
    ($($variant:ident($error:ty)),*) => {
        $(impl From<$error> for Kind {
            fn from(e: $error) -> Kind {
                Kind::$variant(e)
            }
        })*
    };
}

kind_from!(
    Source(SourceError),
    Syntax(SyntaxError),
    Check(CheckError),
    Data(DataError),
    Dataset(DatasetError),
    Eval(EvalError),
    Finding(Finding)
);

impl Kind {
    fn as_miette(&self) -> &dyn miette::Diagnostic {
        match self {
            Kind::Source(e) => e,
            Kind::Syntax(e) => e,
            Kind::Check(e) => e,
            Kind::Data(e) => e,
            Kind::Dataset(e) => e,
            Kind::Eval(e) => e,
            Kind::Finding(e) => e,
        }
    }
}

/// One problem or finding, typed by its stage, with what it says read off once.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The stage's own error, variant and fields intact.
    pub kind: Kind,
    /// The stable code, such as `slac::check::unknown_party`.
    pub code: String,
    /// How much it matters.
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The places it points at; one is primary.
    pub labels: Vec<Label>,
}

/// Two diagnostics are the same when they say the same about the same places.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Diagnostic) -> bool {
        (
            &self.code,
            self.severity,
            &self.message,
            &self.help,
            &self.labels,
        ) == (
            &other.code,
            other.severity,
            &other.message,
            &other.help,
            &other.labels,
        )
    }
}

impl Eq for Diagnostic {}

impl Diagnostic {
    /// Takes a stage's typed error, reading off everything it says about itself.
    pub fn new(kind: impl Into<Kind>) -> Self {
        let kind = kind.into();
        let d = kind.as_miette();
        let severity = match d.severity() {
            Some(miette::Severity::Warning) => Severity::Warning,
            Some(miette::Severity::Advice) => Severity::Advice,
            Some(miette::Severity::Error) | None => Severity::Error,
        };
        let mut labels: Vec<Label> = d
            .labels()
            .into_iter()
            .flatten()
            .map(|l| Label {
                file: FileId::AGREEMENT,
                span: Span::new(l.offset(), l.offset() + l.len()),
                text: l.label().map(shown),
                primary: l.primary(),
            })
            .collect();
        // The first label is the primary one unless a stage marked another.
        if !labels.iter().any(|l| l.primary)
            && let Some(first) = labels.first_mut()
        {
            first.primary = true;
        }
        let code = d.code().map(|c| c.to_string()).unwrap_or_default();
        let message = shown(&d.to_string());
        let help = d.help().map(|h| shown(&h.to_string()));
        Diagnostic {
            kind,
            code,
            severity,
            message,
            help,
            labels,
        }
    }

    /// The same diagnostic, pointing into file `id` of the run (a data file).
    pub fn in_file(mut self, id: FileId) -> Self {
        for label in &mut self.labels {
            label.file = id;
        }
        self
    }

    /// Where the diagnostic is, if it points anywhere.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (u32, u32, Severity, &str, &str) {
        let span = self.primary_span().unwrap_or_default();
        (
            span.start,
            span.end,
            self.severity,
            &self.code,
            &self.message,
        )
    }
}

/// Longest name shown whole in a message or a table cell; a longer one keeps its
/// start and end around an `…`.
pub const NAME_CHARS: usize = 60;

/// Longest message, help or label shown whole: what a diagnostic quotes from a
/// hostile file must not make it megabytes long.
const TEXT_CHARS: usize = 2_000;

/// `text` cut to its first and last characters around an `…` when longer than
/// `keep` characters.
fn cut(text: &str, keep: usize) -> String {
    let count = text.chars().count();
    if count <= keep {
        return text.to_owned();
    }
    let half = (keep - 1) / 2;
    let start: String = text.chars().take(half).collect();
    let end: String = text.chars().skip(count - half).collect();
    format!("{start}…{end}")
}

/// A name (a table cell) elided to [`NAME_CHARS`] characters.
pub fn elided(cell: &str) -> String {
    cut(cell, NAME_CHARS)
}

/// A sentence with every `quoted` name in it elided to [`NAME_CHARS`] characters.
pub fn quoted_elided(text: &str) -> String {
    quoted_cut(text, NAME_CHARS)
}

/// A sentence with every `quoted` part in it cut to `keep` characters.
fn quoted_cut(text: &str, keep: usize) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                cut(part, keep)
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Longest quoted part of a message shown whole: examples of code fit, a name
/// of a megabyte does not.
const QUOTED_CHARS: usize = 200;

/// A message, help or label as shown: long quoted parts cut, then the whole bounded.
fn shown(text: &str) -> String {
    if text.len() <= QUOTED_CHARS {
        return text.to_owned();
    }
    cut(&quoted_cut(text, QUOTED_CHARS), TEXT_CHARS)
}

/// Sorts by position in the file, then severity and code, so that output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Each of a stage's errors as a diagnostic.
pub fn from_all<E: Into<Kind>>(errors: impl IntoIterator<Item = E>) -> Vec<Diagnostic> {
    errors.into_iter().map(Diagnostic::new).collect()
}
