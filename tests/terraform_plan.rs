//! Terraform plans in JSON (`terraform show -json`), found by content anywhere
//! in a scanned tree and checked by the Terraform rules.

use std::fs;
use std::path::Path;

use vigie::ScanOptions;
use vigie::diagnostic::{DiagnosticCode, DiagnosticLevel};
use vigie::model::TfInput;

fn scan(path: &Path, rules: &[&str]) -> vigie::Scan {
    let options = ScanOptions {
        paths: vec![path.to_path_buf()],
        rules: rules.iter().map(|r| r.to_string()).collect(),
        ..ScanOptions::default()
    };
    vigie::scan(&options).expect("scan runs")
}

fn fixture(rule: &str, name: &str) -> String {
    fs::read_to_string(Path::new("testdata/rules").join(rule).join(name)).expect("fixture")
}

#[test]
fn plans_are_found_by_content_under_any_json_name() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let infra = dir.path().join("infra/prod");
    fs::create_dir_all(&infra).expect("mkdir");
    fs::write(
        infra.join("plan-output.json"),
        fixture("KV001", "fail-plan.tfplan.json"),
    )
    .expect("write plan");
    // JSON that merely mentions a format version is not a plan.
    fs::write(
        infra.join("package.json"),
        r#"{"name": "x", "format_version": "1.0"}"#,
    )
    .expect("write json");
    let scan = scan(dir.path(), &["KV001"]);
    assert_eq!(scan.terraform.len(), 2);
    assert!(scan.terraform.iter().all(|r| r.input == TfInput::Plan));
    assert_eq!(scan.terraform[0].address, "azurerm_key_vault.unset");
    let found: Vec<(String, u32, u32)> = scan
        .findings
        .iter()
        .map(|f| {
            (
                scan.sources.get(f.span.file).display.clone(),
                f.span.start.line,
                f.span.start.column,
            )
        })
        .collect();
    let text = fixture("KV001", "fail-plan.tfplan.json");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("needle in fixture") as u32
            + 1
    };
    let path = |p: &str| format!("{}/infra/prod/{p}", dir.path().display());
    assert_eq!(
        found,
        [
            (
                path("plan-output.json"),
                line_of(r#""address": "azurerm_key_vault.unset""#),
                11
            ),
            (
                path("plan-output.json"),
                line_of(r#""purge_protection_enabled": false"#),
                13
            ),
        ]
    );
    assert_eq!(
        scan.findings[0].resource.name.as_deref(),
        Some("azurerm_key_vault.unset")
    );
    assert!(!scan.has_errors(), "{:?}", scan.diagnostics);
}

#[test]
fn a_one_line_plan_gets_columns() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let text = fixture("DEF001", "fail-compact.tfplan.json");
    fs::write(dir.path().join("plan.json"), &text).expect("write plan");
    let scan = scan(dir.path(), &["DEF001"]);
    assert_eq!(scan.findings.len(), 1);
    let span = scan.findings[0].span;
    let column = text.find(r#""tier":"Free""#).expect("tier") as u32 + 1;
    assert_eq!((span.start.line, span.start.column), (1, column));
}

#[test]
fn unknown_values_are_notes_not_findings() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(
        dir.path().join("plan.json"),
        fixture("KV002", "pass-plan.tfplan.json"),
    )
    .expect("write plan");
    let scan = scan(dir.path(), &["KV002"]);
    assert!(scan.findings.is_empty());
    let notes: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::UnknownValue)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].level, DiagnosticLevel::Note);
    assert!(
        notes[0]
            .message
            .starts_with("KV002 not checked: network_acls")
    );
}

#[test]
fn plans_of_another_major_version_are_refused_with_a_warning() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let text = fixture("KV001", "fail-plan.tfplan.json").replacen(
        r#""format_version": "1.2""#,
        r#""format_version": "2.0""#,
        1,
    );
    fs::write(dir.path().join("plan.json"), text).expect("write plan");
    let scan = scan(dir.path(), &["KV001"]);
    assert!(scan.terraform.is_empty() && scan.findings.is_empty());
    let warning = scan
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::TerraformPlan)
        .expect("a terraform-plan diagnostic");
    assert_eq!(warning.level, DiagnosticLevel::Warning);
    assert_eq!(warning.position.map(|p| p.line), Some(2));
}

#[test]
fn cross_resource_rules_relate_plan_resources() {
    // The diagnostic setting's target is unknown in the plan; the plan's
    // configuration says it refers to the cluster.
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(
        dir.path().join("plan.json"),
        fixture("AKS017", "pass-plan.tfplan.json"),
    )
    .expect("write plan");
    let scan = scan(dir.path(), &["AKS017"]);
    assert!(scan.findings.is_empty(), "{:?}", scan.findings);
    let setting = scan
        .terraform
        .iter()
        .find(|r| r.resource_type == "azurerm_monitor_diagnostic_setting")
        .expect("diagnostic setting");
    let target = setting
        .body
        .attribute("target_resource_id")
        .expect("target");
    assert!(target.value.is_unknown());
    assert_eq!(target.references, ["azurerm_kubernetes_cluster.main"]);
}

#[test]
fn each_plan_is_a_world_of_its_own() {
    // Both plans name their cluster `azurerm_kubernetes_cluster.main`; only the
    // first exports the audit log. The second plan's cluster is not audited by
    // the first plan's diagnostic setting.
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(
        dir.path().join("a-audited.json"),
        fixture("AKS017", "pass-plan.tfplan.json"),
    )
    .expect("write plan");
    fs::write(
        dir.path().join("b-not-audited.json"),
        fixture("MON001", "pass-plan.tfplan.json"),
    )
    .expect("write plan");
    let scan = scan(dir.path(), &["AKS017"]);
    let files: Vec<&str> = scan
        .findings
        .iter()
        .map(|f| scan.sources.get(f.span.file).display.as_str())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("b-not-audited.json"));
}

/// The (rule, resource address) pairs the Azure rules report on a path.
fn azure_findings(path: &Path) -> std::collections::BTreeSet<(String, String)> {
    const AZURE_RULES: [&str; 10] = [
        "AKS017", "KV001", "KV002", "KV003", "ACR001", "ACR002", "ACR003", "DEF001", "MON001",
        "MON002",
    ];
    let scan = scan(path, &AZURE_RULES);
    assert!(!scan.has_errors(), "{:?}", scan.diagnostics);
    scan.findings
        .iter()
        .map(|f| {
            (
                f.rule.id.to_string(),
                f.resource.name.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_plan_and_its_configuration_give_the_same_findings() {
    let dir = Path::new("testdata/terraform/plan-equivalence");
    let from_hcl = azure_findings(&dir.join("main.tf"));
    let from_plan = azure_findings(&dir.join("plan.tfplan.json"));
    assert_eq!(from_hcl.len(), 10, "{from_hcl:?}");
    assert_eq!(from_hcl, from_plan);
}
