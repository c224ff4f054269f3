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
        "lead-log",
    ] {
        cmd.arg(format!("sla-examples/{name}.sla"));
    }
    let (code, stdout, _) = stdout_of(&mut cmd);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 5);
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

const SMARKETING_DATA: [&str; 7] = [
    "check",
    "sla-examples/smarketing.sla",
    "--metrics",
    "sla-examples/data/smarketing-metrics.csv",
    "--deliveries",
    "sla-examples/data/smarketing-deliveries.csv",
    "--color=never",
];

#[test]
fn a_missed_obligation_exits_1_with_the_table_on_stdout() {
    let (code, stdout, stderr) = stdout_of(slac().args(SMARKETING_DATA).arg("--as-of=2026-06-15"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("2026-06*"), "{stdout}");
    assert!(stdout.contains("terminated as of 2026-04"), "{stdout}");
    assert!(stderr.contains("slac::eval::missed"), "{stderr}");
    assert!(stderr.contains("root cause: `deliver_leads`"), "{stderr}");
}

#[test]
fn all_met_exits_0() {
    let dir = std::env::temp_dir().join(format!("slac-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let metrics = dir.join("good.csv");
    std::fs::write(
        &metrics,
        "period,metric,value\n2026-01,mqls,120\n2026-01,customers_from_mqls,60\n2026-01,follow_up_time,30min\n2026-01,attempts_unconnected,7\n",
    )
    .unwrap();
    let deliveries = dir.join("deliveries.csv");
    std::fs::write(
        &deliveries,
        "date,deliverable,party\n2026-01-09,pipeline_report,sales\n2026-01-16,pipeline_report,sales\n2026-01-23,pipeline_report,sales\n2026-01-30,pipeline_report,sales\n",
    )
    .unwrap();
    let (code, stdout, stderr) = stdout_of(slac().args([
        "check".as_ref(),
        "sla-examples/smarketing.sla".as_ref(),
        "--metrics".as_ref(),
        metrics.as_os_str(),
        "--deliveries".as_ref(),
        deliveries.as_os_str(),
    ]));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("4 met, 0 at risk, 0 missed"), "{stdout}");
}

#[test]
fn bad_data_exits_2_and_evaluates_nothing() {
    let (code, stdout, stderr) = stdout_of(slac().args([
        "check",
        "tests/fixtures/bad-metrics/agreement.sla",
        "--metrics",
        "tests/fixtures/bad-metrics/wrong-types.csv",
        "--color",
        "never",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("wrong-types.csv:2:14"), "{stderr}");
    assert!(stdout.contains("nothing was evaluated"), "{stdout}");
}

#[test]
fn evaluation_json_is_stable_and_parses() {
    let run = || {
        slac()
            .args(SMARKETING_DATA)
            .args(["--format", "json"])
            .output()
            .unwrap()
    };
    let (first, second) = (run(), run());
    assert_eq!(first.status.code(), Some(1));
    assert_eq!(first.stdout, second.stdout);
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let feb = &report["periods"][1];
    assert_eq!(feb["period"], "2026-02");
    let follow_up = &feb["obligations"][1];
    assert_eq!(follow_up["id"], "follow_up_speed");
    assert_eq!(follow_up["status"], "missed");
    assert_eq!(follow_up["root_cause"], "deliver_leads");
    assert_eq!(report["terminated"]["period"], "2026-04");
}

#[test]
fn evaluating_needs_exactly_one_agreement() {
    let (code, _, stderr) = stdout_of(slac().args([
        "check",
        "sla-examples/smarketing.sla",
        "sla-examples/multi-level.sla",
        "--metrics",
        "sla-examples/data/smarketing-metrics.csv",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("exactly one agreement"), "{stderr}");
    let (code, _, stderr) =
        stdout_of(slac().args(["check", "sla-examples/smarketing.sla", "--as-of", "June"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("expected a date"), "{stderr}");
}

const LEAD_LOG: [&str; 4] = [
    "check",
    "sla-examples/lead-log.sla",
    "--data",
    "leads=sla-examples/data/lead-log.csv",
];

#[test]
fn the_lead_log_is_checked_from_its_rows() {
    let (code, stdout, stderr) = stdout_of(slac().args(LEAD_LOG).arg("--color").arg("never"));
    // The bundled log has months where calls were too slow: exit 1, as documented.
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains(
        "dataset leads: 2000 rows read from sla-examples/data/lead-log.csv, 2000 used, 0 excluded"
    ));
    assert!(stdout.contains("computed from the datasets:"));
    assert!(stderr.contains("rows complied"), "{stderr}");
    assert!(stderr.contains("breaching rows:"), "{stderr}");
    insta::assert_snapshot!("lead-log-human-stdout", stdout);
    insta::assert_snapshot!("lead-log-human-stderr", stderr);
}

#[test]
fn the_lead_log_json_lists_datasets_metrics_and_breaches() {
    let run = || {
        stdout_of(
            slac()
                .args(LEAD_LOG)
                .args(["--format", "json", "--breaches", "3"]),
        )
    };
    let (code, stdout, _) = run();
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["datasets"][0]["rows"], 2000);
    assert_eq!(json["datasets"][0]["format"], "csv");
    let metrics = json["metrics"].as_array().unwrap();
    assert!(
        metrics
            .iter()
            .any(|m| m["metric"] == "follow_up_p90" && m["period"] == "2026-03")
    );
    let breaches = json["periods"][0]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "call_every_lead")
        .unwrap()["rows"]["worst"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(breaches, 3);
    // Byte-identical on a second run.
    assert_eq!(run().1, stdout);
}

#[test]
fn bad_rows_warn_and_strict_refuses_them() {
    let bad = "leads=tests/fixtures/bad-datasets/money-rounding.csv";
    let (code, _, stderr) =
        stdout_of(slac().args(["check", "sla-examples/lead-log.sla", "--data", bad]));
    assert_ne!(code, 2, "{stderr}");
    assert!(stderr.contains("slac::data::rows_excluded"));
    assert!(stderr.contains("money-rounding.csv:3:113]"), "{stderr}");
    assert!(
        stderr.contains("`deal_value`: EUR has 2 decimal places"),
        "{stderr}"
    );
    let (code, stdout, stderr) = stdout_of(slac().args([
        "check",
        "sla-examples/lead-log.sla",
        "--strict",
        "--data",
        bad,
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("slac::data::rows_refused"), "{stderr}");
    assert!(stdout.contains("nothing was evaluated"));
}

#[test]
fn dataset_arguments_are_checked() {
    // No `=`: a usage error.
    let (code, _, stderr) =
        stdout_of(slac().args(["check", "sla-examples/lead-log.sla", "--data", "leads"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("[slac::data::data_argument]"), "{stderr}");
    assert!(stderr.contains("write `--data NAME=FILE`"), "{stderr}");
    // A name the agreement does not declare.
    let (code, _, stderr) = stdout_of(slac().args([
        "check",
        "sla-examples/lead-log.sla",
        "--data",
        "lead=sla-examples/data/lead-log.csv",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `leads`?"), "{stderr}");
    // A file that is not there.
    let (code, _, stderr) = stdout_of(slac().args([
        "check",
        "sla-examples/lead-log.sla",
        "--data",
        "leads=sla-examples/data/nope.csv",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("slac::data::unreadable_dataset"),
        "{stderr}"
    );
}

#[test]
fn binary_garbage_as_a_dataset_is_reported_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("slac-cli-garbage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes: Vec<u8> = b"lead_id,source,segment,created_at,handed_over_at,first_contact_at,attempts,connected,won_at,deal_value\n".to_vec();
    let mut state: u32 = 7;
    for _ in 0..200_000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((state >> 16) as u8);
    }
    for (name, data) in [("garbage.csv", bytes.clone()), ("garbage.ndjson", bytes)] {
        let path = dir.join(name);
        std::fs::write(&path, &data).unwrap();
        let (code, _, stderr) = stdout_of(slac().args([
            "check",
            "sla-examples/lead-log.sla",
            "--strict",
            "--data",
            &format!("leads={}", path.display()),
        ]));
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_prints_a_code_or_suggests_one() {
    let (code, stdout, _) = stdout_of(slac().args(["explain", "slac::check::unknown_party"]));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("# slac::check::unknown_party\n"),
        "{stdout}"
    );
    assert!(stdout.contains("```sla"), "{stdout}");
    // The last part of a code is enough.
    let (code, short, _) = stdout_of(slac().args(["explain", "unknown_party"]));
    assert_eq!((code, short), (0, stdout));
    let (code, _, stderr) = stdout_of(slac().args(["explain", "unknwn_party"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `slac::check::unknown_party`?"),
        "{stderr}"
    );
    // Without a code: every code, one a line.
    let (code, list, _) = stdout_of(slac().args(["explain"]));
    assert_eq!(code, 0);
    assert_eq!(list.lines().count(), slac::explain::all().len());
}

#[test]
fn pull_request_formats_keep_the_exit_codes() {
    for format in ["github", "sarif", "markdown"] {
        let (code, stdout, _) = stdout_of(slac().args([
            "check",
            "sla-examples/lead-log.sla",
            "--data",
            "leads=sla-examples/data/lead-log.csv",
            "--format",
            format,
        ]));
        assert_eq!(code, 1, "{format}: {stdout}");
        let (code, stdout, _) = stdout_of(slac().args([
            "check",
            "tests/fixtures/invalid/check-unknown-party.sla",
            "--format",
            format,
        ]));
        assert_eq!(code, 2, "{format}");
        assert!(stdout.contains("unknown_party"), "{format}: {stdout}");
    }
}

#[test]
fn every_subcommand_refuses_an_invalid_agreement_with_2() {
    let broken = "tests/fixtures/invalid/check-unknown-party.sla";
    let unparsable = "tests/fixtures/invalid/syntax-extra-closing-brace.sla";
    for args in [
        vec!["check", broken],
        vec!["graph", broken],
        vec!["plan", broken],
        vec!["diff", "sla-examples/smarketing.sla", broken],
        vec!["fmt", "--check", unparsable],
    ] {
        let (code, _, stderr) = stdout_of(slac().args(&args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("slac::"), "{args:?} says why: {stderr}");
    }
}

#[test]
fn labels_on_very_long_lines_and_after_non_ascii_text_are_shown_at_their_column() {
    let dir = std::env::temp_dir().join(format!("slac-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string("sla-examples/smarketing.sla").unwrap();
    // 70,000 blanks before a misspelt party: past the 65,535 columns miette can draw.
    let long = dir.join("long.sla");
    let text = original.replacen(
        "by marketing for sales",
        &format!("{}by marketting for sales", " ".repeat(70_000)),
        1,
    );
    std::fs::write(&long, text).unwrap();
    let (code, _, stderr) = stdout_of(slac().arg("check").arg(&long));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("long.sla:33:70008]"), "{stderr}");
    assert!(stderr.contains("no party of this name"), "{stderr}");
    assert!(
        stderr.lines().all(|l| l.chars().count() < 400),
        "a window, not the line"
    );
    let (_, json, _) = stdout_of(slac().arg("check").arg(&long).args(["--format", "json"]));
    assert!(json.contains("\"column\": 70008"), "{json}");

    // Non-ASCII text before a label: human and JSON count columns alike (characters).
    let accents = dir.join("accents.sla");
    let text = original.replacen(
        "action \"Marketing ops reviews the campaign mix\"\n    responsible marketing",
        "action \"Marketing-Ops prüft den Kampagnen-Mix\" responsible marketting",
        1,
    );
    assert_ne!(text, original);
    std::fs::write(&accents, &text).unwrap();
    let (_, _, stderr) = stdout_of(slac().arg("check").arg(&accents));
    let (_, json, _) = stdout_of(slac().arg("check").arg(&accents).args(["--format", "json"]));
    // `marketting` starts at character 64 of the line (byte 65: `ü` is two bytes).
    assert!(stderr.contains("accents.sla:63:64]"), "{stderr}");
    assert!(
        json.contains("\"line\": 63,\n            \"column\": 64"),
        "{json}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn very_long_names_are_elided_in_tables_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("slac-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string("sla-examples/smarketing.sla").unwrap();
    let file = dir.join("names.sla");
    // Names past the 65,535 a format width can hold.
    let text = original
        .replace("deliver_leads", &"d".repeat(70_000))
        .replace("leads_needed", &"l".repeat(70_000));
    std::fs::write(&file, text).unwrap();
    let data = [
        "--metrics",
        "sla-examples/data/smarketing-metrics.csv",
        "--deliveries",
        "sla-examples/data/smarketing-deliveries.csv",
    ];
    let (code, table, stderr) = stdout_of(slac().arg("check").arg(&file).args(data));
    assert_eq!(code, 1, "{stderr}");
    assert!(table.lines().all(|l| l.chars().count() < 300), "{table}");
    assert!(table.contains("ddddd…ddddd"), "{table}");
    let (code, _, stderr) = stdout_of(slac().arg("plan").arg(&file));
    assert_eq!(code, 0, "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hundreds_of_unused_columns_give_one_warning() {
    let dir = std::env::temp_dir().join(format!("slac-wide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wide.csv");
    let columns: Vec<String> = (0..2000).map(|i| format!("c{i}")).collect();
    let text = format!(
        "period,metric,value,{}\n2026-01,mqls,120{}\n",
        columns.join(","),
        ",".repeat(2000)
    );
    std::fs::write(&file, text).unwrap();
    let check = || {
        stdout_of(
            slac()
                .args([
                    "check",
                    "sla-examples/smarketing.sla",
                    "--format",
                    "json",
                    "--metrics",
                ])
                .arg(&file),
        )
        .1
    };
    let json = check();
    assert_eq!(
        json.matches("\"slac::data::unknown_column\"").count(),
        1,
        "{json}"
    );
    assert!(json.contains("2000 columns are not used: `c0`, `c1`, `c2`, `c3`, `c4` and 1995 more"));
    // Three or fewer are still named one by one.
    std::fs::write(&file, "period,metric,value,note,team\n2026-01,mqls,120,,\n").unwrap();
    let json = check();
    assert_eq!(
        json.matches("\"slac::data::unknown_column\"").count(),
        2,
        "{json}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn oversized_files_are_refused_before_they_are_read() {
    let dir = std::env::temp_dir().join(format!("slac-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Sparse files: no disk is written, and no memory is needed to refuse them.
    let metrics = dir.join("metrics.csv");
    std::fs::File::create(&metrics)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let (code, _, stderr) = stdout_of(
        slac()
            .args(["check", "sla-examples/smarketing.sla", "--metrics"])
            .arg(&metrics),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("slac::source::too_large"), "{stderr}");
    // A dataset has no size limit, but a line without end is bounded.
    let leads = dir.join("leads.csv");
    std::fs::File::create(&leads)
        .unwrap()
        .set_len(80 << 20)
        .unwrap();
    let (code, _, stderr) = stdout_of(
        slac()
            .args(["check", "sla-examples/lead-log.sla", "--data"])
            .arg(format!("leads={}", leads.display())),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a line is longer than 64 MiB"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
