//! What can be wrong with a dataset file as a whole, and with its rows.

/// A problem with a `--data` file or its rows, or with the `--data` arguments themselves.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum DatasetError {
    /// The dataset file cannot be opened or read, or is not a regular file (a pipe, say).
    #[error("cannot read dataset `{dataset}` from {path}: {reason}")]
    #[diagnostic(
        code(slac::data::unreadable_dataset),
        help("check the path given with `--data {dataset}=FILE`")
    )]
    Unreadable {
        /// The dataset, as named in `--data NAME=FILE`.
        dataset: String,
        /// The file as given.
        path: String,
        /// What the system said, or why slac cannot read this kind of file.
        reason: String,
    },

    /// The file's header lacks a column the dataset declares (a renamed column, say).
    #[error("{path} has no column `{column}`, which dataset `{dataset}` declares")]
    #[diagnostic(code(slac::data::missing_column))]
    MissingColumn {
        /// The dataset that declares the column.
        dataset: String,
        /// The declared column not in the header.
        column: String,
        /// The file as given.
        path: String,
        /// A close column in the header, the header's columns, or a hint (empty file, `;`).
        #[help]
        help: String,
    },

    /// The file's header names a declared column twice: neither copy can be taken.
    #[error("{path} names column `{column}` twice in its header")]
    #[diagnostic(
        code(slac::data::duplicate_column),
        help("keep one column of that name in the export, or rename the other")
    )]
    DuplicateColumn {
        /// The dataset that declares the column.
        dataset: String,
        /// The column named twice.
        column: String,
        /// The file as given.
        path: String,
    },

    /// The file's header row is not valid UTF-8.
    #[error("{path}:{line}: the header is not valid UTF-8")]
    #[diagnostic(
        code(slac::data::bad_header),
        help("save the export as UTF-8 (most CRMs offer it as an option)")
    )]
    BadHeader {
        /// The file as given.
        path: String,
        /// The header's line in the file, from 1.
        line: u64,
    },

    /// A duration in a metric or per-row promise over it is finer than 1 ns or over 292 years.
    #[error(
        "dataset `{dataset}` cannot be read exactly: a duration in its metrics or promises is finer than a nanosecond or longer than 292 years"
    )]
    #[diagnostic(
        code(slac::data::unrepresentable),
        help(
            "write durations in whole nanoseconds or coarser, and below 292 years, e.g. `1h` or `90s`"
        )
    )]
    Unrepresentable {
        /// The dataset whose metrics or promises hold the duration.
        dataset: String,
    },

    /// `--data NAME=FILE` names a dataset the agreement does not declare.
    #[error("the agreement declares no dataset `{name}`")]
    #[diagnostic(code(slac::data::unknown_dataset))]
    UnknownDataset {
        /// The name as given in `--data`.
        name: String,
        /// A close declared dataset, or the datasets there are.
        #[help]
        help: String,
    },

    /// A `--data` argument is not `NAME=FILE`.
    #[error("`--data {text}` does not name a dataset")]
    #[diagnostic(
        code(slac::data::data_argument),
        help("write `--data NAME=FILE`, e.g. `--data leads=exports/leads.csv`")
    )]
    DataArgument {
        /// The argument as given.
        text: String,
    },

    /// Warning: the agreement declares a dataset but no `--data` file was given for it.
    #[error("dataset `{dataset}` was not given, so its metrics have no data")]
    #[diagnostic(
        code(slac::data::dataset_not_given),
        severity(Warning),
        help(
            "pass the file with `--data {dataset}=FILE` (CSV, or NDJSON with a .ndjson or .jsonl name)"
        )
    )]
    NotGiven {
        /// The dataset declared but not given.
        dataset: String,
    },

    /// Warning: a dataset file holds a header and no rows.
    #[error("`{file}` has a header but no rows, so the metrics of `{dataset}` have no data")]
    #[diagnostic(
        code(slac::data::no_rows),
        severity(Warning),
        help(
            "export the rows for the agreement's periods; an empty export is usually a filter, date range or permission set in the CRM"
        )
    )]
    NoRows {
        /// The dataset.
        dataset: String,
        /// The file as given.
        file: String,
    },

    /// Warning: rows of one kind were excluded from every metric of the dataset.
    #[error("{count} row{plural} of `{dataset}` excluded: {what}{examples}")]
    #[diagnostic(code(slac::data::rows_excluded), severity(Warning))]
    RowsExcluded {
        /// The dataset the rows belong to.
        dataset: String,
        /// How many rows of this kind.
        count: u64,
        /// `s` when `count` is not 1, for the message.
        plural: &'static str,
        /// What is wrong with these rows, in words.
        what: &'static str,
        /// The rows that cannot be labelled in the file, and how many more there are.
        examples: String,
        /// How to fix such rows, and what `--strict` changes.
        #[help]
        help: String,
    },

    /// Warning: rows whose timestamp in a grouping column places them in no period
    /// (before or after the agreement, or after `--as-of`) count towards no metric
    /// grouped by that column.
    #[error(
        "{count} row{plural} of `{dataset}` {have} `{column}` {when}, so nothing grouped by `{column}` counts {them}"
    )]
    #[diagnostic(code(slac::data::rows_outside), severity(Warning))]
    RowsOutside {
        /// The dataset the rows belong to.
        dataset: String,
        /// The grouping column.
        column: String,
        /// How many rows.
        count: u64,
        /// `s` when `count` is not 1, for the message.
        plural: &'static str,
        /// `has` or `have`.
        have: &'static str,
        /// `it` or `them`.
        them: &'static str,
        /// Where their timestamps fall, in words.
        when: String,
        /// What to do about them.
        #[help]
        help: String,
    },

    /// With `--strict`: rows of one kind would be excluded, so nothing is evaluated.
    #[error("{count} row{plural} of `{dataset}` refused (--strict): {what}{examples}")]
    #[diagnostic(code(slac::data::rows_refused))]
    RowsRefused {
        /// The dataset the rows belong to.
        dataset: String,
        /// How many rows of this kind.
        count: u64,
        /// `s` when `count` is not 1, for the message.
        plural: &'static str,
        /// What is wrong with these rows, in words.
        what: &'static str,
        /// The rows that cannot be labelled in the file, and how many more there are.
        examples: String,
        /// How to fix such rows, and what `--strict` changes.
        #[help]
        help: String,
    },
}
