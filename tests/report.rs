//! `slac report`: the page's structure for every bundled example (snapshot-tested,
//! with each chart's SVG reduced to what it draws), its numbers against the JSON
//! report's, the daily counts behind the progress charts against the month metrics,
//! and the command's exit statuses and messages. `scripts/browser_test.py` renders the
//! same pages in Chromium.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{dataset, judged, root, valid};
use rust_decimal::Decimal;
use slac::report::html::Html;
use slac::report::json::Json;
use slac::report::{Emitter, Run};

/// The bundled examples with the data the README judges them against.
const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "smarketing",
        &[
            "sla-examples/smarketing.sla",
            "--metrics",
            "sla-examples/data/smarketing-metrics.csv",
            "--deliveries",
            "sla-examples/data/smarketing-deliveries.csv",
            "--as-of",
            "2026-06-15",
        ],
    ),
    (
        "multi-level",
        &[
            "sla-examples/multi-level.sla",
            "--metrics",
            "sla-examples/data/multi-level-metrics.csv",
            "--deliveries",
            "sla-examples/data/multi-level-deliveries.csv",
        ],
    ),
    (
        "customer-uptime",
        &[
            "sla-examples/customer-uptime.sla",
            "--metrics",
            "sla-examples/data/customer-uptime-metrics.json",
        ],
    ),
    (
        "lead-log",
        &[
            "sla-examples/lead-log.sla",
            "--data",
            "leads=sla-examples/data/lead-log.csv",
        ],
    ),
    (
        "lead-segments",
        &[
            "sla-examples/lead-segments.sla",
            "--metrics",
            "sla-examples/data/lead-segments-metrics.ndjson",
        ],
    ),
];

fn slac() -> Command {
    let mut cmd = Command::cargo_bin("slac").unwrap();
    cmd.current_dir(root());
    cmd
}

fn run(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = slac().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `slac report ARGS… --out -`: the page on stdout.
fn page(args: &[&str]) -> (i32, String) {
    let mut all = vec!["report"];
    all.extend(args);
    all.extend(["--out", "-"]);
    let (code, stdout, stderr) = run(&all);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    (code, String::from_utf8(stdout).unwrap())
}

/// The page with each chart's SVG replaced by what it draws (its marks counted by
/// kind, its words in order) and the version taken out: the structure, without the
/// coordinates a new plotters release may move.
fn structure(html: &str) -> String {
    let html = html.replace(env!("CARGO_PKG_VERSION"), "VERSION");
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").expect("an SVG that ends") + start;
        let svg = &rest[start..end];
        let mut marks = BTreeMap::new();
        for tag in [
            "path", "polyline", "line", "rect", "circle", "polygon", "text",
        ] {
            let n =
                svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
            if n > 0 {
                marks.insert(tag, n);
            }
        }
        let words: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>').and_then(|(_, t)| t.split_once("</text>")))
            .map(|(t, _)| t.trim())
            .collect();
        out.push_str(&format!(
            "<svg marks={marks:?}>\n  words: {}\n",
            words.join(" | ")
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    // The style sheet is one constant: its text is not the page's structure.
    match (out.find("<style>"), out.find("</style>")) {
        (Some(a), Some(b)) => format!("{}<style>…{}", &out[..a], &out[b..]),
        _ => out,
    }
}

#[test]
fn every_bundled_example_has_a_report() {
    for (name, args) in EXAMPLES {
        let (_, html) = page(args);
        insta::assert_snapshot!(*name, structure(&html));
    }
}

#[test]
fn the_report_is_the_same_every_time() {
    let (name, args) = EXAMPLES[3];
    assert_eq!(page(args), page(args), "{name}");
}

/// `data-*` attributes of each overview row: (obligation, segment, period) → (status, actual, target).
fn overview_numbers(html: &str) -> BTreeMap<(String, String, String), (String, String, String)> {
    let attr = |row: &str, name: &str| -> String {
        let key = format!("data-{name}=\"");
        let from = row
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {row}"))
            + key.len();
        row[from..].split('"').next().unwrap().to_owned()
    };
    html.lines()
        .filter(|l| l.starts_with("<tr data-obligation="))
        .map(|row| {
            (
                (
                    attr(row, "obligation"),
                    attr(row, "segment"),
                    attr(row, "period"),
                ),
                (
                    attr(row, "status"),
                    attr(row, "actual"),
                    attr(row, "target"),
                ),
            )
        })
        .collect()
}

#[test]
fn the_reports_numbers_are_the_json_reports() {
    for (name, args) in EXAMPLES {
        let (_, html) = page(args);
        let rows = overview_numbers(&html);
        assert!(!rows.is_empty(), "{name}: no overview rows");
        let mut check = vec!["check"];
        check.extend(*args);
        check.extend(["--format", "json"]);
        let (_, json, _) = run(&check);
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let periods = json["periods"].as_array().unwrap();
        // The page is about the last period judged.
        let last = periods.last().unwrap();
        let period = last["period"].as_str().unwrap();
        let mut from_json = BTreeMap::new();
        for o in last["obligations"].as_array().unwrap() {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            from_json.insert(
                (text(&o["id"]), text(&o["segment"]), period.to_owned()),
                (text(&o["status"]), text(&o["actual"]), text(&o["target"])),
            );
        }
        assert_eq!(rows, from_json, "{name}");
    }
}

#[test]
fn a_party_sees_what_it_owes_and_is_owed() {
    let (_, args) = EXAMPLES[1];
    let mut with_party = args.to_vec();
    with_party.extend(["--party", "service"]);
    let (_, all) = page(args);
    let (_, service) = page(&with_party);
    let all = overview_numbers(&all);
    let service = overview_numbers(&service);
    assert!(
        !service.is_empty() && service.len() < all.len(),
        "{service:?}"
    );
    let model = valid(Path::new("sla-examples/multi-level.sla"));
    let model = model.model().unwrap();
    for (obligation, _, _) in service.keys() {
        let o = model
            .obligations
            .iter()
            .find(|o| o.name == *obligation)
            .unwrap();
        let parties = [o.owner, o.beneficiary].map(|p| model.parties[p.index()].name.as_str());
        assert!(parties.contains(&"service"), "{obligation}: {parties:?}");
    }
}

#[test]
fn daily_counts_add_up_to_the_month_metrics() {
    let agreement = valid(Path::new("sla-examples/lead-log.sla"));
    let data = root().join("sla-examples/data/lead-log.csv");
    let mut results = Vec::new();
    // One thread, and pieces on two and three: the days come out the same.
    for threads in [1, 2, 3] {
        let inputs = slac::Inputs {
            datasets: vec![dataset("leads", &data)],
            daily: true,
            read_threads: Some(threads),
            parallel_from: Some(0),
            ..slac::Inputs::new()
        };
        let evaluated = slac::evaluate(&agreement, &inputs);
        let e = judged(&evaluated).clone();
        assert!(!e.daily.is_empty());
        let mut compared = 0;
        for d in e.daily.iter().filter(|d| d.sums.is_empty()) {
            for m in e
                .metrics
                .iter()
                .filter(|m| m.metric == d.metric && m.segment == d.segment)
            {
                let offset = (m.period.start() - d.first_day).get_days() as usize;
                let days = m.period.days() as usize;
                let sum: u64 = d.counts[offset..offset + days].iter().sum();
                assert_eq!(
                    Decimal::from(sum),
                    m.value,
                    "{} {:?} {}",
                    d.metric,
                    d.segment,
                    m.period
                );
                compared += 1;
            }
        }
        // mqls and the two other counts, total and per segment, six months.
        assert!(compared >= 6 * 4, "{compared}");
        // Means and sums too: a month's days give its value exactly.
        let mut means = 0;
        for (metric, mean) in [
            ("follow_up_mean", true),
            ("follow_up_business_time", true),
            ("total_revenue", false),
        ] {
            let d = e
                .daily
                .iter()
                .find(|d| d.metric == metric && d.segment.is_none())
                .unwrap();
            assert!(!d.sums.is_empty(), "{metric}");
            for m in e
                .metrics
                .iter()
                .filter(|m| m.metric == metric && m.segment.is_none())
            {
                let offset = (m.period.start() - d.first_day).get_days() as usize;
                let days = offset..offset + m.period.days() as usize;
                assert_eq!(d.over(days, mean), Some(m.value), "{metric} {}", m.period);
                means += 1;
            }
        }
        assert_eq!(means, 18);
        results.push(
            e.daily
                .iter()
                .map(|d| (d.metric.clone(), d.segment.clone(), d.counts.clone()))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], results[2]);
}

#[test]
fn days_are_not_counted_unless_asked() {
    let agreement = valid(Path::new("sla-examples/lead-log.sla"));
    let inputs = slac::Inputs {
        datasets: vec![dataset(
            "leads",
            &root().join("sla-examples/data/lead-log.csv"),
        )],
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&agreement, &inputs);
    assert!(judged(&evaluated).daily.is_empty());
}

#[test]
fn the_emitter_writes_the_page_the_command_does() {
    let (_, args) = EXAMPLES[0];
    let (_, from_cli) = page(args);
    let compiled = valid(Path::new(args[0]));
    let inputs = slac::Inputs {
        metrics: vec![PathBuf::from(args[2])],
        deliveries: Some(PathBuf::from(args[4])),
        as_of: Some("2026-06-15".parse().unwrap()),
        daily: true,
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    let run = Run::Evaluated {
        compiled: &compiled,
        evaluated: &evaluated,
    };
    let mut html = Vec::new();
    Html::default()
        .emit(run, &mut html, &mut std::io::sink())
        .unwrap();
    assert_eq!(String::from_utf8(html).unwrap(), from_cli);
    // And the JSON emitter reads the same evaluation.
    let mut json = Vec::new();
    Json.emit(run, &mut json, &mut std::io::sink()).unwrap();
    assert!(!json.is_empty());
}

#[test]
fn exit_statuses_and_messages() {
    let out = std::env::temp_dir().join(format!("slac-report-{}.html", std::process::id()));
    let out_arg = out.to_str().unwrap();
    // A missed obligation: 1, the page written, one line on stderr.
    let (code, stdout, stderr) = run(&[
        "report",
        "sla-examples/lead-log.sla",
        "--data",
        "leads=sla-examples/data/lead-log.csv",
        "--out",
        out_arg,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with(&format!("wrote {out_arg} (2026-01 to 2026-06)\n")),
        "{stderr}"
    );
    assert!(stderr.contains("warning(s) about the data"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>") && written.ends_with("</html>\n"));
    std::fs::remove_file(&out).unwrap();

    let smarketing = EXAMPLES[0].1;
    let with = |extra: &[&'static str]| {
        let mut all = vec!["report"];
        all.extend(smarketing);
        all.extend(extra);
        run(&all)
    };
    let (code, _, stderr) = with(&["--party", "salse", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("has no party `salse`") && stderr.contains("did you mean `sales`?"),
        "{stderr}"
    );
    let (code, _, stderr) = with(&["--period", "2027-01", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("outside the effective range"), "{stderr}");
    let (code, _, stderr) = with(&["--out", "/nonexistent-folder/report.html"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot write the report to /nonexistent-folder/report.html"),
        "{stderr}"
    );
    // A period without data: the page says so, and still shows the history.
    let (code, html, _) = with(&["--period", "2026-09", "--out", "-"]);
    assert_eq!(code, 1);
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("No obligation was judged in 2026-09"),
        "{html}"
    );
    assert!(html.contains("<section id=\"history\">"));

    // No data at all, and an invalid agreement: 2.
    let (code, _, stderr) = run(&["report", "sla-examples/smarketing.sla", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a report needs data"), "{stderr}");
    let (code, _, stderr) = run(&[
        "report",
        "tests/fixtures/invalid/check-unknown-party.sla",
        "--metrics",
        "sla-examples/data/smarketing-metrics.csv",
        "--out",
        "-",
    ]);
    assert_eq!(code, 2, "{stderr}");
}
