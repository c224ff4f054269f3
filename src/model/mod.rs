//! What every stage after the checker reads about an agreement: its periods, its
//! calendars (time as the agreement counts it) and its declarations by name.
//! Built from a checked agreement; the data readers and the judge read this, never
//! the syntax tree's clauses.

pub mod calendar;
mod catalog;
pub mod period;

pub use catalog::Catalog;
