//! Rule parameters change what rules report. The fixture harness runs rules
//! with their defaults; these tests set parameters the way `.vigie.yaml` does.

use std::path::Path;

use vigie::ScanOptions;
use vigie::config::{Config, RuleSetting};
use vigie::rules::ParamValue;

/// The lines of the findings of `rule` on `manifest`, with `parameters` set.
fn finding_lines(rule: &str, parameters: &[(&str, ParamValue)], manifest: &str) -> Vec<u32> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("manifest.yaml");
    std::fs::write(&path, manifest).expect("write manifest");
    let options = ScanOptions {
        paths: vec![Path::new(&path).to_path_buf()],
        rules: vec![rule.to_string()],
        config: Config {
            rules: vec![RuleSetting {
                selector: rule.to_string(),
                enabled: None,
                severity: None,
                parameters: parameters
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.clone()))
                    .collect(),
            }],
            ..Config::default()
        },
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).expect("scan runs");
    scan.findings.iter().map(|f| f.span.start.line).collect()
}

fn list(items: &[&str]) -> ParamValue {
    ParamValue::List(items.iter().map(|s| s.to_string()).collect())
}

const CLUSTER_ADMIN: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: Group, name: break-glass}
- {kind: Group, name: platform}
";

#[test]
fn rbac002_allowed_subjects() {
    assert_eq!(finding_lines("RBAC002", &[], CLUSTER_ADMIN), [6, 7]);
    let allowed = [("allowed_subjects", list(&["break-glass"]))];
    assert_eq!(finding_lines("RBAC002", &allowed, CLUSTER_ADMIN), [7]);
}

#[test]
fn rbac003_ignore_named_secrets() {
    let role = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: tls-reader, namespace: web}
rules:
- {apiGroups: [''], resources: [secrets], resourceNames: [web-tls], verbs: [get]}
- {apiGroups: [''], resources: [secrets], verbs: [list]}
";
    assert_eq!(finding_lines("RBAC003", &[], role), [5, 6]);
    let ignore = [("ignore_named_secrets", ParamValue::Bool(true))];
    assert_eq!(finding_lines("RBAC003", &ignore, role), [6]);
}

#[test]
fn rbac011_allowed_roles() {
    let binding = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-views}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: 'system:authenticated'}
";
    assert_eq!(finding_lines("RBAC011", &[], binding), [6]);
    let allowed = [("allowed_roles", list(&["view"]))];
    assert!(finding_lines("RBAC011", &allowed, binding).is_empty());
}

#[test]
fn sec003_credential_names_and_ignored_suffixes() {
    let pod = "\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
    env:
    - {name: DB_PASSWORD, value: hunter2}
    - {name: LICENSE_PIN, value: '0x9f'}
    - {name: PASSWORD_HASH, value: '$2y$10$abc'}
";
    assert_eq!(finding_lines("SEC003", &[], pod), [9, 11]);
    let names = [("credential_names", list(&["pin"]))];
    assert_eq!(finding_lines("SEC003", &names, pod), [10]);
    let suffixes = [("ignored_suffixes", list(&["_HASH"]))];
    assert_eq!(finding_lines("SEC003", &suffixes, pod), [9]);
}

#[test]
fn crt001_minimum_sizes() {
    let certificate = "\
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web}
spec:
  secretName: web-tls
  issuerRef: {kind: ClusterIssuer, name: ca}
  privateKey:
    algorithm: RSA
";
    assert!(finding_lines("CRT001", &[], certificate).is_empty());
    let stricter = [("min_rsa_bits", ParamValue::Int(3072))];
    assert_eq!(finding_lines("CRT001", &stricter, certificate), [8]);
    let ecdsa = certificate.replace("RSA", "ECDSA\n    size: 256");
    let stricter = [("min_ecdsa_bits", ParamValue::Int(384))];
    assert_eq!(finding_lines("CRT001", &stricter, &ecdsa), [9]);
}
