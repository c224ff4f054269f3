//! The typed tree says what the author wrote: values, units and structure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rust_decimal::Decimal;
use slac::syntax::ast::*;

fn parse(text: &str) -> Agreement {
    let compiled = slac::compile_str("test.sla", text);
    // Unused inputs are fine here: these tests look at the tree, not at usage.
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    compiled.agreement.unwrap()
}

fn wrap(body: &str) -> String {
    format!(
        "agreement \"T\" {{\n  summary \"s\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n  party a {{ contact \"A\" <a@example.com> }}\n  party b {{ contact \"B\" <b@example.com> }}\n{body}\n}}\n"
    )
}

fn literal(e: &Expr) -> &Quantity {
    match &e.kind {
        ExprKind::Literal(q) => q,
        other => panic!("not a literal: {other:?}"),
    }
}

#[test]
fn the_seed_example_parses_to_its_parts() {
    let agreement = parse(include_str!("../sla-examples/smarketing.sla"));
    assert_eq!(agreement.name.node, "Smarketing 2026");
    let inputs: Vec<&Input> = agreement
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Input(input) => Some(input),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = inputs.iter().map(|i| i.name.node.as_str()).collect();
    assert_eq!(
        names,
        [
            "sales_quota",
            "marketing_share",
            "avg_deal_size",
            "close_rate"
        ]
    );
    let InputValue::Fixed(quota) = &inputs[0].value else {
        panic!()
    };
    assert_eq!(
        literal(quota),
        &Quantity {
            value: Decimal::from(5000),
            unit: LiteralUnit::Money(Currency("EUR".into()))
        }
    );
    let InputValue::Fixed(share) = &inputs[1].value else {
        panic!()
    };
    assert_eq!(literal(share).value, Decimal::ONE);
    let InputValue::Recalculated {
        periods, fallback, ..
    } = &inputs[3].value
    else {
        panic!()
    };
    assert_eq!(periods.node, 3);
    assert_eq!(literal(fallback).value, Decimal::new(5, 1));
    assert!(agreement.items.iter().any(|i| matches!(
        i,
        Item::Terminate(Terminate {
            rule: Spanned {
                node: MissRule::InARow(3),
                ..
            },
            ..
        })
    )));
}

#[test]
fn durations_are_exact_seconds() {
    let agreement = parse(&wrap(
        "  input a1 = 1h30m\n  input a2 = 45min\n  input a3 = 2d\n  input a4 = 1.5h\n  input a5 = 90s\n  input a6 = 1w",
    ));
    let seconds: Vec<Decimal> = agreement
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Input(Input {
                value: InputValue::Fixed(e),
                ..
            }) => Some(literal(e).value),
            _ => None,
        })
        .collect();
    let expected = [5400, 2700, 172_800, 5400, 90, 604_800].map(Decimal::from);
    assert_eq!(seconds, expected);
}

#[test]
fn precedence_and_spans() {
    let text = wrap("  let x = 1 + 2 * 3 - -4 / (5 - 6)");
    let agreement = parse(&text);
    let Some(Item::Let(l)) = agreement.items.iter().find(|i| matches!(i, Item::Let(_))) else {
        panic!()
    };
    // ((1 + (2 * 3)) - ((-4) / (5 - 6)))
    let ExprKind::Binary(BinOp::Sub, left, right) = &l.value.kind else {
        panic!("{:?}", l.value)
    };
    assert!(matches!(left.kind, ExprKind::Binary(BinOp::Add, _, _)));
    let ExprKind::Binary(BinOp::Div, numerator, _) = &right.kind else {
        panic!()
    };
    assert!(matches!(numerator.kind, ExprKind::Neg(_)));
    let span = l.value.span;
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        "1 + 2 * 3 - -4 / (5 - 6)"
    );
}

#[test]
fn trees_compare_without_positions() {
    let a = parse(&wrap(
        "  metric m: count\n  obligation o { by a for b promise m >= 10 }",
    ));
    let b = parse(&wrap(
        "  // the same, laid out differently\n  metric   m :count\n  obligation o {\n    by a\n    for b\n    promise m>=10\n  }",
    ));
    assert_eq!(a, b);
    // The trees are equal, their spans are not: positions compare by position.
    assert_ne!(a.span, b.span);
    let c = parse(&wrap(
        "  metric m: count\n  obligation o { by a for b promise m >= 11 }",
    ));
    assert_ne!(a, c, "a different target is a different tree");
}

#[test]
fn spans_compare_and_hash_by_position() {
    use slac::syntax::ast::Span;
    assert_eq!(Span::new(3, 7), Span::new(3, 7));
    assert_ne!(Span::new(3, 7), Span::new(3, 8));
    let set: std::collections::HashSet<Span> = [Span::new(0, 1), Span::new(0, 1), Span::new(1, 2)]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn calendars_and_caps_parse() {
    let agreement = parse(&wrap(
        "  calendar office {\n    zone \"Europe/Berlin\"\n    hours mon-fri 09:00-17:00\n    hours sat 10:00-14:00\n    holiday 2026-12-25 \"Christmas\"\n  }",
    ));
    let Some(Item::Calendar(c)) = agreement.items.last() else {
        panic!()
    };
    assert_eq!(c.hours.len(), 2);
    assert_eq!(c.hours[0].days[0].node, DayRange { first: 1, last: 5 });
    assert_eq!(c.holidays[0].name.as_ref().unwrap().node, "Christmas");
}
