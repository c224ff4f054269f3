//! Literal values with units: `5000 EUR`, `50%`, `1h30m`, `30min`, `2.5`.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::ast::{Currency, LiteralUnit, Quantity, Span};
use super::error::SyntaxError;
use crate::suggest::did_you_mean;

/// Seconds per duration unit, as written after a number.
pub(crate) const DURATION_UNITS: &[(&str, i64)] = &[
    ("s", 1),
    ("min", 60),
    ("m", 60),
    ("h", 3_600),
    ("d", 86_400),
    ("w", 604_800),
];

const DURATION_HELP: &str = "expected a duration such as `1h`, `30min` or `1h30m` (units: s, min or m, h, d, w), \
     a percentage such as `50%`, or a currency code such as `EUR`";

pub fn number(text: &str, span: Span) -> Result<Decimal, SyntaxError> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    // Exactly as written, or refused: more than 28 significant digits would round.
    Decimal::from_str_exact(&digits).map_err(|_| SyntaxError::NumberOutOfRange {
        text: text.to_owned(),
        span: span.into(),
    })
}

pub fn percent(value: Decimal, text: &str, span: Span) -> Result<Quantity, SyntaxError> {
    let out_of_range = || SyntaxError::NumberOutOfRange {
        text: format!("{text}%"),
        span: span.into(),
    };
    // The fraction is exact or refused: `99.89999…%` must not round up to 99.9 %.
    let fraction = value
        .checked_div(Decimal::ONE_HUNDRED)
        .filter(|f| f.checked_mul(Decimal::ONE_HUNDRED) == Some(value))
        .ok_or_else(out_of_range)?;
    let value = fraction;
    Ok(Quantity {
        value,
        unit: LiteralUnit::Percent,
    })
}

/// An amount of money as written: refused when it has more decimal places than its
/// currency (`12.000 EUR` is most likely twelve thousand written with a separator,
/// and 12.345 EUR cannot be paid).
pub fn money(
    value: Decimal,
    code: Currency,
    text: &str,
    span: Span,
) -> Result<Quantity, SyntaxError> {
    let places = minor_units(&code.0);
    if value.scale() > places {
        let thousands = text.contains('.')
            && text.rsplit('.').next().is_some_and(|d| d.len() == 3)
            && !text.contains('_');
        let help = if thousands {
            format!(
                "{code} has {places} decimal places; to write thousands, leave the separator out or use `_` (`{}`)",
                text.replace('.', "_")
            )
        } else {
            format!("{code} has {places} decimal places; write the amount to at most {places}")
        };
        return Err(SyntaxError::MoneyScale {
            text: format!("{text} {code}"),
            places,
            span: span.into(),
            help,
        });
    }
    Ok(Quantity {
        value,
        unit: LiteralUnit::Money(code),
    })
}

pub fn currency(code: &str, span: Span) -> Result<Currency, SyntaxError> {
    if ISO_4217.contains(&code) {
        return Ok(Currency(code.to_owned()));
    }
    let help = match did_you_mean(code, ISO_4217.iter().copied()) {
        Some(s) => {
            format!("did you mean `{s}`? currencies are ISO 4217 codes such as EUR, USD, GBP")
        }
        None => "currencies are ISO 4217 codes such as EUR, USD, GBP".to_owned(),
    };
    Err(SyntaxError::UnknownCurrency {
        code: code.to_owned(),
        span: span.into(),
        help,
    })
}

/// A unit written straight after a number: a duration (possibly compound, `1h30m`) or
/// a currency code written without a space (`100EUR`).
pub fn with_unit(
    value: Decimal,
    unit: &str,
    number_text: &str,
    span: Span,
    unit_span: Span,
) -> Result<Quantity, SyntaxError> {
    if unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase()) {
        let code = currency(unit, unit_span)?;
        return money(value, code, number_text, span);
    }
    let out_of_range = || SyntaxError::NumberOutOfRange {
        text: format!("{number_text}{unit}"),
        span: span.into(),
    };
    let mut seconds = Decimal::ZERO;
    let mut amount = value;
    let mut rest = unit;
    loop {
        let letters = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(letters);
        let Some(&(_, factor)) = DURATION_UNITS.iter().find(|(n, _)| *n == name) else {
            return Err(unknown_unit(name, unit_span));
        };
        let part = amount
            .checked_mul(Decimal::from(factor))
            .filter(|p| p.checked_div(Decimal::from(factor)) == Some(amount))
            .ok_or_else(out_of_range)?;
        seconds = seconds.checked_add(part).ok_or_else(out_of_range)?;
        if after.is_empty() {
            break;
        }
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let (n, tail) = after.split_at(digits);
        amount = Decimal::from_str(n).map_err(|_| out_of_range())?;
        rest = tail;
    }
    Ok(Quantity {
        value: seconds,
        unit: LiteralUnit::Duration,
    })
}

fn unknown_unit(name: &str, span: Span) -> SyntaxError {
    let names = DURATION_UNITS.iter().map(|(n, _)| *n);
    let help = match did_you_mean(name, names) {
        Some(s) => format!("did you mean `{s}`? {DURATION_HELP}"),
        None => DURATION_HELP.to_owned(),
    };
    SyntaxError::UnknownUnit {
        unit: name.to_owned(),
        span: span.into(),
        help,
    }
}

/// Active ISO 4217 codes.
pub(crate) const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// Digits after the decimal point of a currency's smallest unit (ISO 4217).
pub fn minor_units(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}
