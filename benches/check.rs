//! Parse + validate time for a generated agreement of 10,000 obligations, against a
//! baseline measured in the same run: serde_json parsing a JSON document of the same
//! obligations (a well-optimised parser doing less work than slac).
//!
//! Run with `cargo bench --bench check`. Prints medians of repeated runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 21;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..3 {
        f();
    }
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

/// The same obligations as JSON, for the baseline.
fn as_json(obligations: usize) -> String {
    let items: Vec<serde_json::Value> = (0..obligations)
        .map(|i| {
            serde_json::json!({
                "name": format!("obligation_{i}"),
                "by": "marketing", "for": "sales",
                "requires": if i % 10 == 0 { vec![] } else { vec![format!("obligation_{}", i - 1)] },
                "promise": {"left": "mqls", "op": ">=", "right": {"name": "leads_needed"}},
                "bands": [
                    {"name": "met", "when": {"left": "mqls", "op": ">=", "right": "leads_needed"}},
                    {"name": "at_risk", "when": {"left": "mqls", "op": ">=", "right": {"mul": ["90%", "leads_needed"]}}, "remedy": "review"},
                    {"name": "missed", "remedy": "strike"}
                ]
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "obligations": items })).unwrap_or_default()
}

fn main() {
    for obligations in [10_000usize, 100_000] {
        let text = slac::generate::agreement(obligations);
        let json = as_json(obligations);
        let runs = if obligations > 10_000 { 5 } else { RUNS };
        let check = time(runs, || {
            let compiled = slac::compile_str("bench.sla", black_box(&text));
            assert!(compiled.diagnostics.is_empty());
            black_box(compiled);
        });
        let file = slac::source::SourceFile::new("bench.sla", text.as_str());
        let parse_one_thread = time(runs, || {
            black_box(slac::syntax::parse_in_pieces(black_box(&file), 1));
        });
        let parse_all_cores = time(runs, || {
            black_box(slac::syntax::parse(black_box(&file)));
        });
        let baseline = time(runs, || {
            let value: serde_json::Value =
                serde_json::from_str(black_box(&json)).unwrap_or_default();
            black_box(value);
        });
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{obligations:>7} obligations ({:.1} MB .sla, {:.1} MB JSON): \
             parse + validate {:>7.1} ms; parse alone {:>7.1} ms ({:>7.1} ms on one thread); \
             serde_json baseline {:>6.1} ms; parse + validate / baseline = {:.2}",
            text.len() as f64 / 1e6,
            json.len() as f64 / 1e6,
            ms(check),
            ms(parse_all_cores),
            ms(parse_one_thread),
            ms(baseline),
            check.as_secs_f64() / baseline.as_secs_f64(),
        );
    }
}
