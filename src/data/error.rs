//! What can be wrong with a recorded metrics file or a deliveries log.

use miette::SourceSpan;

#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum DataError {
    #[error("`{path}` is not a metrics file slac reads")]
    #[diagnostic(
        code(slac::data::unknown_format),
        help("give a `.csv`, `.json` or `.ndjson` (or `.jsonl`) file")
    )]
    UnknownFormat { path: String },

    #[error("the file has no `{column}` column")]
    #[diagnostic(code(slac::data::missing_column))]
    MissingColumn {
        column: &'static str,
        #[label("header")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("column `{column}` is not used")]
    #[diagnostic(
        code(slac::data::unknown_column),
        severity(Warning),
        help(
            "slac reads the columns `period`, `metric`, `value` and `segment`; remove the others or rename this one"
        )
    )]
    UnknownColumn {
        column: String,
        #[label("ignored")]
        span: SourceSpan,
    },

    #[error("cannot read this row: {reason}")]
    #[diagnostic(
        code(slac::data::malformed),
        help("check the quoting and the number of fields on this line")
    )]
    Malformed {
        reason: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("invalid period: {reason}")]
    #[diagnostic(code(slac::data::invalid_period))]
    InvalidPeriod {
        reason: String,
        #[label("not a {unit} of this agreement")]
        span: SourceSpan,
        unit: &'static str,
        #[help]
        help: String,
    },

    #[error("period {period} is outside the agreement ({from} to {to})")]
    #[diagnostic(
        code(slac::data::period_outside),
        help("remove the row, or extend the agreement's `effective` range")
    )]
    PeriodOutside {
        period: String,
        from: String,
        to: String,
        #[label("outside the effective range")]
        span: SourceSpan,
    },

    #[error("unknown metric `{name}`")]
    #[diagnostic(code(slac::data::unknown_metric))]
    UnknownMetric {
        name: String,
        #[label("not declared in the agreement")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("metric `{metric}` is not split by segment, but this row names segment `{segment}`")]
    #[diagnostic(
        code(slac::data::unexpected_segment),
        help("leave the segment empty, or declare the metric `per` a segment")
    )]
    UnexpectedSegment {
        metric: String,
        segment: String,
        #[label("unexpected segment")]
        span: SourceSpan,
    },

    #[error("`{value}` is not a value of segment `{segment}`")]
    #[diagnostic(code(slac::data::unknown_segment_value))]
    UnknownSegmentValue {
        value: String,
        segment: String,
        #[label("not declared in `{segment}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{text}` is not {expected} (metric `{metric}` is {ty})")]
    #[diagnostic(code(slac::data::invalid_value))]
    InvalidValue {
        text: String,
        expected: &'static str,
        metric: String,
        ty: String,
        #[label("not {expected}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{text}` is in {found}, but metric `{metric}` is in {expected}")]
    #[diagnostic(
        code(slac::data::wrong_currency),
        help("record the amount in {expected}; slac does not convert currencies")
    )]
    WrongCurrency {
        text: String,
        found: String,
        expected: String,
        metric: String,
        #[label("{found}")]
        span: SourceSpan,
    },

    #[error("a second value for `{metric}`{segment} in {period}")]
    #[diagnostic(
        code(slac::data::duplicate_row),
        help("keep one row per period, metric and segment{elsewhere}")
    )]
    DuplicateRow {
        metric: String,
        segment: String,
        period: String,
        elsewhere: String,
        #[label(primary, "second value")]
        span: SourceSpan,
        #[label("first value")]
        first: Option<SourceSpan>,
    },

    #[error("unknown deliverable `{name}`")]
    #[diagnostic(code(slac::data::unknown_deliverable))]
    UnknownDeliverable {
        name: String,
        #[label("no obligation delivers this")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{party}` delivered `{deliverable}`, but it is owed by `{owner}`")]
    #[diagnostic(
        code(slac::data::wrong_party),
        help("record the delivery under `{owner}`, or correct the obligation's `by`")
    )]
    WrongParty {
        party: String,
        deliverable: String,
        owner: String,
        #[label("not the owner")]
        span: SourceSpan,
    },

    #[error("invalid date `{text}`")]
    #[diagnostic(
        code(slac::data::invalid_date),
        help(
            "write a date as `2026-03-05` or a timestamp with offset as `2026-03-05T10:30:00+01:00`"
        )
    )]
    InvalidDate {
        text: String,
        #[label("not a date")]
        span: SourceSpan,
    },
}
