//! What the checker finds wrong with how an obligation's result is graded and what
//! follows from it: bands, remedies, caps and termination rules. A part of
//! [`CheckError`](super::CheckError), split off to keep each file readable.

use miette::SourceSpan;

/// A problem with a band, remedy, cap or termination rule.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum GradingError {
    /// Two bands that compare in opposite directions both match some values; the
    /// first of them takes those values.
    #[error("bands `{other}` and `{band}` both match {range}")]
    #[diagnostic(code(slac::check::band_overlap))]
    BandOverlap {
        /// The later band.
        band: String,
        /// The earlier band, which takes the shared values.
        other: String,
        /// The values both match, in words.
        range: String,
        /// The later band's condition.
        #[label(primary, "also matches them")]
        span: SourceSpan,
        /// The earlier band's condition.
        #[label("`{other}` comes first and takes them")]
        other_span: SourceSpan,
        /// How to make the bands meet.
        #[help]
        help: String,
    },

    /// Bands leave values without a grade: an empty block, a stretch between two
    /// bands, or the values past the last threshold.
    #[error("no band grades {uncovered}")]
    #[diagnostic(code(slac::check::band_gap))]
    BandGap {
        /// What is left ungraded, in words.
        uncovered: String,
        /// The block.
        #[label("no band for {uncovered}")]
        span: SourceSpan,
        /// How to cover the rest.
        #[help]
        help: String,
    },

    /// A band can never match: every value it matches is taken by earlier bands.
    #[error("band `{band}` is never reached: {by} every value it matches")]
    #[diagnostic(code(slac::check::band_unreachable))]
    BandUnreachable {
        /// The band never reached.
        band: String,
        /// The earlier bands that take its values, with the verb: "`met` already grades".
        by: String,
        /// The band's condition (or name).
        #[label(primary, "never reached")]
        span: SourceSpan,
        /// The first earlier band that takes its values.
        #[label("takes its values first")]
        other_span: SourceSpan,
        /// How to reach it.
        #[help]
        help: String,
    },

    /// A band grades another value than the first band does.
    #[error("bands must grade one value")]
    #[diagnostic(code(slac::check::band_shape))]
    BandShape {
        /// The condition that breaks the pattern.
        #[label(primary, "{reason}")]
        span: SourceSpan,
        /// How it breaks it.
        reason: String,
        /// The first band.
        #[label("first band")]
        first: SourceSpan,
        /// How to write the bands.
        #[help]
        help: String,
    },

    /// A band's status is not a status, or contradicts the band's name.
    #[error("{reason}")]
    #[diagnostic(code(slac::check::band_status))]
    BandStatus {
        /// What is wrong with it.
        reason: String,
        /// The `as` word.
        #[label("not a status for this band")]
        span: SourceSpan,
        /// How to write it.
        #[help]
        help: String,
    },

    /// A band grades values as met where the promise does not hold, or as at risk
    /// or missed where it does.
    #[error("band `{band}` grades {range} as {status}, but the promise `{promise}` {holds} there")]
    #[diagnostic(
        code(slac::check::band_contradicts_promise),
        help(
            "a period is met exactly where the promise holds: change the band's condition or status, or the promise"
        )
    )]
    BandContradictsPromise {
        /// The band.
        band: String,
        /// Its status in words.
        status: &'static str,
        /// The values in question, in words.
        range: String,
        /// The promise as written.
        promise: String,
        /// `holds` or `does not hold`.
        holds: &'static str,
        /// The band.
        #[label(primary, "grades them {status}")]
        span: SourceSpan,
        /// The promise.
        #[label("the promise")]
        promise_span: SourceSpan,
    },

    /// A remedy has no `action`, `strike` or `credit`.
    #[error("remedy `{remedy}` does nothing")]
    #[diagnostic(
        code(slac::check::empty_remedy),
        help("give it an `action`, a `strike` or a `credit`")
    )]
    EmptyRemedy {
        /// The remedy.
        remedy: String,
        /// The remedy's name in its declaration.
        #[label("no action, strike or credit")]
        span: SourceSpan,
    },

    /// A credit cap's window is shorter than the agreement's period.
    #[error("a cap {per} is shorter than the agreement's period ({period})")]
    #[diagnostic(
        code(slac::check::cap_window),
        help("cap credits `per period` or over a longer window")
    )]
    CapWindow {
        /// The window as written, such as `per week`.
        per: String,
        /// The agreement's period, such as `month`.
        period: &'static str,
        /// The cap's window.
        #[label("too short")]
        span: SourceSpan,
    },

    /// Warning: credits are capped, but nothing grants a credit.
    #[error("credits are capped, but no remedy grants a credit")]
    #[diagnostic(
        code(slac::check::cap_without_credit),
        severity(Warning),
        help("remove the cap, or add `credit` to a remedy")
    )]
    CapWithoutCredit {
        /// The `cap` clause.
        #[label("caps nothing")]
        span: SourceSpan,
    },

    /// A termination rule or recalculation counts no periods, or more misses than its window.
    #[error("{reason}")]
    #[diagnostic(code(slac::check::invalid_window))]
    InvalidWindow {
        /// What is impossible about it.
        reason: String,
        /// The `missed …` rule or the `over N periods` count.
        #[label("impossible window")]
        span: SourceSpan,
        /// A possible window.
        #[help]
        help: String,
    },
}
