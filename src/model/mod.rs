//! What every stage after the checker reads about an agreement: the resolved
//! [`Agreement`] (declarations by id, one value per clause, units worked out), its
//! periods, its calendars (time as the agreement counts it) and its units. Built
//! once by the checker from a valid syntax tree; the data readers and the judge read
//! this, never the tree's clauses.

mod agreement;
pub mod calendar;
pub mod dataset;
pub mod expr;
mod id;
pub mod period;
pub mod row;
pub mod unit;

pub use agreement::*;
pub use dataset::DatasetDecl;
pub use id::*;

/// Leaf types the model shares with the tree: positions, and the operators and
/// currencies expressions are written with. The stages after the checker take
/// them from here, so that nothing after it names the syntax tree.
pub use crate::syntax::ast::{BinOp, CmpOp, Currency, Span};
pub use crate::syntax::minor_units;
