//! `slac explain`: every code the tool can emit has an explanation, and each
//! explanation's snippets do what they say — the `wrong` agreement (with its data)
//! produces the code, the `right` one does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use slac::report::{Run, located};

/// Codes no snippet can produce, each for the reason given; the list is short on
/// purpose, and every entry must still be explained (without snippets).
const NO_SNIPPET: &[(&str, &str)] = &[
    (
        "slac::source::unreadable",
        "needs a file that cannot be read",
    ),
    ("slac::source::invalid_utf8", "Markdown snippets are UTF-8"),
    ("slac::source::binary", "needs a NUL byte in the file"),
    ("slac::source::too_large", "needs a file of over 64 MiB"),
    (
        "slac::data::unreadable_dataset",
        "needs a dataset file that cannot be read",
    ),
    (
        "slac::data::data_argument",
        "raised while reading the command line (tests/cli.rs checks it)",
    ),
    ("slac::eval::internal", "raised only by a bug in slac"),
    ("slac::syntax::internal", "raised only by a bug in slac"),
    ("slac::data::bad_header", "needs a header that is not UTF-8"),
];

/// Every `code(slac::…)` in the library's source.
fn declared_codes() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("code(slac::") {
            let rest = &text[at + "code(".len()..];
            let end = rest.find([')', ',']).unwrap();
            codes.insert(rest[..end].trim().to_owned());
        }
    }
    codes
}

#[test]
fn every_code_the_tool_can_emit_is_explained_and_nothing_else() {
    let declared = declared_codes();
    // The reading of the source finds codes, or this test would prove nothing.
    assert!(declared.contains("slac::check::unknown_party"));
    assert!(declared.len() > 100, "{}", declared.len());
    let explained: BTreeSet<String> = slac::explain::all()
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let missing: Vec<_> = declared.difference(&explained).collect();
    assert!(
        missing.is_empty(),
        "codes without an explanation: {missing:?}"
    );
    let stale: Vec<_> = explained.difference(&declared).collect();
    assert!(
        stale.is_empty(),
        "explanations of codes never emitted: {stale:?}"
    );
    assert_eq!(
        explained.len(),
        slac::explain::all().len(),
        "a code is explained twice"
    );
    for e in slac::explain::all() {
        assert!(!e.summary.is_empty(), "{} has no summary", e.code);
        let stage = e.code.split("::").nth(1).unwrap();
        assert_eq!(stage, e.stage, "{} is explained in {}.md", e.code, e.stage);
    }
}

/// The codes a snippet side (`wrong` or `right`) gives, with its data.
fn codes_of(e: &slac::explain::Explanation, side: &str, dir: &Path) -> Vec<String> {
    let agreement = e
        .snippet(side)
        .unwrap_or_else(|| panic!("{} has no `{side}` snippet", e.code));
    let path = dir.join(format!("{side}.sla"));
    std::fs::write(&path, &agreement.text).unwrap();
    let mut inputs = slac::Inputs::new();
    let mut evaluate = false;
    for s in &e.snippets {
        let mut words: Vec<&str> = s.role.split_whitespace().collect();
        match words.first() {
            Some(&"wrong") | Some(&"right") if words.len() == 1 => continue,
            Some(&w) if w == "wrong" || w == "right" => {
                if w != side {
                    continue;
                }
                words.remove(0);
            }
            _ => {}
        }
        let file = |name: &str| {
            let file = dir.join(format!("{side}-{name}.{}", s.language));
            std::fs::write(&file, &s.text).unwrap();
            file
        };
        evaluate = true;
        match words.as_slice() {
            ["metrics"] => inputs.metrics.push(file("metrics")),
            ["deliveries"] => inputs.deliveries = Some(file("deliveries")),
            ["data", name] => inputs.datasets.push(slac::data::dataset::DataSpec {
                name: (*name).to_owned(),
                path: file(name),
            }),
            ["options"] => {
                for line in s.text.lines() {
                    match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                        ["as-of", date] => inputs.as_of = Some(date.parse().unwrap()),
                        ["strict"] => inputs.strict = true,
                        ["deny-warnings"] => inputs.deny_warnings = true,
                        other => panic!("{}: unknown option {other:?}", e.code),
                    }
                }
            }
            other => panic!("{}: unknown snippet role {other:?}", e.code),
        }
    }
    let compiled = slac::compile_path(&path);
    if !evaluate {
        return compiled
            .diagnostics
            .iter()
            .map(|d| d.code.clone())
            .collect();
    }
    let evaluated = slac::evaluate(&compiled, &inputs);
    let run = Run::Evaluated {
        compiled: &compiled,
        evaluated: &evaluated,
    };
    located(run)
        .iter()
        .map(|l| l.diagnostic.code.clone())
        .chain(compiled.diagnostics.iter().map(|d| d.code.clone()))
        .collect()
}

#[test]
fn each_wrong_snippet_gives_its_code_and_each_right_one_clears_it() {
    let dir = std::env::temp_dir().join(format!("slac-explain-{}", std::process::id()));
    let mut failures = Vec::new();
    for e in slac::explain::all() {
        if NO_SNIPPET.iter().any(|(code, _)| *code == e.code) {
            assert!(
                e.snippets.is_empty(),
                "{} is listed as having no snippet",
                e.code
            );
            continue;
        }
        let dir = dir.join(e.code.replace("::", "-"));
        std::fs::create_dir_all(&dir).unwrap();
        let wrong = codes_of(e, "wrong", &dir);
        if !wrong.contains(&e.code) {
            failures.push(format!("{}: the wrong snippet gives {wrong:?}", e.code));
        }
        let right = codes_of(e, "right", &dir);
        if right.contains(&e.code) {
            failures.push(format!("{}: the right snippet still gives it", e.code));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
