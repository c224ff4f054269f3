//! Turns pest's "expected one of these rules" into the language's own words, with a
//! "did you mean" for misspelt keywords.

use pest::error::{ErrorVariant, InputLocation};

use super::ast::Span;
use super::error::SyntaxError;
use super::parser::Rule;
use super::quantity;
use crate::suggest::did_you_mean;

/// How a person would call what a rule matches; `None` for rules that only group.
fn describe(rule: Rule) -> Option<String> {
    let text = match rule {
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::paren_open => "`(`",
        Rule::paren_close => "`)`",
        Rule::assign => "`=`",
        Rule::colon => "`:`",
        Rule::comma => "`,`",
        Rule::arrow => "`->`",
        Rule::dash => "`-`",
        Rule::string | Rule::string_text => "a string in double quotes",
        Rule::ident | Rule::name | Rule::word => "a name",
        Rule::date => "a date such as `2026-01-01`",
        Rule::time => "a time such as `09:00`",
        Rule::integer => "a whole number",
        Rule::number | Rule::quantity | Rule::neg | Rule::expr | Rule::group => {
            "a value such as `100`, `50%`, `1h` or `5000 EUR`"
        }
        Rule::percent | Rule::unit | Rule::currency => "a unit such as `%`, `h` or `EUR`",
        Rule::cmp_op | Rule::comparison => "a comparison such as `>=`",
        Rule::add | Rule::sub | Rule::mul | Rule::div => "an operator (`+`, `-`, `*`, `/`)",
        Rule::email | Rule::email_text => "an e-mail address such as `<sales@example.com>`",
        Rule::band => "a band name",
        Rule::segment_promise => "a segment value such as `executive: mqls >= 20`",
        Rule::in_a_row | Rule::of_last => "`3 periods in a row` or `4 of the last 6 periods`",
        Rule::any_obligation => "`any obligation`",
        Rule::day_range => "a weekday such as `mon` or a range such as `mon-fri`",
        Rule::aggregate
        | Rule::agg_count
        | Rule::agg_share
        | Rule::agg_percentile
        | Rule::agg_value
        | Rule::agg_word => {
            "an aggregate such as `count of leads by handed_over_at` or `mean attempts of leads by created_at`"
        }
        Rule::row_cond | Rule::row_and | Rule::row_not | Rule::row_is | Rule::row_cmp => {
            "a condition such as `source == \"marketing\"` or `won_at is set`"
        }
        Rule::row_op => "a comparison such as `==`, `!=` or `>=`",
        Rule::row_value | Rule::column | Rule::boolean => {
            "a column, a value such as `60min`, `\"marketing\"` or `true`, or `a - b` between two timestamps"
        }
        Rule::row_minus => "`-`",
        Rule::business_hours => "`in business hours of CALENDAR`",
        Rule::where_clause => "`where`",
        Rule::record_promise => "`every`",
        Rule::column_decl => "`column`",
        Rule::optional => "`optional`",
        _ => return keyword(rule).map(|k| format!("`{k}`")),
    };
    Some(text.to_owned())
}

/// The keyword a rule starts with: a `kw_*` rule, or a clause that begins with one.
fn keyword(rule: Rule) -> Option<&'static str> {
    let clause = match rule {
        Rule::file | Rule::agreement => "agreement",
        Rule::summary_clause => "summary",
        Rule::kind_clause => "kind",
        Rule::period_clause => "period",
        Rule::effective_clause => "effective",
        Rule::consequences_clause => "consequences",
        Rule::band_status => "as",
        Rule::party_decl => "party",
        Rule::tier_decl | Rule::tier_ref => "tier",
        Rule::segment_decl => "segment",
        Rule::input_decl => "input",
        Rule::let_decl => "let",
        Rule::metric_decl => "metric",
        Rule::obligation_decl => "obligation",
        Rule::remedy_decl | Rule::remedy_ref => "remedy",
        Rule::cap_decl => "cap",
        Rule::terminate_decl => "terminate",
        Rule::calendar_decl => "calendar",
        Rule::by_clause => "by",
        Rule::for_clause => "for",
        Rule::requires_clause => "requires",
        Rule::promise_clause => "promise",
        Rule::deliver_clause => "deliver",
        Rule::bands_block => "bands",
        Rule::per_block => "per",
        Rule::action_clause => "action",
        Rule::responsible_clause => "responsible",
        Rule::strike_clause => "strike",
        Rule::credit_clause => "credit",
        Rule::contact => "contact",
        Rule::zone_clause => "zone",
        Rule::hours_clause => "hours",
        Rule::holiday_clause => "holiday",
        Rule::recalculated => "recalculated",
        Rule::dataset_decl => "dataset",
        Rule::key_clause => "key",
        Rule::owner_clause => "owner",
        Rule::expect_clause => "expect",
        Rule::delimiter_clause => "delimiter",
        _ => "",
    };
    if !clause.is_empty() {
        return Some(clause);
    }
    let name = format!("{rule:?}");
    let word = name.strip_prefix("kw_")?;
    KEYWORDS.iter().copied().find(|k| *k == word)
}

const KEYWORDS: &[&str] = &[
    "a",
    "action",
    "against",
    "agreement",
    "and",
    "any",
    "as",
    "at",
    "bands",
    "business",
    "by",
    "calendar",
    "cap",
    "cause",
    "column",
    "consequences",
    "contact",
    "count",
    "credit",
    "credits",
    "dataset",
    "deliver",
    "delimiter",
    "effective",
    "else",
    "every",
    "expect",
    "follow",
    "for",
    "from",
    "holiday",
    "hours",
    "in",
    "input",
    "is",
    "key",
    "kind",
    "last",
    "least",
    "let",
    "max",
    "mean",
    "median",
    "metric",
    "min",
    "missed",
    "missing",
    "not",
    "obligation",
    "of",
    "optional",
    "or",
    "over",
    "owner",
    "party",
    "per",
    "percentile",
    "period",
    "periods",
    "promise",
    "recalculated",
    "remedy",
    "requires",
    "responsible",
    "role",
    "root",
    "row",
    "segment",
    "set",
    "share",
    "strike",
    "sum",
    "summary",
    "terminate",
    "the",
    "tier",
    "to",
    "when",
    "where",
    "within",
    "zone",
];

/// What stands at `at`: a word, a number, a character, or the end; with the
/// length to underline and, for a word, the word itself.
fn found_at(text: &str, at: usize) -> (String, usize, Option<&str>) {
    let rest = text.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".to_owned(), 0, None);
    };
    if first.is_alphabetic() || first == '_' {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or(rest);
        return (format!("`{word}`"), word.len(), Some(word));
    }
    if first.is_ascii_digit() {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '%'))
            .unwrap_or(rest.len());
        return (format!("`{}`", rest.get(..end).unwrap_or(rest)), end, None);
    }
    let len = first.len_utf8();
    let described = match first {
        '"' => "a string".to_owned(),
        '\n' | '\r' => "the end of the line".to_owned(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    };
    (described, len, None)
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => "something else".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// `offset` shifts positions when a single item was re-parsed out of a larger file.
/// Items that may stand in an agreement, in the order the README introduces them.
const ITEM_RULES: [Rule; 16] = [
    Rule::summary_clause,
    Rule::kind_clause,
    Rule::period_clause,
    Rule::effective_clause,
    Rule::consequences_clause,
    Rule::party_decl,
    Rule::tier_decl,
    Rule::segment_decl,
    Rule::input_decl,
    Rule::let_decl,
    Rule::metric_decl,
    Rule::obligation_decl,
    Rule::remedy_decl,
    Rule::cap_decl,
    Rule::terminate_decl,
    Rule::calendar_decl,
];

/// `offset` shifts positions when a single item was re-parsed out of a larger file
/// (`in_item`), where the end of the input is the end of that item.
pub fn convert(
    error: &pest::error::Error<Rule>,
    text: &str,
    offset: usize,
    in_item: bool,
) -> SyntaxError {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .flat_map(|r| match r {
                // pest names the outermost rule that failed where it started.
                Rule::item_alone => ITEM_RULES.to_vec(),
                Rule::agreement if !in_item => vec![Rule::agreement],
                other => vec![*other],
            })
            .collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let mut expected: Vec<String> = Vec::new();
    for rule in &positives {
        let described = match rule {
            Rule::EOI if in_item => Some("the end of the item".to_owned()),
            Rule::EOI => Some("the end of the file".to_owned()),
            other => describe(*other),
        };
        if let Some(d) = described
            && !expected.contains(&d)
        {
            expected.push(d);
        }
    }
    let (found, len, found_word) = found_at(text, at);
    if let Some((expected, found, help)) = number_hint(text, at, found_word) {
        return SyntaxError::Unexpected {
            expected,
            found,
            span: miette::SourceSpan::new((at + offset).into(), len),
            help,
        };
    }
    let keywords: Vec<&str> = positives.iter().filter_map(|r| keyword(*r)).collect();
    let upper_currency = found_word
        .filter(|_| positives.contains(&Rule::currency))
        .map(str::to_ascii_uppercase)
        .filter(|w| quantity::currency(w, Span::default()).is_ok());
    let help = match (upper_currency, found_word) {
        (Some(code), _) => format!("did you mean `{code}`? currency codes are written in capitals"),
        (None, Some(w)) => did_you_mean(w, keywords.iter().copied())
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(|| generic_help(&positives)),
        (None, None) => generic_help(&positives),
    };
    SyntaxError::Unexpected {
        expected: join_alternatives(&expected),
        found,
        span: miette::SourceSpan::new((at + offset).into(), len),
        help,
    }
}

/// What a number followed by something unexpected most likely meant: a unit set
/// apart (`4 h`), a unit spelt out (`4 hours`), a thousands separator (`12,000`) or
/// a decimal comma (`5,9`). `None` when the text before `at` is not a number.
fn number_hint(text: &str, at: usize, word: Option<&str>) -> Option<(String, String, String)> {
    let before = text.get(..at)?;
    let trimmed = before.trim_end_matches([' ', '\t']);
    let digits = trimmed
        .rfind(|c: char| !(c.is_ascii_digit() || c == '_' || c == '.'))
        .map_or(trimmed, |i| trimmed.get(i + 1..).unwrap_or(""));
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let spaced = trimmed.len() < before.len();
    if let Some(word) = word {
        let unit = match word {
            "s" | "min" | "m" | "h" | "d" | "w" => word,
            "sec" | "secs" | "second" | "seconds" => "s",
            "mins" | "minute" | "minutes" => "min",
            "hr" | "hrs" | "hour" | "hours" => "h",
            "day" | "days" => "d",
            "wk" | "week" | "weeks" => "w",
            "percent" | "pct" => "%",
            _ => return None,
        };
        let written = format!("{digits}{unit}");
        let help = if unit == word && spaced {
            format!("write `{written}`: a unit follows its number without a space")
        } else {
            format!(
                "write `{written}`: durations take the units s, min, h, d and w right after the number (`1h30m`), a share `%`"
            )
        };
        let found = if spaced {
            format!("`{word}` after a space")
        } else {
            format!("`{word}`")
        };
        return Some(("a unit right after the number".to_owned(), found, help));
    }
    let after = text.get(at..)?;
    let rest = after.strip_prefix(',')?;
    let tail: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if tail.is_empty() {
        return None;
    }
    let help = if tail.len() == 3 {
        format!(
            "slac does not read thousands separators: write `{digits}{tail}` or `{digits}_{tail}` (a decimal point is `.`)"
        )
    } else {
        format!("write the decimal point as `.`: `{digits}.{tail}`")
    };
    Some((
        "a number without separators".to_owned(),
        format!("`,` inside `{digits},{tail}`"),
        help,
    ))
}

fn generic_help(positives: &[Rule]) -> String {
    if positives.contains(&Rule::email) || positives.contains(&Rule::contact) {
        "write a contact as `contact \"Name\" <name@example.com>`".to_owned()
    } else if positives.contains(&Rule::cmp_op) || positives.contains(&Rule::comparison) {
        "a promise compares a value with a target, e.g. `promise mqls >= 100`".to_owned()
    } else if positives.contains(&Rule::date) {
        "write dates as YYYY-MM-DD, e.g. `effective 2026-01-01 to 2026-12-31`".to_owned()
    } else if [Rule::agreement, Rule::file, Rule::kw_agreement]
        .iter()
        .any(|r| positives.contains(r))
    {
        "a file holds one agreement: `agreement \"Name\" { ... }`".to_owned()
    } else if positives.contains(&Rule::obligation_decl) {
        "each item starts with a keyword such as `party`, `metric` or `obligation`; \
         see the language tour in the README"
            .to_owned()
    } else {
        "see the language tour in the README for this clause's form".to_owned()
    }
}
