//! Compiles a generated agreement repeatedly, for profilers:
//! `cargo run --release --example prof -- OBLIGATIONS RUNS`.
fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().unwrap_or(1));
    let obligations = args.next().unwrap_or(10_000);
    let runs = args.next().unwrap_or(10);
    let text = slac::generate::agreement(obligations);
    for _ in 0..runs {
        let compiled = slac::compile_str("generated.sla", &text);
        assert!(compiled.diagnostics.is_empty());
    }
}
