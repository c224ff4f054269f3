//! slac: service level agreements as code.
//!
//! Data flows one way: [`source`] (bytes to text) → [`syntax`] (text to a typed tree)
//! → [`check`] (names, units, dependency graph) → [`report`] (people and machines).

#![warn(missing_docs)]

pub mod check;
pub mod data;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod format;
#[cfg(feature = "test-util")]
pub mod generate;
pub mod lsp;
pub mod model;
pub mod report;
pub mod source;
pub mod suggest;
pub mod syntax;

mod facade;

pub use facade::{Compiled, Evaluated, Inputs, compile_bytes, compile_path, compile_str, evaluate};
