//! Stage three: what people and machines read. Diagnostics go to stderr, results
//! to stdout; the same inputs always give byte-identical output.

pub mod evaluation;
pub mod human;
pub mod json;
