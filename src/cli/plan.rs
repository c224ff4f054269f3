//! `slac plan AGREEMENT [--period P] [--metrics …]`: the derived targets of one
//! period as a calculation to follow line by line, and the daily pro-rata goal line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::exit;
use super::inputs::{DataArgs, problems};
use slac::data::Recorded;
use slac::report::Run;
use slac::report::plan::{self, Plan};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The agreement.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The period to plan, in the agreement's unit (`2026-03`, `2026-Q1`, `2026-W11`,
    /// `2026`); default: the one containing `--as-of`, else the first of the
    /// agreement's effective range.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// Data to recalculate inputs from (`recalculated … over N periods`) and to show
    /// what happened in the period; `--as-of` marks its day on the goal line.
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: &PlanArgs) -> ExitCode {
    let compiled = slac::compile_path(&args.file);
    let Some(model) = compiled.model().filter(|_| compiled.is_valid()) else {
        problems(Run::Checked(std::slice::from_ref(&compiled)));
        return ExitCode::from(exit::INVALID);
    };
    let period = match plan::choose_period(model, args.period.as_deref(), args.data.as_of) {
        Ok(period) => period,
        Err(e) => {
            eprintln!("error: {}\n  help: {}", e.message, e.help);
            return ExitCode::from(exit::INVALID);
        }
    };
    let data = &args.data;
    let reads_data = !data.metrics.is_empty() || !data.data.is_empty() || data.deliveries.is_some();
    let evaluated = reads_data.then(|| slac::evaluate(&compiled, &data.inputs()));
    let evaluation = match &evaluated {
        Some(evaluated) => match &evaluated.evaluation {
            Some(evaluation) => Some(evaluation),
            None => {
                problems(Run::Evaluated {
                    compiled: &compiled,
                    evaluated,
                });
                return ExitCode::from(exit::INVALID);
            }
        },
        None => None,
    };
    // The facade keeps its store to itself: the recorded metrics are read again
    // (they were valid a moment ago), and the datasets' values come from the
    // evaluation rather than from a second pass over their files.
    let store = evaluation.map(|evaluation| {
        let mut store = Recorded::default();
        for (i, path) in data.metrics.iter().enumerate() {
            let _ = slac::data::load_metrics(path, model, &mut store, i);
        }
        for m in &evaluation.metrics {
            store.insert(&m.metric, m.segment.as_deref(), m.period, m.value);
        }
        store
    });
    let text = plan::render(&Plan {
        file: &compiled.file,
        model,
        period,
        data: store.as_ref(),
        evaluation,
        as_of: data.as_of,
    });
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(exit::OK)
}
