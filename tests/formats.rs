//! The pull-request formats of `slac check`: GitHub annotations, SARIF and Markdown,
//! on the bundled examples with their data and on every invalid fixture. SARIF is
//! validated against the official SARIF 2.1.0 schema, vendored in
//! `tests/fixtures/schemas/sarif-schema-2.1.0.json` from the OASIS SARIF TC's
//! repository (github.com/oasis-tcs/sarif-spec, `sarif-2.1/schema/sarif-schema-2.1.0.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::root;
use slac::report::github::Github;
use slac::report::markdown::Markdown;
use slac::report::sarif::Sarif;
use slac::report::{Emitter, Run};

fn stdout_of(emitter: &dyn Emitter, run: Run<'_>) -> String {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    emitter.emit(run, &mut stdout, &mut stderr).unwrap();
    assert!(stderr.is_empty(), "machine formats write only to stdout");
    String::from_utf8(stdout).unwrap()
}

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/schemas/sarif-schema-2.1.0.json"))
            .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Valid against the schema, and each result names its rule by index and id.
fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str, what: &str) {
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{what}");
        for location in result["locations"].as_array().into_iter().flatten() {
            let region = &location["physicalLocation"]["region"];
            if !region.is_null() {
                assert!(region["startLine"].as_u64().unwrap() >= 1, "{what}");
                assert!(region["startColumn"].as_u64().unwrap() >= 1, "{what}");
            }
        }
    }
}

/// (name, agreement, metrics, deliveries, datasets, as-of)
type Example = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);

const EXAMPLES: &[Example] = &[
    (
        "smarketing",
        "sla-examples/smarketing.sla",
        &["sla-examples/data/smarketing-metrics.csv"],
        Some("sla-examples/data/smarketing-deliveries.csv"),
        &[],
        Some("2026-06-15"),
    ),
    (
        "multi-level",
        "sla-examples/multi-level.sla",
        &["sla-examples/data/multi-level-metrics.csv"],
        Some("sla-examples/data/multi-level-deliveries.csv"),
        &[],
        None,
    ),
    (
        "customer-uptime",
        "sla-examples/customer-uptime.sla",
        &["sla-examples/data/customer-uptime-metrics.json"],
        None,
        &[],
        None,
    ),
    (
        "lead-log-bad-rows",
        "sla-examples/lead-log.sla",
        &[],
        None,
        &[(
            "leads",
            "tests/fixtures/bad-datasets/short-row-and-fraction.csv",
        )],
        None,
    ),
];

fn evaluate(example: &Example) -> (slac::Compiled, slac::Evaluated) {
    let (_, agreement, metrics, deliveries, datasets, as_of) = example;
    std::env::set_current_dir(root()).unwrap();
    let compiled = common::valid(Path::new(agreement));
    let inputs = slac::Inputs {
        metrics: metrics.iter().map(PathBuf::from).collect(),
        deliveries: deliveries.map(PathBuf::from),
        datasets: datasets
            .iter()
            .map(|(name, path)| common::dataset(name, Path::new(path)))
            .collect(),
        as_of: as_of.map(|d| d.parse().unwrap()),
        ..slac::Inputs::new()
    };
    let evaluated = slac::evaluate(&compiled, &inputs);
    (compiled, evaluated)
}

#[test]
fn examples_in_every_pull_request_format() {
    let validator = schema();
    for example in EXAMPLES {
        let name = example.0;
        let (compiled, evaluated) = evaluate(example);
        let run = Run::Evaluated {
            compiled: &compiled,
            evaluated: &evaluated,
        };
        let github = stdout_of(&Github, run);
        let sarif = stdout_of(&Sarif, run);
        let markdown = stdout_of(&Markdown, run);
        assert_valid_sarif(&validator, &sarif, name);
        insta::assert_snapshot!(format!("{name}-github"), github);
        insta::assert_snapshot!(format!("{name}-sarif"), without_rule_texts(&sarif));
        insta::assert_snapshot!(format!("{name}-markdown"), markdown);
        // Byte-identical on a second run.
        assert_eq!(stdout_of(&Sarif, run), sarif);
    }
}

/// The log with each rule's description and help left out: they are the code's
/// explanation (tested in `explain.rs`), which the snapshots need not repeat.
fn without_rule_texts(sarif: &str) -> String {
    let mut log: serde_json::Value = serde_json::from_str(sarif).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap();
    for rule in rules {
        let rule = rule.as_object_mut().unwrap();
        for text in ["shortDescription", "fullDescription", "help"] {
            assert!(rule.remove(text).is_some(), "every rule has a {text}");
        }
    }
    serde_json::to_string_pretty(&log).unwrap()
}

fn fixtures() -> Vec<slac::Compiled> {
    std::env::set_current_dir(root()).unwrap();
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sla"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "found {} fixtures", paths.len());
    paths.iter().map(|p| slac::compile_path(p)).collect()
}

#[test]
fn every_invalid_fixture_is_valid_sarif_with_a_result_per_diagnostic() {
    let validator = schema();
    for compiled in fixtures() {
        let one = std::slice::from_ref(&compiled);
        let sarif = stdout_of(&Sarif, Run::Checked(one));
        assert_valid_sarif(&validator, &sarif, &compiled.file.name);
        let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(
            results.len(),
            compiled.diagnostics.len(),
            "{}",
            compiled.file.name
        );
    }
}

#[test]
fn invalid_fixtures_as_github_annotations_and_markdown() {
    let all = fixtures();
    let github = stdout_of(&Github, Run::Checked(&all));
    // One workflow command per diagnostic, each on one line, then one summary line a file.
    let commands = github.lines().filter(|l| l.starts_with("::")).count();
    let diagnostics: usize = all.iter().map(|c| c.diagnostics.len()).sum();
    assert_eq!(commands, diagnostics);
    for line in github.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        assert!(
            line.contains(",line=") && line.contains(",title=slac%3A%3A"),
            "{line}"
        );
    }
    insta::assert_snapshot!("fixtures-github", github);
    insta::assert_snapshot!(
        "fixtures-markdown",
        stdout_of(&Markdown, Run::Checked(&all))
    );
}

#[test]
fn graphs_of_the_examples_with_and_without_data() {
    use slac::report::graph::{GraphFormat, render};
    for example in EXAMPLES.iter().filter(|e| e.0 != "lead-log-bad-rows") {
        let name = example.0;
        let (compiled, evaluated) = evaluate(example);
        let model = compiled.model().unwrap();
        let plain = render(model, None, GraphFormat::Mermaid);
        let judged = render(model, evaluated.evaluation.as_ref(), GraphFormat::Mermaid);
        let dot = render(model, evaluated.evaluation.as_ref(), GraphFormat::Dot);
        // Every obligation is drawn once, in every form.
        for o in &model.obligations {
            let bold = format!("<b>{}</b>", o.name);
            assert_eq!(plain.matches(&bold).count(), 1, "{name}: {}", o.name);
            assert_eq!(judged.matches(&bold).count(), 1, "{name}: {}", o.name);
            assert!(
                dot.contains(&format!("label=\"{}\\n", o.name)),
                "{name}: {}",
                o.name
            );
        }
        // Without data, no status; with data, a status word on every obligation.
        assert!(!plain.contains("classDef"), "{name}");
        assert_eq!(
            judged.matches(" periods\"]").count(),
            model.obligations.len(),
            "{name}"
        );
        insta::assert_snapshot!(format!("{name}-graph"), format!("{judged}\n{dot}"));
    }
}

#[test]
fn the_readme_shows_the_graph_slac_draws() {
    use slac::report::graph::{GraphFormat, render};
    let (compiled, evaluated) = evaluate(&EXAMPLES[1]);
    let drawn = render(
        compiled.model().unwrap(),
        evaluated.evaluation.as_ref(),
        GraphFormat::Mermaid,
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a mermaid block");
    assert_eq!(
        block, drawn,
        "update the README's graph: slac graph … prints it"
    );
}
