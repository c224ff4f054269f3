//! What evaluation finds wrong, pointing into the agreement.

use miette::SourceSpan;

/// Problems found while evaluating, pointing into the agreement.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum EvalError {
    #[error("division by zero in {period}: {left} / {right}")]
    #[diagnostic(
        code(slac::eval::division_by_zero),
        severity(Warning),
        help("{consequence}")
    )]
    DivisionByZero {
        period: String,
        left: String,
        right: String,
        consequence: String,
        #[label("{right} is zero in {period}")]
        span: SourceSpan,
    },

    #[error("no data for {obligation} in {periods}")]
    #[diagnostic(
        code(slac::eval::no_data),
        severity(Warning),
        help(
            "record {missing} for these periods; until then the obligation is neither met nor missed"
        )
    )]
    NoData {
        obligation: String,
        periods: String,
        missing: String,
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
    Internal { detail: String },
}
