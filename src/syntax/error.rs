//! What can be wrong with the text of an agreement, in the language's own words.

use miette::SourceSpan;

#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum SyntaxError {
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(slac::syntax::unexpected))]
    Unexpected {
        expected: String,
        found: String,
        #[label("unexpected here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unclosed `{delimiter}`")]
    #[diagnostic(code(slac::syntax::unclosed_delimiter))]
    Unclosed {
        delimiter: char,
        #[label("this `{delimiter}` is never closed")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unexpected `{delimiter}` with nothing open to close")]
    #[diagnostic(
        code(slac::syntax::unexpected_closing),
        help("remove this `{delimiter}`, or add the opening bracket it was meant to close")
    )]
    UnexpectedClosing {
        delimiter: char,
        #[label("nothing to close here")]
        span: SourceSpan,
    },

    #[error("`{close}` does not match the `{open}` it closes")]
    #[diagnostic(
        code(slac::syntax::mismatched_delimiter),
        help("close `{open}` with `{expected}`")
    )]
    Mismatched {
        open: char,
        close: char,
        expected: char,
        #[label("opened here")]
        open_span: SourceSpan,
        #[label(primary, "closed with `{close}`")]
        span: SourceSpan,
    },

    #[error("unterminated string")]
    #[diagnostic(
        code(slac::syntax::unterminated_string),
        help("close the string with `\"` on the same line; strings cannot span lines")
    )]
    UnterminatedString {
        #[label("this string has no closing `\"`")]
        span: SourceSpan,
    },

    #[error("nesting too deep: more than {limit} open brackets")]
    #[diagnostic(
        code(slac::syntax::nesting_too_deep),
        help("an agreement needs only a few levels of `{{ }}` and `( )`; flatten this part")
    )]
    NestingTooDeep {
        limit: usize,
        #[label("level {limit} is exceeded here")]
        span: SourceSpan,
    },

    #[error("expression too deep: more than {limit} operators nested")]
    #[diagnostic(
        code(slac::syntax::expression_too_deep),
        help("split the expression into several `let` definitions")
    )]
    ExpressionTooDeep {
        limit: u32,
        #[label("this expression")]
        span: SourceSpan,
    },

    #[error("unknown unit `{unit}`")]
    #[diagnostic(code(slac::syntax::unknown_unit))]
    UnknownUnit {
        unit: String,
        #[label("not a unit slac knows")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown currency `{code}`")]
    #[diagnostic(code(slac::syntax::unknown_currency))]
    UnknownCurrency {
        code: String,
        #[label("not an ISO 4217 currency code")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown {what} `{word}`")]
    #[diagnostic(code(slac::syntax::unknown_word))]
    UnknownWord {
        what: &'static str,
        word: String,
        #[label("expected {choices}")]
        span: SourceSpan,
        choices: String,
        #[help]
        help: String,
    },

    #[error("money needs a currency")]
    #[diagnostic(
        code(slac::syntax::missing_currency),
        help("write the ISO currency code after `money`, e.g. `money EUR`")
    )]
    MissingCurrency {
        #[label("which currency?")]
        span: SourceSpan,
    },

    #[error("a decimal column keeps at most 18 digits after the point, not {scale}")]
    #[diagnostic(
        code(slac::syntax::decimal_scale),
        help("write a scale from 0 to 18, e.g. `decimal(2)`")
    )]
    DecimalScale {
        scale: u32,
        #[label("too many digits")]
        span: SourceSpan,
    },

    #[error("only a decimal column has a scale, not `{ty}`")]
    #[diagnostic(
        code(slac::syntax::unexpected_scale),
        help("write `decimal(2)` for a number with two digits after the point, or drop the `(…)`")
    )]
    UnexpectedScale {
        ty: String,
        #[label("not a decimal column")]
        span: SourceSpan,
    },

    #[error("only money has a currency, not `{ty}`")]
    #[diagnostic(
        code(slac::syntax::unexpected_currency),
        help("write `money {code}` for an amount, or drop `{code}`")
    )]
    UnexpectedCurrency {
        ty: String,
        code: String,
        #[label("currency on a non-money type")]
        span: SourceSpan,
    },

    #[error("invalid date `{text}`: {reason}")]
    #[diagnostic(
        code(slac::syntax::invalid_date),
        help("write dates as YYYY-MM-DD, e.g. `2026-01-31`")
    )]
    InvalidDate {
        text: String,
        reason: String,
        #[label("not a calendar date")]
        span: SourceSpan,
    },

    #[error("invalid time `{text}`")]
    #[diagnostic(
        code(slac::syntax::invalid_time),
        help("write times as HH:MM from `00:00` to `23:59`")
    )]
    InvalidTime {
        text: String,
        #[label("not a time of day")]
        span: SourceSpan,
    },

    #[error("number `{text}` is out of range")]
    #[diagnostic(
        code(slac::syntax::number_out_of_range),
        help("numbers have at most 28 significant digits; counts of periods fit in 32 bits")
    )]
    NumberOutOfRange {
        text: String,
        #[label("too large or too precise")]
        span: SourceSpan,
    },

    #[error("internal error: the parser and the syntax tree disagree at {detail}")]
    #[diagnostic(
        code(slac::syntax::internal),
        help("this is a bug in slac; please report it with the file that caused it")
    )]
    Internal {
        detail: String,
        #[label("here")]
        span: SourceSpan,
    },
}
