//! Diagnostics that lead to the fix: each names the real problem in the author's
//! terms and says what to write instead. One test per mistake people make.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

const EXAMPLE: &str = include_str!("../sla-examples/smarketing.sla");

/// The example with one piece of text replaced, checked: (code, message, help) of
/// each diagnostic.
fn check_with(from: &str, to: &str) -> Vec<(String, String, String)> {
    assert!(EXAMPLE.contains(from), "{from}");
    let compiled = slac::compile_str("edited.sla", &EXAMPLE.replacen(from, to, 1));
    compiled
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.clone(),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_unit_set_apart_or_spelt_out_is_named() {
    let spaced = check_with("follow_up_time <= 1h", "follow_up_time <= 4 h");
    assert_eq!(spaced.len(), 1);
    assert_eq!(
        spaced[0].1,
        "expected a unit right after the number, found `h` after a space"
    );
    assert_eq!(
        spaced[0].2,
        "write `4h`: a unit follows its number without a space"
    );
    let spelt = check_with("follow_up_time <= 1h", "follow_up_time <= 4 hours");
    assert_eq!(spelt.len(), 1);
    assert!(
        spelt[0]
            .2
            .starts_with("write `4h`: durations take the units"),
        "{spelt:?}"
    );
}

#[test]
fn a_thousands_separator_is_one_error_with_the_fix() {
    let found = check_with("= 5000 EUR", "= 12,000 EUR");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "expected a number without separators, found `,` inside `12,000`"
    );
    assert!(
        found[0].2.contains("write `12000` or `12_000`"),
        "{found:?}"
    );
    let decimal = check_with("= 5000 EUR", "= 5,9 EUR");
    assert_eq!(decimal.len(), 1, "{decimal:?}");
    assert!(decimal[0].2.contains("`5.9`"), "{decimal:?}");
}

#[test]
fn an_extra_closing_brace_is_blamed_where_it_is() {
    let text = EXAMPLE.replacen(
        "    remedy strike\n  }\n",
        "    remedy strike\n  }\n  }\n",
        1,
    );
    let compiled = slac::compile_str("extra.sla", &text);
    assert_eq!(compiled.diagnostics.len(), 1);
    let d = &compiled.diagnostics[0];
    let at = compiled.file.locate(d.primary_span().unwrap());
    let at_edit = text.find("    remedy strike\n  }\n  }\n").unwrap();
    let extra_line = text[..at_edit].matches('\n').count() + 3;
    assert_eq!(at.line as usize, extra_line, "{}", d.message);
    assert!(
        d.message
            .contains("an earlier `}` closed its block too soon")
    );
}

#[test]
fn a_cap_that_is_not_money_says_cap() {
    let uptime = include_str!("../sla-examples/customer-uptime.sla");
    let text = uptime.replace(
        "cap credits at 50% * monthly_fee per period",
        "cap credits at 50% per period",
    );
    let compiled = slac::compile_str("cap.sla", &text);
    assert_eq!(
        common::messages(&compiled),
        ["a cap on credits must be money, but this is a number"]
    );
}

#[test]
fn kinds_of_names_are_in_the_plural_in_suggestions() {
    let found = check_with("    remedy strike\n  }\n", "    remedy zzz\n  }\n");
    let help = &found
        .iter()
        .find(|d| d.0 == "slac::check::unknown_remedy")
        .unwrap()
        .2;
    assert!(help.contains("declared remedies"), "{help}");
}
