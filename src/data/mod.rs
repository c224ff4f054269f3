//! Stage: what happened. Recorded metrics and deliveries ([`recorded`]) and event
//! datasets ([`dataset`]) are read into one [`Recorded`] store, every bad row a
//! diagnostic with its place. A new source (Parquet, a database) is one more reader
//! here; judging the store is `eval`'s work.

pub mod dataset;
pub mod error;
pub mod recorded;
mod store;
pub mod value;

pub use error::DataError;
pub use recorded::{load_deliveries, load_metrics, parse_value};
pub use store::{BreachRow, ByMetric, DataFile, Origin, RecordTally, Recorded};
