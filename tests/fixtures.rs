//! Every fixture under `tests/fixtures/invalid/` is rendered as a person sees it
//! (miette, no colour, 100 columns) and compared with its reviewed snapshot.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use slac::report::human::HumanRenderer;

/// The path as the user would type it from the project root, with `/` separators,
/// so snapshots do not depend on where the checkout lives.
fn display_name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn compile(path: &Path) -> slac::Compiled {
    let bytes = std::fs::read(path).unwrap();
    slac::compile_bytes(&display_name(path), bytes)
}

fn render(compiled: &slac::Compiled) -> String {
    let renderer = HumanRenderer::plain();
    let mut out = slac::report::human::diagnostics(compiled, &renderer);
    out.push('\n');
    out.push_str(&slac::report::human::summary(compiled));
    out.push('\n');
    out
}

#[test]
fn invalid_fixtures_render_their_diagnostics() {
    let mut seen = 0;
    insta::glob!("fixtures/invalid/*.sla", |path| {
        seen += 1;
        let compiled = compile(path);
        assert!(
            !compiled.diagnostics.is_empty(),
            "{} is a fixture of a mistake but gives no diagnostic",
            path.display()
        );
        insta::assert_snapshot!(render(&compiled));
    });
    assert!(
        seen >= 30,
        "expected at least 30 invalid fixtures, found {seen}"
    );
}

#[test]
fn every_diagnostic_has_a_code_a_span_and_help() {
    insta::glob!("fixtures/invalid/*.sla", |path| {
        let compiled = compile(path);
        for d in &compiled.diagnostics {
            assert!(
                d.code.starts_with("slac::"),
                "{}: no code on {d:?}",
                path.display()
            );
            assert!(
                d.help.is_some(),
                "{}: no help on {}",
                path.display(),
                d.code
            );
            assert!(
                d.primary_span().is_some(),
                "{}: no span on {}",
                path.display(),
                d.code
            );
        }
    });
}

#[test]
fn examples_are_valid_without_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sla-examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sla") {
            let compiled = compile(&path);
            assert!(
                compiled.diagnostics.is_empty(),
                "{}:\n{}",
                path.display(),
                render(&compiled)
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 4,
        "expected the four bundled examples, found {checked}"
    );
}

#[test]
fn json_report_of_a_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid/check-unknown-party.sla");
    let compiled = compile(&path);
    insta::assert_snapshot!(slac::report::json::to_string(std::slice::from_ref(
        &compiled
    )));
}
