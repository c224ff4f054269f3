//! `slac check FILE...`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Colour, Format, exit};
use slac::diagnostic::{HumanRenderer, Severity};
use slac::report;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The `.sla` files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

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

pub fn run(args: &CheckArgs) -> ExitCode {
    let compiled: Vec<slac::Compiled> = args.files.iter().map(|p| slac::compile_path(p)).collect();
    let failed = compiled
        .iter()
        .any(|c| !c.is_valid() || (args.deny_warnings && c.count(Severity::Warning) > 0));
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    // A closed pipe (`slac check … | head`) is not worth a panic or an error.
    let _ = match args.format {
        Format::Json => writeln!(stdout, "{}", report::json::to_string(&compiled)),
        Format::Human => {
            let renderer = HumanRenderer::new(width(), colour(args.color));
            let mut result = Ok(());
            for c in &compiled {
                let text = report::human::diagnostics(c, &renderer);
                if !text.is_empty() {
                    result = result.and(write!(stderr, "{text}"));
                }
            }
            for c in &compiled {
                result = result.and(writeln!(stdout, "{}", report::human::summary(c)));
            }
            result
        }
    };
    ExitCode::from(if failed { exit::INVALID } else { exit::OK })
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
