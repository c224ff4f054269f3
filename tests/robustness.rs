//! No input makes slac panic or overflow its stack: every file gets diagnostics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use proptest::prelude::*;

fn codes(compiled: &slac::Compiled) -> Vec<&str> {
    compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

const EXAMPLE: &str = include_str!("../sla-examples/smarketing.sla");

#[test]
fn empty_and_blank_files() {
    for text in ["", "   \n\n\t", "// only a comment\n"] {
        let compiled = slac::compile_str("empty.sla", text);
        assert_eq!(codes(&compiled), ["slac::syntax::unexpected"], "{text:?}");
        assert!(
            compiled.diagnostics[0]
                .message
                .contains("found the end of the file")
        );
    }
}

#[test]
fn non_utf8_is_pointed_at() {
    let mut bytes = b"agreement \"x\" {\n  summary \"caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\"\n}\n");
    let compiled = slac::compile_bytes("latin1.sla", bytes);
    assert_eq!(codes(&compiled), ["slac::source::invalid_utf8"]);
    let span = compiled.diagnostics[0].primary_span().unwrap();
    assert_eq!(compiled.file.line_col(span.start), (2, 15));
}

#[test]
fn binary_garbage_is_refused_cleanly() {
    // A fixed-seed generator, so the test is the same every run.
    let mut state: u64 = 0x5eed;
    for _ in 0..200 {
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect();
        let compiled = slac::compile_bytes("garbage.bin", bytes);
        assert!(compiled.count(slac::diagnostic::Severity::Error) >= 1);
    }
    let compiled = slac::compile_bytes("nul.sla", b"agreement \"x\" {\0}".to_vec());
    assert_eq!(codes(&compiled), ["slac::source::binary"]);
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    for (open, close) in [("(", ")"), ("{", "}")] {
        let text = format!(
            "agreement \"x\" {{\n  let deep = {}1{}\n}}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let compiled = slac::compile_str("deep.sla", &text);
        assert_eq!(
            codes(&compiled),
            ["slac::syntax::nesting_too_deep"],
            "{open}"
        );
    }
    let unbalanced = "{".repeat(100_000);
    let compiled = slac::compile_str("open.sla", &unbalanced);
    assert_eq!(codes(&compiled), ["slac::syntax::nesting_too_deep"]);
}

#[test]
fn long_operator_chains_are_a_diagnostic() {
    let chain = format!("1{}", " + 1".repeat(100_000));
    let negations = format!("{}1", "- ".repeat(100_000));
    for expr in [chain, negations] {
        let text = EXAMPLE.replace(
            "let leads_needed     = customers_needed / close_rate",
            &format!("let leads_needed = {expr}"),
        );
        let compiled = slac::compile_str("long.sla", &text);
        assert!(
            codes(&compiled).contains(&"slac::syntax::expression_too_deep"),
            "{:?}",
            codes(&compiled)
        );
    }
}

#[test]
fn a_20_mb_agreement_is_checked() {
    let text = slac::generate::agreement(110_000);
    assert!(text.len() >= 20 * 1024 * 1024, "only {} bytes", text.len());
    let compiled = slac::compile_str("big.sla", &text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics.first()
    );
    assert_eq!(compiled.model().unwrap().obligations.len(), 110_000);
}

#[test]
fn an_oversized_file_is_refused_before_parsing() {
    let bytes = vec![b' '; slac::source::MAX_FILE_BYTES + 1];
    let compiled = slac::compile_bytes("huge.sla", bytes);
    assert_eq!(codes(&compiled), ["slac::source::too_large"]);
}

/// Pieces of the language, so that mutations reach deep into the grammar.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "\"",
    "<",
    ">",
    ">=",
    "->",
    ",",
    ":",
    "=",
    "*",
    "/",
    "-",
    "%",
    "\n",
    "//",
    "obligation",
    "promise",
    "bands",
    "when",
    "remedy",
    "1h",
    "30min",
    "5000 EUR",
    "EUE",
    "0",
    "per",
    "tier",
    "requires",
    "deliver_leads",
    "2026-02-30",
    "25:00",
    "é",
    "\0",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let compiled = slac::compile_str("prop.sla", &text);
        prop_assert!(compiled.count(slac::diagnostic::Severity::Error) >= 1 || compiled.is_valid());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = slac::compile_bytes("prop.sla", bytes);
    }

    #[test]
    fn mutated_agreements_never_panic_and_are_deterministic(
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 1..8)
    ) {
        let text = common::mutate(EXAMPLE, &edits, TOKENS, 3);
        let first = slac::compile_str("mutated.sla", &text);
        let second = slac::compile_str("mutated.sla", &text);
        prop_assert_eq!(&first.diagnostics, &second.diagnostics);
        let renderer = slac::report::human::HumanRenderer::plain();
        for d in &first.diagnostics {
            let _ = renderer.render(d, &first.file);
        }
    }
}

/// Large files are parsed in pieces on several threads; the result must not depend
/// on how many.
fn same_in_pieces(name: &str, text: &str) {
    let file = slac::source::SourceFile::new(name, text);
    let whole = slac::syntax::parse_in_pieces(&file, 1);
    for pieces in 2..=4 {
        let split = slac::syntax::parse_in_pieces(&file, pieces);
        assert_eq!(
            whole.agreement, split.agreement,
            "{name} in {pieces} pieces"
        );
        assert_eq!(
            whole.diagnostics, split.diagnostics,
            "{name} in {pieces} pieces"
        );
        assert_eq!(
            whole.unreadable_names, split.unreadable_names,
            "{name} in {pieces} pieces"
        );
    }
}

#[test]
fn pieces_parse_like_the_whole_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["sla-examples", "tests/fixtures/invalid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                same_in_pieces(&path.display().to_string(), &text);
            }
        }
    }
    same_in_pieces("generated.sla", &slac::generate::agreement(500));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_large_agreements_parse_the_same_in_pieces(
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 1..6)
    ) {
        let text = common::mutate(&slac::generate::agreement(40), &edits, TOKENS, 3);
        same_in_pieces("mutated.sla", &text);
    }
}

/// Metric files are input too: whatever they hold, reading and evaluating them
/// gives diagnostics or results, never a panic.
fn load_and_evaluate(name: &str, bytes: &[u8]) {
    let compiled = slac::compile_str("smarketing.sla", EXAMPLE);
    let dir = std::env::temp_dir().join(format!("slac-robust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut inputs = slac::Inputs {
        as_of: Some("2026-03-10".parse().unwrap()),
        ..slac::Inputs::new()
    };
    if name.contains("deliveries") {
        inputs.deliveries = Some(path);
    } else {
        inputs.metrics = vec![path];
    }
    let evaluated = slac::evaluate(&compiled, &inputs);
    let renderer = slac::report::human::HumanRenderer::plain();
    for f in &evaluated.data {
        for d in &f.diagnostics {
            let _ = renderer.render(d, &f.file);
        }
    }
}

const METRIC_PIECES: &[&str] = &[
    ",",
    "\n",
    "\"",
    "2026-03",
    "2026-Q1",
    "mqls",
    "follow_up_time",
    "45min",
    "1h30m",
    "PT1H",
    "99%",
    "100",
    "-5",
    "1e9",
    "99999999999999999999999999999999",
    "EUR",
    "segment",
    "{",
    "}",
    "[",
    "]",
    ":",
    "null",
    "é",
    "\0",
    "\r\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_metric_files_never_panic(
        pieces in proptest::collection::vec(0usize..METRIC_PIECES.len(), 0..80),
        extension in prop_oneof![Just("csv"), Just("json"), Just("ndjson"), Just("deliveries.csv")],
    ) {
        let mut text = String::from(match extension {
            "deliveries.csv" => "date,deliverable,party\n",
            "csv" => "period,metric,value,segment\n",
            _ => "",
        });
        for p in pieces {
            text.push_str(METRIC_PIECES[p]);
        }
        load_and_evaluate(&format!("m.{extension}"), text.as_bytes());
    }

    #[test]
    fn binary_metric_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_evaluate("b.csv", &bytes);
        load_and_evaluate("b.json", &bytes);
    }
}

/// One mistake repeated 40,000 times on one line is shown 20 times and summed up
/// once for people; machine formats keep every diagnostic.
#[test]
fn repeated_diagnostics_are_summed_up_for_people() {
    let text = ")".repeat(40_000);
    let compiled = slac::compile_str("parens.sla", &text);
    assert_eq!(compiled.diagnostics.len(), 40_000);
    let run = slac::report::Run::Checked(std::slice::from_ref(&compiled));
    let human = slac::report::human::Human {
        renderer: slac::report::human::HumanRenderer::plain(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    slac::report::Emitter::emit(&human, run, &mut out, &mut err).unwrap();
    let err = String::from_utf8(err).unwrap();
    assert_eq!(err.matches("slac::syntax::unexpected_closing").count(), 21);
    assert!(err.contains("39980 more like this"), "{err}");
    assert!(err.len() < 64 * 1024, "{} bytes", err.len());
    let mut json = Vec::new();
    slac::report::Emitter::emit(&slac::report::json::Json, run, &mut json, &mut Vec::new())
        .unwrap();
    let json = String::from_utf8(json).unwrap();
    assert_eq!(
        json.matches("slac::syntax::unexpected_closing").count(),
        40_000
    );
}

/// A segment with 100,000 values: values are looked up, not scanned, and an unknown
/// one is named with a bounded help.
#[test]
fn a_segment_with_many_values_reads_and_refuses_values_exactly() {
    let values: Vec<String> = (0..100_000).map(|i| format!("v{i}")).collect();
    let text = EXAMPLE.replace(
        "  metric mqls: count ",
        &format!(
            "  segment big {{ {} }}\n  metric mqls: count per big ",
            values.join(", ")
        ),
    );
    let compiled = slac::compile_str("big.sla", &text);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics.first());
    let dir = std::env::temp_dir().join(format!("slac-segments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("metrics.csv");
    let mut csv = String::from("period,metric,value,segment\n");
    for i in 0..20_000 {
        csv.push_str(&format!("2026-01,mqls,1,v{}\n", i * 5));
    }
    csv.push_str("2026-01,mqls,1,w7\n");
    std::fs::write(&path, csv).unwrap();
    let inputs = slac::Inputs {
        metrics: vec![path],
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    let diagnostics: Vec<&slac::diagnostic::Diagnostic> =
        evaluated.data.iter().flat_map(|f| &f.diagnostics).collect();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "slac::data::unknown_segment_value");
    assert!(diagnostics[0].help.as_ref().unwrap().len() < 400);
    let _ = std::fs::remove_dir_all(&dir);
}
