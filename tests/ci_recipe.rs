//! The CI recipe in `docs/ci.md` works as written: every `slac …` line of its
//! workflow runs from the project root against the bundled examples and exits with
//! the status written next to it (`# exit N`), what it writes is what the next step
//! reads, and every file the page names exists.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn page() -> String {
    std::fs::read_to_string(root().join("docs/ci.md")).unwrap()
}

/// The page's one ```` ```yaml ```` block.
fn workflow(page: &str) -> String {
    let blocks: Vec<&str> = page
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 1, "docs/ci.md should hold one yaml block");
    blocks[0].to_owned()
}

/// A `slac` command of the workflow: its arguments, the file its output is
/// redirected to, and the exit status the page gives for it.
#[derive(Debug)]
struct Step {
    line: String,
    args: Vec<String>,
    output: Option<String>,
    status: i32,
}

/// Every line of the workflow that runs `slac` (as `run: slac …` or a line of a
/// `run: |` block). Arguments are split on whitespace: the recipe quotes nothing.
fn steps(workflow: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for line in workflow.lines() {
        let text = line.trim_start();
        let text = text.strip_prefix("- ").unwrap_or(text);
        let text = text.strip_prefix("run:").unwrap_or(text).trim_start();
        let Some(rest) = text.strip_prefix("slac ") else {
            continue;
        };
        let (command, comment) = rest
            .split_once(" #")
            .unwrap_or_else(|| panic!("no `# exit N` after: {line}"));
        let status: i32 = comment
            .trim()
            .strip_prefix("exit ")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("the comment should say `# exit N`: {line}"));
        assert!((0..=2).contains(&status), "{line}");
        // What follows the command itself: a redirect, then `|| …`.
        let (command, after) = match command.find(['>', '|', '&', ';']) {
            Some(at) => (&command[..at], &command[at..]),
            None => (command, ""),
        };
        let output = after
            .strip_prefix('>')
            .map(|r| r.split_whitespace().next().unwrap().to_owned());
        assert!(
            !command.contains(['"', '\'', '$', '`']),
            "the recipe's commands are run without a shell: {line}"
        );
        steps.push(Step {
            line: line.trim().to_owned(),
            args: command.split_whitespace().map(str::to_owned).collect(),
            output,
            status,
        });
    }
    steps
}

/// `dir/*.ext` as the shell expands it (sorted); anything else as it is.
fn expand(arg: &str) -> Vec<String> {
    let Some((dir, pattern)) = arg.rsplit_once('/') else {
        return vec![arg.to_owned()];
    };
    let Some((prefix, suffix)) = pattern.split_once('*') else {
        return vec![arg.to_owned()];
    };
    let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "`{arg}` matches no file");
    names
}

#[test]
fn every_slac_command_of_the_workflow_exits_as_documented() {
    let workflow = workflow(&page());
    let steps = steps(&workflow);
    // Layout, validation, evaluation, SARIF, the Markdown summary and the diff.
    assert_eq!(steps.len(), 6, "{steps:#?}");
    let subcommands: Vec<&str> = steps.iter().map(|s| s.args[0].as_str()).collect();
    assert_eq!(
        subcommands,
        ["fmt", "check", "check", "check", "check", "diff"]
    );
    // The diff runs in a pull request of its own: the bundled examples in a
    // repository of two commits, the second raising the quota. This repository's
    // own last commit may change anything (even deliberately invalid fixtures).
    let pull_request = pull_request();
    let mut written: Vec<(String, String)> = Vec::new();
    for step in &steps {
        let args: Vec<String> = step.args.iter().flat_map(|a| expand(a)).collect();
        let dir = if step.args[0] == "diff" {
            pull_request.clone()
        } else {
            root()
        };
        let out = Command::cargo_bin("slac")
            .unwrap()
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            out.status.code(),
            Some(step.status),
            "{}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            step.line
        );
        if step.args[0] == "diff" {
            assert!(stdout.contains("target raised"), "{stdout}");
        }
        if let Some(file) = &step.output {
            // The diff is empty when no agreement changed.
            assert!(
                !stdout.is_empty() || step.args[0] == "diff",
                "{} writes nothing",
                step.line
            );
            written.push((file.clone(), stdout));
        }
    }
    // What the redirects write is what the upload and the comment read.
    let file = |name: &str| {
        written
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no step writes {name}"))
    };
    assert!(workflow.contains("sarif_file: slac.sarif"));
    let sarif: serde_json::Value = serde_json::from_str(file("slac.sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(workflow.contains("path: slac-summary.md"));
    assert!(file("slac-summary.md").starts_with("## "));
    // Steps that must go on after a miss say so, and still fail on status 2.
    for step in steps.iter().filter(|s| s.status == 1 && s.output.is_some()) {
        assert!(step.line.contains("|| [ $? -eq 1 ]"), "{}", step.line);
    }
    assert!(workflow.contains("continue-on-error: true"));
    assert!(workflow.contains("if: steps.evaluate.outcome == 'failure'"));
    assert!(workflow.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(workflow.contains("uses: marocchino/sticky-pull-request-comment@v2"));
    assert!(workflow.contains("cargo install --locked --path ."));
    assert!(workflow.contains("path: slac-diff.md"));
    assert!(workflow.contains("fetch-depth: 2"));
    let _ = std::fs::remove_dir_all(&pull_request);
}

/// A git repository holding the bundled examples in two commits: the base, then a
/// change to the smarketing quota, as a pull request would bring.
fn pull_request() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slac-ci-recipe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let examples = dir.join("sla-examples");
    std::fs::create_dir_all(&examples).unwrap();
    for entry in std::fs::read_dir(root().join("sla-examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sla") {
            std::fs::copy(&path, examples.join(path.file_name().unwrap())).unwrap();
        }
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=ci", "-c", "user.email=ci@example.com"])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let agreement = examples.join("smarketing.sla");
    let text = std::fs::read_to_string(&agreement).unwrap();
    let raised = text.replace(
        "input sales_quota     = 5000 EUR",
        "input sales_quota     = 5600 EUR",
    );
    assert_ne!(raised, text, "the quota to raise is not in the example");
    std::fs::write(&agreement, raised).unwrap();
    git(&["commit", "-q", "-am", "raise the quota"]);
    dir
}

/// Whether a word of the page names a file or folder of this repository.
fn names_a_path(word: &str) -> bool {
    const EXTENSIONS: [&str; 10] = [
        ".sla", ".csv", ".json", ".ndjson", ".md", ".rs", ".toml", ".yml", ".yaml", ".sarif",
    ];
    const FOLDERS: [&str; 5] = ["sla-examples/", "tests/", "src/", "docs/", "scripts/"];
    !word.contains("://")
        && !word.contains('@')
        && (EXTENSIONS
            .iter()
            .any(|e| word.ends_with(e) && word.len() > e.len())
            || FOLDERS.iter().any(|f| word.starts_with(f)))
}

/// Every file a path (or `dir/*.ext` pattern) a document names stands for exists.
fn assert_exists(word: &str, document: &str) {
    let paths = if word.contains('*') {
        expand(word)
    } else {
        vec![word.to_owned()]
    };
    for path in paths {
        assert!(
            root().join(&path).exists(),
            "{document} names `{path}`, which does not exist"
        );
    }
}

#[test]
fn every_file_the_page_names_exists() {
    let page = page();
    let workflow = workflow(&page);
    let written: Vec<String> = steps(&workflow)
        .into_iter()
        .filter_map(|s| s.output)
        .collect();
    let mut named = Vec::new();
    for word in page.split(|c: char| c.is_whitespace() || "`()[],:'\"".contains(c)) {
        let word = word.trim_end_matches(['.', ';']);
        if word.is_empty() || !names_a_path(word) || written.iter().any(|w| w == word) {
            continue;
        }
        named.push(word.to_owned());
        assert_exists(word, "docs/ci.md");
    }
    // The reading found the names, or this test would prove nothing.
    for expected in [
        "sla-examples/multi-level.sla",
        "sla-examples/data/multi-level-metrics.csv",
        "sla-examples/data/multi-level-deliveries.csv",
        "tests/ci_recipe.rs",
    ] {
        assert!(named.iter().any(|n| n == expected), "{expected}: {named:?}");
    }
}

#[test]
fn the_readme_links_to_the_recipe() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("### In a pull request")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .unwrap();
    assert!(section.contains("(docs/ci.md)"), "{section}");
}

#[test]
fn every_file_the_readme_names_exists() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut named = Vec::new();
    for word in readme.split(|c: char| c.is_whitespace() || "`()[],:'\"<>".contains(c)) {
        let word = word.trim_end_matches(['.', ';']);
        // Paths only: a bare `multi-level.sla` names an example in prose, and
        // `FILE.sla` or `OLD.sla` are placeholders.
        // `--data NAME=FILE`: the file.
        let word = word.rsplit_once('=').map_or(word, |(_, file)| file);
        let in_repository = [
            "sla-examples/",
            "tests/",
            "src/",
            "docs/",
            "scripts/",
            "benches/",
        ]
        .iter()
        .any(|f| word.starts_with(f));
        if !in_repository || !names_a_path(word) {
            continue;
        }
        named.push(word.to_owned());
        assert_exists(word, "the README");
    }
    for expected in [
        "sla-examples/smarketing.sla",
        "docs/ci.md",
        "tests/format.rs",
    ] {
        assert!(named.iter().any(|n| n == expected), "{expected}: {named:?}");
    }
}
