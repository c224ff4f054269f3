//! The `slac` binary: parses arguments and dispatches; the work is in the library.

use std::process::ExitCode;

use clap::Parser;

mod cli;

/// Recursion in the parser is bounded by the nesting limit; a roomy stack keeps that
/// bound far from the edge on every platform.
const STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's help and version requests are successes, not usage errors.
            return if e.use_stderr() {
                ExitCode::from(cli::exit::INVALID)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // A panic is a bug in slac; say so in one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error in slac{at}");
    }));
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || cli::run(cli));
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!(
                "error: slac stopped unexpectedly; please report this with the input that caused it"
            );
            ExitCode::from(cli::exit::INTERNAL)
        }
    }
}
