//! The machine-readable report of `slac check --format json`. The schema is stable
//! and documented in the README; fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Run};

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::syntax::ast::Span;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Report<'a> {
    pub version: u32,
    pub valid: bool,
    pub files: Vec<FileReport<'a>>,
}

#[derive(Serialize)]
pub struct FileReport<'a> {
    pub file: &'a str,
    pub agreement: Option<&'a str>,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub span: Option<Location>,
    pub labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
pub struct JsonLabel<'a> {
    pub message: Option<&'a str>,
    pub primary: bool,
    pub span: Location,
}

pub use crate::source::Location;

fn location(file: &SourceFile, span: Span) -> Location {
    file.locate(span)
}

fn diagnostic<'a>(d: &'a Diagnostic, file: &SourceFile) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: &d.code,
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        span: d.primary_span().map(|s| location(file, s)),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: l.text.as_deref(),
                primary: l.primary,
                span: location(file, l.span),
            })
            .collect(),
    }
}

pub fn report(compiled: &[Compiled]) -> Report<'_> {
    let files: Vec<FileReport<'_>> = compiled
        .iter()
        .map(|c| FileReport {
            file: &c.file.name,
            agreement: c.agreement.as_ref().map(|a| a.name.node.as_str()),
            valid: c.is_valid(),
            errors: c.count(Severity::Error),
            warnings: c.count(Severity::Warning),
            diagnostics: c
                .diagnostics
                .iter()
                .map(|d| diagnostic(d, &c.file))
                .collect(),
        })
        .collect();
    Report {
        version: SCHEMA_VERSION,
        valid: files.iter().all(|f| f.valid),
        files,
    }
}

pub fn to_string(compiled: &[Compiled]) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&report(compiled))
        .unwrap_or_else(|e| format!("{{\"version\":{SCHEMA_VERSION},\"error\":\"{e}\"}}"))
}

/// One JSON document on stdout (schema in the README); nothing on stderr.
pub struct Json;

impl Emitter for Json {
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, _: &mut dyn Write) -> io::Result<()> {
        let text = match run {
            Run::Checked(compiled) => to_string(compiled),
            Run::Evaluated {
                compiled,
                evaluated,
            } => {
                let data = evaluated
                    .data
                    .iter()
                    .map(|f| (&f.file, f.diagnostics.as_slice()));
                match &evaluated.evaluation {
                    None => {
                        let errors: Vec<_> = evaluated.errors().cloned().collect();
                        let mut files: Vec<_> = data.collect();
                        if !errors.is_empty() {
                            files.push((&compiled.file, errors.as_slice()));
                        }
                        invalid_data_to_string(&files)
                    }
                    Some(evaluation) => {
                        let mut files = vec![(&compiled.file, evaluated.diagnostics.as_slice())];
                        files.extend(data);
                        evaluation_to_string(evaluation, &files)
                    }
                }
            }
        };
        writeln!(stdout, "{text}")
    }
}

/// A diagnostic with the file it points into, for reports spanning several files.
#[derive(Serialize)]
pub struct FileDiagnostic<'a> {
    pub file: &'a str,
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic<'a>,
}

#[derive(Serialize)]
struct EvaluationReport<'a> {
    version: u32,
    #[serde(flatten)]
    evaluation: &'a crate::eval::Evaluation,
    diagnostics: Vec<FileDiagnostic<'a>>,
}

/// `slac check --metrics … --format json`: the evaluation, with every diagnostic of
/// the agreement and data files.
pub fn evaluation_to_string(
    evaluation: &crate::eval::Evaluation,
    files: &[(&SourceFile, &[Diagnostic])],
) -> String {
    let diagnostics = file_diagnostics(files);
    let report = EvaluationReport {
        version: SCHEMA_VERSION,
        evaluation,
        diagnostics,
    };
    serde_json::to_string_pretty(&report)
        .unwrap_or_else(|e| format!("{{\"version\":{SCHEMA_VERSION},\"error\":\"{e}\"}}"))
}

#[derive(Serialize)]
struct InvalidDataReport<'a> {
    version: u32,
    valid: bool,
    diagnostics: Vec<FileDiagnostic<'a>>,
}

fn file_diagnostics<'a>(files: &[(&'a SourceFile, &'a [Diagnostic])]) -> Vec<FileDiagnostic<'a>> {
    files
        .iter()
        .flat_map(|(file, ds)| {
            ds.iter().map(move |d| FileDiagnostic {
                file: &file.name,
                diagnostic: diagnostic(d, file),
            })
        })
        .collect()
}

/// `slac check --metrics … --format json` when the data could not be read: nothing
/// was evaluated, and the diagnostics say why.
pub fn invalid_data_to_string(files: &[(&SourceFile, &[Diagnostic])]) -> String {
    let report = InvalidDataReport {
        version: SCHEMA_VERSION,
        valid: false,
        diagnostics: file_diagnostics(files),
    };
    serde_json::to_string_pretty(&report)
        .unwrap_or_else(|e| format!("{{\"version\":{SCHEMA_VERSION},\"error\":\"{e}\"}}"))
}
