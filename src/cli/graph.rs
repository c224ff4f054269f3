//! `slac graph AGREEMENT [--format mermaid|dot] [--metrics …]`: the obligations as a
//! picture, coloured and labelled by status when data is given.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::exit;
use super::inputs::{DataArgs, problems};
use slac::report::Run;
use slac::report::graph::{self, GraphFormat};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The agreement.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Mermaid (renders in GitHub Markdown) or Graphviz DOT.
    #[arg(long, value_enum, default_value_t = Language::Mermaid)]
    pub format: Language,

    /// Data to judge the agreement against, to colour the obligations by status.
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Language {
    /// A Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

pub fn run(args: &GraphArgs) -> ExitCode {
    let compiled = slac::compile_path(&args.file);
    let Some(model) = compiled.model().filter(|_| compiled.is_valid()) else {
        problems(Run::Checked(std::slice::from_ref(&compiled)));
        return ExitCode::from(exit::INVALID);
    };
    let evaluated = args
        .data
        .given()
        .then(|| slac::evaluate(&compiled, &args.data.inputs()));
    let evaluation = match &evaluated {
        Some(evaluated) if evaluated.evaluation.is_none() => {
            problems(Run::Evaluated {
                compiled: &compiled,
                evaluated,
            });
            return ExitCode::from(exit::INVALID);
        }
        Some(evaluated) => evaluated.evaluation.as_ref(),
        None => None,
    };
    let format = match args.format {
        Language::Mermaid => GraphFormat::Mermaid,
        Language::Dot => GraphFormat::Dot,
    };
    let text = graph::render(model, evaluation, format);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(exit::OK)
}
