//! The `slac` command line: clap definitions here, one file per subcommand.

pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod graph;
mod inputs;
pub mod lsp;
pub mod plan;
pub mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// slac — service level agreements as code.
///
/// Write the agreements between teams (marketing → sales → service) or with customers
/// as `.sla` files, review them like code, and check them.
#[derive(Debug, Parser)]
#[command(name = "slac", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate agreements, and evaluate one against recorded metrics.
    ///
    /// Without data: checks syntax, names, units, tiers, bands and dependencies, and
    /// reports every problem in every file at once, sorted by position.
    ///
    /// With `--metrics`/`--deliveries`: evaluates the agreement period by period and
    /// reports, for every shortfall, the numbers, band, remedy, contacts and root cause.
    ///
    /// Exit status: 0 valid and every obligation met (at_risk allowed), 1 an obligation
    /// was missed, 2 invalid agreement or data, unreadable file or usage error.
    Check(check::CheckArgs),

    /// Explain a diagnostic code, with a wrong and a right example; without a code,
    /// list every code.
    Explain(explain::ExplainArgs),

    /// Draw the obligations, who owes them to whom, and what requires what, as a
    /// Mermaid or Graphviz graph; with data, coloured and labelled by status, and the
    /// root causes of shortfalls highlighted.
    Graph(graph::GraphArgs),

    /// Show one period's targets as a calculation to follow line by line (each input
    /// and let with its formula, the numbers put in, and its value) and the daily
    /// pro-rata goal line of every counted target; with data, recalculated inputs
    /// are worked out from it.
    Plan(plan::PlanArgs),

    /// Rewrite agreements in the one canonical layout (comments kept, meaning
    /// unchanged); with `--check`, print a diff and exit 1 instead.
    Fmt(fmt::FmtArgs),

    /// What a change to an agreement means: targets raised or lowered (with the
    /// values before and after), obligations, remedies, bands and rules added, dropped
    /// or changed; with data, the outcomes that would have come out differently.
    /// Whitespace and comments never count. Exit status 0, or 2 for invalid input.
    Diff(diff::DiffArgs),

    /// Write the evaluation as one self-contained HTML page with charts for both
    /// teams: where every obligation stands, the period's progress against its
    /// pro-rata goal line, each obligation period by period, the worst rows of per-row
    /// promises, and the whole history. Exit status as for `check`.
    Report(report::ReportArgs),

    /// Run the language server for editors (diagnostics as you type, hover, go to
    /// definition, references, rename, completion, outline, quick fixes, formatting)
    /// over stdin and stdout.
    Lsp(lsp::LspArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets on stderr, a summary line a file on stdout.
    Human,
    /// One JSON document on stdout (schema in the README).
    Json,
    /// GitHub Actions workflow commands, so findings show on the PR's diff.
    Github,
    /// A SARIF 2.1.0 log, for code scanning.
    Sarif,
    /// A Markdown summary for a PR comment or an e-mail.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    /// Colour when stderr is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// Exit statuses, the contract CI relies on.
pub mod exit {
    pub const OK: u8 = 0;
    pub const BREACHED: u8 = 1;
    pub const INVALID: u8 = 2;
    /// A bug in slac (a panic, or an agreement that checked but could not be
    /// resolved): CI can tell it from a bad file.
    pub const INTERNAL: u8 = 3;
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    }
}
