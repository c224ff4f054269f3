//! What evaluation finds wrong, pointing into the agreement.

use miette::SourceSpan;

/// Problems found while evaluating, pointing into the agreement.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum EvalError {
    /// Warning: a division met a zero divisor in some periods, so its value is unknown there.
    #[error("division by zero in {period}: {left} / {right}")]
    #[diagnostic(
        code(slac::eval::division_by_zero),
        severity(Warning),
        help("{consequence}")
    )]
    DivisionByZero {
        /// The periods in which the divisor was zero, as a list.
        period: String,
        /// The dividend as written, with its value: `x = 12`.
        left: String,
        /// The divisor as written, with its value: `y = 0`.
        right: String,
        /// What an unknown value does to inputs and promises.
        consequence: String,
        /// The divisor.
        #[label("{right} is zero in {period}")]
        span: SourceSpan,
    },

    /// Warning: an obligation could not be judged in some periods for want of data.
    #[error("no data for {obligation} in {periods}")]
    #[diagnostic(
        code(slac::eval::no_data),
        severity(Warning),
        help(
            "record {missing} for these periods; until then the obligation is neither met nor missed"
        )
    )]
    NoData {
        /// The obligation, and its segment if the target is per segment.
        obligation: String,
        /// The periods without data, as a list.
        periods: String,
        /// The metrics without a value, as a list.
        missing: String,
        /// The promise that could not be judged.
        #[label("cannot be evaluated")]
        span: SourceSpan,
    },

    /// Warning: values or deliveries were recorded for periods after `--as-of`, so
    /// they are not judged.
    #[error("{what} {after}, after --as-of {as_of}: not judged")]
    #[diagnostic(
        code(slac::eval::after_as_of),
        severity(Warning),
        help("move --as-of later, or leave it out, to judge them; or drop them from the export")
    )]
    AfterAsOf {
        /// The metric or obligation, in words: "`mqls` has values for".
        what: String,
        /// The periods or days, as a list.
        after: String,
        /// The `--as-of` day.
        as_of: String,
        /// The metric's declaration, or the deliverable.
        #[label("recorded after --as-of")]
        span: SourceSpan,
    },

    /// Warning: `--as-of` comes before every period with data, so nothing is judged.
    #[error(
        "--as-of {as_of} comes before all data (the first period with data is {first}), so nothing was judged"
    )]
    #[diagnostic(
        code(slac::eval::as_of_before_data),
        severity(Warning),
        help(
            "give a day inside the data, e.g. --as-of {last_day}, or leave --as-of out to judge every period with data"
        )
    )]
    AsOfBeforeData {
        /// The `--as-of` day.
        as_of: String,
        /// The first period with data.
        first: String,
        /// The last day of the last period with data.
        last_day: String,
        /// The agreement's `effective` range.
        #[label("the agreement runs from here")]
        span: SourceSpan,
    },

    /// The checker found no error, yet the agreement could not be lowered into the
    /// model: a bug in slac, said rather than hidden behind "nothing was evaluated".
    #[error("internal error in slac: the checked agreement could not be resolved ({detail})")]
    #[diagnostic(
        code(slac::eval::internal),
        help("please report this with the agreement that caused it")
    )]
    Internal {
        /// What could not be resolved.
        detail: String,
    },
}
