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
