//! Evaluation against recorded data: the bundled examples (human and JSON output,
//! snapshot-tested), the seed example's worked numbers, bands as a property, and
//! fixtures of bad data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{judged, root};
use proptest::prelude::*;
use rust_decimal::Decimal;
use slac::data::Recorded;
use slac::eval::Status;
use slac::model::period::Period;
use slac::report::human::{Human, HumanRenderer};
use slac::report::json::Json;
use slac::report::{Emitter, Run};
use slac::syntax::ast::PeriodUnit;

/// Loads an agreement and its data the way `slac check --metrics` does, from the
/// project root so that file names in the output are stable.
fn evaluate(
    agreement: &str,
    metrics: &[&str],
    deliveries: Option<&str>,
    as_of: Option<&str>,
) -> (slac::Compiled, slac::Evaluated) {
    std::env::set_current_dir(root()).unwrap();
    let compiled = common::valid(Path::new(agreement));
    let inputs = slac::Inputs {
        metrics: metrics.iter().map(PathBuf::from).collect(),
        deliveries: deliveries.map(PathBuf::from),
        as_of: as_of.map(|d| d.parse().unwrap()),
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    (compiled, evaluated)
}

/// Values in hand, judged.
fn evaluate_given(compiled: &slac::Compiled, given: Recorded) -> slac::Evaluated {
    let inputs = slac::Inputs {
        given,
        ..slac::Inputs::new()
    };
    slac::evaluate(compiled, &inputs)
}

/// Runs an emitter as `slac check` does, returning (stdout, stderr).
fn emit(
    emitter: &dyn Emitter,
    compiled: &slac::Compiled,
    evaluated: &slac::Evaluated,
) -> (String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let run = Run::Evaluated {
        compiled,
        evaluated,
    };
    emitter.emit(run, &mut stdout, &mut stderr).unwrap();
    (
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// The table, then each diagnostic.
fn human(compiled: &slac::Compiled, evaluated: &slac::Evaluated) -> String {
    let human = Human {
        renderer: HumanRenderer::plain(),
    };
    let (table, diagnostics) = emit(&human, compiled, evaluated);
    format!("{table}\n{diagnostics}")
}

fn json(compiled: &slac::Compiled, evaluated: &slac::Evaluated) -> String {
    let (mut out, _) = emit(&Json, compiled, evaluated);
    out.pop();
    out
}

/// (name, agreement, metrics files, deliveries log, as-of date)
type Example = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
);

const EXAMPLES: &[Example] = &[
    (
        "smarketing",
        "sla-examples/smarketing.sla",
        &["sla-examples/data/smarketing-metrics.csv"],
        Some("sla-examples/data/smarketing-deliveries.csv"),
        Some("2026-06-15"),
    ),
    (
        "multi-level",
        "sla-examples/multi-level.sla",
        &["sla-examples/data/multi-level-metrics.csv"],
        Some("sla-examples/data/multi-level-deliveries.csv"),
        None,
    ),
    (
        "customer-uptime",
        "sla-examples/customer-uptime.sla",
        &["sla-examples/data/customer-uptime-metrics.json"],
        None,
        None,
    ),
    (
        "lead-segments",
        "sla-examples/lead-segments.sla",
        &["sla-examples/data/lead-segments-metrics.ndjson"],
        None,
        None,
    ),
];

#[test]
fn examples_evaluate_as_reviewed() {
    for (name, agreement, metrics, deliveries, as_of) in EXAMPLES {
        let (compiled, evaluated) = evaluate(agreement, metrics, *deliveries, *as_of);
        for f in &evaluated.data {
            assert!(f.diagnostics.is_empty(), "{name}: {:?}", f.diagnostics);
        }
        assert!(
            judged(&evaluated).periods.len() >= 6,
            "{name} has fewer than six months"
        );
        insta::assert_snapshot!(format!("{name}-human"), human(&compiled, &evaluated));
        insta::assert_snapshot!(format!("{name}-json"), json(&compiled, &evaluated));
    }
}

#[test]
fn examples_show_every_status_and_event() {
    let mut statuses = std::collections::BTreeSet::new();
    let (mut root_cause, mut capped, mut terminated) = (false, false, false);
    for (_, agreement, metrics, deliveries, as_of) in EXAMPLES {
        let (_, evaluated) = evaluate(agreement, metrics, *deliveries, *as_of);
        let evaluation = judged(&evaluated);
        terminated |= evaluation.terminated.is_some();
        for p in &evaluation.periods {
            capped |= p.credits.capped;
            for o in &p.obligations {
                statuses.insert(o.status);
                root_cause |= o.root_cause.is_some();
            }
        }
    }
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    assert!(root_cause && capped && terminated);
}

/// The seed's worked numbers: quota 5,000 EUR, 100 % from marketing, deal 100 EUR,
/// close rate 50 % give 100 leads; 80 delivered is a miss and a strike; three such
/// months end the agreement.
#[test]
fn the_seed_example_by_hand() {
    let text = r#"agreement "Seed" {
  summary "Marketing delivers the leads sales needs."
  kind internal
  period month in "Europe/Berlin"
  effective 2026-01-01 to 2026-12-31
  party marketing { contact "Head of Marketing" <marketing@example.com> }
  party sales     { contact "Head of Sales" <sales@example.com> }
  input sales_quota     = 5000 EUR
  input marketing_share = 100%
  input avg_deal_size   = 100 EUR
  input close_rate      = 50%
  let leads_needed = sales_quota * marketing_share / avg_deal_size / close_rate
  metric mqls: count
  obligation deliver_leads {
    by marketing for sales
    promise mqls >= leads_needed
    remedy strike
  }
  remedy strike { action "Joint root-cause review" strike }
  terminate when any obligation missed 3 periods in a row
}
"#;
    let compiled = slac::compile_str("seed.sla", text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    let mut recorded = Recorded::default();
    for month in ["2026-01", "2026-02", "2026-03"] {
        let period = Period::parse(month, PeriodUnit::Month).unwrap();
        recorded.insert("mqls", None, period, Decimal::from(80));
    }
    let evaluated = evaluate_given(&compiled, recorded);
    let evaluation = judged(&evaluated);
    assert_eq!(evaluation.periods.len(), 3);
    for p in &evaluation.periods {
        let o = &p.obligations[0];
        assert_eq!(o.target, Some(Decimal::from(100)));
        assert_eq!(o.actual, Some(Decimal::from(80)));
        assert_eq!(o.status, Status::Missed);
        assert_eq!(&*o.remedy.as_ref().unwrap().strike_against, ["marketing"]);
    }
    assert_eq!(evaluation.strikes.get("marketing"), Some(&3));
    assert!(evaluation.any_missed());
    let terminated = evaluation.terminated.as_ref().unwrap();
    assert_eq!(terminated.period.label(), "2026-03");
    assert_eq!(terminated.obligations, ["deliver_leads"]);
}

fn banded(thresholds: &[u32]) -> String {
    let mut bands = String::new();
    for (i, t) in thresholds.iter().enumerate() {
        bands.push_str(&format!("      grade_{i} when mqls >= {t}\n"));
    }
    bands.push_str("      rest\n");
    format!(
        "agreement \"Bands\" {{\n  summary \"s\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n  party a {{ contact \"A\" <a@example.com> }}\n  party b {{ contact \"B\" <b@example.com> }}\n  metric mqls: count\n  obligation o {{\n    by a for b\n    promise mqls >= {}\n    bands {{\n{bands}    }}\n  }}\n}}\n",
        thresholds.first().copied().unwrap_or(0)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the value, valid bands grade it into exactly one band: the first whose
    /// threshold it reaches, or the catch-all.
    #[test]
    fn bands_resolve_to_exactly_one_band(
        mut thresholds in proptest::collection::btree_set(0u32..1000, 1..5).prop_map(|s| s.into_iter().collect::<Vec<_>>()),
        value in 0u32..1200,
    ) {
        thresholds.reverse();
        let compiled = slac::compile_str("bands.sla", &banded(&thresholds));
        prop_assert!(compiled.diagnostics.is_empty(), "{:?}", compiled.diagnostics);
        let mut recorded = Recorded::default();
        let period = Period::parse("2026-01", PeriodUnit::Month).unwrap();
        recorded.insert("mqls", None, period, Decimal::from(value));
        let evaluated = evaluate_given(&compiled, recorded);
        let outcome = &judged(&evaluated).periods[0].obligations[0];
        let expected = thresholds
            .iter()
            .position(|t| value >= *t)
            .map_or("rest".to_owned(), |i| format!("grade_{i}"));
        prop_assert_eq!(outcome.band.as_deref(), Some(expected.as_str()));
    }
}

/// Bands that compare either way, written as `grade_I when mqls OP T` (a status
/// from the promise), with an optional catch-all.
fn two_way(bands: &[(&str, u32)], catch_all: bool) -> String {
    let mut text = String::new();
    for (i, (op, t)) in bands.iter().enumerate() {
        text.push_str(&format!("      grade_{i} when mqls {op} {t}\n"));
    }
    if catch_all {
        text.push_str("      rest\n");
    }
    format!(
        "agreement \"Bands\" {{\n  summary \"s\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n  party a {{ contact \"A\" <a@example.com> }}\n  party b {{ contact \"B\" <b@example.com> }}\n  metric mqls: number\n  obligation o {{\n    by a for b\n    promise mqls >= 50\n    bands {{\n{text}    }}\n  }}\n}}\n"
    )
}

fn holds(op: &str, v: Decimal, t: Decimal) -> bool {
    match op {
        ">=" => v >= t,
        ">" => v > t,
        "<=" => v <= t,
        _ => v < t,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Bands may compare either way. When the checker accepts them, every value —
    /// halves included, so that a gap between `> 5` and `< 6` would show — falls into
    /// exactly the first band that matches; bands it accepts without a catch-all
    /// leave no value ungraded.
    #[test]
    fn accepted_bands_grade_every_value(
        bands in proptest::collection::vec(
            (prop_oneof![Just(">="), Just(">"), Just("<="), Just("<")], 0u32..40),
            1..5,
        ),
        catch_all in any::<bool>(),
        halves in 0u32..100,
    ) {
        let compiled = slac::compile_str("bands.sla", &two_way(&bands, catch_all));
        if !compiled.is_valid() {
            // Refused bands are the checker's business; the other tests pin what it says.
            return Ok(());
        }
        let value = Decimal::from(halves) / Decimal::TWO;
        let mut recorded = Recorded::default();
        let period = Period::parse("2026-01", PeriodUnit::Month).unwrap();
        recorded.insert("mqls", None, period, value);
        let evaluated = evaluate_given(&compiled, recorded);
        let outcome = &judged(&evaluated).periods[0].obligations[0];
        let expected = bands
            .iter()
            .position(|(op, t)| holds(op, value, Decimal::from(*t)))
            .map(|i| format!("grade_{i}"))
            .or_else(|| catch_all.then(|| "rest".to_owned()));
        prop_assert!(expected.is_some(), "accepted bands leave {value} ungraded: {bands:?}");
        prop_assert_eq!(outcome.band.as_deref(), expected.as_deref());
    }
}

/// Every value a two-way ladder leaves out is named, exactly.
#[test]
fn a_gap_between_bands_is_named_and_an_overlap_too() {
    let gap = slac::compile_str("gap.sla", &two_way(&[(">=", 100), ("<", 90)], false));
    assert_eq!(
        common::messages(&gap),
        ["no band grades values from 90 up to 100"]
    );
    let overlap = slac::compile_str("overlap.sla", &two_way(&[(">=", 90), ("<", 100)], false));
    assert_eq!(
        common::messages(&overlap),
        ["bands `grade_0` and `grade_1` both match values from 90 up to 100"]
    );
    let meet = slac::compile_str("meet.sla", &two_way(&[(">=", 100), ("<", 100)], false));
    assert!(meet.diagnostics.is_empty(), "{:?}", meet.diagnostics);
}

/// A closed period graded into an `at_risk` band is at risk, not missed: a warning
/// with the band's remedy, no breach, and it never counts towards termination.
#[test]
fn an_at_risk_band_grades_a_closed_period_at_risk() {
    let text = std::fs::read_to_string(root().join("sla-examples/smarketing.sla")).unwrap();
    let compiled = slac::compile_str("smarketing.sla", &text);
    assert!(compiled.is_valid());
    let mut recorded = Recorded::default();
    for (month, mqls) in [("2026-01", 95), ("2026-02", 95), ("2026-03", 95)] {
        let period = Period::parse(month, PeriodUnit::Month).unwrap();
        recorded.insert("mqls", None, period, Decimal::from(mqls));
    }
    let evaluated = evaluate_given(&compiled, recorded);
    let evaluation = judged(&evaluated);
    for period in &evaluation.periods {
        let leads = &period.obligations[0];
        assert_eq!(leads.status, Status::AtRisk, "{}", period.period);
        assert_eq!(leads.band.as_deref(), Some("at_risk"));
        assert_eq!(
            leads.remedy.as_ref().unwrap().name.as_deref(),
            Some("review")
        );
    }
    assert!(!evaluation.any_missed());
    assert!(evaluation.terminated.is_none());
}

/// Sales' follow-up misses in months when marketing fell short, with and without
/// `consequences follow root cause`.
fn blame(consequences: bool) -> (slac::Compiled, slac::Evaluated) {
    let clause = if consequences {
        "  consequences follow root cause\n"
    } else {
        ""
    };
    let text = format!(
        "agreement \"Blame\" {{\n  summary \"s\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n  party marketing {{ contact \"M\" <m@example.com> }}\n  party sales {{ contact \"S\" <s@example.com> }}\n  metric mqls: count\n  metric follow_up_time: duration\n  obligation deliver_leads {{\n    by marketing for sales\n    promise mqls >= 100\n    remedy strike\n  }}\n  obligation follow_up {{\n    by sales for marketing\n    requires deliver_leads\n    promise follow_up_time <= 1h\n    remedy strike\n  }}\n  remedy strike {{\n    action \"Review\"\n    strike\n  }}\n{clause}  terminate when follow_up missed 2 periods in a row\n}}\n"
    );
    let compiled = slac::compile_str("blame.sla", &text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let mut recorded = Recorded::default();
    for (month, mqls, minutes) in [
        ("2026-01", 80, 90),
        ("2026-02", 70, 120),
        ("2026-03", 120, 30),
    ] {
        let period = Period::parse(month, PeriodUnit::Month).unwrap();
        recorded.insert("mqls", None, period, Decimal::from(mqls));
        recorded.insert("follow_up_time", None, period, Decimal::from(minutes * 60));
    }
    let evaluated = evaluate_given(&compiled, recorded);
    (compiled, evaluated)
}

#[test]
fn consequences_can_follow_the_root_cause() {
    // Without the clause: sales takes the strikes and the termination.
    let (_, evaluated) = blame(false);
    let plain = judged(&evaluated);
    assert_eq!(plain.strikes.get("sales"), Some(&2));
    assert_eq!(plain.strikes.get("marketing"), Some(&2));
    let follow_up = &plain.periods[0].obligations[1];
    assert_eq!(follow_up.root_cause.as_deref(), Some("deliver_leads"));
    assert!(!follow_up.excused);
    assert_eq!(
        plain.terminated.as_ref().unwrap().obligations,
        ["follow_up"]
    );

    // With it: the misses are excused, the strikes go to marketing once per month
    // for its own shortfall, and nothing terminates.
    let (compiled, evaluated) = blame(true);
    let blamed = judged(&evaluated);
    for period in &blamed.periods[..2] {
        let follow_up = &period.obligations[1];
        assert_eq!(follow_up.status, Status::Missed);
        assert!(follow_up.excused);
        assert_eq!(
            &*follow_up.remedy.as_ref().unwrap().strike_against,
            ["marketing"]
        );
        assert_eq!(period.strikes.get("marketing"), Some(&1));
        assert_eq!(period.strikes.get("sales"), None);
    }
    assert_eq!(blamed.strikes.get("sales"), None);
    assert!(blamed.terminated.is_none());
    // Every output says so.
    assert!(
        human(&compiled, &evaluated).contains("excused: consequences follow the root cause"),
        "human"
    );
    assert!(
        json(&compiled, &evaluated).contains("\"excused\": true"),
        "json"
    );
    let (markdown, _) = emit(&slac::report::markdown::Markdown, &compiled, &evaluated);
    assert!(markdown.contains("; excused"), "{markdown}");
}

#[test]
fn bad_data_is_pointed_at() {
    let dir = root().join("tests/fixtures/bad-metrics");
    let agreement = "tests/fixtures/bad-metrics/agreement.sla";
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "agreement.sla")
        .collect();
    names.sort();
    assert!(names.len() >= 8);
    for name in names {
        let path = format!("tests/fixtures/bad-metrics/{name}");
        let (_, evaluated) = if name.contains("deliveries") {
            evaluate(agreement, &[], Some(&path), None)
        } else {
            evaluate(agreement, &[&path], None, None)
        };
        let renderer = HumanRenderer::plain();
        let mut out = String::new();
        for f in &evaluated.data {
            assert!(
                f.diagnostics.iter().any(|d| d.is_error()),
                "{name} gives no error"
            );
            for d in &f.diagnostics {
                assert!(
                    d.primary_span().is_some() || d.code.ends_with("unknown_format"),
                    "{name}: {d:?}"
                );
                out.push_str(&renderer.render(d, &f.file));
                out.push('\n');
            }
        }
        insta::assert_snapshot!(format!("bad-metrics-{name}"), out);
    }
}

/// Periods are judged on several threads for large agreements; the result must not
/// depend on how many.
#[test]
fn threads_do_not_change_the_result() {
    let (agreement, csv) = slac::generate::evaluated(60, 30);
    let compiled = slac::compile_str("generated.sla", &agreement);
    assert!(compiled.is_valid());
    let mut recorded = Recorded::default();
    for line in csv.lines().skip(1) {
        let mut fields = line.split(',');
        let (Some(period), Some(metric), Some(value)) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("{line}")
        };
        let period = Period::parse(period, PeriodUnit::Month).unwrap();
        recorded.insert(metric, None, period, value.parse().unwrap());
    }
    let mut inputs = slac::Inputs {
        given: recorded,
        ..slac::Inputs::new()
    };
    let mut render = |threads| {
        inputs.judge_threads = Some(threads);
        json(&compiled, &slac::evaluate(&compiled, &inputs))
    };
    let one = render(1);
    assert!(one.contains("\"missed\"") && one.contains("\"root_cause\": \"obligation_"));
    for threads in [2, 3, 7] {
        assert_eq!(one, render(threads), "{threads} threads");
    }
}

/// Two agreement-wide credits near the largest decimal, owed in one period: the sum
/// does not fit, and the run still ends with a report instead of a crash.
#[test]
fn credits_too_large_to_add_do_not_crash() {
    let text = "agreement \"Huge\" {\n  summary \"s\"\n  kind customer\n  period month in \"UTC\"\n  effective 2026-01-01 to 2026-12-31\n  party p { contact \"P\" <p@example.com> }\n  party c { contact \"C\" <c@example.com> }\n  metric up: percent\n  metric down: percent\n  obligation a { by p for c promise up >= 99% remedy credit 50000000000000000000000000000 EUR }\n  obligation b { by p for c promise down >= 99% remedy credit 50000000000000000000000000000 EUR }\n}\n";
    let compiled = slac::compile_str("huge.sla", text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let mut given = Recorded::default();
    let period = Period::parse("2026-01", PeriodUnit::Month).unwrap();
    given.insert("up", None, period, Decimal::new(90, 2));
    given.insert("down", None, period, Decimal::new(90, 2));
    let evaluated = evaluate_given(&compiled, given);
    let credits = &judged(&evaluated).periods[0].credits;
    assert_eq!(credits.owed, Decimal::MAX);
}

/// Deliveries given directly and a metrics file together: a period only the given
/// deliveries cover is still judged.
#[test]
fn given_values_keep_their_periods_when_files_are_read_too() {
    std::env::set_current_dir(root()).unwrap();
    let compiled = common::valid(Path::new("tests/fixtures/bad-metrics/agreement.sla"));
    let dir = std::env::temp_dir().join(format!("slac-given-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("metrics.csv");
    std::fs::write(&file, "period,metric,value\n2026-03,follow_up_time,45min\n").unwrap();
    // A delivery in hand, as the deliveries log would give it: its period is
    // recorded beside it, with no metric value at all.
    let mut given = Recorded::default();
    let january = Period::parse("2026-01", PeriodUnit::Month).unwrap();
    given.deliveries.insert(
        "pipeline_report".to_owned(),
        vec!["2026-01-15".parse().unwrap()],
    );
    given.periods.insert(january);
    let inputs = slac::Inputs {
        metrics: vec![file],
        given,
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    let periods: Vec<String> = judged(&evaluated)
        .periods
        .iter()
        .map(|p| p.period.label())
        .collect();
    assert_eq!(
        periods.first().map(String::as_str),
        Some("2026-01"),
        "{periods:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
