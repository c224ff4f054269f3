//! One version of an open document, compiled through the same facade as `slac check`:
//! its diagnostics (the checker's own codes, messages and spans), its names, and its
//! resolved model when it has no error.

use lsp_types::{DiagnosticSeverity, NumberOrString};

use super::index::Index;
use super::text::Lines;
use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};

pub struct Analysis {
    pub text: String,
    pub lines: Lines,
    pub compiled: Compiled,
    /// When the text has a block not yet closed: the tree of the text with the
    /// missing `}` added (the spans are the text's own).
    recovered: Option<crate::syntax::ast::Agreement>,
    pub index: Index,
}

impl Analysis {
    pub fn new(name: &str, text: String) -> Analysis {
        let compiled = crate::compile_str(name, &text);
        // Text being typed often has a block not yet closed, and a file whose braces
        // do not balance is not parsed at all: the names then come from the text
        // with the missing `}` added at its end.
        let recovered = match &compiled.agreement {
            Some(_) => None,
            None => {
                let closed = format!("{text}{}", "\n}".repeat(unclosed(&text)));
                crate::compile_str(name, &closed).agreement
            }
        };
        let index = compiled
            .agreement
            .as_ref()
            .or(recovered.as_ref())
            .map(Index::build)
            .unwrap_or_default();
        Analysis {
            lines: Lines::new(&text),
            text,
            compiled,
            recovered,
            index,
        }
    }

    /// The syntax tree: the file's, or the one recovered from it.
    pub fn tree(&self) -> Option<&crate::syntax::ast::Agreement> {
        self.compiled.agreement.as_ref().or(self.recovered.as_ref())
    }

    /// The byte offset of a protocol position.
    pub fn offset(&self, position: lsp_types::Position) -> usize {
        self.lines.offset(&self.text, position)
    }

    pub fn range(&self, span: crate::syntax::ast::Span) -> lsp_types::Range {
        self.lines.range(&self.text, span)
    }

    /// Every diagnostic of `slac check`, as the protocol carries it: the code, the
    /// message with its help on a second line, the primary span, and the other
    /// labels as related information.
    pub fn diagnostics(&self, uri: &lsp_types::Uri) -> Vec<lsp_types::Diagnostic> {
        self.compiled
            .diagnostics
            .iter()
            .map(|d| self.diagnostic(uri, d))
            .collect()
    }

    fn diagnostic(&self, uri: &lsp_types::Uri, d: &Diagnostic) -> lsp_types::Diagnostic {
        let span = d.primary_span().unwrap_or_default();
        let at = |span, message: String| lsp_types::DiagnosticRelatedInformation {
            location: lsp_types::Location {
                uri: uri.clone(),
                range: self.range(span),
            },
            message,
        };
        // The message as `slac check` writes it; what its labels and help line say
        // goes with it as related information (editors show it beneath).
        let mut related: Vec<lsp_types::DiagnosticRelatedInformation> = Vec::new();
        for l in d.labels.iter().filter(|l| l.primary) {
            related.extend(l.text.clone().map(|t| at(l.span, t)));
        }
        related.extend(d.help.clone().map(|h| at(span, format!("help: {h}"))));
        for l in d.labels.iter().filter(|l| !l.primary) {
            related.push(at(
                l.span,
                l.text.clone().unwrap_or_else(|| "here".to_owned()),
            ));
        }
        let message = d.message.clone();
        lsp_types::Diagnostic {
            range: self.range(span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Advice => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.clone())),
            source: Some("slac".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }
}

/// How many `{` are never closed (strings and comments left out).
fn unclosed(text: &str) -> usize {
    let mut depth = 0usize;
    for line in text.lines() {
        let mut in_string = false;
        for c in super::text::code_part(line).chars() {
            match c {
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth.min(64)
}
