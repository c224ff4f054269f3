//! `slac diff`: what a change to an agreement means — values and targets before and
//! after, declarations added, dropped or changed, outcomes that would differ — and
//! nothing for a change of whitespace or comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::root;

fn slac() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("slac").unwrap();
    cmd.current_dir(root());
    cmd
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slac-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn smarketing() -> String {
    std::fs::read_to_string(root().join("sla-examples/smarketing.sla")).unwrap()
}

fn run(args: &[&str], old: &Path, new: &Path) -> (i32, String) {
    let out = slac()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn whitespace_and_comments_mean_nothing() {
    let dir = scratch("blank");
    let new = dir.join("new.sla");
    let text = smarketing()
        .replace("  by ", "\t by   ")
        .replace("\n\n", "\n\n// a note\n\n");
    std::fs::write(&new, text).unwrap();
    let (code, out) = run(&[], &root().join("sla-examples/smarketing.sla"), &new);
    assert_eq!(code, 0);
    assert!(out.ends_with(": no change in meaning\n"), "{out}");
}

#[test]
fn a_higher_quota_raises_the_lead_target_and_says_which_months_it_would_have_missed() {
    let dir = scratch("quota");
    let new = dir.join("smarketing.sla");
    let text = smarketing().replace("= 5000 EUR", "= 5600 EUR");
    assert_ne!(text, smarketing());
    std::fs::write(&new, text).unwrap();
    let old = root().join("sla-examples/smarketing.sla");
    let (code, out) = run(&[], &old, &new);
    assert_eq!(code, 0);
    assert!(
        out.contains("changed input sales_quota: 5000 EUR → 5600 EUR"),
        "{out}"
    );
    assert!(out.contains("leads_needed works out to 100 → 112"), "{out}");
    assert!(
        out.contains("deliver_leads: target raised (asks more) from 100 to 112 in 2026-01"),
        "{out}"
    );

    let data = [
        "--metrics",
        "sla-examples/data/smarketing-metrics.csv",
        "--deliveries",
        "sla-examples/data/smarketing-deliveries.csv",
        "--format",
        "markdown",
    ];
    let (code, out) = run(&data, &old, &new);
    assert_eq!(code, 0);
    // January had 110 leads: met against 100; against 112 it falls in the
    // `at_risk` band (at least 90 % of the target).
    assert!(
        out.contains(
            "- 2026-01: `deliver_leads` would have been at risk (was met) (actual 110, target 112)"
        ),
        "{out}"
    );
    let stable = out.replace(&new.display().to_string(), "NEW.sla");
    insta::assert_snapshot!("quota-raised-markdown", stable);
}

#[test]
fn obligations_added_dropped_and_changed_are_named() {
    let dir = scratch("obligations");
    let new = dir.join("new.sla");
    let text = smarketing()
        .replace(
            "requires deliver_leads\n    promise follow_up_time <= 1h",
            "requires deliver_leads\n    promise follow_up_time <= 2h",
        )
        .replace("obligation pipeline_report", "obligation weekly_pipeline");
    std::fs::write(&new, text).unwrap();
    let (_, out) = run(&[], &root().join("sla-examples/smarketing.sla"), &new);
    assert!(
        out.contains("follow_up_speed: promise follow_up_time <= 1h → follow_up_time <= 2h"),
        "{out}"
    );
    assert!(
        out.contains("follow_up_speed: target raised (asks less) from 1h to 2h"),
        "{out}"
    );
    assert!(out.contains("added obligation weekly_pipeline"), "{out}");
    assert!(out.contains("dropped obligation pipeline_report"), "{out}");
}

#[test]
fn git_mode_compares_files_changed_since_a_revision() {
    let dir = scratch("git");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::create_dir_all(dir.join("agreements")).unwrap();
    std::fs::write(dir.join("agreements/smarketing.sla"), smarketing()).unwrap();
    std::fs::write(dir.join("notes.txt"), "not an agreement").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    std::fs::write(
        dir.join("agreements/smarketing.sla"),
        smarketing().replace("= 5000 EUR", "= 4500 EUR"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "changed").unwrap();
    let out = assert_cmd::Command::cargo_bin("slac")
        .unwrap()
        .args(["diff", "--git", "HEAD"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("agreements/smarketing.sla: what the change means"),
        "{stdout}"
    );
    assert!(
        stdout.contains("leads_needed works out to 100 → 90"),
        "{stdout}"
    );
    assert!(
        stdout.contains("target lowered (asks less) from 100 to 90"),
        "{stdout}"
    );
    assert!(!stdout.contains("notes.txt"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_agreement_that_does_not_check_is_not_compared() {
    let dir = scratch("invalid");
    let new = dir.join("new.sla");
    std::fs::write(
        &new,
        smarketing().replace("by marketing for sales", "by marketting for sales"),
    )
    .unwrap();
    let out = slac()
        .arg("diff")
        .arg("sla-examples/smarketing.sla")
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("slac::check::unknown_party"), "{stderr}");
    assert!(stderr.contains("not compared"), "{stderr}");
    let out = slac().args(["diff", "only-one.sla"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
