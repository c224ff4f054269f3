//! What the checker finds wrong with a dataset declaration, the aggregates metrics
//! compute over it, and the promises made about each of its rows. A part of
//! [`CheckError`](super::CheckError), split off to keep each file readable.

use miette::SourceSpan;

/// A problem with a dataset, its columns, or what is computed over its rows.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum DatasetError {
    /// An aggregate or a promise over every row names no declared dataset.
    #[error("unknown dataset `{name}`")]
    #[diagnostic(code(slac::check::unknown_dataset))]
    UnknownDataset {
        /// The name as written.
        name: String,
        /// Where the name is written.
        #[label("no dataset of this name")]
        span: SourceSpan,
        /// A close declared name, or the datasets there are.
        #[help]
        help: String,
    },

    /// A row condition, value, key, owner or timestamp role names a column the dataset lacks.
    #[error("dataset `{dataset}` has no column `{name}`")]
    #[diagnostic(code(slac::check::unknown_column))]
    UnknownColumn {
        /// The column name as written.
        name: String,
        /// The dataset it was looked for in.
        dataset: String,
        /// Where the name is written.
        #[label("not a column of `{dataset}`")]
        span: SourceSpan,
        /// A close column name, or the columns there are.
        #[help]
        help: String,
    },

    /// A column's type is neither a built-in type word nor a declared segment.
    #[error("unknown column type `{word}`")]
    #[diagnostic(code(slac::check::unknown_column_type))]
    UnknownColumnType {
        /// The type word as written.
        word: String,
        /// Where the type is written.
        #[label("not a type or a segment")]
        span: SourceSpan,
        /// A close type or segment name, or the choices.
        #[help]
        help: String,
    },

    /// A dataset's `key` column is not text or int, or is optional.
    #[error("{message}")]
    #[diagnostic(code(slac::check::dataset_key))]
    DatasetKey {
        /// The message, naming the key and the dataset.
        message: String,
        /// The `key` column as written.
        #[label("{label}")]
        span: SourceSpan,
        /// The label under it: the column's type, or that it is optional.
        label: String,
        /// What to do about it.
        #[help]
        help: String,
    },

    /// Row values that cannot be compared, subtracted or aggregated, such as `mean` of text.
    #[error("{message}")]
    #[diagnostic(code(slac::check::row_type))]
    RowType {
        /// The message, naming the kinds of value involved.
        message: String,
        /// The value or comparison at fault.
        #[label("{label}")]
        span: SourceSpan,
        /// The label under it: the kinds of value found.
        label: String,
        /// What to write instead.
        #[help]
        help: String,
    },

    /// An aggregate's `by` column, or a record promise's `from` or `to`, is not a timestamp.
    #[error("`{column}` is {found}, but {role} needs a timestamp column")]
    #[diagnostic(code(slac::check::not_a_timestamp))]
    NotTimestamp {
        /// The column as written.
        column: String,
        /// What the column is instead, such as `a whole number`.
        found: String,
        /// What the timestamp is needed for, such as `the clock's start`.
        role: &'static str,
        /// Where the column is named.
        #[label("not a timestamp")]
        span: SourceSpan,
        /// The dataset's timestamp columns, or how to declare one.
        #[help]
        help: String,
    },

    /// A metric's aggregate gives a different kind of value than the metric's declared type.
    #[error(
        "metric `{metric}` is declared as {declared}, but `{func}` over this dataset gives {computed}"
    )]
    #[diagnostic(code(slac::check::aggregate_unit))]
    AggregateUnit {
        /// The metric.
        metric: String,
        /// The declared type, in words.
        declared: String,
        /// The aggregate function's keyword.
        func: &'static str,
        /// What the aggregate gives, in words.
        computed: String,
        /// The aggregate function and its value.
        #[label(primary, "gives {computed}")]
        span: SourceSpan,
        /// The metric's declared type.
        #[label("declared here")]
        declared_at: SourceSpan,
        /// The type to declare instead.
        #[help]
        help: String,
    },

    /// A `percentile` rank above 100.
    #[error("percentile {value} is outside 0 to 100")]
    #[diagnostic(
        code(slac::check::percentile_range),
        help("write the rank as a number from 0 to 100, e.g. `percentile 90`")
    )]
    PercentileRange {
        /// The rank as written.
        value: String,
        /// The `percentile` and its rank.
        #[label("not a percentile")]
        span: SourceSpan,
    },

    /// `in business hours` follows something other than a difference of two timestamps.
    #[error("`in business hours` measures the time between two timestamps")]
    #[diagnostic(
        code(slac::check::business_hours_operand),
        help(
            "write it after a difference of two timestamp columns, e.g. `(first_contact_at - handed_over_at) in business hours of office`"
        )
    )]
    BusinessHoursOperand {
        /// The value it follows.
        #[label("not a difference of two timestamps")]
        span: SourceSpan,
    },

    /// An obligation promising over every row also has `promise`, `bands`, `per` or `deliver`.
    #[error("a promise over every row cannot also have `{clause}`")]
    #[diagnostic(
        code(slac::check::record_promise_combined),
        help(
            "the promise over every row is judged by its share of complying rows; put other promises in an obligation of their own"
        )
    )]
    RecordPromiseCombined {
        /// The other clause's keyword.
        clause: &'static str,
        /// The other clause.
        #[label(primary, "`{clause}` here")]
        span: SourceSpan,
        /// The promise over every row.
        #[label("promise over every row")]
        record: SourceSpan,
    },

    /// A segmented metric's dataset does not have exactly one column typed by that segment.
    #[error("metric `{metric}` is split per `{segment}`, but dataset `{dataset}` {found}")]
    #[diagnostic(code(slac::check::segment_column))]
    SegmentColumn {
        /// The metric.
        metric: String,
        /// The segment the metric is split by.
        segment: String,
        /// The dataset the metric is computed from.
        dataset: String,
        /// What the dataset has instead: no such column, or several.
        found: String,
        /// The metric's `per SEGMENT`.
        #[label("split per `{segment}`")]
        span: SourceSpan,
        /// How to type the column.
        #[help]
        help: String,
    },

    /// A promise over every row has a `within` that is no duration, or a bad `at least` share.
    #[error("{message}")]
    #[diagnostic(code(slac::check::record_promise_value))]
    RecordPromiseValue {
        /// The message, naming the part at fault.
        message: String,
        /// The `within` or `at least` value.
        #[label("{label}")]
        span: SourceSpan,
        /// The label under it.
        label: String,
        /// What to write instead.
        #[help]
        help: String,
    },
}
