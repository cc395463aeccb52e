//! The pull-request workflow: ignores, exceptions, baselines, changed-only scans
//! and GitHub annotations, through the `vigie` binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::git;

fn vigie(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("vigie runs")
}

fn report(args: &[&str], cwd: &Path) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["scan", ".", "--format", "json"];
    all.extend_from_slice(args);
    let out = vigie(&all, cwd);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), json)
}

/// (rule, line, suppressed?) of every finding.
fn findings(json: &serde_json::Value) -> Vec<(String, u64, bool)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
                f.get("suppression").is_some(),
            )
        })
        .collect()
}

fn diagnostic_codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const NODE_EXPORTER: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      containers:
      - name: exporter
        image: registry.example.com/node-exporter:1.8.2
";

#[test]
fn exceptions_suppress_until_they_expire() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("monitoring")).unwrap();
    fs::write(root.join("monitoring/node-exporter.yaml"), NODE_EXPORTER).unwrap();
    let config = |expires: &str| {
        format!(
            "exceptions:
  - rules: [PSS003]
    paths: [monitoring/**]
    resource: {{kind: DaemonSet, name: node-*}}
    justification: node-exporter reads the host's network and process statistics
    approved_by: secops@example.com
    expires: {expires}
  - rules: [PSS001]
    justification: nothing privileged here yet
"
        )
    };
    fs::write(root.join(".vigie.yaml"), config("2999-12-31")).unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--rule", "PSS001"], root);
    assert_eq!(code, Some(0), "accepted findings do not fail the scan");
    assert_eq!(
        findings(&json),
        [("PSS003".into(), 9, true), ("PSS003".into(), 10, true)]
    );
    let suppression = &json["findings"][0]["suppression"];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["approvedBy"], "secops@example.com");
    assert_eq!(suppression["expires"], "2999-12-31");
    assert_eq!(suppression["position"]["line"], 2);
    assert_eq!(
        diagnostic_codes(&json),
        ["stale-exception"],
        "the PSS001 exception matches nothing"
    );

    fs::write(root.join(".vigie.yaml"), config("2020-01-31")).unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--rule", "PSS001"], root);
    assert_eq!(code, Some(1), "an expired exception stops suppressing");
    assert_eq!(
        findings(&json),
        [("PSS003".into(), 9, false), ("PSS003".into(), 10, false)]
    );
    let codes = diagnostic_codes(&json);
    assert!(
        codes.contains(&"expired-exception".to_string()),
        "{codes:?}"
    );
    let expired = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "expired-exception")
        .unwrap();
    assert_eq!(expired["path"], ".vigie.yaml");
    assert_eq!(expired["level"], "warning");
    assert!(expired["message"].as_str().unwrap().contains("2020-01-31"));

    // SARIF carries the suppression and its justification.
    fs::write(root.join(".vigie.yaml"), config("2999-12-31")).unwrap();
    let out = vigie(
        &["scan", ".", "--format", "sarif", "--rule", "PSS003"],
        root,
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let suppression = &sarif["runs"][0]["results"][0]["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    assert!(
        suppression["justification"]
            .as_str()
            .unwrap()
            .starts_with("node-exporter")
    );
}

#[test]
fn inline_ignores_and_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("pods.yaml"),
        "apiVersion: v1
kind: Pod
metadata:
  name: csi
spec:
  hostPID: true # vigie:ignore PSS003 -- the CSI driver needs the host's mounts
  hostIPC: true
  containers:
  - name: driver
    image: registry.example.com/csi:1.0.0
    securityContext:
      # vigie:ignore privileged-container -- mounts volumes for the node
      privileged: true
---
# vigie:ignore PSS
apiVersion: v1
kind: Pod
metadata:
  name: legacy
spec:
  hostNetwork: true
---
apiVersion: v1
kind: Pod
metadata:
  name: annotated
  annotations:
    vigie.dev/ignore: \"PSS003: ingress controller on the host network; PSS001\"
spec:
  hostNetwork: true
  containers:
  - name: c
    image: registry.example.com/c:1.0.0
    securityContext: {privileged: true}
",
    )
    .unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--rule", "PSS001"], root);
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&json),
        [
            ("PSS003".into(), 6, true),
            ("PSS003".into(), 7, false),
            ("PSS001".into(), 13, true),
            ("PSS003".into(), 21, true),
            ("PSS003".into(), 30, true),
            ("PSS001".into(), 34, true),
        ]
    );
    let first = &json["findings"][0]["suppression"];
    assert_eq!(first["kind"], "inSource");
    assert_eq!(
        first["justification"],
        "the CSI driver needs the host's mounts"
    );
    let without_reason: Vec<u64> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ignore-without-reason")
        .map(|d| d["position"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        without_reason,
        [15, 28],
        "the bare comment and the bare annotation entry"
    );
}

#[test]
fn baseline_survives_inserted_lines_and_reports_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("ds.yaml"), NODE_EXPORTER).unwrap();
    let out = vigie(
        &[
            "scan",
            ".",
            "--rule",
            "PSS003",
            "--write-baseline",
            "baseline.json",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(0));
    let (code, json) = report(&["--rule", "PSS003", "--baseline", "baseline.json"], root);
    assert_eq!((code, findings(&json)), (Some(0), vec![]));
    assert_eq!(json["summary"]["inBaseline"], 2);
    // Lines inserted above the findings do not break the match...
    let shifted = NODE_EXPORTER.replace(
        "metadata:\n",
        "metadata:\n  labels:\n    team: observability\n    tier: platform\n",
    );
    fs::write(root.join("ds.yaml"), &shifted).unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--baseline", "baseline.json"], root);
    assert_eq!((code, findings(&json)), (Some(0), vec![]));
    // ...and a new violation is reported.
    fs::write(
        root.join("ds.yaml"),
        shifted.replace("hostPID: true\n", "hostPID: true\n      hostIPC: true\n"),
    )
    .unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--baseline", "baseline.json"], root);
    assert_eq!(
        (code, findings(&json)),
        (Some(1), vec![("PSS003".into(), 14, false)])
    );
    // A broken baseline is a usage error.
    fs::write(root.join("broken.json"), "{").unwrap();
    assert_eq!(
        vigie(&["scan", ".", "--baseline", "broken.json"], root)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn changed_since_reports_only_new_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    fs::write(root.join("ds.yaml"), NODE_EXPORTER).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);
    // The pull request adds hostIPC to the existing DaemonSet and a new file.
    fs::write(
        root.join("ds.yaml"),
        NODE_EXPORTER.replace("hostPID: true\n", "hostPID: true\n      hostIPC: true\n"),
    )
    .unwrap();
    fs::write(
        root.join("new.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n",
    )
    .unwrap();
    let (code, json) = report(&["--rule", "PSS003", "--changed-since", "HEAD"], root);
    assert_eq!(code, Some(1));
    let found: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("ds.yaml".to_string(), 11), ("new.yaml".to_string(), 5)]
    );
    assert_eq!(
        json["summary"]["unchanged"], 2,
        "hostNetwork and hostPID were there before"
    );
    assert_eq!(
        vigie(&["scan", ".", "--changed-since", "no-such-revision"], root)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("ds.yaml"), NODE_EXPORTER).unwrap();
    fs::write(
        root.join("broken.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: [\n",
    )
    .unwrap();
    let summary = root.join("summary.md");
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["scan", ".", "--format", "github", "--rule", "PSS003"])
        .current_dir(root)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let annotations = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = annotations.lines().collect();
    assert_eq!(lines.len(), 3, "{annotations}");
    assert!(lines[0].starts_with("::error file=ds.yaml,line=9,endLine=9,col=7,endColumn=24,title=PSS003 host-namespaces (high)::"));
    assert!(
        lines[2].starts_with("::error file=broken.yaml,line=3,"),
        "{}",
        lines[2]
    );
    let table = fs::read_to_string(&summary).unwrap();
    assert!(
        table.starts_with("## Vigie\n\n**2 findings** (2 high)"),
        "{table}"
    );
    assert!(
        table.contains("| high | PSS003 host-namespaces | `ds.yaml:9` |"),
        "{table}"
    );
}
