//! The strict value parsers every reader shares: a number in data is
//! `[+-]digits[.digits]` and nothing else (no exponent, no `_`, no thousands
//! separator), held exactly or refused. The dataset reader's quick paths
//! (`dataset/field.rs`) are tested against these; recorded metrics use them as they
//! are.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Most significant digits a decimal holds exactly.
pub const MAX_DIGITS: usize = 28;

/// A decimal number, exactly as written, or why it is not one.
pub fn decimal(text: &str) -> Result<Decimal, String> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(odd) = unsigned.bytes().find(|b| !b.is_ascii_digit() && *b != b'.') {
        return Err(match odd {
            b'e' | b'E' => {
                "an exponent is not a number slac reads exactly; write the digits out".to_owned()
            }
            b'_' | b',' | b'\'' => {
                "thousands separators are not read; write the digits without them".to_owned()
            }
            b' ' => "a number has no spaces inside".to_owned(),
            _ => "expected a number such as `42` or `12.50`".to_owned(),
        });
    }
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if whole.is_empty() {
        return Err("expected a number such as `42` or `12.50`".to_owned());
    }
    if fraction.is_some_and(|f| f.is_empty() || f.contains('.')) {
        return Err("expected digits after the decimal point".to_owned());
    }
    // Trailing zeros of the fraction say nothing; without them the number must fit.
    let places = fraction.unwrap_or("").trim_end_matches('0');
    let whole = whole.trim_start_matches('0');
    let written = if places.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{places}")
    };
    let too_many = || {
        format!(
            "more than {MAX_DIGITS} significant digits cannot be held exactly; slac does not round"
        )
    };
    if places.len() > MAX_DIGITS {
        return Err(too_many());
    }
    let magnitude = if written.is_empty() || written.starts_with('.') {
        Decimal::from_str(&format!("0{written}"))
    } else {
        Decimal::from_str(&written)
    }
    .map_err(|_| too_many())?;
    // Taken only if nothing was rounded on the way in.
    let back = magnitude.normalize().to_string();
    let expected = if written.is_empty() {
        "0".to_owned()
    } else if written.starts_with('.') {
        format!("0{written}")
    } else {
        written
    };
    if back != expected {
        return Err(too_many());
    }
    // Keep the places as written (`12.50`) where they fit, and never a negative zero.
    let exact = Decimal::from_str(unsigned)
        .ok()
        .filter(|d| *d == magnitude)
        .unwrap_or(magnitude);
    Ok(if text.starts_with('-') && !exact.is_zero() {
        -exact
    } else {
        exact
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn plain_numbers_are_taken_exactly() {
        for (text, value) in [
            ("42", "42"),
            ("-12.50", "-12.50"),
            ("+7", "7"),
            (
                "0.000000000000000000000000001",
                "0.000000000000000000000000001",
            ),
            (
                "9999999999999999999999999999",
                "9999999999999999999999999999",
            ),
            ("1.00000000000000000000000000000000", "1.0"),
            ("00000000000000000000000000000012.5", "12.5"),
            (
                "10000000000000000000000000000",
                "10000000000000000000000000000",
            ),
            (
                "1.0000000000000000000000000001",
                "1.0000000000000000000000000001",
            ),
        ] {
            assert_eq!(
                decimal(text).unwrap(),
                Decimal::from_str(value).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        for (text, reason) in [
            ("1e2", "exponent"),
            ("1.5e3", "exponent"),
            ("2.5E-3", "exponent"),
            ("- 5", "spaces"),
            ("1.2.3", "after the decimal point"),
            ("1_000", "thousands"),
            ("1__0", "thousands"),
            ("12,000", "thousands"),
            ("5.99999999999999999999999999999", "significant digits"),
            ("1.", "after the decimal point"),
            ("", "expected a number"),
            ("-", "expected a number"),
            ("++1", "expected a number"),
            ("0x10", "expected a number"),
        ] {
            let error = decimal(text).unwrap_err();
            assert!(error.contains(reason), "{text}: {error}");
        }
    }

    /// The dataset reader's integer parser agrees with this one wherever both read.
    #[test]
    fn the_dataset_reader_agrees() {
        use crate::data::dataset::field;
        for text in [
            "0",
            "1",
            "-1",
            "+5",
            "12.5",
            "12.50",
            "0.001",
            "-0.10",
            "123456789",
            "9.999",
            "1e2",
            "1_000",
            "",
            ".5",
            "5.",
            "--1",
            "12,5",
        ] {
            let reference = decimal(text).ok();
            let fast = field::scaled(text.as_bytes(), 3).ok();
            match (reference, fast) {
                (Some(r), Some(f)) => {
                    assert_eq!(Decimal::new(f, 3), r, "{text}");
                }
                (None, Some(f)) => panic!("{text}: the dataset reader took {f}"),
                _ => {}
            }
        }
    }
}
