//! `slac report AGREEMENT [--metrics …] [--data …] [--period P] [--party NAME] --out FILE`:
//! the evaluation as one self-contained HTML page with charts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::exit;
use super::inputs::{DataArgs, problems};
use slac::report::html::Html;
use slac::report::{Emitter, Run};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The agreement.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The data to judge it against (at least one of `--metrics`, `--data`, `--deliveries`).
    #[command(flatten)]
    pub data: DataArgs,

    /// The period the overview and the progress charts are about, in the agreement's
    /// unit (`2026-03`, `2026-Q1`, `2026-W11`, `2026`); default: the one containing
    /// `--as-of`, else the last one judged.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// Show only what this party owes and is owed.
    #[arg(long, value_name = "NAME")]
    pub party: Option<String>,

    /// Where to write the page (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let compiled = slac::compile_path(&args.file);
    let Some(model) = compiled.model().filter(|_| compiled.is_valid()) else {
        problems(Run::Checked(std::slice::from_ref(&compiled)));
        return ExitCode::from(exit::INVALID);
    };
    let data = &args.data;
    if data.metrics.is_empty() && data.data.is_empty() && data.deliveries.is_none() {
        eprintln!(
            "error: a report needs data to judge the agreement against\n  help: give `--metrics FILE`, `--data NAME=FILE` or `--deliveries FILE`, as for `slac check`"
        );
        return ExitCode::from(exit::INVALID);
    }
    let period = match &args.period {
        None => None,
        Some(text) => match slac::report::plan::choose_period(model, Some(text), None) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("error: {}\n  help: {}", e.message, e.help);
                return ExitCode::from(exit::INVALID);
            }
        },
    };
    if let Some(party) = &args.party
        && !model.parties.iter().any(|p| p.name == *party)
    {
        let names: Vec<&str> = model.parties.iter().map(|p| p.name.as_str()).collect();
        let near = slac::suggest::did_you_mean(party, names.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        eprintln!(
            "error: `--party {party}`: \"{}\" has no party `{party}`\n  help: {near}its parties are {}",
            model.name,
            names.join(", ")
        );
        return ExitCode::from(exit::INVALID);
    }
    let inputs = slac::Inputs {
        daily: true,
        ..data.inputs()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    let run = Run::Evaluated {
        compiled: &compiled,
        evaluated: &evaluated,
    };
    let Some(evaluation) = &evaluated.evaluation else {
        problems(run);
        return ExitCode::from(exit::INVALID);
    };
    let html = Html {
        period,
        party: args.party.clone(),
    };
    let mut page = Vec::new();
    let _ = html.emit(run, &mut page, &mut std::io::sink());
    let written = if args.out.as_os_str() == "-" {
        std::io::Write::write_all(&mut std::io::stdout().lock(), &page)
    } else {
        std::fs::write(&args.out, &page)
    };
    if let Err(e) = written {
        eprintln!(
            "error: cannot write the report to {}: {e}\n  help: choose a file in a folder that exists and can be written",
            args.out.display()
        );
        return ExitCode::from(exit::INVALID);
    }
    let warnings: usize = evaluated.data.iter().map(|f| f.diagnostics.len()).sum();
    if args.out.as_os_str() != "-" {
        eprintln!(
            "wrote {} ({})",
            args.out.display(),
            slac::report::evaluation::period_span(evaluation)
        );
    }
    if warnings > 0 {
        eprintln!(
            "note: {warnings} warning(s) about the data (the report counts them); `slac check` with the same options shows each"
        );
    }
    ExitCode::from(if evaluation.any_missed() {
        exit::BREACHED
    } else {
        exit::OK
    })
}
