//! What evaluation found that people must act on: an obligation missed or at risk in
//! a period, and an agreement that can be terminated. Typed like every stage's
//! errors, so that a PR annotation, a SARIF result or an editor can tell them apart;
//! the report writes their text (the numbers, remedy, contacts, root cause).

use miette::SourceSpan;

/// A shortfall or a termination, pointing at the promise or condition in the agreement.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum Finding {
    /// An obligation (or one segment of it) missed its promise in a closed period.
    #[error("{message}")]
    #[diagnostic(code(slac::eval::missed), severity(Error), help("{help}"))]
    Missed {
        /// The obligation's name.
        obligation: String,
        /// The segment value, for a promise per segment.
        segment: Option<String>,
        /// The period's label, such as `2026-03`.
        period: String,
        /// The whole message, numbers included.
        message: String,
        /// Remedy, contacts, root cause and worst rows.
        help: String,
        /// The promise.
        #[label("{label}")]
        span: SourceSpan,
        /// Actual against target.
        label: String,
    },

    /// An obligation is behind in a running period, or graded into an at-risk band.
    #[error("{message}")]
    #[diagnostic(code(slac::eval::at_risk), severity(Warning), help("{help}"))]
    AtRisk {
        /// The obligation's name.
        obligation: String,
        /// The segment value, for a promise per segment.
        segment: Option<String>,
        /// The period's label, such as `2026-03`.
        period: String,
        /// The whole message, numbers included.
        message: String,
        /// Pacing, remedy, contacts and root cause.
        help: String,
        /// The promise.
        #[label("{label}")]
        span: SourceSpan,
        /// Actual against target.
        label: String,
    },

    /// A termination condition holds.
    #[error("the agreement can be terminated as of {period}")]
    #[diagnostic(
        code(slac::eval::terminated),
        severity(Error),
        help("{reason}; the parties' contacts decide whether to end or renegotiate the agreement")
    )]
    Terminated {
        /// The period it takes effect.
        period: String,
        /// Why, in words.
        reason: String,
        /// The obligations whose history meets the condition.
        obligations: Vec<String>,
        /// The `terminate` clause.
        #[label("this condition holds")]
        span: SourceSpan,
    },
}
