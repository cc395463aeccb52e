//! Rules that look across resources find them in any file of the scan.

use std::fs;
use std::path::Path;

use vigie::{Scan, ScanOptions};

fn scan(dir: &Path, rule: &str) -> Scan {
    let options = ScanOptions {
        paths: vec![dir.to_path_buf()],
        rules: vec![rule.to_string()],
        ..ScanOptions::default()
    };
    vigie::scan(&options).expect("scan runs")
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: finance
spec:
  selector:
    matchLabels:
      app: billing
  template:
    metadata:
      labels:
        app: billing
    spec:
      serviceAccountName: billing
      containers:
      - name: billing
        image: registry.example.com/billing:5.1.0
";

const SERVICE_ACCOUNT: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: billing
  namespace: finance
";

#[test]
fn token_automount_reads_the_service_account_of_another_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("deployment.yaml"), DEPLOYMENT).expect("write");

    // No ServiceAccount in the scan: Kubernetes' default, automounting on.
    let alone = scan(dir.path(), "K8S007");
    assert_eq!(alone.findings.len(), 1);
    assert!(alone.findings[0].related.is_empty());

    // A ServiceAccount that leaves automounting on: reported, and shown.
    let account = dir.path().join("service-account.yaml");
    fs::write(&account, SERVICE_ACCOUNT).expect("write");
    let found = scan(dir.path(), "K8S007");
    assert_eq!(found.findings.len(), 1);
    let finding = &found.findings[0];
    assert_eq!(finding.span.start.line, 14, "the pod spec");
    assert!(
        found
            .sources
            .get(finding.span.file)
            .display
            .ends_with("deployment.yaml")
    );
    let related = &finding.related;
    assert_eq!(related.len(), 1);
    assert!(
        found
            .sources
            .get(related[0].span.file)
            .display
            .ends_with("service-account.yaml")
    );
    assert_eq!(related[0].span.start.line, 4, "the ServiceAccount's name");

    // The ServiceAccount opts out: the pod inherits it.
    fs::write(
        &account,
        format!("{SERVICE_ACCOUNT}automountServiceAccountToken: false\n"),
    )
    .expect("write");
    assert!(scan(dir.path(), "K8S007").findings.is_empty());

    // Same name in another namespace: not the pod's ServiceAccount.
    fs::write(
        &account,
        format!("{SERVICE_ACCOUNT}automountServiceAccountToken: false\n")
            .replace("namespace: finance", "namespace: other"),
    )
    .expect("write");
    assert_eq!(scan(dir.path(), "K8S007").findings.len(), 1);
}

#[test]
fn limit_ranges_of_another_file_supply_resource_defaults() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("deployment.yaml"), DEPLOYMENT).expect("write");
    assert_eq!(scan(dir.path(), "K8S004").findings.len(), 1);
    fs::write(
        dir.path().join("limits.yaml"),
        "apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: finance
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 512Mi}
",
    )
    .expect("write");
    assert!(scan(dir.path(), "K8S004").findings.is_empty());
}
