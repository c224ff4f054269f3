//! `slac check FILE... [--metrics FILE...] [--deliveries FILE] [--as-of DATE]`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::inputs::DataArgs;
use super::{Colour, Format, exit};
use slac::diagnostic::Severity;
use slac::report::human::HumanRenderer;
use slac::report::{self, Emitter, Run};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The `.sla` files to check (exactly one when evaluating data).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The data to evaluate the agreement against.
    #[command(flatten)]
    pub data: DataArgs,

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
    let evaluating = args.data.given();
    let invalid = compiled
        .iter()
        .any(|c| !c.is_valid() || (args.deny_warnings && c.count(Severity::Warning) > 0));
    if !evaluating || invalid {
        emit(args, Run::Checked(&compiled));
        let internal = compiled
            .iter()
            .flat_map(|c| &c.diagnostics)
            .any(|d| d.code.ends_with("::internal"));
        return ExitCode::from(match (internal, invalid) {
            (true, _) => exit::INTERNAL,
            (false, true) => exit::INVALID,
            (false, false) => exit::OK,
        });
    }
    let [agreement] = compiled.as_slice() else {
        eprintln!(
            "error: evaluating data needs exactly one agreement, but {} were given\n  help: run `slac check` once per agreement with its own metrics",
            compiled.len()
        );
        return ExitCode::from(exit::INVALID);
    };
    let inputs = slac::Inputs {
        deny_warnings: args.deny_warnings,
        ..args.data.inputs()
    };
    let evaluated = slac::evaluate(agreement, &inputs);
    emit(
        args,
        Run::Evaluated {
            compiled: agreement,
            evaluated: &evaluated,
        },
    );
    let internal = evaluated.errors().any(|d| d.code.ends_with("::internal"));
    ExitCode::from(match &evaluated.evaluation {
        None if internal => exit::INTERNAL,
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
