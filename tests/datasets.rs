//! Metrics computed from event rows: a dozen leads worked out by hand, time-zone
//! and daylight-saving boundaries, business hours, per-row promises, data quality,
//! and the same numbers whatever the number of threads or the file format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{dataset, judged, tally, value};
use rust_decimal::Decimal;
use slac::eval::Status;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/datasets")
        .join(name)
}

fn example() -> slac::Compiled {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sla-examples/lead-log.sla");
    let compiled = slac::compile_path(&path);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    compiled
}

/// Runs `compiled` with `file` as its dataset `leads`, as `slac check --data` does.
fn load_with(compiled: &slac::Compiled, file: &Path, inputs: slac::Inputs) -> slac::Evaluated {
    let inputs = slac::Inputs {
        datasets: vec![dataset("leads", file)],
        ..inputs
    };
    slac::evaluate(compiled, &inputs)
}

/// An agreement for March 2026 in UTC between parties `a` and `b`, with `body`
/// (a dataset, its metrics, an obligation).
fn march_agreement(body: &str) -> slac::Compiled {
    let text = format!(
        "agreement \"Rows\" {{\n  summary \"Rows checked one by one.\"\n  kind internal\n  period month in \"UTC\"\n  effective 2026-03-01 to 2026-03-31\n  party a {{ contact \"A\" <a@example.com> }}\n  party b {{ contact \"B\" <b@example.com> }}\n{body}}}\n"
    );
    let compiled = slac::compile_str("rows.sla", &text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    compiled
}

/// Runs `compiled` with `file` as its dataset `rows`.
fn load_rows(compiled: &slac::Compiled, file: &Path) -> slac::Evaluated {
    let inputs = slac::Inputs {
        datasets: vec![dataset("rows", file)],
        ..slac::Inputs::new()
    };
    slac::evaluate(compiled, &inputs)
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Decimals equal to 20 places (means of thirds do not end).
fn close(a: Option<Decimal>, b: Decimal) -> bool {
    a.is_some_and(|a| (a - b).abs() < d("0.00000000000000000001"))
}

#[test]
fn a_dozen_leads_worked_out_by_hand() {
    let compiled = example();
    let loaded = load_with(&compiled, &fixture("twelve-leads.csv"), slac::Inputs::new());
    judged(&loaded);
    let v = |m: &str, p: &str| value(&loaded, m, p, None);

    // Periods by hand-over in Europe/Berlin. A07 was handed over at 21:59:59Z on
    // 31 March, 23:59:59 in Berlin (summer time since the 29th): March. A08 at
    // 23:30Z, 01:30 on 1 April in Berlin: April.
    assert_eq!(v("mqls", "2026-03"), Some(d("6"))); // A01 A02 A03 A04 A06 A07
    assert_eq!(v("mqls", "2026-04"), Some(d("4"))); // A08 A09 A11 A12
    assert_eq!(
        value(&loaded, "mqls", "2026-03", Some("executive")),
        Some(d("2"))
    );
    assert_eq!(
        value(&loaded, "mqls", "2026-03", Some("manager")),
        Some(d("3"))
    );
    assert_eq!(
        value(&loaded, "mqls", "2026-03", Some("intern")),
        Some(d("1"))
    );
    assert_eq!(
        value(&loaded, "mqls", "2026-04", Some("intern")),
        Some(d("2"))
    );

    assert_eq!(v("customers_from_mqls", "2026-03"), Some(d("2"))); // A01 A07
    assert_eq!(v("customers_from_mqls", "2026-04"), Some(d("1"))); // A09
    // Wins by the month they were won: A01 and A05 in March, A07 and A09 in April.
    assert_eq!(v("customers_won", "2026-03"), Some(d("2")));
    assert_eq!(v("marketing_revenue", "2026-03"), Some(d("400.00")));
    assert_eq!(v("marketing_revenue", "2026-04"), Some(d("499.99"))); // 199.99 + 300.00
    assert_eq!(v("total_revenue", "2026-03"), Some(d("650.50"))); // 400.00 + 250.50
    assert_eq!(v("avg_deal_size_actual", "2026-03"), Some(d("325.25")));
    assert_eq!(v("avg_deal_size_actual", "2026-04"), Some(d("249.995"))); // exact, not rounded
    assert!(close(v("close_rate_actual", "2026-03"), d("2") / d("6")));
    assert_eq!(v("close_rate_actual", "2026-04"), Some(d("0.25")));

    // Delays in March, in seconds: A01 1200, A07 1801, A03 10800, A06 230400
    // (Friday 16:30 CET to Monday 09:30 CEST is 64 h: the clocks changed), A02
    // 233100; A04 was never contacted and has none.
    assert_eq!(v("follow_up_mean", "2026-03"), Some(d("95460.2"))); // 477301 / 5
    assert_eq!(v("follow_up_median", "2026-03"), Some(d("10800")));
    // p90: position 4 × 0.9 = 3.6, so 230400 + 0.6 × (233100 - 230400).
    assert_eq!(v("follow_up_p90", "2026-03"), Some(d("232020")));
    // April: 1800, 3600, 27600, 84600.
    assert_eq!(v("follow_up_mean", "2026-04"), Some(d("29400")));
    assert_eq!(v("follow_up_median", "2026-04"), Some(d("15600")));
    assert_eq!(v("follow_up_p90", "2026-04"), Some(d("67500"))); // 27600 + 0.7 × 57000
    // Within 60 minutes: A01 and A07 of six in March (A04, never contacted, counts
    // as not within); A09 and A12 (exactly 60 minutes) of four in April.
    assert!(close(
        v("contacted_within_hour", "2026-03"),
        d("2") / d("6")
    ));
    assert_eq!(v("contacted_within_hour", "2026-04"), Some(d("0.5")));
    // Never connected: A03 (6), A04 (0), A06 (8) in March; A11 (7) in April.
    assert!(close(
        v("attempts_unconnected", "2026-03"),
        d("14") / d("3")
    ));
    assert_eq!(v("attempts_unconnected", "2026-04"), Some(d("7")));
}

#[test]
fn every_lead_within_one_business_hour() {
    let compiled = example();
    let evaluated = load_with(&compiled, &fixture("twelve-leads.csv"), slac::Inputs::new());
    let march = tally(&evaluated, "call_every_lead", "2026-03").unwrap();
    // Complied: A01 (20 min), A02 (Friday 16:30 to Monday 09:15: 45 business
    // minutes), A06 (30 min on Friday and 30 on Monday, across the change of
    // clocks: exactly 1 h), A07 (handed over at midnight, called at 00:30: none).
    // Breached: A03 (3 h) and A04 (never called).
    assert_eq!((march.rows, march.complied, march.open), (6, 4, 1));
    let worst: Vec<(&str, Decimal)> = march
        .worst
        .iter()
        .map(|b| (b.key.as_deref().unwrap(), b.late))
        .collect();
    // A04: open from Thursday 12 March 09:30 to the end of March: 7.5 h that day,
    // then 13 working days of 8 h = 111.5 h, 110.5 h over the limit.
    assert_eq!(worst, vec![("A04", d("397800")), ("A03", d("7200"))]);
    assert_eq!(march.worst[0].stop, None);
    assert_eq!(march.worst[1].line, 4);
    let april = tally(&evaluated, "call_every_lead", "2026-04").unwrap();
    // A11 was handed over on Easter Monday (a holiday) and called at 09:30 the next
    // day: 30 business minutes, though 23.5 hours passed.
    assert_eq!((april.rows, april.complied, april.open), (4, 4, 0));

    let evaluation = judged(&evaluated);
    let status = |period: &str| {
        evaluation
            .periods
            .iter()
            .find(|p| p.period.label() == period)
            .and_then(|p| p.obligations.iter().find(|o| &*o.id == "call_every_lead"))
            .map(|o| (o.status, o.actual))
    };
    assert_eq!(status("2026-03").map(|s| s.0), Some(Status::Missed));
    assert_eq!(status("2026-04"), Some((Status::Met, Some(d("1")))));
}

#[test]
fn ndjson_gives_the_same_numbers_as_csv() {
    let compiled = example();
    let csv = load_with(&compiled, &fixture("twelve-leads.csv"), slac::Inputs::new());
    let json = load_with(
        &compiled,
        &fixture("twelve-leads.ndjson"),
        slac::Inputs::new(),
    );
    let flat = |l: &slac::Evaluated| -> Vec<String> {
        judged(l)
            .metrics
            .iter()
            .map(|m| {
                format!(
                    "{} {} {:?} {}",
                    m.metric,
                    m.period.label(),
                    m.segment,
                    m.value
                )
            })
            .collect()
    };
    assert_eq!(flat(&csv), flat(&json));
}

/// Everything reading `file` gives — the evaluation, every metric value and the
/// dataset report — as one text, to compare runs on different threads.
fn everything_read(
    compiled: &slac::Compiled,
    file: &Path,
    threads: usize,
    parallel_from: u64,
) -> String {
    let inputs = slac::Inputs {
        read_threads: Some(threads),
        parallel_from: Some(parallel_from),
        ..slac::Inputs::new()
    };
    let evaluated = load_with(compiled, file, inputs);
    let evaluation = judged(&evaluated);
    let mut json = serde_json::to_string(evaluation).unwrap();
    json.push_str(&serde_json::to_string(&evaluation.metrics).unwrap());
    json.push_str(&serde_json::to_string(&evaluation.datasets).unwrap());
    json
}

#[test]
fn the_numbers_do_not_depend_on_threads() {
    let compiled = example();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sla-examples/data/lead-log.csv");
    let run = |threads: usize| everything_read(&compiled, &file, threads, 0);
    let one = run(1);
    for threads in [2, 3, 7] {
        assert_eq!(run(threads), one, "{threads} threads");
    }
}

#[test]
fn repeated_keys_and_quoted_line_breaks_across_pieces_are_found() {
    // A key repeated far apart and a quoted field with a line break: on several
    // threads both may fall across pieces; the result must be the one-thread one.
    let dir = std::env::temp_dir().join(format!("slac-datasets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("leads.csv");
    let rows = std::fs::read_to_string(fixture("twelve-leads.csv")).unwrap();
    let mut text = String::from(rows.lines().next().unwrap());
    text.push('\n');
    for i in 0..400 {
        for line in rows.lines().skip(1) {
            let line = line.replacen('A', &format!("R{i}-"), 1);
            text.push_str(&line);
            text.push('\n');
        }
    }
    // The first lead again, with a note-like quoted key holding a line break.
    text.push_str(
        rows.lines()
            .nth(1)
            .unwrap()
            .replacen("A01", "R0-01", 1)
            .as_str(),
    );
    text.push('\n');
    text.push_str(&rows.lines().nth(2).unwrap().replacen("A02", "\"Q\nQ\"", 1));
    text.push('\n');
    std::fs::write(&file, &text).unwrap();
    let compiled = example();
    let run = |threads: usize| {
        let inputs = slac::Inputs {
            read_threads: Some(threads),
            parallel_from: Some(0),
            ..slac::Inputs::new()
        };
        let evaluated = load_with(&compiled, &file, inputs);
        let evaluation = judged(&evaluated);
        let report = &evaluation.datasets[0];
        (
            serde_json::to_string(&evaluation.metrics).unwrap(),
            report.rows,
            report.excluded.clone(),
            report.examples.iter().map(|e| e.line).collect::<Vec<_>>(),
        )
    };
    let one = run(1);
    assert_eq!(one.1, 4802);
    assert_eq!(one.2["duplicate_key"], 1);
    // The repeated key is on line 4802: header, 4800 rows, then it.
    assert_eq!(one.3, vec![4802]);
    for threads in [2, 4] {
        assert_eq!(run(threads), one, "{threads} threads");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_rows_are_excluded_and_reported_or_refused_with_strict() {
    let compiled = example();
    let bad = Path::new("tests/fixtures/bad-datasets/money-rounding.csv");
    let loaded = load_with(&compiled, bad, slac::Inputs::new());
    let evaluation = judged(&loaded);
    let report = &evaluation.datasets[0];
    assert_eq!((report.rows, report.used), (3, 2));
    let excluded: u64 = report.excluded.values().sum();
    assert_eq!(report.used + excluded, report.rows);
    assert!(!evaluation.metrics.is_empty());
    let strict = slac::Inputs {
        strict: true,
        ..slac::Inputs::new()
    };
    let loaded = load_with(&compiled, bad, strict);
    assert!(loaded.evaluation.is_none());
    assert!(loaded.data_errors() > 0);
}

/// Every file in tests/fixtures/bad-datasets, read against the lead-log example:
/// what a person sees.
#[test]
fn bad_dataset_files_are_explained() {
    let compiled = example();
    let renderer = slac::report::human::HumanRenderer::plain();
    insta::glob!("fixtures/bad-datasets/*", |path| {
        let name = path.file_name().unwrap().to_string_lossy();
        let relative = Path::new("tests/fixtures/bad-datasets").join(&*name);
        let loaded = load_with(&compiled, &relative, slac::Inputs::new());
        let mut out = String::new();
        for file in &loaded.data {
            for d in &file.diagnostics {
                out.push_str(&renderer.render(d, &file.file));
            }
        }
        let reports = loaded.evaluation.iter().flat_map(|e| &e.datasets);
        for r in reports {
            out.push_str(&format!(
                "{} rows, {} used, excluded {:?}\n",
                r.rows, r.used, r.excluded
            ));
        }
        insta::assert_snapshot!(out);
    });
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(64))]

    /// Arbitrary bytes after a valid header, as CSV and as NDJSON: never a panic,
    /// and every row read is either used or excluded for a reason.
    #[test]
    fn arbitrary_rows_are_used_or_excluded(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4000)) {
        let compiled = example();
        let dir = std::env::temp_dir().join(format!("slac-prop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let header = std::fs::read(fixture("twelve-leads.csv")).unwrap();
        let first_line = header.split(|b| *b == b'\n').next().unwrap().to_vec();
        for name in ["rows.csv", "rows.ndjson"] {
            let path = dir.join(name);
            let mut bytes = if name.ends_with(".csv") { first_line.clone() } else { Vec::new() };
            bytes.push(b'\n');
            bytes.extend_from_slice(&body);
            std::fs::write(&path, &bytes).unwrap();
            let loaded = load_with(&compiled, &path, slac::Inputs::new());
            let reports = loaded.evaluation.iter().flat_map(|e| &e.datasets);
            for report in reports {
                let excluded: u64 = report.excluded.values().sum();
                proptest::prop_assert_eq!(report.used + excluded, report.rows);
            }
        }
    }
}

#[test]
fn dataset_metrics_and_recorded_metrics_mix_in_one_agreement() {
    // `mqls` comes from the lead log, `quota` from a recorded metrics file; a let
    // and a promise use both.
    let text = r#"agreement "Mixed" {
  summary "Leads from the CRM, quota from finance."
  kind internal
  period month in "Europe/Berlin"
  effective 2026-01-01 to 2026-12-31
  party marketing { contact "M" <m@example.com> }
  party sales { contact "S" <s@example.com> }
  segment lead_quality { executive, manager, intern }
  dataset leads {
    key lead_id
    column lead_id: text
    column source: text
    column segment: lead_quality
    column created_at: timestamp
    column handed_over_at: timestamp optional
    column first_contact_at: timestamp optional
    column attempts: int
    column connected: bool
    column won_at: timestamp optional
    column deal_value: money EUR optional
  }
  metric mqls: count = count of leads where source == "marketing" and handed_over_at is set by handed_over_at
  metric quota: money EUR
  let leads_needed = quota / 100 EUR / 50%
  obligation deliver_leads {
    by marketing for sales
    promise mqls >= leads_needed
  }
}
"#;
    let compiled = slac::compile_str("mixed.sla", text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let dir = std::env::temp_dir().join(format!("slac-mixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let metrics = dir.join("quota.csv");
    std::fs::write(
        &metrics,
        "period,metric,value\n2026-03,quota,250 EUR\n2026-04,quota,500 EUR\n",
    )
    .unwrap();
    let inputs = slac::Inputs {
        metrics: vec![metrics],
        datasets: vec![dataset("leads", &fixture("twelve-leads.csv"))],
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    let evaluation = judged(&evaluated);
    let outcome = |period: &str| {
        let p = evaluation
            .periods
            .iter()
            .find(|p| p.period.label() == period)
            .unwrap();
        let o = &p.obligations[0];
        (o.status, o.actual, o.target)
    };
    // March: 6 leads against 250 / 100 / 50% = 5 needed; April: 4 against 10.
    assert_eq!(
        outcome("2026-03"),
        (Status::Met, Some(d("6")), Some(d("5")))
    );
    assert_eq!(
        outcome("2026-04"),
        (Status::Missed, Some(d("4")), Some(d("10")))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_running_period_measures_open_clocks_to_the_day_evaluated() {
    let compiled = example();
    let as_of: jiff::civil::Date = "2026-03-15".parse().unwrap();
    let inputs = slac::Inputs {
        as_of: Some(as_of),
        ..slac::Inputs::new()
    };
    let evaluated = load_with(&compiled, &fixture("twelve-leads.csv"), inputs);
    let march = tally(&evaluated, "call_every_lead", "2026-03").unwrap();
    // A04, never called, was handed over on Thursday 12 March at 09:30: 7.5 h that day
    // and 8 h on Friday by the end of Sunday 15 March.
    let a04 = march
        .worst
        .iter()
        .find(|b| b.key.as_deref() == Some("A04"))
        .unwrap();
    assert_eq!(a04.elapsed, d("55800"));
    let evaluation = judged(&evaluated);
    let running = evaluation.periods.last().unwrap();
    assert!(running.running);
    let outcome = running
        .obligations
        .iter()
        .find(|o| &*o.id == "call_every_lead")
        .unwrap();
    // Falling short in a running period is a risk, not yet a miss.
    assert_eq!(outcome.status, Status::AtRisk);
}

#[test]
fn differences_beyond_64_bits_are_still_exact() {
    // Most batches compare in 64 bits; a batch with a difference that does not fit
    // (or that is exactly the smallest 64-bit number) is worked out in 128 bits.
    let compiled = march_agreement(
        "  dataset rows {
    column t: timestamp
    column x: int optional
    column y: int
  }
  metric ahead: count = count of rows where x - y > 0 by t
  metric behind: count = count of rows where x - y < 0 by t
  metric not_ahead: count = count of rows where not (x - y > 0) by t
  obligation o { by a for b promise ahead >= 0 }
",
    );
    let dir = std::env::temp_dir().join(format!("slac-wide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t = "2026-03-10T10:00:00Z";
    let small = format!("t,x,y\n{t},5,3\n{t},1,2\n{t},,1\n");
    // -9223372036854775807 - 1 is the smallest 64-bit number.
    let smallest = format!("{small}{t},-9223372036854775807,1\n");
    let wide = format!("{smallest}{t},9000000000000000000,-9000000000000000000\n");
    for (name, rows, expected) in [
        ("small", small, (1, 1, 1)),
        ("smallest", smallest, (1, 2, 2)),
        ("wide", wide, (2, 2, 2)),
    ] {
        let file = dir.join(format!("{name}.csv"));
        std::fs::write(&file, rows).unwrap();
        let loaded = load_rows(&compiled, &file);
        assert!(
            loaded.data.iter().all(|f| f.diagnostics.is_empty()),
            "{:?}",
            common::data_diagnostics(&loaded)
        );
        let count = |metric: &str| value(&loaded, metric, "2026-03", None);
        let (ahead, behind, not_ahead) = expected;
        assert_eq!(count("ahead"), Some(Decimal::from(ahead)), "{name}");
        assert_eq!(count("behind"), Some(Decimal::from(behind)), "{name}");
        assert_eq!(count("not_ahead"), Some(Decimal::from(not_ahead)), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_first_rows_failing_an_expectation_are_the_examples() {
    // Lines 2-7 fail the second `expect`, lines 8-13 the first: the five examples
    // are the first five lines, whichever expectation each fails.
    let compiled = march_agreement(
        "  dataset rows {
    column t: timestamp
    column x: int
    column y: int
    expect x >= 0
    expect y >= 0
  }
  metric n: count = count of rows by t
  obligation o { by a for b promise n >= 0 }
",
    );
    let dir = std::env::temp_dir().join(format!("slac-expect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rows.csv");
    let mut rows = String::from("t,x,y\n");
    for _ in 0..6 {
        rows.push_str("2026-03-10T10:00:00Z,1,-1\n");
    }
    for _ in 0..6 {
        rows.push_str("2026-03-10T10:00:00Z,-1,1\n");
    }
    std::fs::write(&file, rows).unwrap();
    let loaded = load_rows(&compiled, &file);
    let report = &judged(&loaded).datasets[0];
    assert_eq!(report.used, 0);
    let lines: Vec<u64> = report.examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_rows_are_labelled_at_their_place_in_the_file_on_any_thread() {
    // Bad amounts spread through a file that threads read in pieces, after a quoted
    // field with a line break: each label must point at the amount itself, on the
    // file's own line, whichever piece found it.
    let dir = std::env::temp_dir().join(format!("slac-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("leads.csv");
    let rows = std::fs::read_to_string(fixture("twelve-leads.csv")).unwrap();
    let template = rows.lines().nth(1).unwrap();
    let mut text = String::from(rows.lines().next().unwrap());
    text.push('\n');
    text.push_str(&template.replacen("A01", "\"Q\nQ\"", 1));
    text.push('\n');
    let mut line = 3; // header, then the quoted row's two lines
    let mut expected = Vec::new();
    for i in 0..6000 {
        line += 1;
        let mut row = template.replacen("A01", &format!("R{i}"), 1);
        if i % 750 == 700 {
            let amount = format!("{i}.125");
            let cut = row.rfind(',').unwrap();
            row.truncate(cut + 1);
            row.push_str(&amount);
            expected.push((line, amount));
        }
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(&file, &text).unwrap();
    assert_eq!(expected.len(), 8);
    let compiled = example();
    for threads in [1, 2, 4] {
        let inputs = slac::Inputs {
            read_threads: Some(threads),
            parallel_from: Some(0),
            ..slac::Inputs::new()
        };
        let evaluated = load_with(&compiled, &file, inputs);
        let data = evaluated
            .data
            .iter()
            .find(|f| f.file.name.ends_with("leads.csv"));
        let data = data.expect("the dataset file is a file of the run");
        let d = data
            .diagnostics
            .iter()
            .find(|d| d.code == "slac::data::rows_excluded")
            .expect("the bad rows are reported");
        assert!(
            d.message.starts_with("8 rows of `leads` excluded"),
            "{}",
            d.message
        );
        assert!(d.message.ends_with("… and 3 more"), "{}", d.message);
        let placed: Vec<(usize, String)> = d
            .labels
            .iter()
            .map(|l| {
                assert_eq!(l.file, data.file.id);
                let at = data.file.locate(l.span);
                let bytes = &text.as_bytes()[at.start as usize..at.end as usize];
                (at.line, String::from_utf8(bytes.to_vec()).unwrap())
            })
            .collect();
        assert_eq!(placed, expected[..5].to_vec(), "{threads} threads");
        assert_eq!(d.labels.iter().filter(|l| l.primary).count(), 1);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Rows whose grouping timestamp falls before or after the agreement, or after
/// `--as-of`, count nowhere: each kind is counted per column, the first is marked in
/// the file, and the numbers do not depend on how many threads read the file.
#[test]
fn rows_that_count_nowhere_are_counted_and_named() {
    let compiled = march_agreement(
        "  dataset rows {\n    column id: text\n    column at: timestamp\n  }\n  metric n: count = count of rows by at\n  obligation o {\n    by a for b\n    promise n >= 1\n  }\n",
    );
    let dir = std::env::temp_dir().join(format!("slac-outside-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rows.csv");
    let mut text = String::from("id,at\n");
    let mut expected = (0u64, 0u64, 0u64, 0u64);
    for i in 0..5000u32 {
        let (at, kind) = match i % 10 {
            0 => ("2026-02-28T23:59:59Z", 0),
            1 => ("2026-04-01T00:00:00Z", 1),
            2 | 3 => ("2026-03-20T08:00:00+01:00", 2),
            _ => ("2026-03-05T08:00:00Z", 3),
        };
        match kind {
            0 => expected.0 += 1,
            1 => expected.1 += 1,
            2 => expected.2 += 1,
            _ => expected.3 += 1,
        }
        text.push_str(&format!("R{i},{at}\n"));
    }
    std::fs::write(&file, &text).unwrap();
    let mut seen = Vec::new();
    for threads in [1, 2, 3] {
        let inputs = slac::Inputs {
            datasets: vec![dataset("rows", &file)],
            read_threads: Some(threads),
            parallel_from: Some(0),
            as_of: Some("2026-03-10".parse().unwrap()),
            ..slac::Inputs::new()
        };
        let evaluated = slac::evaluate(&compiled, &inputs);
        let evaluation = judged(&evaluated);
        let report = &evaluation.datasets[0];
        assert_eq!(report.outside.len(), 1);
        let outside = &report.outside[0];
        assert_eq!(outside.column, "at");
        assert_eq!(
            (outside.before, outside.after, outside.after_as_of),
            (expected.0, expected.1, expected.2)
        );
        let n = evaluation.metrics.iter().find(|m| m.metric == "n").unwrap();
        assert_eq!(n.value, Decimal::from(expected.3));
        let data = evaluated
            .data
            .iter()
            .find(|f| f.file.name.ends_with("rows.csv"));
        let data = data.unwrap();
        let messages: Vec<String> = data
            .diagnostics
            .iter()
            .filter(|d| d.code == "slac::data::rows_outside")
            .map(|d| {
                let label = &d.labels[0];
                let at = data.file.locate(label.span);
                format!("{} @{}:{}", d.message, at.line, at.column)
            })
            .collect();
        assert_eq!(
            messages,
            [
                "500 rows of `rows` have `at` before the agreement starts on 2026-03-01, so nothing grouped by `at` counts them @2:4",
                "500 rows of `rows` have `at` after the agreement ends on 2026-03-31, so nothing grouped by `at` counts them @3:4",
                "1000 rows of `rows` have `at` after --as-of 2026-03-10, so nothing grouped by `at` counts them @4:4",
            ]
        );
        seen.push(serde_json::to_string(evaluation).unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    let _ = std::fs::remove_dir_all(&dir);
}

/// One per-row promise with a limit per segment value: each value is judged on its
/// own rows against its own limit, with its own breaches.
#[test]
fn a_per_row_promise_can_allow_each_segment_its_own_time() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sla-examples/lead-log.sla");
    let text = std::fs::read_to_string(path).unwrap();
    let segmented = text.replace(
        "within 1h in business hours of sales_office\n      at least 80%",
        "within per segment { executive: 30min, manager: 1d, intern: 4h }\n      at least 80%",
    );
    assert_ne!(segmented, text);
    let compiled = slac::compile_str("lead-log.sla", &segmented);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics);
    let evaluated = load_with(&compiled, &fixture("twelve-leads.csv"), slac::Inputs::new());
    let evaluation = judged(&evaluated);
    let mut seen = Vec::new();
    for period in &evaluation.periods {
        for o in period
            .obligations
            .iter()
            .filter(|o| &*o.id == "call_every_lead")
        {
            let rows = o.rows.as_ref().unwrap();
            let late: Vec<&str> = rows
                .worst
                .iter()
                .map(|b| b.key.as_deref().unwrap())
                .collect();
            seen.push(format!(
                "{} {} {}/{} {:?} {late:?}",
                period.period,
                o.segment.as_deref().unwrap(),
                rows.complied,
                rows.rows,
                o.status
            ));
        }
    }
    assert_eq!(
        seen,
        [
            "2026-03 executive 1/2 Missed [\"A06\"]",
            "2026-03 manager 1/3 Missed [\"A04\", \"A02\"]",
            "2026-03 intern 1/1 Met []",
            "2026-04 executive 1/1 Met []",
            "2026-04 manager 1/1 Met []",
            "2026-04 intern 1/2 Missed [\"A08\"]",
        ]
    );
}

/// `within per` needs a required segment column and a limit for each value, once.
#[test]
fn limits_per_segment_are_checked() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sla-examples/lead-log.sla");
    let text = std::fs::read_to_string(path).unwrap();
    let codes = |within: &str| {
        let changed = text.replace("within 1h in business hours of sales_office", within);
        let compiled = slac::compile_str("lead-log.sla", &changed);
        compiled
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes("within per segment { executive: 1h, manager: 4h }"),
        ["slac::check::incomplete_segment: segment `lead_quality` has no limit for `intern`"]
    );
    assert_eq!(
        codes("within per segment { executive: 1h, manager: 4h, intern: 1d, ceo: 5min }"),
        ["slac::check::unknown_segment_value: `ceo` is not a value of segment `lead_quality`"]
    );
    assert_eq!(
        codes("within per attempts { executive: 1h }"),
        ["slac::check::record_promise_value: `within per attempts` needs a segment column"]
    );
    assert_eq!(
        codes("within per segment { executive: 1h, manager: 4, intern: 1d }"),
        ["slac::check::record_promise_value: `within` needs a duration"]
    );
}

/// A key padded with blanks repeats the key it pads; a file whose lines end in a
/// bare carriage return is named as such, not matched against a merged header.
#[test]
fn padded_keys_repeat_and_bare_carriage_returns_are_named() {
    let dir = std::env::temp_dir().join(format!("slac-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rows = std::fs::read_to_string(fixture("twelve-leads.csv")).unwrap();
    let mut lines: Vec<String> = rows.lines().map(str::to_owned).collect();
    let copy = lines[1].replacen("A01,", "A01 ,", 1);
    lines.push(copy);
    let padded = dir.join("padded.csv");
    std::fs::write(&padded, lines.join("\n") + "\n").unwrap();
    let compiled = example();
    let evaluated = load_with(&compiled, &padded, slac::Inputs::new());
    let report = &judged(&evaluated).datasets[0];
    assert_eq!(report.excluded["duplicate_key"], 1);
    assert!(
        report.examples[0]
            .reason
            .contains("but for the blanks around it")
    );

    let cr = dir.join("cr.csv");
    std::fs::write(&cr, rows.replace('\n', "\r")).unwrap();
    let evaluated = load_with(&compiled, &cr, slac::Inputs::new());
    let help = evaluated
        .data
        .iter()
        .flat_map(|f| &f.diagnostics)
        .find(|d| d.code == "slac::data::missing_column")
        .and_then(|d| d.help.clone())
        .unwrap();
    assert!(help.contains("bare carriage return"), "{help}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An export with `;` between fields reads as the comma export does once the
/// dataset declares `delimiter ";"`, on any number of threads.
#[test]
fn a_declared_delimiter_reads_a_semicolon_export() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("sla-examples/lead-log.sla")).unwrap();
    let declared = text.replacen(
        "    key lead_id\n",
        "    key lead_id\n    delimiter \";\"\n",
        1,
    );
    assert_ne!(declared, text);
    let semicolons = slac::compile_str("lead-log.sla", &declared);
    assert!(semicolons.is_valid(), "{:?}", semicolons.diagnostics);
    let dir = std::env::temp_dir().join(format!("slac-delimiter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let commas = root.join("sla-examples/data/lead-log.csv");
    let file = dir.join("leads.csv");
    std::fs::write(
        &file,
        std::fs::read_to_string(&commas).unwrap().replace(',', ";"),
    )
    .unwrap();
    let metrics = |compiled: &slac::Compiled, path: &Path, threads: usize| {
        let inputs = slac::Inputs {
            read_threads: Some(threads),
            parallel_from: Some(0),
            ..slac::Inputs::new()
        };
        let evaluated = load_with(compiled, path, inputs);
        serde_json::to_string(&judged(&evaluated).metrics).unwrap()
    };
    let expected = metrics(&example(), &commas, 1);
    for threads in [1, 2, 3] {
        assert_eq!(
            metrics(&semicolons, &file, threads),
            expected,
            "{threads} threads"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dirty export (5 % repeated keys near and far, failed expectations, malformed
/// values, months outside the agreement), written by the lead-log generator: read
/// in pieces on any number of threads, with the rows of repeated keys set aside and
/// judged after, it gives exactly what one scan in file order gives.
#[test]
fn repeated_keys_set_aside_give_what_one_scan_in_order_gives() {
    let compiled = example();
    let file = fixture("dirty-leads.csv");
    let run = |threads: usize, parallel_from: u64| {
        everything_read(&compiled, &file, threads, parallel_from)
    };
    // One scan in file order, every key checked as it comes.
    let in_order = run(1, u64::MAX);
    let evaluated = load_with(&compiled, &file, slac::Inputs::new());
    let report = &judged(&evaluated).datasets[0];
    assert!(
        report.excluded["duplicate_key"] > 100,
        "{:?}",
        report.excluded
    );
    assert!(report.excluded["malformed"] > 10, "{:?}", report.excluded);
    for threads in [1, 2, 3, 7] {
        assert_eq!(run(threads, 0), in_order, "{threads} threads");
    }
}
