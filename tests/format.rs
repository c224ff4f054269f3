//! `slac fmt`: the layout is canonical (whitespace in, one layout out), idempotent,
//! and never changes what a file says — the syntax tree of the formatted file equals
//! the original's (trees compare without their spans), and the checker says the same.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::root;
use proptest::prelude::*;

fn codes(compiled: &slac::Compiled) -> Vec<String> {
    let mut codes: Vec<String> = compiled
        .diagnostics
        .iter()
        .map(|d| d.code.clone())
        .collect();
    codes.sort();
    codes
}

/// Formats, and checks that the result says what the text said and is a fixed point.
fn formatted(name: &str, text: &str) -> Option<String> {
    let compiled = slac::compile_str(name, text);
    let out = slac::format::format(&compiled)?;
    let again = slac::compile_str(name, &out);
    assert_eq!(
        again.agreement, compiled.agreement,
        "{name}: the tree changed"
    );
    assert_eq!(
        codes(&again),
        codes(&compiled),
        "{name}: the diagnostics changed"
    );
    assert_eq!(
        slac::format::format(&again).as_deref(),
        Some(out.as_str()),
        "{name}: formatting twice changes it again"
    );
    Some(out)
}

fn agreements() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for dir in ["sla-examples", "tests/fixtures/invalid"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "sla") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

#[test]
fn every_example_and_fixture_formats_without_changing_its_meaning() {
    let (mut formatted_count, mut refused) = (0, 0);
    for path in agreements() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path.display().to_string();
        match formatted(&name, &text) {
            Some(_) => formatted_count += 1,
            None => {
                // Refused only when the file does not parse.
                let compiled = slac::compile_str(&name, &text);
                assert!(
                    compiled
                        .diagnostics
                        .iter()
                        .any(|d| d.code.starts_with("slac::syntax::")
                            || d.code.starts_with("slac::source::")),
                    "{name} parses but was not formatted"
                );
                refused += 1;
            }
        }
    }
    assert!(formatted_count >= 50, "{formatted_count} formatted");
    assert!(refused >= 10, "{refused} refused");
}

#[test]
fn the_bundled_examples_are_formatted() {
    for path in agreements()
        .iter()
        .filter(|p| p.starts_with(root().join("sla-examples")))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let out = formatted(&path.display().to_string(), &text).unwrap();
        assert!(out == text, "run `slac fmt {}`", path.display());
    }
}

/// Blanks in a line's code (outside strings and comments) changed to `gap`.
fn respace(line: &str, gaps: &[&str]) -> String {
    let mut out = String::new();
    let (mut in_string, mut k) = (false, 0);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && !in_string && chars.peek() == Some(&'/') {
            out.push(c);
            out.extend(chars.by_ref());
            break;
        }
        if c == '"' {
            in_string = !in_string;
        }
        if c == ' ' && !in_string {
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            out.push_str(gaps[k % gaps.len()]);
            k += 1;
        } else {
            out.push(c);
        }
    }
    out
}

fn example_texts() -> Vec<String> {
    agreements()
        .iter()
        .filter(|p| p.starts_with(root().join("sla-examples")))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the blanks, indentation and line ends, and however many blank lines
    /// stand where the author left one, one layout.
    #[test]
    fn any_whitespace_gives_the_one_layout(
        which in 0usize..5,
        indents in proptest::collection::vec(0usize..9, 1..40),
        gaps in proptest::collection::vec(prop_oneof![Just(" "), Just("  "), Just("\t"), Just(" \t ")], 1..8),
        blanks in proptest::collection::vec(0usize..3, 1..40),
        trailing in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("\t  ")], 1..10),
        crlf in any::<bool>(),
    ) {
        let texts = example_texts();
        let original = &texts[which % texts.len()];
        let mut mutated = String::new();
        for (i, line) in original.lines().enumerate() {
            let body = respace(line.trim_start(), &gaps);
            let indent = " ".repeat(indents[i % indents.len()]);
            let end = if crlf { "\r\n" } else { "\n" };
            mutated.push_str(&indent);
            mutated.push_str(&body);
            mutated.push_str(trailing[i % trailing.len()]);
            mutated.push_str(end);
            if line.trim().is_empty() {
                for _ in 0..blanks[i % blanks.len()] {
                    mutated.push_str(end);
                }
            }
        }
        let canonical = formatted("original", original).unwrap();
        let from_mutated = formatted("mutated", &mutated).unwrap();
        prop_assert_eq!(from_mutated, canonical);
    }

    /// Edits that change tokens: whenever the result still parses, formatting it
    /// keeps its meaning and is a fixed point (checked inside `formatted`).
    #[test]
    fn edited_agreements_keep_their_meaning(
        which in 0usize..5,
        at in any::<prop::sample::Index>(),
        insert in "[ a-z0-9{}()\"=<>*/:.,%\\n-]{0,6}",
        delete in 0usize..6,
    ) {
        let texts = example_texts();
        let original = &texts[which % texts.len()];
        let mut cut = at.index(original.len());
        while !original.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut end = (cut + delete).min(original.len());
        while !original.is_char_boundary(end) {
            end += 1;
        }
        let edited = format!("{}{insert}{}", &original[..cut], &original[end..]);
        let _ = formatted("edited", &edited);
    }
}

#[test]
fn fmt_check_diffs_and_fmt_rewrites_only_files_that_parse() {
    let dir = std::env::temp_dir().join(format!("slac-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let messy = dir.join("messy.sla");
    let original = std::fs::read_to_string(root().join("sla-examples/smarketing.sla")).unwrap();
    std::fs::write(&messy, original.replace("  by ", "      by  ")).unwrap();
    let broken = dir.join("broken.sla");
    std::fs::write(&broken, "agreement \"x\" {\n  summary   \"unclosed\n").unwrap();
    let slac = || assert_cmd::Command::cargo_bin("slac").unwrap();

    let out = slac()
        .args(["fmt", "--check"])
        .arg(&messy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("-        by  marketing for sales"), "{diff}");
    assert!(diff.contains("+    by marketing for sales"), "{diff}");

    let out = slac().arg("fmt").arg(&messy).arg(&broken).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a file that does not parse");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), original);
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "agreement \"x\" {\n  summary   \"unclosed\n",
        "a file that does not parse is left alone"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("does not parse"), "{stderr}");

    let out = slac()
        .args(["fmt", "--check"])
        .arg(&messy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // Nothing is left beside the file.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
