//! Evaluation of 1,000 obligations over 36 months of recorded metrics (36,000 CSV
//! rows): reading the metrics plus evaluating, against a baseline measured in the
//! same run: the csv crate reading the same file and summing its values.
//!
//! Run with `cargo bench --bench evaluate`. Prints medians of repeated runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// `SLAC_BENCH_RUNS` overrides the number of runs (for profilers).
fn runs() -> usize {
    std::env::var("SLAC_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(21)
}

fn time(mut f: impl FnMut()) -> Duration {
    let runs = runs();
    for _ in 0..runs.min(3) {
        f();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples.get(runs / 2).copied().unwrap_or_default()
}

fn main() {
    let (agreement, csv) = slac::generate::evaluated(1_000, 36);
    let dir = std::env::temp_dir().join(format!("slac-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let metrics = dir.join("metrics.csv");
    if std::fs::write(&metrics, &csv).is_err() {
        eprintln!("cannot write {}", metrics.display());
        return;
    }
    let compiled = slac::compile_str("generated.sla", &agreement);
    assert!(compiled.is_valid(), "{:?}", compiled.diagnostics.first());
    let inputs = slac::Inputs {
        metrics: vec![metrics.clone()],
        ..slac::Inputs::new()
    };
    let load_and_evaluate = time(|| {
        let evaluated = slac::evaluate(&compiled, &inputs);
        assert!(evaluated.evaluation.is_some());
        black_box(evaluated);
    });
    // The judging alone: the same values, already in hand.
    let (_, csv_rows) = slac::generate::evaluated(1_000, 36);
    let mut given = slac::data::Recorded::default();
    for line in csv_rows.lines().skip(1) {
        let mut fields = line.split(',');
        if let (Some(period), Some(metric), Some(value)) =
            (fields.next(), fields.next(), fields.next())
            && let (Ok(period), Ok(value)) = (
                slac::model::period::Period::parse(period, slac::syntax::ast::PeriodUnit::Month),
                value.parse(),
            )
        {
            given.insert(metric, None, period, value);
        }
    }
    let recorded_values = given.len();
    let judge_only = slac::Inputs {
        given,
        ..slac::Inputs::new()
    };
    let evaluate_only = time(|| {
        black_box(slac::evaluate(&compiled, &judge_only));
    });
    let baseline = time(|| {
        let mut reader = csv::Reader::from_path(&metrics).ok();
        let mut sum = 0.0f64;
        if let Some(reader) = reader.as_mut() {
            for record in reader.records().flatten() {
                sum += record
                    .get(2)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(0.0);
            }
        }
        black_box(sum);
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "1000 obligations x 36 months ({} rows): read + evaluate {:.1} ms (evaluate alone {:.1} ms); \
         csv read + sum baseline {:.1} ms; ratio {:.2}",
        recorded_values,
        ms(load_and_evaluate),
        ms(evaluate_only),
        ms(baseline),
        load_and_evaluate.as_secs_f64() / baseline.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
