//! The layout rules the project holds itself to, checked on the source tree: every
//! module opens with a comment, no file is over 800 lines, a module is `foo.rs` or
//! `foo/mod.rs` but never both, and no module imports one that imports it back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `src/data/dataset/mod.rs` → `["data", "dataset"]`; `lib.rs` and `main.rs` → `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

#[test]
fn every_module_says_what_it_holds() {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    let silent: Vec<_> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap()
                .trim_start_matches("#![warn(missing_docs)]\n")
                .starts_with("//!")
        })
        .collect();
    assert!(silent.is_empty(), "no opening `//!` comment: {silent:?}");
}

#[test]
fn no_file_is_over_800_lines() {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    let long: Vec<(String, usize)> = files
        .iter()
        .map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (f.display().to_string(), lines)
        })
        .filter(|(_, lines)| *lines > MAX_LINES)
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

#[test]
fn a_module_is_a_file_or_a_folder_not_both() {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    let both: Vec<_> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "mod.rs"))
        .filter(|f| f.with_extension("").is_dir())
        .collect();
    assert!(both.is_empty(), "both `foo.rs` and `foo/`: {both:?}");
}

/// The modules a file names through `crate::…` or `super::…` paths (in `use`
/// declarations and in code), leaving out its own ancestors and its tests.
fn imports(file: &Path, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    // Unit tests may reach anywhere: they are not part of the layering.
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let own = module_of(file);
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    for start in ["crate::", "super::"] {
        for (at, _) in text.match_indices(start) {
            if at > 0
                && bytes
                    .get(at - 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                continue;
            }
            // The path as written, with one level of `{a, b}` expanded.
            let rest = &text[at..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let path = rest[..end].trim_end_matches(':');
            let mut paths = vec![path.to_owned()];
            if rest[end..].starts_with('{')
                && let Some(close) = rest[end..].find('}')
            {
                for item in rest[end + 1..end + close].split(',') {
                    let item = item.trim().split("::").next().unwrap_or("").trim();
                    if !item.is_empty() && item != "self" {
                        paths.push(format!("{path}::{item}"));
                    }
                }
            }
            for path in paths {
                let mut segments = path.split("::").peekable();
                let mut base: Vec<String> = match segments.next() {
                    Some("crate") => Vec::new(),
                    _ => {
                        let mut base = own.clone();
                        // `super` from `a/b.rs` is `a`; each further `super` goes up.
                        base.pop();
                        while segments.peek() == Some(&"super") {
                            segments.next();
                            base.pop();
                        }
                        base
                    }
                };
                // The longest module the path names.
                let mut deepest = None;
                for segment in segments {
                    base.push(segment.to_owned());
                    if modules.contains(&base) {
                        deepest = Some(base.clone());
                    } else {
                        break;
                    }
                }
                if let Some(module) = deepest
                    && module != own
                    && !own.starts_with(&module)
                {
                    found.insert(module);
                }
            }
        }
    }
    found
}

/// Modules that reach themselves through the graph's edges.
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let mut circles = Vec::new();
    for (start, edges) in graph {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&Vec<String>> = edges.iter().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                circles.push(start.join("::"));
                break;
            }
            if seen.insert(next) {
                stack.extend(graph.get(next).into_iter().flatten());
            }
        }
    }
    circles
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    // The binary's command-line modules sit above the library.
    files.retain(|f| !f.starts_with(src().join("cli")) && !f.ends_with("main.rs"));
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = files
        .iter()
        .map(|f| (module_of(f), imports(f, &modules)))
        .collect();
    // The reading of imports finds what a file names, or this test would prove nothing.
    let engine = &graph[&vec!["eval".to_owned(), "engine".to_owned()]];
    assert!(engine.contains(&vec!["model".to_owned()]), "{engine:?}");
    assert!(engine.contains(&vec!["data".to_owned()]), "{engine:?}");
    let circles = circles(&graph);
    assert!(
        circles.is_empty(),
        "modules in an import circle: {circles:?}"
    );
}

#[test]
fn a_circle_is_found() {
    let m = |s: &str| vec![s.to_owned()];
    let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = [
        (m("a"), [m("b")].into_iter().collect()),
        (m("b"), [m("c")].into_iter().collect()),
        (m("c"), [m("a")].into_iter().collect()),
        (m("d"), [m("a")].into_iter().collect()),
    ]
    .into_iter()
    .collect();
    assert_eq!(circles(&graph), vec!["a", "b", "c"]);
}

#[test]
fn data_readers_and_judging_read_the_model_not_the_syntax_tree() {
    let mut files = Vec::new();
    for stage in ["data", "eval"] {
        source_files(&src().join(stage), &mut files);
    }
    assert!(files.len() > 10, "{files:?}");
    let naming: Vec<_> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            // Unit tests may build trees; the stage itself may not read them.
            let text = text.split("#[cfg(test)]").next().unwrap_or("");
            text.contains("syntax::")
        })
        .collect();
    assert!(naming.is_empty(), "these name the syntax tree: {naming:?}");
}
