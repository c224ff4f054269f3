//! The `slac` command as CI and people use it: exit codes, streams, formats.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;

fn slac() -> Command {
    let mut cmd = Command::cargo_bin("slac").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    cmd
}

fn stdout_of(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_valid_example_exits_0() {
    let (code, stdout, stderr) = stdout_of(slac().args(["check", "sla-examples/smarketing.sla"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "ok: sla-examples/smarketing.sla is valid (4 obligations, 2 parties, 4 metrics)\n"
    );
    assert_eq!(stderr, "");
}

#[test]
fn all_examples_check_together() {
    let mut cmd = slac();
    cmd.arg("check");
    for name in [
        "smarketing",
        "multi-level",
        "customer-uptime",
        "lead-segments",
    ] {
        cmd.arg(format!("sla-examples/{name}.sla"));
    }
    let (code, stdout, _) = stdout_of(&mut cmd);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 4);
}

#[test]
fn an_invalid_file_exits_2_with_diagnostics_on_stderr() {
    let (code, stdout, stderr) = stdout_of(slac().args([
        "check",
        "--color",
        "never",
        "tests/fixtures/invalid/check-unknown-party.sla",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("slac::check::unknown_party"), "{stderr}");
    assert!(stderr.contains("did you mean `marketing`?"), "{stderr}");
    assert!(stderr.contains("check-unknown-party.sla:13:8"), "{stderr}");
    assert_eq!(
        stdout,
        "failed: tests/fixtures/invalid/check-unknown-party.sla has 1 error\n"
    );
}

#[test]
fn one_bad_file_among_good_ones_fails_the_run() {
    let (code, stdout, _) = stdout_of(slac().args([
        "check",
        "sla-examples/smarketing.sla",
        "tests/fixtures/invalid/syntax-unit-typo.sla",
    ]));
    assert_eq!(code, 2);
    assert!(stdout.starts_with("ok: sla-examples/smarketing.sla"));
    assert!(stdout.contains("failed: tests/fixtures/invalid/syntax-unit-typo.sla"));
}

#[test]
fn warnings_pass_unless_denied() {
    let file = "tests/fixtures/invalid/check-unused-warnings.sla";
    let (code, _, stderr) = stdout_of(slac().args(["check", "--color", "never", file]));
    assert_eq!(code, 0);
    assert!(stderr.contains("⚠"), "{stderr}");
    let (code, _, _) = stdout_of(slac().args(["check", "--deny-warnings", file]));
    assert_eq!(code, 2);
}

#[test]
fn a_missing_file_is_a_diagnostic_not_a_crash() {
    let (code, stdout, stderr) =
        stdout_of(slac().args(["check", "--color", "never", "no/such/file.sla"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("slac::source::unreadable"), "{stderr}");
    assert!(
        stderr.contains("cannot read `no/such/file.sla`"),
        "{stderr}"
    );
    assert_eq!(stdout, "failed: no/such/file.sla has 1 error\n");
}

#[test]
fn json_goes_to_stdout_and_parses() {
    let (code, stdout, stderr) = stdout_of(slac().args([
        "check",
        "--format",
        "json",
        "sla-examples/smarketing.sla",
        "tests/fixtures/invalid/check-requires-cycle.sla",
    ]));
    assert_eq!(code, 2);
    assert_eq!(stderr, "");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["valid"], false);
    assert_eq!(report["files"][0]["valid"], true);
    let cycle = &report["files"][1]["diagnostics"][0];
    assert_eq!(cycle["code"], "slac::check::requires_cycle");
    assert_eq!(cycle["span"]["line"], 16);
    assert_eq!(cycle["labels"].as_array().unwrap().len(), 3);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let args = [
        "check",
        "--color",
        "never",
        "tests/fixtures/invalid/check-calendar.sla",
    ];
    let first = slac().args(args).output().unwrap();
    let second = slac().args(args).output().unwrap();
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(first.stderr, second.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = stdout_of(slac().args(["check"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("FILE"), "{stderr}");
    let (code, _, _) = stdout_of(slac().args(["check", "--format", "xml", "x.sla"]));
    assert_eq!(code, 2);
    let (code, _, _) = stdout_of(slac().args(["frobnicate"]));
    assert_eq!(code, 2);
}

#[test]
fn help_is_complete() {
    let (code, stdout, _) = stdout_of(slac().arg("--help"));
    assert_eq!(code, 0);
    assert!(stdout.contains("check"), "{stdout}");
    let (code, stdout, _) = stdout_of(slac().args(["check", "--help"]));
    assert_eq!(code, 0);
    for needle in [
        "--format",
        "--color",
        "--deny-warnings",
        "Exit status",
        "FILE",
    ] {
        assert!(
            stdout.contains(needle),
            "`{needle}` missing from:\n{stdout}"
        );
    }
    let (code, stdout, _) = stdout_of(slac().arg("--version"));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("slac "));
}
