//! The one diagnostic type every stage reports into.
//!
//! Each stage has its own typed error enum (deriving `miette::Diagnostic`); they are
//! converted into [`Diagnostic`] so that one run can sort, count, render and serialise
//! problems from all stages the same way.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use serde::Serialize;

use crate::source::SourceFile;
use crate::syntax::ast::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// Takes everything a stage's typed error says about itself.
    pub fn from_miette(d: &dyn miette::Diagnostic) -> Self {
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
                span: Span::new(l.offset(), l.offset() + l.len()),
                text: l.label().map(str::to_owned),
                primary: l.primary(),
            })
            .collect();
        // The first label is the primary one unless a stage marked another.
        if !labels.iter().any(|l| l.primary)
            && let Some(first) = labels.first_mut()
        {
            first.primary = true;
        }
        Diagnostic {
            code: d.code().map(|c| c.to_string()).unwrap_or_default(),
            severity,
            message: d.to_string(),
            help: d.help().map(|h| h.to_string()),
            labels,
        }
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

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

/// Sorts by position in the file, then severity and code, so that output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

pub fn from_all<E: miette::Diagnostic>(errors: impl IntoIterator<Item = E>) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|e| Diagnostic::from_miette(&e))
        .collect()
}

/// A diagnostic together with the file it points into, as miette renders it.
pub struct InFile<'a> {
    pub diagnostic: &'a Diagnostic,
    pub file: &'a SourceFile,
}

impl fmt::Debug for InFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for InFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for InFile<'_> {}

impl miette::Diagnostic for InFile<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.diagnostic.labels.is_empty() {
            None
        } else {
            Some(self.file)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.diagnostic.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.diagnostic.labels.iter().map(|l| {
            let span: miette::SourceSpan = l.span.into();
            if l.primary {
                LabeledSpan::new_primary_with_span(l.text.clone(), span)
            } else {
                LabeledSpan::new_with_span(l.text.clone(), span)
            }
        })))
    }
}

/// Renders diagnostics as people read them. `colour` is off for snapshots and pipes.
pub struct HumanRenderer {
    handler: GraphicalReportHandler,
}

impl HumanRenderer {
    pub fn new(width: usize, colour: bool) -> Self {
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        HumanRenderer {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false)
                .with_urls(false),
        }
    }

    /// The fixed form used by tests: no colour, 100 columns.
    pub fn plain() -> Self {
        HumanRenderer::new(100, false)
    }

    pub fn render(&self, diagnostic: &Diagnostic, file: &SourceFile) -> String {
        let mut out = String::new();
        let in_file = InFile { diagnostic, file };
        if self.handler.render_report(&mut out, &in_file).is_err() {
            // Rendering into a String cannot fail; keep the message if it ever does.
            out = format!("{}: {}\n", diagnostic.severity.word(), diagnostic.message);
        }
        out
    }
}
