//! End-to-end tests of the `vigie` binary: exit codes, hostile input, output
//! formats, determinism and fingerprints.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn vigie(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("vigie runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
";

/// Clean under every rule with its default parameters.
const CLEAN_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  serviceAccountName: good
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: app
    image: nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {memory: 64Mi}
    readinessProbe: {httpGet: {path: /ready, port: 8080}}
    livenessProbe: {httpGet: {path: /healthz, port: 8080}}
";

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let pss = ["--framework", "pss-restricted"];
    fs::write(dir.path().join("good.yaml"), CLEAN_POD).unwrap();
    assert_eq!(
        vigie(&["scan", ".", pss[0], pss[1]], dir.path())
            .status
            .code(),
        Some(0)
    );
    fs::write(dir.path().join("bad.yaml"), PRIVILEGED_POD).unwrap();
    assert_eq!(
        vigie(&["scan", ".", pss[0], pss[1]], dir.path())
            .status
            .code(),
        Some(1)
    );
    // Only medium findings besides the critical one: nothing at or above critical
    // once the privileged file is excluded.
    fs::write(
        dir.path().join("medium.yaml"),
        CLEAN_POD.replace("      allowPrivilegeEscalation: false\n", ""),
    )
    .unwrap();
    let out = vigie(
        &[
            "scan",
            ".",
            "--severity",
            "critical",
            "--exclude",
            "bad.yaml",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = vigie(
        &["scan", ".", "--severity", "medium", "--exclude", "bad.yaml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    for usage in [
        &["scan", "--framework", "nope"][..],
        &["scan", "missing-directory"],
        &["scan", "--severity", "urgent"],
        &["scan", "--rule", "XYZ999"],
        &["scan", "--exclude", "a/**/[b"],
        &["explain", "XYZ999"],
        &["frobnicate"],
    ] {
        let out = vigie(usage, dir.path());
        assert_eq!(out.status.code(), Some(2), "{usage:?}");
        assert!(!out.stderr.is_empty(), "{usage:?} explains itself");
    }
}

#[test]
fn framework_and_severity_select_findings() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.yaml"), PRIVILEGED_POD).unwrap();
    let rules_of = |args: &[&str]| -> Vec<String> {
        let out = vigie(args, dir.path());
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        rules_of(&[
            "scan",
            ".",
            "--format",
            "json",
            "--framework",
            "pss-baseline"
        ]),
        ["PSS001"]
    );
    let restricted = rules_of(&[
        "scan",
        ".",
        "--format",
        "json",
        "--framework",
        "pss-restricted",
    ]);
    assert!(restricted.len() > 1 && restricted.contains(&"PSS001".to_string()));
    assert_eq!(
        rules_of(&["scan", ".", "--format", "json", "--severity", "high"]),
        ["PSS001"]
    );
    assert_eq!(
        rules_of(&[
            "scan",
            ".",
            "--format",
            "json",
            "--rule",
            "privileged-container"
        ]),
        ["PSS001"]
    );
}

/// A repository with every kind of bad input still reports the findings of its
/// good files, and one diagnostic per bad input.
#[test]
fn hostile_repository_is_scanned_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("good.yaml"), PRIVILEGED_POD).unwrap();
    fs::write(
        root.join("malformed.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n",
    )
    .unwrap();
    fs::write(
        root.join("binary.yaml"),
        b"apiVersion: v1\n\x00\x01\x02\xff",
    )
    .unwrap();
    let huge = fs::File::create(root.join("huge.yaml")).unwrap();
    huge.set_len(50 * 1024 * 1024).unwrap();
    let mut bomb =
        String::from("apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!(
            "{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    fs::write(root.join("bomb.yaml"), bomb).unwrap();
    fs::write(
        root.join("latin1.yaml"),
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".", root.join("loop")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("passwd.yaml")).unwrap();
    }
    let out = vigie(&["scan", ".", "--format", "json", "--rule", "PSS001"], root);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["location"]["path"], "good.yaml");
    assert_eq!(findings[0]["location"]["start"]["line"], 10);
    let diagnostics: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut expected = vec![
        ("binary.yaml", "binary-file"),
        ("bomb.yaml", "alias-limit"),
        ("huge.yaml", "file-too-large"),
        ("latin1.yaml", "invalid-encoding"),
        ("malformed.yaml", "yaml-syntax"),
    ];
    if cfg!(unix) {
        expected.extend([
            ("loop", "symlink-loop"),
            ("passwd.yaml", "symlink-outside-root"),
        ]);
    }
    expected.sort();
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    assert_eq!(diagnostics, expected);
    let malformed = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "yaml-syntax")
        .unwrap();
    assert_eq!(malformed["position"]["line"], 3);
    assert!(
        !stdout(&out).contains("root:x:0:0"),
        "a link outside the tree is never read"
    );
}

#[test]
fn outputs_are_deterministic() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["text", "json", "sarif"] {
        let first = vigie(&["scan", "testdata/demo", "--format", format], demo);
        let second = vigie(&["scan", "testdata/demo", "--format", format], demo);
        assert_eq!(first.status.code(), Some(1));
        assert_eq!(
            first.stdout, second.stdout,
            "{format} output differs between runs"
        );
    }
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.yaml"), PRIVILEGED_POD).unwrap();
    let out = vigie(
        &["scan", ".", "--format", "sarif", "--output", "report.sarif"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(String::from_utf8_lossy(&out.stderr).contains("report written to report.sarif"));
}

/// Fingerprints do not move when lines are inserted above a finding.
#[test]
fn fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pod.yaml");
    let scan = || -> Vec<(u64, String)> {
        let out = vigie(&["scan", ".", "--format", "json"], dir.path());
        let mut found: Vec<(u64, String)> = json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["location"]["start"]["line"].as_u64().unwrap(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found
    };
    fs::write(&path, PRIVILEGED_POD).unwrap();
    let before = scan();
    let edited = PRIVILEGED_POD.replace(
        "metadata:\n",
        "metadata:\n  labels:\n    team: payments\n  annotations:\n    owner: someone\n",
    );
    fs::write(&path, edited).unwrap();
    let after = scan();
    assert_eq!(before.len(), after.len());
    for ((line_before, print_before), (line_after, print_after)) in before.iter().zip(&after) {
        assert_eq!(print_before, print_after);
        assert_eq!(line_before + 4, *line_after);
    }
}

#[test]
fn rules_and_explain() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = vigie(&["rules"], here);
    assert_eq!(out.status.code(), Some(0));
    let listing = stdout(&out);
    for rule in vigie::rules::all() {
        assert!(listing.contains(rule.id) && listing.contains(rule.name));
    }
    let out = vigie(&["rules", "--format", "json"], here);
    assert_eq!(
        json(&out).as_array().unwrap().len(),
        vigie::rules::all().len()
    );
    let out = vigie(&["explain", "pss001"], here);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## Why it matters"));
}

/// Upstream, the Restricted profile replaces the Baseline seccomp and
/// capabilities checks with ones that exempt Windows pods.
#[test]
fn windows_pods_are_exempt_from_linux_checks_only_under_restricted() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("win.yaml"),
        "apiVersion: v1
kind: Pod
metadata:
  name: win
spec:
  os:
    name: windows
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: Unconfined
  containers:
  - name: app
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
    securityContext:
      capabilities:
        add: [SYS_ADMIN]
",
    )
    .unwrap();
    let rules_of = |framework: &str| -> Vec<String> {
        let out = vigie(
            &["scan", ".", "--format", "json", "--framework", framework],
            dir.path(),
        );
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules_of("pss-baseline"), ["PSS010", "PSS006"]);
    assert!(rules_of("pss-restricted").is_empty());
}

#[test]
fn ignore_files_and_excludes_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::create_dir_all(root.join("vendor")).unwrap();
    fs::create_dir_all(root.join("k8s/generated")).unwrap();
    fs::write(root.join(".gitignore"), "vendor/\n").unwrap();
    for path in [
        "vendor/pod.yaml",
        "k8s/pod.yaml",
        "k8s/generated/pod.yaml",
        ".git/pod.yaml",
        "k8s/manifest",
    ] {
        fs::write(root.join(path), PRIVILEGED_POD).unwrap();
    }
    let paths = |args: &[&str]| -> Vec<String> {
        let out = vigie(args, root);
        let mut paths: Vec<String> = json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["location"]["path"].as_str().unwrap().to_string())
            .collect();
        paths.dedup();
        paths
    };
    let base = ["scan", "--format", "json", "--rule", "PSS001"];
    assert_eq!(
        paths(&base),
        ["k8s/generated/pod.yaml", "k8s/manifest", "k8s/pod.yaml"],
        "a manifest without extension is found by its content; vendor/ is ignored"
    );
    let mut no_ignore = base.to_vec();
    no_ignore.push("--no-ignore");
    assert_eq!(paths(&no_ignore).len(), 4, ".git is never scanned");
    let mut excluded = base.to_vec();
    excluded.extend(["--exclude", "generated", "--exclude", "*.yaml"]);
    assert_eq!(paths(&excluded), ["k8s/manifest"]);
    assert!(
        paths(&[
            "scan",
            "k8s/pod.yaml",
            "--format",
            "json",
            "--exclude",
            "k8s/*.yaml"
        ])
        .is_empty()
    );
    let out = vigie(
        &[
            "scan",
            "k8s/pod.yaml",
            "k8s/pod.yaml",
            "k8s",
            "--format",
            "json",
            "--rule",
            "PSS001",
        ],
        root,
    );
    assert_eq!(
        json(&out)["findings"].as_array().unwrap().len(),
        3,
        "a file named twice is scanned once"
    );
}

/// Rules that look across resources find their references in other files.
#[test]
fn cross_resource_rules_follow_references_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("apps")).unwrap();
    fs::create_dir_all(root.join("platform")).unwrap();
    fs::write(
        root.join("apps/web.yaml"),
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
      - name: app
        image: registry.example.com/web:1.0.0
",
    )
    .unwrap();
    fs::write(
        root.join("apps/service.yaml"),
        "apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
",
    )
    .unwrap();
    fs::write(
        root.join("platform/rbac.yaml"),
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: web-admin
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
",
    )
    .unwrap();
    let findings = |root: &Path| -> Vec<(String, String, Vec<String>)> {
        let out = vigie(
            &[
                "scan", ".", "--format", "json", "--rule", "PATH001", "--rule", "NET002",
            ],
            root,
        );
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let related = f["related"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .map(|l| l["path"].as_str().unwrap().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["location"]["path"].as_str().unwrap().to_string(),
                    related,
                )
            })
            .collect()
    };
    let found = findings(root);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "NET002");
    assert_eq!(found[1].0, "PATH001");
    assert_eq!(found[1].1, "apps/web.yaml");
    assert_eq!(found[1].2, ["apps/service.yaml", "platform/rbac.yaml"]);
    // A NetworkPolicy in yet another file isolates the workload.
    fs::write(
        root.join("platform/netpol.yaml"),
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
",
    )
    .unwrap();
    let found = findings(root);
    assert_eq!(
        found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["PATH001"]
    );
    // Without the binding, nothing makes the exposed workload dangerous.
    fs::remove_file(root.join("platform/rbac.yaml")).unwrap();
    assert!(findings(root).is_empty());
}

/// With --resolve-roots, a file of a Helm chart stands for its chart.
#[test]
fn resolve_roots_scans_the_chart_a_file_belongs_to() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("charts/web/templates")).unwrap();
    fs::write(
        root.join("charts/web/Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    )
    .unwrap();
    fs::write(
        root.join("charts/web/templates/deployment.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n    - name: a\n      image: a:1\n      securityContext:\n        privileged: true\n",
    )
    .unwrap();
    fs::write(root.join("pod.yaml"), PRIVILEGED_POD).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let out = vigie(args, root);
        json(&out)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["path"].as_str().unwrap(),
                    d["code"].as_str().unwrap()
                )
            })
            .collect()
    };
    let template = "charts/web/templates/deployment.yaml";
    assert_eq!(
        codes(&["scan", template, "--format", "json"]),
        [format!("{template} complex-key")]
    );
    assert_eq!(
        codes(&[
            "scan",
            template,
            "pod.yaml",
            "--format",
            "json",
            "--resolve-roots"
        ]),
        Vec::<String>::new()
    );
    // The chart is rendered: its Pod is checked at the template's line.
    let out = vigie(
        &["scan", template, "--format", "json", "--resolve-roots"],
        root,
    );
    let privileged: Vec<(String, u64)> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PSS001")
        .map(|f| {
            (
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["location"]["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(privileged, [(template.to_string(), 10)]);
}

#[test]
fn catalog_frameworks_select_the_rules_mapped_to_their_controls() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.yaml"), PRIVILEGED_POD).unwrap();
    let ran = |frameworks: &[&str]| -> Vec<String> {
        let mut args = vec!["scan", ".", "--format", "json"];
        for framework in frameworks {
            args.extend(["--framework", framework]);
        }
        let out = vigie(&args, dir.path());
        json(&out)["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let aks = ran(&["cis-aks"]);
    // Mapped to CIS AKS 4.2.1 and 4.1.1; PSS007 (AppArmor) evidences no AKS control.
    assert!(aks.contains(&"PSS001".to_string()) && aks.contains(&"RBAC002".to_string()));
    assert!(!aks.contains(&"PSS007".to_string()));
    let iso = ran(&["iso27001"]);
    assert!(iso.contains(&"PSS007".to_string()));
    assert!(
        !iso.contains(&"K8S012".to_string()),
        "a best practice, not ISO"
    );
    // HDS is evidenced through ISO 27001: the same rules.
    assert_eq!(ran(&["hds"]), iso);
    let gdpr = ran(&["rgpd"]);
    assert!(gdpr.contains(&"SEC001".to_string()) && !gdpr.contains(&"PSS007".to_string()));
    // Several frameworks select the union.
    let both = ran(&["cis-aks", "rgpd"]);
    assert!(both.len() > aks.len() && both.contains(&"SEC003".to_string()));
}

#[test]
fn frameworks_command_lists_catalogs_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigie(&["frameworks", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let list = json(&out);
    let aks = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cis-aks")
        .unwrap();
    assert_eq!(aks["version"], "v1.8.0");
    let controls = &aks["controls"];
    assert_eq!(controls["total"], 51);
    let sum: u64 = ["automated", "partial", "manual", "not-applicable"]
        .iter()
        .map(|k| controls[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 51);
    let text = stdout(&vigie(&["frameworks"], dir.path()));
    let iso = text.lines().find(|l| l.starts_with("iso27001 ")).unwrap();
    assert!(
        iso.contains(" 93 ") && iso.contains("ISO/IEC 27001"),
        "{iso}"
    );
    let explain = stdout(&vigie(&["explain", "PSS001"], dir.path()));
    assert!(explain.contains("cis-aks:4.2.1") && explain.contains("iso27001:8.2"));
    let rules = stdout(&vigie(&["rules"], dir.path()));
    assert!(rules.contains("controls: cis-k8s:5.2.2, cis-aks:4.2.1"));
}

#[test]
fn scan_help_names_every_framework() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(&vigie(&["scan", "--help"], dir.path()));
    for id in vigie::frameworks::known_ids() {
        assert!(help.contains(id), "`vigie scan --help` does not name {id}");
    }
}
