//! Stage four: what people and machines read. Every output format is one
//! [`Emitter`] over the same run (agreements checked, or one judged against data), in
//! a file of its own; a new format is one more file here. Diagnostics go to stderr,
//! results to stdout; the same inputs always give byte-identical output.

#![warn(missing_docs)]

pub mod evaluation;
pub mod human;
pub mod json;

use std::io::{self, Write};

use crate::{Compiled, Evaluated};

/// What a run of `slac check` produced.
#[derive(Clone, Copy)]
pub enum Run<'a> {
    /// Agreements checked without data.
    Checked(&'a [Compiled]),
    /// One agreement judged against its data, or refused for bad data.
    Evaluated {
        /// The agreement.
        compiled: &'a Compiled,
        /// The judgement, the data files and every diagnostic.
        evaluated: &'a Evaluated,
    },
}

/// One output format.
pub trait Emitter {
    /// Writes the run: results to `stdout`, diagnostics for people to `stderr`.
    fn emit(&self, run: Run<'_>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<()>;
}
