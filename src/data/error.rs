//! What can be wrong with a recorded metrics file or a deliveries log.

use miette::SourceSpan;

/// A problem in a `--metrics` file or the `--deliveries` log, pointing into that file.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum DataError {
    /// A `--metrics` file's name does not end in `.csv`, `.json`, `.ndjson` or `.jsonl`.
    #[error("`{path}` is not a metrics file slac reads")]
    #[diagnostic(
        code(slac::data::unknown_format),
        help("give a `.csv`, `.json` or `.ndjson` (or `.jsonl`) file")
    )]
    UnknownFormat {
        /// The file as given on the command line.
        path: String,
    },

    /// A CSV file has no header line, or its header lacks a column slac needs.
    #[error("the file has no `{column}` column")]
    #[diagnostic(code(slac::data::missing_column))]
    MissingColumn {
        /// The column needed: `period`, `metric`, `value`, or `date`, `deliverable`, `party`.
        column: &'static str,
        /// The header line.
        #[label("header")]
        span: SourceSpan,
        /// The header line the file should start with.
        #[help]
        help: String,
    },

    /// Warning: a CSV header names a column slac does not read; its values are ignored.
    #[error("column `{column}` is not used")]
    #[diagnostic(code(slac::data::unknown_column), severity(Warning))]
    UnknownColumn {
        /// The column's name as written in the header.
        column: String,
        /// The column's name in the header.
        #[label("ignored")]
        span: SourceSpan,
        /// The columns this kind of file has.
        #[help]
        help: String,
    },

    /// Many header columns are not read: one warning for all, not one a column.
    #[error("{count} columns are not used: {listed}")]
    #[diagnostic(code(slac::data::unknown_column), severity(Warning))]
    UnknownColumns {
        /// How many header columns are not read.
        count: usize,
        /// The first of them, as written, and how many more.
        listed: String,
        /// The first of them in the header.
        #[label("ignored, as are the others")]
        span: SourceSpan,
        /// The columns this kind of file has.
        #[help]
        help: String,
    },

    /// A row is not CSV or JSON (bad quoting, invalid JSON), or lacks a required field.
    #[error("cannot read this row: {reason}")]
    #[diagnostic(
        code(slac::data::malformed),
        help("check the quoting and the number of fields on this line")
    )]
    Malformed {
        /// What the CSV or JSON reader found wrong, or which field is missing.
        reason: String,
        /// Where reading failed, or the whole row.
        #[label("here")]
        span: SourceSpan,
    },

    /// A `period` is not written in the agreement's period unit (`2026-03`, `2026-Q1`, …).
    #[error("invalid period: {reason}")]
    #[diagnostic(code(slac::data::invalid_period))]
    InvalidPeriod {
        /// Why the text is not a period.
        reason: String,
        /// The period as written.
        #[label("not a {unit} of this agreement")]
        span: SourceSpan,
        /// The agreement's period unit: `week`, `month`, `quarter` or `year`.
        unit: &'static str,
        /// The unit the agreement is evaluated per.
        #[help]
        help: String,
    },

    /// A row's period, or a delivery's date, falls outside the agreement's `effective` range.
    #[error("period {period} is outside the agreement ({from} to {to})")]
    #[diagnostic(
        code(slac::data::period_outside),
        help("remove the row, or extend the agreement's `effective` range")
    )]
    PeriodOutside {
        /// The period (or delivery date) as a label.
        period: String,
        /// First day of the `effective` range.
        from: String,
        /// Last day of the `effective` range.
        to: String,
        /// The period or date as written.
        #[label("outside the effective range")]
        span: SourceSpan,
    },

    /// A row names a metric the agreement does not declare.
    #[error("unknown metric `{name}`")]
    #[diagnostic(code(slac::data::unknown_metric))]
    UnknownMetric {
        /// The metric as written.
        name: String,
        /// The metric's name in the row.
        #[label("not declared in the agreement")]
        span: SourceSpan,
        /// A close declared metric, or the metrics there are.
        #[help]
        help: String,
    },

    /// A row gives a segment for a metric not declared `per` a segment.
    #[error("metric `{metric}` is not split by segment, but this row names segment `{segment}`")]
    #[diagnostic(
        code(slac::data::unexpected_segment),
        help("leave the segment empty, or declare the metric `per` a segment")
    )]
    UnexpectedSegment {
        /// The metric, declared without `per`.
        metric: String,
        /// The segment value the row gives.
        segment: String,
        /// The segment value in the row.
        #[label("unexpected segment")]
        span: SourceSpan,
    },

    /// A row's segment value is not one of the values declared in the metric's segment.
    #[error("`{value}` is not a value of segment `{segment}`")]
    #[diagnostic(code(slac::data::unknown_segment_value))]
    UnknownSegmentValue {
        /// The segment value as written.
        value: String,
        /// The segment the metric is split by.
        segment: String,
        /// The segment value in the row.
        #[label("not declared in `{segment}`")]
        span: SourceSpan,
        /// A close declared value, or the values there are.
        #[help]
        help: String,
    },

    /// A value does not parse, exactly, as the metric's declared type.
    #[error("`{text}` is not {expected} (metric `{metric}` is {ty})")]
    #[diagnostic(code(slac::data::invalid_value))]
    InvalidValue {
        /// The value as written.
        text: String,
        /// What the type asks for: `a count`, `a percentage`, `an amount of money`, ….
        expected: &'static str,
        /// The metric the value is for.
        metric: String,
        /// The metric's type in words: `a duration`, `money in EUR`, ….
        ty: String,
        /// The value in the row.
        #[label("not {expected}")]
        span: SourceSpan,
        /// How to write such a value, or why this one cannot be held exactly.
        #[help]
        help: String,
    },

    /// A money value names a currency other than the metric's; slac never converts.
    #[error("`{text}` is in {found}, but metric `{metric}` is in {expected}")]
    #[diagnostic(
        code(slac::data::wrong_currency),
        help("record the amount in {expected}; slac does not convert currencies")
    )]
    WrongCurrency {
        /// The value as written.
        text: String,
        /// The currency code the value gives.
        found: String,
        /// The metric's declared currency.
        expected: String,
        /// The metric the value is for.
        metric: String,
        /// The value in the row.
        #[label("{found}")]
        span: SourceSpan,
    },

    /// A second row for the same period, metric and segment, in one file or across files.
    #[error("a second value for `{metric}`{segment} in {period}")]
    #[diagnostic(
        code(slac::data::duplicate_row),
        help("keep one row per period, metric and segment{elsewhere}")
    )]
    DuplicateRow {
        /// The metric given twice.
        metric: String,
        /// The segment value, worded for the message; empty for the total.
        segment: String,
        /// The period given twice, as a label.
        period: String,
        /// A note when the first value is in another metrics file, else empty.
        elsewhere: String,
        /// The second row.
        #[label(primary, "second value")]
        span: SourceSpan,
        /// The first row, when it is in the same file.
        #[label("first value")]
        first: Option<SourceSpan>,
    },

    /// A delivery names neither an obligation with `deliver` nor its `deliver` text.
    #[error("unknown deliverable `{name}`")]
    #[diagnostic(code(slac::data::unknown_deliverable))]
    UnknownDeliverable {
        /// The deliverable as written.
        name: String,
        /// The deliverable in the log.
        #[label("no obligation delivers this")]
        span: SourceSpan,
        /// A close deliverable, or the deliverables there are.
        #[help]
        help: String,
    },

    /// A delivery is logged under a party that is not the obligation's owner (its `by`).
    #[error("`{party}` delivered `{deliverable}`, but it is owed by `{owner}`")]
    #[diagnostic(
        code(slac::data::wrong_party),
        help("record the delivery under `{owner}`, or correct the obligation's `by`")
    )]
    WrongParty {
        /// The party the log names.
        party: String,
        /// The deliverable as written.
        deliverable: String,
        /// The party that owes the deliverable.
        owner: String,
        /// The party in the log.
        #[label("not the owner")]
        span: SourceSpan,
    },

    /// A delivery's date is neither a day nor a timestamp with an offset.
    #[error("invalid date `{text}`")]
    #[diagnostic(
        code(slac::data::invalid_date),
        help(
            "write a date as `2026-03-05` or a timestamp with offset as `2026-03-05T10:30:00+01:00`"
        )
    )]
    InvalidDate {
        /// The date as written.
        text: String,
        /// The date in the log.
        #[label("not a date")]
        span: SourceSpan,
    },
}
