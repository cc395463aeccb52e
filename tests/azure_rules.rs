//! The places the Azure rules' findings point at besides the offending
//! attribute: where its value came from, the module calls leading to the
//! resource, and the other resources a cross-resource rule relates.

use std::path::Path;

use vigie::ScanOptions;

/// (file, line, message) of each related location of the first finding of
/// `rule` on `path`.
fn related(path: &str, rule: &str) -> Vec<(String, u32, String)> {
    let options = ScanOptions {
        paths: vec![Path::new(path).to_path_buf()],
        rules: vec![rule.to_string()],
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).expect("scan runs");
    assert!(!scan.findings.is_empty(), "{rule} reports on {path}");
    scan.findings[0]
        .related
        .iter()
        .map(|r| {
            (
                scan.sources.get(r.span.file).display.clone(),
                r.span.start.line,
                r.message.clone(),
            )
        })
        .collect()
}

#[test]
fn findings_trace_values_and_module_calls() {
    let dir = "testdata/rules/KV001/fail-module";
    let places: Vec<(String, u32)> = related(dir, "KV001")
        .into_iter()
        .map(|(file, line, _)| (file, line))
        .collect();
    assert_eq!(
        places,
        [
            (format!("{dir}/main.tf"), 8),
            (format!("{dir}/terraform.tfvars"), 1),
            (format!("{dir}/main.tf"), 5),
        ]
    );
}

#[test]
fn cross_resource_findings_name_the_other_resources() {
    let places = related("testdata/rules/AKS017/fail-v3-log-disabled.tf", "AKS017");
    assert_eq!(places.len(), 1);
    assert_eq!(places[0].1, 19);
    assert!(
        places[0]
            .2
            .starts_with("azurerm_monitor_diagnostic_setting.aks targets the cluster")
    );

    let places = related("testdata/rules/MON001/fail-private-only.tf", "MON001");
    assert_eq!(places[0].1, 25);
    assert_eq!(
        places[0].2,
        "azurerm_kubernetes_cluster.main runs the Defender sensor"
    );
}
