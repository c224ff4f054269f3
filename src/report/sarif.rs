//! `--format sarif`: one SARIF 2.1.0 log on stdout, for code scanning (GitHub uploads
//! it with `github/codeql-action/upload-sarif`) and any other SARIF viewer. Each
//! stable code is a rule; each diagnostic a result at its primary label, with the
//! other labels (each step of a `requires` cycle, a root cause) as related locations.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Located, Run, located};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::syntax::ast::Span;

/// The SARIF log, pretty-printed on stdout; nothing on stderr.
pub struct Sarif;

impl Emitter for Sarif {
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, _: &mut dyn Write) -> io::Result<()> {
        let log = log(&located(run));
        // Plain structs of strings and numbers: serialising cannot fail.
        let text = serde_json::to_string_pretty(&log).unwrap_or_default();
        writeln!(stdout, "{text}")
    }
}

/// The version of SARIF written, and where its schema is.
pub const VERSION: &str = "2.1.0";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: u64,
    byte_length: u64,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

fn log(located: &[Located<'_>]) -> Log {
    // One rule per code that occurs, in code order, so the log is deterministic.
    let mut rules: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for l in located {
        rules.entry(&l.diagnostic.code).or_insert(&l.diagnostic);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let results = located
        .iter()
        .map(|l| {
            result(
                l,
                index.get(l.diagnostic.code.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let rules = rules.into_iter().map(|(code, d)| rule(code, d)).collect();
    Log {
        schema: SCHEMA,
        version: VERSION,
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "slac",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository(),
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    }
}

/// The project's home, when the build names one (Cargo's `repository`).
fn repository() -> Option<String> {
    option_env!("CARGO_PKG_REPOSITORY")
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

fn rule(code: &str, example: &Diagnostic) -> Rule {
    let explanation = crate::explain::find(code);
    let summary = explanation.map_or_else(|| example.message.clone(), |e| e.summary.to_owned());
    let full = explanation.map_or_else(|| summary.clone(), |e| e.text());
    let more = format!("`slac explain {code}` shows this with a wrong and a right example.");
    let text = format!("{full}\n\n{more}");
    let markdown = match explanation {
        Some(e) => e.markdown(),
        None => text.clone(),
    };
    Rule {
        id: code.to_owned(),
        short_description: Text {
            text: summary.clone(),
        },
        full_description: Text { text: full },
        help: Help { text, markdown },
        help_uri: explanation.and_then(|e| repository().map(|r| e.uri(&r))),
        default_configuration: Configuration {
            level: level(example.severity),
        },
    }
}

fn result(l: &Located<'_>, rule_index: usize) -> SarifResult {
    let d = &l.diagnostic;
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let place = |span: Span, text: Option<&String>, id: Option<usize>| Location {
        id,
        physical_location: physical(l.file, span),
        message: text.map(|t| Text { text: t.clone() }),
    };
    let primary = d.labels.iter().find(|label| label.primary);
    let locations = match primary {
        Some(label) => vec![place(label.span, label.text.as_ref(), None)],
        // A diagnostic about a file as a whole still names the file.
        None => vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(l.file),
                region: None,
            },
            message: None,
        }],
    };
    let related_locations = d
        .labels
        .iter()
        .filter(|label| !label.primary)
        .enumerate()
        .map(|(i, label)| place(label.span, label.text.as_ref(), Some(i)))
        .collect();
    SarifResult {
        rule_id: d.code.clone(),
        rule_index,
        level: level(d.severity),
        message: Text { text: message },
        locations,
        related_locations,
    }
}

fn physical(file: &SourceFile, span: Span) -> PhysicalLocation {
    let at = file.locate(span);
    PhysicalLocation {
        artifact_location: artifact(file),
        region: Some(Region {
            start_line: at.line,
            start_column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
            byte_offset: at.start,
            byte_length: at.end.saturating_sub(at.start),
        }),
    }
}

fn artifact(file: &SourceFile) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri(&file.name),
    }
}

/// A path as a relative URI reference: `/` separates, anything else outside the
/// unreserved characters is percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("sla-examples/lead log.sla"),
            "sla-examples/lead%20log.sla"
        );
        assert_eq!(uri("data\\März.csv"), "data/M%C3%A4rz.csv");
    }
}
