//! The AKS rules on whole Terraform configurations.

use std::path::PathBuf;

use vigie::diagnostic::DiagnosticCode;
use vigie::{Scan, ScanOptions, rules};

/// Scans `path` with every AKS rule, and the Azure-wide AZ001 (data
/// location), which the same configurations must satisfy.
fn scan_with_aks_rules(path: &str) -> Scan {
    let mut aks: Vec<String> = rules::all()
        .iter()
        .filter(|r| r.family() == "AKS")
        .map(|r| r.id.to_string())
        .collect();
    assert!(aks.len() >= 20, "the AKS rules are registered: {aks:?}");
    aks.push("AZ001".to_string());
    let options = ScanOptions {
        paths: vec![PathBuf::from(path)],
        rules: aks,
        ..ScanOptions::default()
    };
    vigie::scan(&options).expect("scan runs")
}

#[test]
fn a_hardened_azurerm_v4_cluster_passes_every_aks_rule_and_stays_in_the_eea() {
    let scan = scan_with_aks_rules("testdata/terraform/hardened-v4");
    let addresses: Vec<&str> = scan.terraform.iter().map(|r| r.address.as_str()).collect();
    for expected in [
        "azurerm_kubernetes_cluster.main",
        "azurerm_kubernetes_cluster_node_pool.apps[\"apps\"]",
    ] {
        assert!(addresses.contains(&expected), "{expected} in {addresses:?}");
    }
    let findings: Vec<String> = scan
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f.rule.id, f.span.start.line, f.field, f.message
            )
        })
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    // Every deciding value is known: no rule had to give up.
    let undetermined: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::UnknownValue)
        .collect();
    assert!(undetermined.is_empty(), "{undetermined:#?}");
    assert!(!scan.has_errors(), "{:#?}", scan.diagnostics);
}

#[test]
fn the_demo_cluster_has_the_misconfigurations_its_readme_lists() {
    let scan = scan_with_aks_rules("testdata/demo/infra/aks");
    let found: Vec<(&str, u32)> = scan
        .findings
        .iter()
        .map(|f| (f.rule.id, f.span.start.line))
        .collect();
    assert_eq!(
        found,
        [
            ("AKS019", 14),
            ("AKS009", 28),
            ("AKS010", 45),
            ("AKS011", 48),
            ("AKS015", 71),
            ("AKS016", 75),
        ]
    );
    // The open range comes from the tfvars file.
    let open = &scan.findings[2];
    let origins: Vec<String> = open
        .related
        .iter()
        .map(|r| scan.sources.get(r.span.file).display.clone())
        .collect();
    assert_eq!(origins, ["testdata/demo/infra/aks/terraform.tfvars"]);
    let readme = std::fs::read_to_string("testdata/demo/README.md").expect("demo README");
    for (id, _) in &found {
        assert!(readme.contains(id), "the demo README mentions {id}");
    }
}
