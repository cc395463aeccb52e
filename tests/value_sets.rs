//! Named value sets: a chart with named `charts` entries in `.vigie.yaml` is
//! rendered once per set, and every finding and diagnostic says which set
//! produced it, in every output format.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm/value-sets")
}

fn vigie_scan(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(fixture())
        .args(["scan", ".", "--rule", "PSS001", "--format", format])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn json(format: &str) -> serde_json::Value {
    serde_json::from_str(&vigie_scan(format)).unwrap()
}

#[test]
fn each_set_is_rendered_and_only_the_privileged_ones_fail() {
    let config = vigie::config::load(
        &fixture().join(".vigie.yaml"),
        &fixture().join(".vigie.yaml").display().to_string(),
    )
    .unwrap();
    let scan = vigie::scan(&vigie::ScanOptions {
        paths: vec![fixture()],
        config,
        rules: vec!["PSS001".into()],
        ..vigie::ScanOptions::default()
    })
    .unwrap();
    // prod turns `privileged` off; dev and staging give the same finding at
    // the same template line, once each, in set order.
    let found: Vec<(&str, u32, Option<&str>)> = scan
        .findings
        .iter()
        .map(|f| (f.rule.id, f.span.start.line, f.value_set.as_deref()))
        .collect();
    assert_eq!(
        found,
        [("PSS001", 10, Some("dev")), ("PSS001", 10, Some("staging"))]
    );
    assert_ne!(scan.findings[0].fingerprint, scan.findings[1].fingerprint);
    // Each finding points at the values file of its own set.
    let via: Vec<String> = scan
        .findings
        .iter()
        .map(|f| scan.sources.get(f.related[0].span.file).display.clone())
        .collect();
    assert!(via[0].ends_with("values-dev.yaml"), "{via:?}");
    assert!(via[1].ends_with("values-staging.yaml"), "{via:?}");
    // Three renders, no unnamed one: three Pods and the ConfigMaps of the
    // two sets whose config template rendered.
    let sets: Vec<(&str, Option<&str>)> = scan
        .resources
        .iter()
        .map(|r| (r.kind.as_str(), r.value_set.as_deref()))
        .collect();
    assert_eq!(sets.iter().filter(|(kind, _)| *kind == "Pod").count(), 3);
    assert!(sets.iter().all(|(_, set)| set.is_some()), "{sets:?}");
    let errors: Vec<(&str, Option<&str>)> = scan
        .diagnostics
        .iter()
        .filter(|d| d.level == vigie::diagnostic::DiagnosticLevel::Error)
        .map(|d| (d.message.as_str(), d.value_set.as_deref()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].0.contains("broken is not supported"));
    assert_eq!(errors[0].1, Some("staging"));
}

#[test]
fn text_output_names_the_set() {
    let text = vigie_scan("text");
    let headers: Vec<&str> = text.lines().filter(|l| l.contains("PSS001")).collect();
    assert_eq!(headers.len(), 2, "{text}");
    assert!(headers[0].ends_with("[critical] [values: dev]"), "{text}");
    assert!(
        headers[1].ends_with("[critical] [values: staging]"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("error[helm-render]") && l.ends_with("[values: staging]")),
        "{text}"
    );
}

#[test]
fn json_output_names_the_set() {
    let report = json("json");
    let sets: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["valueSet"].as_str().unwrap())
        .collect();
    assert_eq!(sets, ["dev", "staging"]);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "helm-render" && d["valueSet"] == "staging"),
        "{diagnostics:?}"
    );
}

#[test]
fn sarif_results_carry_the_set_and_distinct_fingerprints() {
    let log = json("sarif");
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let sets: Vec<&str> = results
        .iter()
        .map(|r| r["properties"]["valueSet"].as_str().unwrap())
        .collect();
    assert_eq!(sets, ["dev", "staging"]);
    let prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["vigieFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_ne!(prints[0], prints[1]);
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notifications
            .iter()
            .any(|n| n["properties"]["valueSet"] == "staging"),
        "{notifications:?}"
    );
}

/// A chart written to a temporary repository, scanned with `config`: the
/// value sets (`None` for the unnamed render) of its PSS001 findings.
fn privileged_sets(config: &str) -> Vec<Option<String>> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let chart = root.join("web");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::copy(
        fixture().join("web/templates/pod.yaml"),
        chart.join("templates/pod.yaml"),
    )
    .unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "privileged: true\n").unwrap();
    let path = root.join(".vigie.yaml");
    std::fs::write(&path, config).unwrap();
    let config = vigie::config::load(&path, &path.display().to_string()).unwrap();
    let scan = vigie::scan(&vigie::ScanOptions {
        paths: vec![root.to_path_buf()],
        config,
        rules: vec!["PSS001".into()],
        ..vigie::ScanOptions::default()
    })
    .unwrap();
    scan.findings.into_iter().map(|f| f.value_set).collect()
}

#[test]
fn an_entry_without_a_name_keeps_the_default_render() {
    let named_only = "charts:\n  - path: web\n    name: b\n  - path: ./web/\n    name: a\n";
    assert_eq!(
        privileged_sets(named_only),
        [Some("a".to_string()), Some("b".to_string())]
    );
    let with_default = format!("{named_only}  - path: web\n");
    assert_eq!(
        privileged_sets(&with_default),
        [None, Some("a".to_string()), Some("b".to_string())]
    );
    // An unnamed entry's own options still replace the defaults.
    let off =
        "charts:\n  - path: web\n    set: [privileged=false]\n  - path: web\n    name: live\n";
    assert_eq!(privileged_sets(off), [Some("live".to_string())]);
    assert_eq!(privileged_sets("charts: []\n"), [None]);
}

#[test]
fn github_annotations_and_the_evidence_report_name_the_set() {
    let annotations = vigie_scan("github");
    let errors: Vec<&str> = annotations
        .lines()
        .filter(|l| l.contains("PSS001"))
        .collect();
    assert_eq!(errors.len(), 2, "{annotations}");
    assert!(errors[0].ends_with("[values: dev]"), "{annotations}");
    assert!(errors[1].ends_with("[values: staging]"), "{annotations}");

    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(fixture())
        .args(["report", ".", "--framework", "pss-baseline", "--output"])
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    assert!(status.status.success());
    let markdown = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for set in ["dev", "staging"] {
        assert!(
            markdown.contains(&format!("runs privileged \\[values: {set}\\]")),
            "{markdown}"
        );
    }
    assert!(!markdown.contains("values: prod"), "{markdown}");
    let evidence: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("evidence.json")).unwrap())
            .unwrap();
    let sets: Vec<&str> = evidence["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PSS001")
        .map(|f| f["valueSet"].as_str().unwrap())
        .collect();
    assert_eq!(sets, ["dev", "staging"]);
}
