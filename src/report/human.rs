//! The report people read: each diagnostic rendered by miette, then one line a file.
//! The only place a [`Diagnostic`] becomes terminal text.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use std::io::{self, Write};

use super::{Emitter, Run};
use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::syntax::ast::Item;

/// A diagnostic together with the file it points into, as miette renders it.
pub struct InFile<'a> {
    /// The diagnostic.
    pub diagnostic: &'a Diagnostic,
    /// The file its labels point into.
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
    /// A renderer for a terminal `width` columns wide, in colour or not.
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

    /// One diagnostic with its snippet, as text.
    pub fn render(&self, diagnostic: &Diagnostic, file: &SourceFile) -> String {
        // A label on a very long line is shown in a window of that line: a whole
        // minified line is unreadable, and miette cannot draw columns past 65,535.
        let spans: Vec<_> = diagnostic.labels.iter().map(|l| l.span).collect();
        if let Some((window, moved)) = file.window(&spans) {
            let mut windowed = diagnostic.clone();
            for (label, span) in windowed.labels.iter_mut().zip(moved) {
                label.span = span;
            }
            return self.render_in(&windowed, &window);
        }
        self.render_in(diagnostic, file)
    }

    fn render_in(&self, diagnostic: &Diagnostic, file: &SourceFile) -> String {
        let mut out = String::new();
        let in_file = InFile { diagnostic, file };
        if self.handler.render_report(&mut out, &in_file).is_err() {
            // Rendering into a String cannot fail; keep the message if it ever does.
            out = format!("{}: {}\n", diagnostic.severity.word(), diagnostic.message);
        }
        out
    }
}

/// Diagnostics with source snippets on stderr; a summary line a file, or the table
/// of periods, on stdout.
pub struct Human {
    /// How diagnostics are drawn (width, colour).
    pub renderer: HumanRenderer,
}

impl Emitter for Human {
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<()> {
        for l in super::for_reading(super::located(run)) {
            writeln!(stderr, "{}", self.renderer.render(&l.diagnostic, l.file))?;
        }
        match run {
            Run::Checked(compiled) => {
                for c in compiled {
                    writeln!(stdout, "{}", summary(c))?;
                }
            }
            Run::Evaluated {
                compiled,
                evaluated,
            } => match &evaluated.evaluation {
                None => {
                    let errors = evaluated.data_errors() + evaluated.errors().count();
                    writeln!(
                        stdout,
                        "failed: the data for {} has {} error{}; nothing was evaluated",
                        compiled.file.name,
                        errors,
                        if errors == 1 { "" } else { "s" }
                    )?;
                }
                Some(evaluation) => write!(stdout, "{}", super::evaluation::table(evaluation))?,
            },
        }
        Ok(())
    }
}

/// All diagnostics of one file, rendered.
pub fn diagnostics(compiled: &Compiled, renderer: &HumanRenderer) -> String {
    compiled
        .diagnostics
        .iter()
        .map(|d| renderer.render(d, &compiled.file))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line saying whether the file is valid and what it holds.
pub fn summary(compiled: &Compiled) -> String {
    let errors = compiled.count(Severity::Error);
    let warnings = compiled.count(Severity::Warning);
    let name = &compiled.file.name;
    let warnings_text = match warnings {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    if compiled.is_valid() {
        let contents = compiled
            .agreement
            .as_ref()
            .map(|a| {
                let count = |f: fn(&Item) -> bool| a.items.iter().filter(|i| f(i)).count();
                format!(
                    " ({}, {}, {})",
                    plural(count(|i| matches!(i, Item::Obligation(_))), "obligation"),
                    plural(count(|i| matches!(i, Item::Party(_))), "party"),
                    plural(count(|i| matches!(i, Item::Metric(_))), "metric"),
                )
            })
            .unwrap_or_default();
        format!("ok: {name} is valid{contents}{warnings_text}")
    } else {
        let errors_text = plural(errors, "error");
        format!("failed: {name} has {errors_text}{warnings_text}")
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "party") => format!("{n} parties"),
        _ => format!("{n} {word}s"),
    }
}
