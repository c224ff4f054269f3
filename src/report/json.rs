//! The machine-readable report of `slac check --format json`. The schema is stable
//! and documented in the README; fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Run};

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::syntax::ast::Span;

/// The version of the JSON schema; fields are only ever added within one.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
/// `slac check --format json` without data.
pub struct Report<'a> {
    /// [`SCHEMA_VERSION`].
    pub version: u32,
    /// Every file is valid.
    pub valid: bool,
    /// Each file, in the order given.
    pub files: Vec<FileReport<'a>>,
}

#[derive(Serialize)]
/// One agreement file's result.
pub struct FileReport<'a> {
    /// The path as given.
    pub file: &'a str,
    /// The agreement's name, when it parsed.
    pub agreement: Option<&'a str>,
    /// Parsed and without errors.
    pub valid: bool,
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
    /// Every diagnostic, sorted by position.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
/// A diagnostic as JSON.
pub struct JsonDiagnostic<'a> {
    /// The stable code.
    pub code: &'a str,
    /// `error`, `warning` or `advice`.
    pub severity: Severity,
    /// What is wrong.
    pub message: &'a str,
    /// What to do.
    pub help: Option<&'a str>,
    /// The primary label's place.
    pub span: Option<Location>,
    /// Every place it points at.
    pub labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
/// A label as JSON.
pub struct JsonLabel<'a> {
    /// What the place is.
    pub message: Option<&'a str>,
    /// The place the diagnostic is about.
    pub primary: bool,
    /// Where.
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

/// The report of checked files.
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

/// The report of checked files, as pretty-printed JSON.
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
    /// The file it points into.
    pub file: &'a str,
    /// The diagnostic.
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
