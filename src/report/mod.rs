//! Stage four: what people and machines read. Every output format is one
//! [`Emitter`] over the same run (agreements checked, or one judged against data), in
//! a file of its own; a new format is one more file here. Diagnostics go to stderr,
//! results to stdout; the same inputs always give byte-identical output.

pub mod diff;
pub mod evaluation;
pub mod github;
pub mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod plan;
pub mod sarif;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::{Compiled, Evaluated};

/// What a run of `slac check` produced.
#[derive(Clone, Copy)]
pub enum Run<'a> {
    /// Agreements checked without data.
    Checked(&'a [Compiled]),
    /// One agreement judged against its data, or refused for bad data.
    Evaluated {
        /// The agreement.
        compiled: &'a Compiled,
        /// The judgement, the data files and every diagnostic.
        evaluated: &'a Evaluated,
    },
}

/// One output format.
pub trait Emitter {
    /// Writes the run: results to `stdout`, diagnostics for people to `stderr`.
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<()>;
}

/// A diagnostic with the file its labels point into.
pub struct Located<'a> {
    /// The file: an agreement, a metrics file, or the excerpt of a dataset file.
    pub file: &'a SourceFile,
    /// The diagnostic; evaluation's findings are made for the report, the rest borrowed.
    pub diagnostic: Cow<'a, Diagnostic>,
}

/// Every diagnostic of a run with its file, in the order people read them: for
/// checked files, file by file; for an evaluation, the data files' problems, then the
/// agreement's, with each shortfall and termination as a finding at its promise.
pub fn located(run: Run<'_>) -> Vec<Located<'_>> {
    fn borrowed<'a>(file: &'a SourceFile, ds: &'a [Diagnostic]) -> Vec<Located<'a>> {
        ds.iter()
            .map(|d| Located {
                file,
                diagnostic: Cow::Borrowed(d),
            })
            .collect()
    }
    let mut out = Vec::new();
    match run {
        Run::Checked(compiled) => {
            for c in compiled {
                out.extend(borrowed(&c.file, &c.diagnostics));
            }
        }
        Run::Evaluated {
            compiled,
            evaluated,
        } => {
            for f in &evaluated.data {
                out.extend(borrowed(&f.file, &f.diagnostics));
            }
            let file = &compiled.file;
            match &evaluated.evaluation {
                // A valid agreement has no errors of its own: any here is
                // evaluation's (an internal error).
                None => out.extend(evaluated.errors().map(|d| Located {
                    file,
                    diagnostic: Cow::Borrowed(d),
                })),
                Some(evaluation) => {
                    out.extend(
                        evaluation::shortfalls(evaluation)
                            .into_iter()
                            .map(|d| Located {
                                file,
                                diagnostic: Cow::Owned(d),
                            }),
                    );
                    out.extend(borrowed(file, &evaluated.diagnostics));
                }
            }
        }
    }
    out
}

/// At most this many diagnostics of one code in one file are shown one by one to
/// people; 40,000 stray `)` are one mistake, not 40,000 things to read.
pub const SHOWN_PER_CODE: usize = 20;

/// The diagnostics for people to read (human, GitHub and Markdown output): per file
/// and code the first [`SHOWN_PER_CODE`], then one saying how many more there are
/// and where the first of them is. Machine formats (JSON, SARIF) keep every one.
pub fn for_reading(located: Vec<Located<'_>>) -> Vec<Located<'_>> {
    let mut seen: std::collections::HashMap<(u32, String), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(located.len().min(1024));
    // (index in `out` of the summary, how many it stands for)
    let mut summaries: std::collections::HashMap<(u32, String), (usize, usize)> =
        std::collections::HashMap::new();
    for l in located {
        let key = (l.file.id.0, l.diagnostic.code.clone());
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n <= SHOWN_PER_CODE {
            out.push(l);
            continue;
        }
        match summaries.get_mut(&key) {
            Some((_, more)) => *more += 1,
            None => {
                summaries.insert(key, (out.len(), 1));
                out.push(l);
            }
        }
    }
    for (_, (at, more)) in summaries {
        if let Some(l) = out.get_mut(at) {
            let first = l.diagnostic.as_ref();
            let mut summary = first.clone();
            summary.message = format!(
                "{more} more like this, not shown one by one (the first: {})",
                first.message
            );
            summary.help = Some(format!(
                "the first {SHOWN_PER_CODE} are shown above; they are likely one mistake repeated: fix them and run again, or list every one with --format json or --format sarif"
            ));
            summary.labels.retain(|label| label.primary);
            for label in &mut summary.labels {
                label.text = Some("the first not shown".to_owned());
            }
            l.diagnostic = Cow::Owned(summary);
        }
    }
    out
}

/// How many diagnostics of a run have a severity.
pub fn count(located: &[Located<'_>], severity: Severity) -> usize {
    located
        .iter()
        .filter(|l| l.diagnostic.severity == severity)
        .count()
}
