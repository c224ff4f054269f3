//! The fuzz harness, on stable Rust: every case that once broke slac (the corpus
//! under `tests/corpus/`, and generated cases too large to keep as files) and
//! random mutations of them go through the parser, the checker, every data reader
//! (CSV, JSON, NDJSON, deliveries, datasets) and every emitter (human, JSON, SARIF,
//! GitHub, Markdown). Nothing may panic, output is the same on every run, and what
//! people read stays bounded however large the input. The corpus outcomes are
//! snapshots, reviewed like the fixtures.
//!
//! The mutation runs are bounded (`PROPTEST_CASES`, 48 by default) so that CI runs
//! them every time; set it higher for a longer hunt.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use slac::data::dataset::DataSpec;
use slac::report::human::{Human, HumanRenderer};
use slac::report::{Emitter, Run};

/// What a case holds: an agreement and the data files beside it.
struct Case {
    agreement: PathBuf,
    inputs: slac::Inputs,
}

/// The files of a corpus folder: `agreement.sla`, and any of `metrics.*`,
/// `deliveries.csv` and `leads.*` (the dataset of the lead-log agreement).
fn case_in(dir: &Path) -> Case {
    let mut inputs = slac::Inputs::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("metrics.") {
            inputs.metrics.push(path.clone());
        } else if name == "deliveries.csv" {
            inputs.deliveries = Some(path.clone());
        } else if name.starts_with("leads.") {
            inputs.datasets.push(DataSpec {
                name: "leads".to_owned(),
                path: path.clone(),
            });
        }
    }
    Case {
        agreement: dir.join("agreement.sla"),
        inputs,
    }
}

/// Every emitter's output for a run: (name, stdout, stderr).
fn emit_all(run: Run<'_>) -> Vec<(&'static str, String, String)> {
    let emitters: [(&'static str, Box<dyn Emitter>); 5] = [
        (
            "human",
            Box::new(Human {
                renderer: HumanRenderer::plain(),
            }),
        ),
        ("json", Box::new(slac::report::json::Json)),
        ("sarif", Box::new(slac::report::sarif::Sarif)),
        ("github", Box::new(slac::report::github::Github)),
        ("markdown", Box::new(slac::report::markdown::Markdown)),
    ];
    emitters
        .iter()
        .map(|(name, e)| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            e.emit(run, &mut out, &mut err).unwrap();
            (
                *name,
                String::from_utf8(out).unwrap(),
                String::from_utf8(err).unwrap(),
            )
        })
        .collect()
}

/// Compiles, checks or evaluates, and renders in every format; returns the exit
/// status `slac check` would give, the codes, and every output. Each step must not
/// panic; the whole is run twice and must agree.
fn run_case(agreement: &Path, inputs: &slac::Inputs) -> (i32, Vec<String>, Vec<String>) {
    let once = || {
        let compiled = slac::compile_path(agreement);
        let judged = !inputs.metrics.is_empty()
            || inputs.deliveries.is_some()
            || !inputs.datasets.is_empty();
        if judged && compiled.is_valid() {
            let evaluated = slac::evaluate(&compiled, inputs);
            let run = Run::Evaluated {
                compiled: &compiled,
                evaluated: &evaluated,
            };
            let codes = slac::report::located(run)
                .iter()
                .map(|l| l.diagnostic.code.clone())
                .collect::<Vec<_>>();
            let status = match &evaluated.evaluation {
                None => 2,
                Some(_) if evaluated.errors().count() > 0 => 2,
                Some(e) if e.any_missed() || e.terminated.is_some() => 1,
                Some(_) => 0,
            };
            let outputs = emit_all(run)
                .into_iter()
                .map(|(n, o, e)| format!("{n}\n{o}\n{e}"))
                .collect();
            (status, codes, outputs)
        } else {
            let status = if compiled.is_valid() { 0 } else { 2 };
            let all = std::slice::from_ref(&compiled);
            let run = Run::Checked(all);
            let codes = compiled
                .diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect();
            let outputs = emit_all(run)
                .into_iter()
                .map(|(n, o, e)| format!("{n}\n{o}\n{e}"))
                .collect();
            (status, codes, outputs)
        }
    };
    let first = once();
    let second = once();
    assert_eq!(
        first.2,
        second.2,
        "{}: output differs between runs",
        agreement.display()
    );
    first
}

/// The corpus: each case's exit status and the codes it gives, reviewed.
#[test]
fn every_corpus_case_gives_diagnostics_not_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap();
    insta::glob!("corpus/*", |dir| {
        let case = case_in(dir);
        let (status, codes, outputs) = run_case(&case.agreement, &case.inputs);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        // What people read is bounded by the kinds of problem, not their number.
        for out in &outputs {
            assert!(
                out.len() < 1 << 20,
                "{}: {} bytes",
                dir.display(),
                out.len()
            );
        }
        insta::assert_snapshot!(format!("exit {status}\n{}", unique.join("\n")));
    });
}

/// Text for the agreement of a generated case, written to a fresh file.
fn scratch(name: &str, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slac-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const SMARKETING: &str = include_str!("../sla-examples/smarketing.sla");
const LEAD_LOG: &str = include_str!("../sla-examples/lead-log.sla");

/// The cases too large to keep as files, generated: each must end in diagnostics
/// of a bounded size.
#[test]
fn generated_large_cases_stay_bounded() {
    let smarketing = scratch("smarketing.sla", SMARKETING.as_bytes());
    let lead_log = scratch("lead-log.sla", LEAD_LOG.as_bytes());
    let mut cases: Vec<(&str, PathBuf, slac::Inputs)> = Vec::new();
    let metrics = |name: &str, text: String| {
        let mut inputs = slac::Inputs::new();
        inputs.metrics.push(scratch(name, text.as_bytes()));
        inputs
    };
    // A minified JSON export with one bad value at its end: a label far along one line.
    let mut json = String::from("[");
    for i in 0..4000 {
        json.push_str(&format!(
            "{{\"period\":\"2026-{:02}\",\"metric\":\"mqls\",\"value\":\"{i}\",\"segment\":\"\"}},",
            1 + i % 6
        ));
    }
    json.push_str("{\"period\":\"2026-01\",\"metric\":\"mqls\",\"value\":\"12x\"}]");
    cases.push(("minified-json", smarketing.clone(), metrics("m.json", json)));
    // A header with 5,000 unused columns.
    let mut header = String::from("period,metric,value");
    for i in 0..5000 {
        header.push_str(&format!(",extra_{i}"));
    }
    let row = format!("\n2026-01,mqls,100{}\n", ",".repeat(5000));
    cases.push((
        "wide-header",
        smarketing.clone(),
        metrics("wide.csv", header + &row),
    ));
    // 50,000 bad metric rows.
    let mut bad = String::from("period,metric,value\n");
    for i in 0..50_000 {
        bad.push_str(&format!("2026-01,mqls,x{i}\n"));
    }
    cases.push(("bad-rows", smarketing.clone(), metrics("bad.csv", bad)));
    // A dataset file with no line break at all.
    let mut inputs = slac::Inputs::new();
    inputs.datasets.push(DataSpec {
        name: "leads".to_owned(),
        path: scratch("one-line.csv", "lead_id,".repeat(250_000).as_bytes()),
    });
    cases.push(("no-line-breaks", lead_log.clone(), inputs));
    // Agreements: one line, a name of 70,000 characters, 40,000 stray `)`, a
    // time zone of a megabyte.
    let one_line = SMARKETING
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join(" ")
        .replace(
            "promise attempts_unconnected >= 6",
            "promise attempts_unconnected >= 6 EUR",
        );
    cases.push((
        "one-line-agreement",
        scratch("one-line.sla", one_line.as_bytes()),
        slac::Inputs::new(),
    ));
    let long_name = SMARKETING.replace("deliver_leads", &"d".repeat(70_000));
    cases.push((
        "long-name",
        scratch("long-name.sla", long_name.as_bytes()),
        metrics(
            "long.csv",
            "period,metric,value\n2026-01,mqls,5\n".to_owned(),
        ),
    ));
    cases.push((
        "stray-parens",
        scratch("parens.sla", ")".repeat(40_000).as_bytes()),
        slac::Inputs::new(),
    ));
    let zone = SMARKETING.replace("Europe/Berlin", &"Europe/Berlinx".repeat(75_000));
    cases.push((
        "megabyte-zone",
        scratch("zone.sla", zone.as_bytes()),
        slac::Inputs::new(),
    ));
    for (name, agreement, inputs) in &cases {
        let (_, codes, outputs) = run_case(agreement, inputs);
        assert!(!codes.is_empty(), "{name}: no diagnostic");
        for out in &outputs {
            let human_or_github = out.starts_with("human") || out.starts_with("github");
            if human_or_github {
                assert!(out.len() < 1 << 20, "{name}: {} bytes", out.len());
            }
        }
    }
}

/// Pieces that make data files interesting: separators, quotes, numbers at the
/// edges, timestamps with and without offsets, segment values, keys.
const DATA_PIECES: &[&str] = &[
    ",",
    ";",
    "\n",
    "\r\n",
    "\r",
    "\"",
    "L1",
    "L1 ",
    "marketing",
    "sales",
    "executive",
    "intern",
    "2026-03-05T10:00:00Z",
    "2026-03-05T10:00:00+01:00",
    "2026-03-05 10:00",
    "2025-12-31T23:59:59Z",
    "2027-01-01T00:00:00Z",
    "1e2",
    "+1",
    "12.345",
    "100.00",
    "99999999999999999999999999999",
    "true",
    "false",
    "",
    "é",
    "\0",
];

fn lead_file(pieces: &[usize], ndjson: bool) -> String {
    let mut text = String::new();
    if ndjson {
        text.push_str("{\"lead_id\":\"");
    } else {
        text.push_str(
            "lead_id,source,segment,created_at,handed_over_at,first_contact_at,attempts,connected,won_at,deal_value\n",
        );
    }
    for p in pieces {
        text.push_str(DATA_PIECES[*p % DATA_PIECES.len()]);
    }
    text
}

fn corpus_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// A corpus case with its agreement and every data file mutated: still
    /// diagnostics and output, never a panic, the same on every run.
    #[test]
    fn mutated_corpus_cases_never_panic(
        which in any::<usize>(),
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 1..6),
    ) {
        let dirs = corpus_dirs();
        let dir = &dirs[which % dirs.len()];
        let case = case_in(dir);
        let out = std::env::temp_dir().join(format!("slac-fuzz-mut-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let mut inputs = slac::Inputs::new();
        let copy = |path: &Path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let target = out.join(path.file_name().unwrap());
            std::fs::write(&target, common::mutate(&text, &edits, DATA_PIECES, 5)).unwrap();
            target
        };
        inputs.metrics = case.inputs.metrics.iter().map(|p| copy(p)).collect();
        inputs.deliveries = case.inputs.deliveries.as_deref().map(copy);
        inputs.datasets = case
            .inputs
            .datasets
            .iter()
            .map(|d| DataSpec { name: d.name.clone(), path: copy(&d.path) })
            .collect();
        let agreement = copy(&case.agreement);
        let _ = run_case(&agreement, &inputs);
    }

    /// Lead exports of arbitrary pieces, as CSV and NDJSON, read on one and on
    /// several threads: the same outcome either way, and never a panic.
    #[test]
    fn arbitrary_lead_exports_never_panic(
        pieces in proptest::collection::vec(any::<usize>(), 0..160),
        ndjson in any::<bool>(),
    ) {
        let agreement = scratch("fuzz-lead-log.sla", LEAD_LOG.as_bytes());
        let name = if ndjson { "fuzz-leads.ndjson" } else { "fuzz-leads.csv" };
        let path = scratch(name, lead_file(&pieces, ndjson).as_bytes());
        let mut results = Vec::new();
        for threads in [1, 3] {
            let inputs = slac::Inputs {
                datasets: vec![DataSpec { name: "leads".to_owned(), path: path.clone() }],
                read_threads: Some(threads),
                parallel_from: Some(0),
                ..slac::Inputs::new()
            };
            results.push(run_case(&agreement, &inputs));
        }
        prop_assert_eq!(&results[0], &results[1]);
    }
}
