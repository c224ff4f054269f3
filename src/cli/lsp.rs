//! `slac lsp`: the language server for editors, over stdin and stdout.

use std::process::ExitCode;

use clap::Args;

use super::exit;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_: &LspArgs) -> ExitCode {
    match slac::lsp::run() {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!(
                "error: the language server stopped: {e}\n  help: start it from an editor, which speaks the Language Server Protocol on stdin and stdout"
            );
            ExitCode::from(exit::INVALID)
        }
    }
}
