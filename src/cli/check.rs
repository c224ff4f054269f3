//! `slac check FILE... [--metrics FILE...] [--deliveries FILE] [--as-of DATE]`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Colour, Format, exit};
use slac::diagnostic::Severity;
use slac::report::human::HumanRenderer;
use slac::report::{self, Emitter, Run};

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

    /// How to report: `human` for people, `json` for tools, `github` for annotations on
    /// a pull request, `sarif` for code scanning, `markdown` for a PR comment.
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

/// The emitter for the chosen format.
fn emitter(args: &CheckArgs) -> Box<dyn Emitter> {
    match args.format {
        Format::Human => Box::new(report::human::Human {
            renderer: HumanRenderer::new(width(), colour(args.color)),
        }),
        Format::Json => Box::new(report::json::Json),
        Format::Github => Box::new(report::github::Github),
        Format::Sarif => Box::new(report::sarif::Sarif),
        Format::Markdown => Box::new(report::markdown::Markdown),
    }
}

fn emit(args: &CheckArgs, run: Run<'_>) {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    // A closed pipe (`slac check … | head`) is not worth an error.
    let _ = emitter(args).emit(run, &mut stdout, &mut stderr);
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let compiled: Vec<slac::Compiled> = args.files.iter().map(|p| slac::compile_path(p)).collect();
    let evaluating = !args.metrics.is_empty()
        || !args.data.is_empty()
        || args.deliveries.is_some()
        || args.as_of.is_some();
    let invalid = compiled
        .iter()
        .any(|c| !c.is_valid() || (args.deny_warnings && c.count(Severity::Warning) > 0));
    if !evaluating || invalid {
        emit(args, Run::Checked(&compiled));
        return ExitCode::from(if invalid { exit::INVALID } else { exit::OK });
    }
    let [agreement] = compiled.as_slice() else {
        eprintln!(
            "error: evaluating data needs exactly one agreement, but {} were given\n  help: run `slac check` once per agreement with its own metrics",
            compiled.len()
        );
        return ExitCode::from(exit::INVALID);
    };
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
    emit(
        args,
        Run::Evaluated {
            compiled: agreement,
            evaluated: &evaluated,
        },
    );
    ExitCode::from(match &evaluated.evaluation {
        None => exit::INVALID,
        Some(e) if e.any_missed() => exit::BREACHED,
        Some(_) => exit::OK,
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
