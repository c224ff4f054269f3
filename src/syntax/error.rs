//! What can be wrong with the text of an agreement, in the language's own words.

use miette::SourceSpan;

/// A problem with the text of an agreement: its brackets, tokens or literal values.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum SyntaxError {
    /// The parser met a token the grammar does not allow at that place.
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(slac::syntax::unexpected))]
    Unexpected {
        /// What the grammar allows here, in words.
        expected: String,
        /// What was found instead.
        found: String,
        /// The unexpected text.
        #[label("unexpected here")]
        span: SourceSpan,
        /// A likely keyword or currency meant, or the form of the clause.
        #[help]
        help: String,
    },

    /// A `{` or `(` is never closed.
    #[error("unclosed `{delimiter}`")]
    #[diagnostic(code(slac::syntax::unclosed_delimiter))]
    Unclosed {
        /// The bracket left open.
        delimiter: char,
        /// The open bracket; for `{`, the one whose block the indentation suggests is unclosed.
        #[label("this `{delimiter}` is never closed")]
        span: SourceSpan,
        /// Where to add the closing bracket.
        #[help]
        help: String,
    },

    /// A `}` or `)` with no open bracket before it.
    #[error("unexpected `{delimiter}` with nothing open to close")]
    #[diagnostic(
        code(slac::syntax::unexpected_closing),
        help("remove this `{delimiter}`, or add the opening bracket it was meant to close")
    )]
    UnexpectedClosing {
        /// The closing bracket.
        delimiter: char,
        /// The stray bracket.
        #[label("nothing to close here")]
        span: SourceSpan,
    },

    /// A `}` has nothing to close because an earlier `}`, indented unlike the line
    /// that opened its block, most likely closed that block too soon.
    #[error(
        "unexpected `}}` with nothing open to close: an earlier `}}` closed its block too soon"
    )]
    #[diagnostic(
        code(slac::syntax::unexpected_closing),
        help(
            "remove the extra `}}` marked first; its indentation does not match the line that opened the block it closes"
        )
    )]
    EarlyClosing {
        /// The `}` that most likely is the extra one.
        #[label(primary, "likely the extra `}}`")]
        span: SourceSpan,
        /// The `}` left with nothing to close.
        #[label("nothing left to close here")]
        stray: SourceSpan,
        /// Where the block it closed was opened.
        #[label("the block it closes opens here")]
        opened: SourceSpan,
    },

    /// A `}` or `)` closes a bracket of the other kind.
    #[error("`{close}` does not match the `{open}` it closes")]
    #[diagnostic(
        code(slac::syntax::mismatched_delimiter),
        help("close `{open}` with `{expected}`")
    )]
    Mismatched {
        /// The bracket opened.
        open: char,
        /// The closing bracket written.
        close: char,
        /// The closing bracket that matches `open`.
        expected: char,
        /// Where the bracket was opened.
        #[label("opened here")]
        open_span: SourceSpan,
        /// Where the wrong bracket closes it.
        #[label(primary, "closed with `{close}`")]
        span: SourceSpan,
    },

    /// A `"` with no closing `"` on the same line.
    #[error("unterminated string")]
    #[diagnostic(
        code(slac::syntax::unterminated_string),
        help("close the string with `\"` on the same line; strings cannot span lines")
    )]
    UnterminatedString {
        /// From the opening `"` to the end of the line.
        #[label("this string has no closing `\"`")]
        span: SourceSpan,
    },

    /// Brackets are nested more levels deep than slac allows (`MAX_NESTING`).
    #[error("nesting too deep: more than {limit} open brackets")]
    #[diagnostic(
        code(slac::syntax::nesting_too_deep),
        help("an agreement needs only a few levels of `{{ }}` and `( )`; flatten this part")
    )]
    NestingTooDeep {
        /// The most open brackets allowed.
        limit: usize,
        /// The first bracket past the limit.
        #[label("level {limit} is exceeded here")]
        span: SourceSpan,
    },

    /// An expression nests operators too deeply (`MAX_EXPRESSION_DEPTH`).
    #[error("expression too deep: more than {limit} operators nested")]
    #[diagnostic(
        code(slac::syntax::expression_too_deep),
        help("split the expression into several `let` definitions")
    )]
    ExpressionTooDeep {
        /// The deepest nesting allowed.
        limit: u32,
        /// The expression.
        #[label("this expression")]
        span: SourceSpan,
    },

    /// A unit after a number is neither a duration unit nor a currency code.
    #[error("unknown unit `{unit}`")]
    #[diagnostic(code(slac::syntax::unknown_unit))]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// Where the unit is written.
        #[label("not a unit slac knows")]
        span: SourceSpan,
        /// A close unit, and the units there are.
        #[help]
        help: String,
    },

    /// A three-letter code is not an ISO 4217 currency.
    #[error("unknown currency `{code}`")]
    #[diagnostic(code(slac::syntax::unknown_currency))]
    UnknownCurrency {
        /// The code as written.
        code: String,
        /// Where the code is written.
        #[label("not an ISO 4217 currency code")]
        span: SourceSpan,
        /// A close code, or examples of valid ones.
        #[help]
        help: String,
    },

    /// A word from a fixed set (a `kind`, period unit, metric type or weekday) is not in it.
    #[error("unknown {what} `{word}`")]
    #[diagnostic(code(slac::syntax::unknown_word))]
    UnknownWord {
        /// What the word was to be, such as `agreement kind` or `weekday`.
        what: &'static str,
        /// The word as written.
        word: String,
        /// Where the word is written.
        #[label("expected {choices}")]
        span: SourceSpan,
        /// The words allowed, as a list.
        choices: String,
        /// A close word, or the words allowed.
        #[help]
        help: String,
    },

    /// A `money` metric or column has no currency code.
    #[error("money needs a currency")]
    #[diagnostic(
        code(slac::syntax::missing_currency),
        help("write the ISO currency code after `money`, e.g. `money EUR`")
    )]
    MissingCurrency {
        /// The word `money`.
        #[label("which currency?")]
        span: SourceSpan,
    },

    /// A `decimal(N)` column asks for more than 18 digits after the point.
    #[error("a decimal column keeps at most 18 digits after the point, not {scale}")]
    #[diagnostic(
        code(slac::syntax::decimal_scale),
        help("write a scale from 0 to 18, e.g. `decimal(2)`")
    )]
    DecimalScale {
        /// The scale as written.
        scale: u32,
        /// Where the scale is written.
        #[label("too many digits")]
        span: SourceSpan,
    },

    /// A column type other than `decimal` has a scale in parentheses.
    #[error("only a decimal column has a scale, not `{ty}`")]
    #[diagnostic(
        code(slac::syntax::unexpected_scale),
        help("write `decimal(2)` for a number with two digits after the point, or drop the `(…)`")
    )]
    UnexpectedScale {
        /// The type word.
        ty: String,
        /// The scale.
        #[label("not a decimal column")]
        span: SourceSpan,
    },

    /// A metric or column type other than `money` has a currency code.
    #[error("only money has a currency, not `{ty}`")]
    #[diagnostic(
        code(slac::syntax::unexpected_currency),
        help("write `money {code}` for an amount, or drop `{code}`")
    )]
    UnexpectedCurrency {
        /// The type word.
        ty: String,
        /// The currency code.
        code: String,
        /// Where the code is written.
        #[label("currency on a non-money type")]
        span: SourceSpan,
    },

    /// A date in `YYYY-MM-DD` form that is not a calendar date, such as `2026-02-30`.
    #[error("invalid date `{text}`: {reason}")]
    #[diagnostic(
        code(slac::syntax::invalid_date),
        help("write dates as YYYY-MM-DD, e.g. `2026-01-31`")
    )]
    InvalidDate {
        /// The date as written.
        text: String,
        /// Why it is no date, such as `February 2026 has 28 days`.
        reason: String,
        /// Where the date is written.
        #[label("not a calendar date")]
        span: SourceSpan,
    },

    /// A time in `HH:MM` form that is not a time of day, such as `24:00`.
    #[error("invalid time `{text}`")]
    #[diagnostic(
        code(slac::syntax::invalid_time),
        help("write times as HH:MM from `00:00` to `23:59`")
    )]
    InvalidTime {
        /// The time as written.
        text: String,
        /// Where the time is written.
        #[label("not a time of day")]
        span: SourceSpan,
    },

    /// An amount of money has more decimal places than its currency has.
    #[error("`{text}` has more decimal places than the currency's {places}")]
    #[diagnostic(code(slac::syntax::money_scale))]
    MoneyScale {
        /// The amount as written, with its currency.
        text: String,
        /// The currency's decimal places (2 for EUR, 0 for JPY).
        places: u32,
        /// Where the amount is written.
        #[label("more decimal places than the currency has")]
        span: SourceSpan,
        /// The likely intent (a thousands separator) and how to write it.
        #[help]
        help: String,
    },

    /// A number has over 28 significant digits, or a count of periods does not fit in 32 bits.
    #[error("number `{text}` is out of range")]
    #[diagnostic(
        code(slac::syntax::number_out_of_range),
        help("numbers have at most 28 significant digits; counts of periods fit in 32 bits")
    )]
    NumberOutOfRange {
        /// The number as written.
        text: String,
        /// Where the number is written.
        #[label("too large or too precise")]
        span: SourceSpan,
    },

    /// The parser and the tree builder disagree about the text: a bug in slac.
    #[error("internal error: the parser and the syntax tree disagree at {detail}")]
    #[diagnostic(
        code(slac::syntax::internal),
        help("this is a bug in slac; please report it with the file that caused it")
    )]
    Internal {
        /// What the builder was looking for.
        detail: String,
        /// Where it was looking.
        #[label("here")]
        span: SourceSpan,
    },
}
