//! The data a subcommand judges an agreement against (`--metrics`, `--data`,
//! `--deliveries`, `--as-of` …), shared by `check`, `graph` and the commands after
//! them, so every one reads data the same way.

use std::path::PathBuf;

use clap::Args;
use slac::report::human::{Human, HumanRenderer};
use slac::report::{Emitter, Run};

/// Prints a run's diagnostics for people on stderr (subcommands other than `check`
/// show why they stopped this way).
pub fn problems(run: Run<'_>) {
    let human = Human {
        renderer: HumanRenderer::new(100, false),
    };
    let _ = human.emit(run, &mut std::io::sink(), &mut std::io::stderr().lock());
}

#[derive(Debug, Args)]
pub struct DataArgs {
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
}

impl DataArgs {
    /// Whether any data (or a date to judge up to) was given.
    pub fn given(&self) -> bool {
        !self.metrics.is_empty()
            || !self.data.is_empty()
            || self.deliveries.is_some()
            || self.as_of.is_some()
    }

    /// The facade's inputs for this data.
    pub fn inputs(&self) -> slac::Inputs {
        slac::Inputs {
            metrics: self.metrics.clone(),
            deliveries: self.deliveries.clone(),
            datasets: self.data.clone(),
            as_of: self.as_of,
            strict: self.strict,
            read_threads: self.threads.map(usize::from),
            breaches: self.breaches,
            ..slac::Inputs::new()
        }
    }
}

/// A `--data` argument; a bad one is told with its code and help, as every
/// diagnostic is (clap prints it and exits with 2).
fn parse_data(text: &str) -> Result<slac::data::dataset::DataSpec, String> {
    slac::data::dataset::DataSpec::parse(text).map_err(|e| {
        let d = slac::diagnostic::Diagnostic::new(*e);
        format!(
            "{} [{}]\n  help: {}",
            d.message,
            d.code,
            d.help.unwrap_or_default()
        )
    })
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    slac::eval::parse_as_of(text)
        .ok_or_else(|| format!("expected a date such as 2026-03-15, found `{text}`"))
}
