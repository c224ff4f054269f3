//! The one way in: [`compile_path`] and [`compile_str`] turn a file into a checked
//! agreement, [`evaluate`] judges it against what happened. The CLI, the tests, the
//! benches and any later front end call these, so the stages are wired in one place.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::civil::Date;

use crate::check;
use crate::data::dataset::{self, DataSpec};
use crate::data::{self, DataFile, Recorded};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::eval::Evaluation;
use crate::source::{self, FileId, SourceFile};
use crate::syntax::{self, ast::Agreement};

/// Everything slac learnt about one file.
#[derive(Debug)]
pub struct Compiled {
    /// The agreement's text, to point into.
    pub file: SourceFile,
    /// The lossless tree, present when the file parsed.
    pub agreement: Option<Agreement>,
    /// What the checker worked out, when the file has no error.
    facts: Option<check::Facts>,
    /// The resolved agreement, lowered on first use: a run that only validates
    /// does not pay for it.
    model: OnceLock<Option<crate::model::Agreement>>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// How many diagnostics of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Parsed, and without errors: ready to evaluate.
    pub fn is_valid(&self) -> bool {
        self.agreement.is_some() && self.count(Severity::Error) == 0
    }

    /// The resolved agreement: present when the file has no error. Lowered once,
    /// on first use.
    pub fn model(&self) -> Option<&crate::model::Agreement> {
        self.model
            .get_or_init(|| {
                let (agreement, facts) = (self.agreement.as_ref()?, self.facts.as_ref()?);
                check::lower(agreement, facts, &self.file)
            })
            .as_ref()
    }
}

/// Reads, parses and checks the agreement at `path`.
pub fn compile_path(path: &Path) -> Compiled {
    compile_loaded(source::load(path))
}

/// Parses and checks an agreement held in memory (an editor buffer, a test).
pub fn compile_str(name: &str, text: &str) -> Compiled {
    compile_loaded(source::Loaded {
        file: SourceFile::new(name, text),
        error: None,
    })
}

/// Parses and checks an agreement from raw bytes, refusing what is not UTF-8 text.
pub fn compile_bytes(name: &str, bytes: Vec<u8>) -> Compiled {
    compile_loaded(source::from_bytes(name.to_owned(), bytes))
}

fn compile_loaded(loaded: source::Loaded) -> Compiled {
    let source::Loaded { file, error } = loaded;
    // Text that failed to load is not parsed: its errors would be noise.
    if let Some(error) = error {
        return Compiled {
            file,
            agreement: None,
            facts: None,
            model: OnceLock::new(),
            diagnostics: vec![Diagnostic::new(error)],
        };
    }
    let parsed = syntax::parse(&file);
    let mut diagnostics = parsed.diagnostics;
    let mut facts = None;
    if let Some(agreement) = &parsed.agreement {
        let context = check::Context {
            partial: !diagnostics.is_empty(),
            unreadable_names: parsed.unreadable_names,
            text: file.text.clone(),
        };
        let checked = check::check(agreement, &context);
        diagnostics.extend(checked.diagnostics);
        facts = checked.facts;
    }
    diagnostic::sort(&mut diagnostics);
    Compiled {
        file,
        agreement: parsed.agreement,
        facts,
        model: OnceLock::new(),
        diagnostics,
    }
}

/// What happened, and how to read it: the data files `slac check` takes, plus values
/// already in hand.
#[derive(Debug)]
pub struct Inputs {
    /// Recorded metrics files (CSV, JSON, NDJSON).
    pub metrics: Vec<PathBuf>,
    /// The deliveries log.
    pub deliveries: Option<PathBuf>,
    /// Event datasets, `NAME=FILE`.
    pub datasets: Vec<DataSpec>,
    /// Values given directly (tests, tools); files add to them, and a file row for a
    /// metric, segment and period given here is a duplicate.
    pub given: Recorded,
    /// Evaluate up to this day; the period holding it is judged pro rata.
    pub as_of: Option<Date>,
    /// Excluded dataset rows are errors, and nothing is evaluated.
    pub strict: bool,
    /// Threads to read large dataset files on; `None` for one per core.
    pub read_threads: Option<usize>,
    /// Dataset files from this size (bytes) on are read in pieces; `None` for the
    /// default. Tests set 0 to cut small files.
    pub parallel_from: Option<u64>,
    /// Threads to judge periods on; `None` chooses by the amount of work.
    pub judge_threads: Option<usize>,
    /// How many breaching rows to list per per-row promise and period.
    pub breaches: usize,
    /// Warnings in the data stop evaluation like errors.
    pub deny_warnings: bool,
    /// Also count each dataset `count` metric per day (`slac report`'s progress charts).
    pub daily: bool,
}

impl Inputs {
    /// No files, the default number of listed breaches.
    pub fn new() -> Self {
        Inputs {
            metrics: Vec::new(),
            deliveries: None,
            datasets: Vec::new(),
            given: Recorded::default(),
            as_of: None,
            strict: false,
            read_threads: None,
            parallel_from: None,
            judge_threads: None,
            breaches: dataset::Options::default().breaches,
            deny_warnings: false,
            daily: false,
        }
    }
}

/// The same as [`Inputs::new`]: a derived default would list no breaching rows.
impl Default for Inputs {
    fn default() -> Self {
        Inputs::new()
    }
}

/// An agreement judged against its inputs.
#[derive(Debug)]
pub struct Evaluated {
    /// `None` when the agreement or the data is invalid: nothing was judged.
    pub evaluation: Option<Evaluation>,
    /// The agreement's own diagnostics and the evaluation's, merged and sorted once.
    pub diagnostics: Vec<Diagnostic>,
    /// Each data file with the problems found in it, in the order given.
    pub data: Vec<DataFile>,
}

impl Evaluated {
    /// The errors among the agreement's and the evaluation's own diagnostics (for a
    /// valid agreement that was not judged: an internal error).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Errors in the data files (what stopped the evaluation, when it stopped).
    pub fn data_errors(&self) -> usize {
        self.data
            .iter()
            .map(|f| f.diagnostics.iter().filter(|d| d.is_error()).count())
            .sum()
    }
}

/// Reads every input, then judges the agreement period by period. The data is not
/// judged when any file has an error (or, with `deny_warnings`, a warning).
pub fn evaluate(compiled: &Compiled, inputs: &Inputs) -> Evaluated {
    let not_judged = |data| Evaluated {
        evaluation: None,
        diagnostics: compiled.diagnostics.clone(),
        data,
    };
    if !compiled.is_valid() {
        return not_judged(Vec::new());
    }
    let Some(model) = compiled.model() else {
        let mut evaluated = not_judged(Vec::new());
        let internal = crate::eval::EvalError::Internal {
            detail: "a name or clause the checker accepted is missing".to_owned(),
        };
        evaluated.diagnostics.push(Diagnostic::new(internal));
        return evaluated;
    };
    let reads_files =
        !inputs.metrics.is_empty() || inputs.deliveries.is_some() || !inputs.datasets.is_empty();
    // Values in hand are judged as they are; files add to a copy of them.
    let mut recorded = Recorded::default();
    if reads_files {
        recorded.extend(&inputs.given);
    }
    let mut files: Vec<DataFile> = inputs
        .metrics
        .iter()
        .enumerate()
        .map(|(i, path)| data::load_metrics(path, model, &mut recorded, i))
        .collect();
    if let Some(path) = &inputs.deliveries {
        files.push(data::load_deliveries(path, model, &mut recorded));
    }
    let defaults = dataset::Options::default();
    let options = dataset::Options {
        strict: inputs.strict,
        threads: inputs.read_threads,
        breaches: inputs.breaches,
        as_of: inputs.as_of,
        parallel_from: inputs.parallel_from.unwrap_or(defaults.parallel_from),
        daily: inputs.daily,
    };
    let datasets = dataset::load(
        model,
        &compiled.file,
        &inputs.datasets,
        &options,
        &mut recorded,
    );
    // A dataset file is held as the excerpt of lines its diagnostics point at.
    files.extend(
        datasets
            .diagnostics
            .into_iter()
            .map(|(file, diagnostics)| DataFile { file, diagnostics }),
    );
    // Each data file is a file of the run: its diagnostics point into it by id.
    for (i, f) in files.iter_mut().enumerate() {
        let id = FileId(u32::try_from(i + 1).unwrap_or(u32::MAX));
        f.file.id = id;
        let diagnostics = std::mem::take(&mut f.diagnostics);
        f.diagnostics = diagnostics.into_iter().map(|d| d.in_file(id)).collect();
    }
    let stops =
        |d: &Diagnostic| d.is_error() || (inputs.deny_warnings && d.severity == Severity::Warning);
    if files.iter().any(|f| f.diagnostics.iter().any(stops)) {
        return not_judged(files);
    }
    let store = if reads_files {
        &recorded
    } else {
        &inputs.given
    };
    let judged = match inputs.judge_threads {
        Some(threads) => crate::eval::evaluate_on_threads(compiled, store, inputs.as_of, threads),
        None => crate::eval::evaluate(compiled, store, inputs.as_of),
    };
    let Some(mut evaluation) = judged else {
        return not_judged(files);
    };
    evaluation.datasets = datasets.reports;
    evaluation.metrics = datasets.metrics;
    evaluation.daily = datasets.daily;
    let mut diagnostics = compiled.diagnostics.clone();
    diagnostics.append(&mut evaluation.diagnostics);
    diagnostic::sort(&mut diagnostics);
    Evaluated {
        evaluation: Some(evaluation),
        diagnostics,
        data: files,
    }
}
