//! `slac plan`: the worked calculation and the daily goal line of the bundled
//! examples (snapshot-tested), the quota chain's exact numbers, the goal line's
//! rounding, exit statuses, and the plan's targets against the judge's own for every
//! period of every bundled example's data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use common::root;
use rust_decimal::Decimal;
use slac::data::Recorded;
use slac::model::expr::Comparison;
use slac::model::period::Period;
use slac::model::{CmpOp, Promise};
use slac::report::plan::{self, Plan, worked};

fn slac() -> Command {
    let mut cmd = Command::cargo_bin("slac").unwrap();
    cmd.current_dir(root());
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    cmd
}

/// Exit status, stdout and stderr of `slac ARGS…`, run from the project root.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = slac().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `slac plan ARGS…`, which must succeed quietly.
fn plan_of(args: &[&str]) -> String {
    let mut all = vec!["plan"];
    all.extend(args);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    stdout
}

#[test]
fn smarketing_plan() {
    insta::assert_snapshot!("smarketing", plan_of(&["sla-examples/smarketing.sla"]));
}

#[test]
fn lead_segments_plan() {
    insta::assert_snapshot!(
        "lead-segments",
        plan_of(&["sla-examples/lead-segments.sla"])
    );
}

#[test]
fn smarketing_plan_recalculated_from_metrics() {
    insta::assert_snapshot!(
        "smarketing-2026-04-metrics",
        plan_of(&[
            "sla-examples/smarketing.sla",
            "--metrics",
            "sla-examples/data/smarketing-metrics.csv",
            "--period",
            "2026-04",
        ])
    );
}

#[test]
fn lead_segments_plan_as_of_a_day_with_metrics() {
    insta::assert_snapshot!(
        "lead-segments-as-of-metrics",
        plan_of(&[
            "sla-examples/lead-segments.sla",
            "--metrics",
            "sla-examples/data/lead-segments-metrics.ndjson",
            "--as-of",
            "2026-06-10",
        ])
    );
}

#[test]
fn the_quota_chain_gives_exactly_100_leads() {
    let compiled = common::valid(&root().join("sla-examples/smarketing.sla"));
    let model = compiled.model().unwrap();
    let period = model.periods[0];
    let worked = worked::work_out(model, &Recorded::default(), period);
    let value = |name: &str| {
        worked
            .value(model.value_named(name).unwrap())
            .cloned()
            .unwrap()
            .unwrap()
    };
    // 5,000 EUR × 100 % ÷ 100 EUR = 50 customers; ÷ 50 % = 100 leads, exactly.
    assert_eq!(value("sales_quota"), Decimal::from(5000));
    assert_eq!(value("marketing_share"), Decimal::ONE);
    assert_eq!(value("avg_deal_size"), Decimal::from(100));
    assert_eq!(value("close_rate"), Decimal::new(5, 1));
    assert_eq!(value("customers_needed"), Decimal::from(50));
    assert_eq!(value("leads_needed"), Decimal::from(100));
    // The else value is used: no period of the range comes before the first.
    let close_rate = model.value_named("close_rate").unwrap();
    assert!(matches!(
        worked.recalculation(close_rate),
        Some(worked::Recalculation::ShortHistory {
            needed: 3,
            available: 0
        })
    ));

    let text = plan_of(&["sla-examples/smarketing.sla"]);
    for line in [
        "  input sales_quota = 5,000 EUR\n",
        "  input marketing_share = 100 %\n",
        "  input avg_deal_size = 100 EUR\n",
        "  input close_rate = recalculated customers_from_mqls ÷ mqls over 3 periods else 50%\n",
        "    close_rate = 50 % (the else value: the effective range has none of the 3 periods before 2026-01)\n",
        "  let customers_needed = sales_quota × marketing_share ÷ avg_deal_size = 5,000 EUR × 100 % ÷ 100 EUR = 50\n",
        "  let leads_needed = customers_needed ÷ close_rate = 50 ÷ 50 % = 100\n",
        "    mqls >= leads_needed = 100\n",
    ] {
        assert!(text.contains(line), "no line {line:?} in\n{text}");
    }
    // Dependency order: each value after what it uses.
    let at = |s: &str| text.find(s).unwrap();
    assert!(at("input close_rate") < at("let leads_needed"));
    assert!(at("let customers_needed") < at("let leads_needed"));
}

#[test]
fn day_15_of_a_30_day_month_is_half_the_goal() {
    // Exactly: 100 × 15 ÷ 30 = 50.
    assert_eq!(
        plan::goal_to_date(Decimal::from(100), 15, 30),
        Some(Decimal::from(50))
    );
    assert_eq!(plan::shown_goal(Decimal::from(50), CmpOp::Ge), "50.00");
    // April has 30 days; the first period's else value makes the goal 100 leads
    // only before any data, so plan April without data.
    let text = plan_of(&["sla-examples/smarketing.sla", "--period", "2026-04"]);
    assert!(
        text.contains("2026-04-01 to 2026-04-30, 30 days in Europe/Berlin"),
        "{text}"
    );
    let row = |day: &str| {
        text.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(day))
            .unwrap_or_else(|| panic!("no row for {day} in\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("2026-04-15"), ["15", "2026-04-15", "50.00"]);
    assert_eq!(row("2026-04-30"), ["30", "2026-04-30", "100.00"]);
    assert_eq!(row("2026-04-01"), ["1", "2026-04-01", "3.34"]);
    assert_eq!(
        text.lines().filter(|l| l.contains("  2026-04-")).count(),
        30
    );
}

#[test]
fn the_goal_line_rounds_towards_the_promise() {
    // 100 × 1 ÷ 31 = 3.2258…: at least 3.23 to be on pace, at most 3.22.
    let g = plan::goal_to_date(Decimal::from(100), 1, 31).unwrap();
    assert_eq!(plan::shown_goal(g, CmpOp::Ge), "3.23");
    assert_eq!(plan::shown_goal(g, CmpOp::Gt), "3.22");
    assert_eq!(plan::shown_goal(g, CmpOp::Le), "3.22");
    assert_eq!(plan::shown_goal(g, CmpOp::Lt), "3.23");
    assert_eq!(
        plan::shown_goal(Decimal::from(1_234_567), CmpOp::Ge),
        "1,234,567.00"
    );
    assert_eq!(plan::goal_to_date(Decimal::from(100), 1, 0), None);
    // For every whole count and amount in cents, comparing with the number shown
    // says the same as comparing with the exact goal to date.
    let ops = [CmpOp::Ge, CmpOp::Gt, CmpOp::Le, CmpOp::Lt];
    for goal in [7, 100, 101, 250, 1999] {
        for days in [7, 28, 29, 30, 31, 92] {
            for day in 1..=days {
                let exact = plan::goal_to_date(Decimal::from(goal), day, days).unwrap();
                for op in ops {
                    let shown: Decimal = plan::shown_goal(exact, op)
                        .replace(',', "")
                        .parse()
                        .unwrap();
                    for cents in (0..=goal * 100 + 100).step_by(7) {
                        let actual = Decimal::new(cents, 2);
                        let holds = |target: Decimal| match op {
                            CmpOp::Ge => actual >= target,
                            CmpOp::Gt => actual > target,
                            CmpOp::Le => actual <= target,
                            CmpOp::Lt => actual < target,
                            CmpOp::Eq => actual == target,
                        };
                        assert_eq!(
                            holds(shown),
                            holds(exact),
                            "{actual} {op:?} {exact} (shown {shown})"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn money_and_at_most_targets_get_their_own_columns() {
    let text = r#"agreement "Weekly desk" {
  summary "A help desk's week."
  kind customer
  period week in "UTC"
  effective 2026-01-05 to 2026-03-29
  party desk { contact "Desk" <desk@example.com> }
  party client { contact "Client" <client@example.com> }
  input fee = 1000 EUR
  let allowance = fee * 12.5% / 7
  metric escalations: count
  metric billed: money EUR
  obligation few_escalations {
    by desk for client
    promise escalations <= 10
  }
  obligation bill_enough {
    by client for desk
    promise billed >= allowance
  }
}
"#;
    let compiled = slac::compile_str("desk.sla", text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let model = compiled.model().unwrap();
    let period = plan::choose_period(model, Some("2026-W03"), None).unwrap();
    let out = plan::render(&Plan {
        file: &compiled.file,
        model,
        period,
        data: None,
        evaluation: None,
        as_of: Some(jiff::civil::date(2026, 1, 14)),
    });
    assert!(
        out.contains("  let allowance = fee × 12.5% ÷ 7 = 1,000 EUR × 12.5 % ÷ 7 ≈ 17.86 EUR\n"),
        "{out}"
    );
    assert!(out.contains("    escalations <= 10\n"), "{out}");
    assert!(
        out.contains("    billed >= allowance ≈ 17.86 EUR\n"),
        "{out}"
    );
    // 10 × 3 ÷ 7 = 4.2857…: at most 4.28 (floor); 17.857… × 3 ÷ 7 = 7.653…: at
    // least 7.66 EUR (ceiling).
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let has = |row: &[&str]| rows.iter().any(|r| r == row);
    assert!(has(&["day", "date", "escalations", "<="]), "{out}");
    assert!(has(&["day", "date", "billed", ">=", "(EUR)"]), "{out}");
    assert!(has(&["3", "2026-01-14", "4.28", "←", "as", "of"]), "{out}");
    assert!(has(&["3", "2026-01-14", "7.66", "←", "as", "of"]), "{out}");
    assert!(has(&["7", "2026-01-18", "10.00"]), "{out}");
    assert!(out.contains("rounded up (ceiling) for >="), "{out}");
    assert!(out.contains("rounded down (floor) for <="), "{out}");
}

#[test]
fn a_period_outside_the_range_exits_2_with_help() {
    for args in [
        &["plan", "sla-examples/smarketing.sla", "--period", "2027-01"][..],
        &["plan", "sla-examples/smarketing.sla", "--period", "2025-12"],
        &[
            "plan",
            "sla-examples/smarketing.sla",
            "--as-of",
            "2027-02-01",
        ],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.contains("is outside the effective range of \"Smarketing 2026\""),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "help: choose a period with `--period`: its periods run from 2026-01 to 2026-12"
            ),
            "{stderr}"
        );
    }
    // A period of another unit, or no period at all, is refused the same way.
    for period in ["2026-Q2", "2026-13", "March"] {
        let (code, _, stderr) = run(&["plan", "sla-examples/smarketing.sla", "--period", period]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("expected a month such as `2026-03`"),
            "{stderr}"
        );
        assert!(
            stderr.contains("help: the agreement counts in months"),
            "{stderr}"
        );
    }
}

#[test]
fn an_invalid_agreement_or_bad_data_exits_2_with_diagnostics() {
    let (code, stdout, stderr) = run(&["plan", "tests/fixtures/invalid/check-band-gap.sla"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("slac::check::band_gap"), "{stderr}");
    let (code, stdout, stderr) = run(&[
        "plan",
        "sla-examples/smarketing.sla",
        "--metrics",
        "tests/fixtures/bad-metrics/unknown-metric.csv",
    ]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("slac::data::"), "{stderr}");
    let (code, _, stderr) = run(&["plan", "sla-examples/no-such-file.sla"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("slac::source::unreadable"), "{stderr}");
}

/// Each bundled example with its data, as `slac check` reads it.
fn examples() -> Vec<(&'static str, slac::Inputs)> {
    let data = |p: &str| root().join("sla-examples/data").join(p);
    let metrics = |files: &[&str]| slac::Inputs {
        metrics: files.iter().map(|f| data(f)).collect::<Vec<PathBuf>>(),
        ..slac::Inputs::new()
    };
    vec![
        ("smarketing", metrics(&["smarketing-metrics.csv"])),
        ("multi-level", metrics(&["multi-level-metrics.csv"])),
        (
            "customer-uptime",
            metrics(&["customer-uptime-metrics.json"]),
        ),
        ("lead-segments", metrics(&["lead-segments-metrics.ndjson"])),
        (
            "lead-log",
            slac::Inputs {
                datasets: vec![common::dataset("leads", &data("lead-log.csv"))],
                ..slac::Inputs::new()
            },
        ),
    ]
}

#[test]
fn every_target_is_the_judges() {
    let (mut compared, mut recalculated) = (0, 0);
    for (name, inputs) in examples() {
        let compiled = common::valid(&root().join(format!("sla-examples/{name}.sla")));
        let model = compiled.model().unwrap();
        let evaluated = slac::evaluate(&compiled, &inputs);
        let evaluation = common::judged(&evaluated);
        // The store as `slac plan` rebuilds it.
        let mut store = Recorded::default();
        for (i, path) in inputs.metrics.iter().enumerate() {
            let file = slac::data::load_metrics(path, model, &mut store, i);
            assert!(file.diagnostics.is_empty(), "{name}");
        }
        for m in &evaluation.metrics {
            store.insert(&m.metric, m.segment.as_deref(), m.period, m.value);
        }
        for judged in &evaluation.periods {
            let worked = worked::work_out(model, &store, judged.period);
            for outcome in &judged.obligations {
                let o = model
                    .obligations
                    .iter()
                    .find(|o| *o.name == *outcome.id)
                    .unwrap();
                let Promise::Compare { promise, per, .. } = &o.promise else {
                    continue;
                };
                let comparison: &Comparison = match &outcome.segment {
                    None => promise.as_ref().unwrap(),
                    Some(s) => &per.iter().find(|t| t.value == *s).unwrap().promise,
                };
                let Some(target) = outcome.target else {
                    continue;
                };
                let planned =
                    worked.eval(model, &store, &comparison.right, outcome.segment.as_deref());
                assert_eq!(
                    planned,
                    Ok(target),
                    "{name} {} {} {:?}",
                    judged.period,
                    outcome.id,
                    outcome.segment
                );
                compared += 1;
                let rates = model.values.iter().enumerate().filter(|(i, _)| {
                    let id = slac::model::ValueId(*i as u32);
                    worked.recalculation(id).and_then(|r| r.used()).is_some()
                });
                if rates.count() > 0 {
                    recalculated += 1;
                }
            }
        }
    }
    // Recalculated inputs were in use for many of them (smarketing from April on).
    assert!(compared >= 90, "{compared}");
    assert!(recalculated >= 30, "{recalculated} of {compared}");
}

#[test]
fn every_period_of_every_example_plans_without_a_panic() {
    for (name, inputs) in examples() {
        let compiled = common::valid(&root().join(format!("sla-examples/{name}.sla")));
        let model = compiled.model().unwrap();
        let evaluated = slac::evaluate(&compiled, &inputs);
        let evaluation = common::judged(&evaluated);
        let mut store = Recorded::default();
        for (i, path) in inputs.metrics.iter().enumerate() {
            slac::data::load_metrics(path, model, &mut store, i);
        }
        for m in &evaluation.metrics {
            store.insert(&m.metric, m.segment.as_deref(), m.period, m.value);
        }
        let periods: Vec<Period> = model.periods.clone();
        for period in periods {
            for data in [None, Some(&store)] {
                let text = plan::render(&Plan {
                    file: &compiled.file,
                    model,
                    period,
                    data,
                    evaluation: data.map(|_| evaluation),
                    as_of: None,
                });
                assert!(text.contains(&format!("plan for {period}")), "{name}");
                assert!(!text.contains("please report"), "{name} {period}\n{text}");
            }
        }
    }
}

#[test]
fn the_readme_shows_what_slac_plan_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = "    slac plan sla-examples/smarketing.sla --period 2026-04\n\n```\n";
    let block = readme
        .split(command)
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows slac plan's output");
    let printed = plan_of(&["sla-examples/smarketing.sla", "--period", "2026-04"]);
    let lines: Vec<&str> = printed.lines().collect();
    for line in block.lines().filter(|l| l.trim() != "...") {
        assert!(
            lines.contains(&line),
            "update the README's plan: slac plan prints no line {line:?}"
        );
    }
}

#[test]
fn a_recalculated_input_says_where_its_value_came_from() {
    let text = r#"agreement "Rates" {
  summary "Recalculated inputs, averaged and summed."
  kind internal
  period month in "UTC"
  effective 2026-01-01 to 2026-12-31
  party a { contact "A" <a@example.com> }
  party b { contact "B" <b@example.com> }
  input rate   = recalculated won / leads over 2 periods else 10%
  input effort = recalculated attempts over 2 periods else 5
  let needed = 20 / rate
  metric won: count
  metric leads: count
  metric attempts: number
  obligation deliver {
    by a for b
    promise leads >= needed + effort
  }
}
"#;
    let compiled = slac::compile_str("rates.sla", text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let model = compiled.model().unwrap();
    let month = |m: &str| Period::parse(m, model.period).unwrap();
    let mut store = Recorded::default();
    for (period, won, leads, attempts) in [
        ("2026-01", 0, 0, "6.5"),
        ("2026-02", 0, 0, "6.125"),
        ("2026-03", 12, 40, "7"),
        ("2026-04", 9, 50, "8"),
    ] {
        store.insert("won", None, month(period), Decimal::from(won));
        store.insert("leads", None, month(period), Decimal::from(leads));
        store.insert("attempts", None, month(period), attempts.parse().unwrap());
    }
    let render = |period: &str| {
        plan::render(&Plan {
            file: &compiled.file,
            model,
            period: month(period),
            data: Some(&store),
            evaluation: None,
            as_of: None,
        })
    };
    // March: no lead in January and February, so the formula divides by zero.
    let march = render("2026-03");
    for line in [
        "    won over 2026-01 to 2026-02 = 0 + 0 = 0 (summed)\n",
        "    leads over 2026-01 to 2026-02 = 0 + 0 = 0 (summed)\n",
        "    rate = 10 % (the else value: over 2026-01 to 2026-02, the formula divides by zero)\n",
        "    attempts over 2026-01 to 2026-02 = (6.5 + 6.13) ÷ 2 ≈ 6.31 (averaged)\n",
        "    effort = attempts ≈ 6.31 (recalculated over 2026-01 to 2026-02)\n",
        "  let needed = 20 ÷ rate = 20 ÷ 10 % = 200\n",
        "    leads >= needed + effort ≈ 200 + 6.31 ≈ 206.31\n",
    ] {
        assert!(march.contains(line), "no line {line:?} in\n{march}");
    }
    // May: 21 of 90 leads won in March and April.
    let may = render("2026-05");
    for line in [
        "    rate = won ÷ leads = 21 ÷ 90 ≈ 23.33 % (recalculated over 2026-03 to 2026-04)\n",
        "  let needed = 20 ÷ rate ≈ 20 ÷ 23.33 % ≈ 85.71\n",
    ] {
        assert!(may.contains(line), "no line {line:?} in\n{may}");
    }
    // July: June has no data, so the else values are back.
    let july = render("2026-07");
    assert!(
        july.contains("    leads over 2026-05 to 2026-06 = ? + ?: no value in 2026-05, 2026-06\n"),
        "{july}"
    );
    assert!(
        july.contains(
            "    effort = 5 (the else value: `attempts` lacks a value over 2026-05 to 2026-06)\n"
        ),
        "{july}"
    );
}
