//! What every stage after the checker reads about an agreement: the resolved
//! [`Agreement`] (declarations by id, one value per clause, units worked out), its
//! periods, its calendars (time as the agreement counts it) and its units. Built
//! once by the checker from a valid syntax tree; the data readers and the judge read
//! this, never the tree's clauses.

mod agreement;
pub mod calendar;
pub mod expr;
mod id;
pub mod period;
pub mod row;
pub mod unit;

pub use agreement::*;
pub use id::*;
