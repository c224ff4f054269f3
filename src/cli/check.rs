//! `slac check FILE... [--metrics FILE...] [--deliveries FILE] [--as-of DATE]`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Colour, Format, exit};
use slac::diagnostic::{Diagnostic, HumanRenderer, Severity};
use slac::report;
use slac::source::SourceFile;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The `.sla` files to check (exactly one when evaluating data).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Recorded metrics to evaluate the agreement against: CSV, JSON or NDJSON with
    /// `period,metric,value[,segment]`. Repeat for several files.
    #[arg(long, value_name = "FILE")]
    pub metrics: Vec<PathBuf>,

    /// The deliveries log for deliverable obligations: CSV with `date,deliverable,party`.
    #[arg(long, value_name = "FILE")]
    pub deliveries: Option<PathBuf>,

    /// An event dataset the agreement declares, as NAME=FILE (CSV, or NDJSON when the
    /// name ends in .ndjson, .jsonl or .json). Repeat for several datasets.
    #[arg(long = "data", value_name = "NAME=FILE", value_parser = parse_data)]
    pub data: Vec<slac::data::dataset::DataSpec>,

    /// Refuse a dataset with rows that do not fit (bad values, repeated keys, failed
    /// `expect`s) instead of excluding those rows with a warning.
    #[arg(long)]
    pub strict: bool,

    /// Threads to read large dataset files on (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// How many breaching rows to list per per-row promise and period.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub breaches: usize,

    /// Evaluate up to this day (YYYY-MM-DD, in the agreement's time zone); the period
    /// containing it is judged pro rata and reported `at_risk` rather than `missed`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<jiff::civil::Date>,

    /// How to report: `human` for people, `json` for CI and tools.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Colour::Auto, value_name = "WHEN")]
    pub color: Colour,

    /// Treat warnings (unused inputs, missing contacts, ...) as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

fn parse_data(text: &str) -> Result<slac::data::dataset::DataSpec, String> {
    slac::data::dataset::DataSpec::parse(text)
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    slac::eval::parse_as_of(text)
        .ok_or_else(|| format!("expected a date such as 2026-03-15, found `{text}`"))
}

struct Out {
    renderer: HumanRenderer,
    stdout: std::io::StdoutLock<'static>,
    stderr: std::io::StderrLock<'static>,
}

impl Out {
    fn diagnostics(&mut self, file: &SourceFile, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            // A closed pipe (`slac check … | head`) is not worth an error.
            let _ = writeln!(self.stderr, "{}", self.renderer.render(d, file));
        }
    }

    fn line(&mut self, text: &str) {
        let _ = writeln!(self.stdout, "{text}");
    }
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let compiled: Vec<slac::Compiled> = args.files.iter().map(|p| slac::compile_path(p)).collect();
    let mut out = Out {
        renderer: HumanRenderer::new(width(), colour(args.color)),
        stdout: std::io::stdout().lock(),
        stderr: std::io::stderr().lock(),
    };
    let evaluating = !args.metrics.is_empty()
        || !args.data.is_empty()
        || args.deliveries.is_some()
        || args.as_of.is_some();
    let invalid = compiled
        .iter()
        .any(|c| !c.is_valid() || (args.deny_warnings && c.count(Severity::Warning) > 0));
    if !evaluating || invalid {
        report_validation(&compiled, args, &mut out);
        return ExitCode::from(if invalid { exit::INVALID } else { exit::OK });
    }
    let [agreement] = compiled.as_slice() else {
        let _ = writeln!(
            out.stderr,
            "error: evaluating data needs exactly one agreement, but {} were given\n  help: run `slac check` once per agreement with its own metrics",
            compiled.len()
        );
        return ExitCode::from(exit::INVALID);
    };
    evaluate(agreement, args, &mut out)
}

fn report_validation(compiled: &[slac::Compiled], args: &CheckArgs, out: &mut Out) {
    match args.format {
        Format::Json => out.line(&report::json::to_string(compiled)),
        Format::Human => {
            for c in compiled {
                out.diagnostics(&c.file, &c.diagnostics);
            }
            for c in compiled {
                out.line(&report::human::summary(c));
            }
        }
    }
}

fn evaluate(agreement: &slac::Compiled, args: &CheckArgs, out: &mut Out) -> ExitCode {
    let inputs = slac::Inputs {
        metrics: args.metrics.clone(),
        deliveries: args.deliveries.clone(),
        datasets: args.data.clone(),
        as_of: args.as_of,
        strict: args.strict,
        read_threads: args.threads.map(usize::from),
        breaches: args.breaches,
        deny_warnings: args.deny_warnings,
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(agreement, &inputs);
    let Some(evaluation) = &evaluated.evaluation else {
        match args.format {
            Format::Json => {
                let files: Vec<(&SourceFile, &[Diagnostic])> = evaluated
                    .data
                    .iter()
                    .map(|f| (&f.file, f.diagnostics.as_slice()))
                    .collect();
                out.line(&report::json::invalid_data_to_string(&files));
            }
            Format::Human => {
                for f in &evaluated.data {
                    out.diagnostics(&f.file, &f.diagnostics);
                }
                let errors = evaluated.data_errors();
                out.line(&format!(
                    "failed: the data for {} has {} error{}; nothing was evaluated",
                    agreement.file.name,
                    errors,
                    if errors == 1 { "" } else { "s" }
                ));
            }
        }
        return ExitCode::from(exit::INVALID);
    };
    match args.format {
        Format::Json => {
            let mut files: Vec<(&SourceFile, &[Diagnostic])> =
                vec![(&agreement.file, evaluated.diagnostics.as_slice())];
            files.extend(
                evaluated
                    .data
                    .iter()
                    .map(|f| (&f.file, f.diagnostics.as_slice())),
            );
            out.line(&report::json::evaluation_to_string(evaluation, &files));
        }
        Format::Human => {
            for f in &evaluated.data {
                out.diagnostics(&f.file, &f.diagnostics);
            }
            let mut diagnostics = report::evaluation::shortfalls(evaluation);
            diagnostics.extend(evaluated.diagnostics.iter().cloned());
            out.diagnostics(&agreement.file, &diagnostics);
            let table = report::evaluation::table(evaluation);
            let _ = write!(out.stdout, "{table}");
        }
    }
    ExitCode::from(if evaluation.any_missed() {
        exit::BREACHED
    } else {
        exit::OK
    })
}

fn colour(choice: Colour) -> bool {
    match choice {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    }
}

/// The terminal's width from `COLUMNS`, else 100.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| (40..=400).contains(w))
        .unwrap_or(100)
}
