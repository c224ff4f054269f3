//! What the checker finds wrong with how an obligation's result is graded and what
//! follows from it: bands, remedies, caps and termination rules. A part of
//! [`CheckError`](super::CheckError), split off to keep each file readable.

use miette::SourceSpan;

/// A problem with a band, remedy, cap or termination rule.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum GradingError {
    /// A band can never match, because every value it matches is taken by an earlier band.
    #[error(
        "band `{band}` overlaps band `{other}`: every value it matches is already matched by `{other}`"
    )]
    #[diagnostic(code(slac::check::band_overlap))]
    BandOverlap {
        /// The band never reached.
        band: String,
        /// The earlier band that takes its values.
        other: String,
        /// The later band's condition.
        #[label(primary, "never reached")]
        span: SourceSpan,
        /// The earlier band's condition.
        #[label("`{other}` comes first")]
        other_span: SourceSpan,
        /// Which way to order the thresholds.
        #[help]
        help: String,
    },

    /// A `bands` block is empty, or leaves values past the last threshold ungraded.
    #[error("bands leave values uncovered: {uncovered}")]
    #[diagnostic(code(slac::check::band_gap))]
    BandGap {
        /// What is left ungraded, in words.
        uncovered: String,
        /// The empty block, or the last band with a condition.
        #[label("no band for the rest")]
        span: SourceSpan,
        /// How to cover the rest.
        #[help]
        help: String,
    },

    /// A band comes after the band without `when`, which already takes every value.
    #[error("band `{band}` comes after the catch-all band `{catch_all}` and is never reached")]
    #[diagnostic(
        code(slac::check::band_unreachable),
        help("move the band without `when` to the end")
    )]
    BandUnreachable {
        /// The band never reached.
        band: String,
        /// The catch-all band.
        catch_all: String,
        /// The later band's name.
        #[label(primary, "never reached")]
        span: SourceSpan,
        /// The catch-all band's name.
        #[label("matches every value")]
        catch_all_span: SourceSpan,
    },

    /// A `bands` block's conditions do not grade one value in one direction, or one uses `==`.
    #[error("bands must grade one value in one direction")]
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
