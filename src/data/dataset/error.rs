//! What can be wrong with a dataset file as a whole, and with its rows.

#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum DatasetError {
    #[error("cannot read dataset `{dataset}` from {path}: {reason}")]
    #[diagnostic(
        code(slac::data::unreadable_dataset),
        help("check the path given with `--data {dataset}=FILE`")
    )]
    Unreadable {
        dataset: String,
        path: String,
        reason: String,
    },

    #[error("{path} has no column `{column}`, which dataset `{dataset}` declares")]
    #[diagnostic(code(slac::data::missing_column))]
    MissingColumn {
        dataset: String,
        column: String,
        path: String,
        #[help]
        help: String,
    },

    #[error("{path}:{line}: the header is not valid UTF-8")]
    #[diagnostic(
        code(slac::data::bad_header),
        help("save the export as UTF-8 (most CRMs offer it as an option)")
    )]
    BadHeader { path: String, line: u64 },

    #[error(
        "dataset `{dataset}` cannot be read exactly: a duration in its metrics or promises is finer than a nanosecond or longer than 292 years"
    )]
    #[diagnostic(
        code(slac::data::unrepresentable),
        help(
            "write durations in whole nanoseconds or coarser, and below 292 years, e.g. `1h` or `90s`"
        )
    )]
    Unrepresentable { dataset: String },

    #[error("the agreement declares no dataset `{name}`")]
    #[diagnostic(code(slac::data::unknown_dataset))]
    UnknownDataset {
        name: String,
        #[help]
        help: String,
    },

    #[error("`--data {text}` does not name a dataset")]
    #[diagnostic(
        code(slac::data::data_argument),
        help("write `--data NAME=FILE`, e.g. `--data leads=exports/leads.csv`")
    )]
    DataArgument { text: String },

    #[error("dataset `{dataset}` was not given, so its metrics have no data")]
    #[diagnostic(
        code(slac::data::dataset_not_given),
        severity(Warning),
        help(
            "pass the file with `--data {dataset}=FILE` (CSV, or NDJSON with a .ndjson or .jsonl name)"
        )
    )]
    NotGiven { dataset: String },

    #[error("{count} row{plural} of `{dataset}` excluded: {what}{examples}")]
    #[diagnostic(code(slac::data::rows_excluded), severity(Warning))]
    RowsExcluded {
        dataset: String,
        count: u64,
        plural: &'static str,
        what: &'static str,
        examples: String,
        #[help]
        help: String,
    },

    #[error("{count} row{plural} of `{dataset}` refused (--strict): {what}{examples}")]
    #[diagnostic(code(slac::data::rows_refused))]
    RowsRefused {
        dataset: String,
        count: u64,
        plural: &'static str,
        what: &'static str,
        examples: String,
        #[help]
        help: String,
    },
}
