//! `slac explain CODE`: what a diagnostic code means, with a wrong and a right
//! example, like `rustc --explain`. `slac explain` alone lists every code.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::exit;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code, as printed: `slac::check::unknown_party`, or just `unknown_party`.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

pub fn run(args: &ExplainArgs) -> ExitCode {
    let all = slac::explain::all();
    // A closed pipe (`slac explain | head`) ends the listing, not the program.
    let mut out = std::io::stdout().lock();
    let Some(code) = &args.code else {
        for e in all {
            if writeln!(out, "{:<40} {}", e.code, e.summary).is_err() {
                break;
            }
        }
        return ExitCode::from(exit::OK);
    };
    let code = code.trim();
    // The last part alone is enough when only one stage has it.
    let matches: Vec<_> = all
        .iter()
        .filter(|e| e.code == code || e.code.rsplit("::").next() == Some(code))
        .collect();
    match matches.as_slice() {
        [one] => {
            let _ = writeln!(out, "# {}\n\n{}", one.code, one.markdown().trim_end());
            ExitCode::from(exit::OK)
        }
        [] => {
            // Suggest from whole codes, or from their last parts when that was given.
            let whole = slac::suggest::did_you_mean(code, all.iter().map(|e| e.code.as_str()));
            let part = || {
                let parts = all.iter().filter_map(|e| e.code.rsplit("::").next());
                let found = slac::suggest::did_you_mean(code, parts)?;
                all.iter()
                    .find(|e| e.code.ends_with(&format!("::{found}")))
                    .map(|e| e.code.as_str())
            };
            let help = match whole.or_else(part) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "run `slac explain` to list every code".to_owned(),
            };
            eprintln!("error: no code `{code}`\n  help: {help}");
            ExitCode::from(exit::INVALID)
        }
        many => {
            let names: Vec<&str> = many.iter().map(|e| e.code.as_str()).collect();
            eprintln!(
                "error: `{code}` is the name of several codes: {}\n  help: give the whole code",
                names.join(", ")
            );
            ExitCode::from(exit::INVALID)
        }
    }
}
