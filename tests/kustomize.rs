//! The Kustomize engine against the reference kustomize: every root listed in
//! `testdata/kustomize/builds/ROOTS` must render the same documents (compared
//! as parsed YAML) as the golden output `kubectl kustomize` produced
//! (`scripts/kustomize-golden.sh` regenerates them). And findings on built
//! objects point at the file that set the field.

use std::path::{Path, PathBuf};

use vigie::source::FileId;
use vigie::source::yaml::{Limits, Node, Value, load};
use vigie::{ScanOptions, load_inputs};

const BUILDS: &str = "testdata/kustomize/builds";

/// A document as canonical JSON text: keys sorted, numbers compared by value.
fn canonical(node: &Node) -> String {
    fn json(node: &Node) -> serde_json::Value {
        match &node.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                serde_json::Value::from(*f as i64)
            }
            Value::Float(f) => serde_json::Value::from(*f),
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::Seq(items) => serde_json::Value::Array(items.iter().map(json).collect()),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.text.to_string(), json(&e.value)))
                    .collect(),
            ),
        }
    }
    json(node).to_string()
}

fn rendered(root: &Path) -> Vec<String> {
    let options = ScanOptions {
        paths: vec![root.to_path_buf()],
        ..ScanOptions::default()
    };
    let loaded = vigie::render(root, &options).expect("render runs");
    let problems: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level != vigie::diagnostic::DiagnosticLevel::Note)
        .collect();
    assert!(problems.is_empty(), "{}: {problems:?}", root.display());
    loaded
        .resources
        .iter()
        .map(|r| canonical(&r.body))
        .collect()
}

fn golden(root: &str) -> Vec<String> {
    let path = PathBuf::from("testdata/kustomize/golden")
        .join(format!("{}.yaml", root.replace('/', "__")));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load(FileId(0), "golden", &text, Limits::default())
        .documents
        .iter()
        .map(|d| canonical(&d.root))
        .collect()
}

#[test]
fn builds_match_kubectl_kustomize() {
    let roots = std::fs::read_to_string(Path::new(BUILDS).join("ROOTS")).expect("ROOTS");
    let mut failures = Vec::new();
    let mut count = 0;
    for root in roots.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let ours = rendered(&Path::new(BUILDS).join(root));
        let theirs = golden(root);
        if ours != theirs {
            let mut ours_sorted = ours.clone();
            ours_sorted.sort();
            let mut theirs_sorted = theirs.clone();
            theirs_sorted.sort();
            let only_ours: Vec<_> = ours_sorted
                .iter()
                .filter(|d| !theirs_sorted.contains(d))
                .collect();
            let only_theirs: Vec<_> = theirs_sorted
                .iter()
                .filter(|d| !ours_sorted.contains(d))
                .collect();
            let order = if only_ours.is_empty() && only_theirs.is_empty() {
                " (same documents, different order)"
            } else {
                ""
            };
            failures.push(format!(
                "{root}{order}:\n  only vigie: {only_ours:?}\n  only kustomize: {only_theirs:?}"
            ));
        }
    }
    assert!(count >= 8);
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// With `VIGIE_KUBECTL` set to a kubectl binary, every root is also compared
/// with the live reference build (CI sets it up with scripts/install-oracles.sh).
#[test]
fn builds_match_the_live_reference_when_available() {
    let Some(kubectl) = std::env::var_os("VIGIE_KUBECTL") else {
        eprintln!(
            "VIGIE_KUBECTL is not set: the live comparison with kubectl kustomize is skipped"
        );
        return;
    };
    let roots = std::fs::read_to_string(Path::new(BUILDS).join("ROOTS")).expect("ROOTS");
    for root in roots.lines().filter(|l| !l.trim().is_empty()) {
        let path = Path::new(BUILDS).join(root);
        let output = std::process::Command::new(&kubectl)
            .arg("kustomize")
            .arg(&path)
            .output()
            .expect("kubectl runs");
        assert!(
            output.status.success(),
            "{root}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let mut theirs: Vec<String> = load(FileId(0), "live", &text, Limits::default())
            .documents
            .iter()
            .map(|d| canonical(&d.root))
            .collect();
        let mut ours = rendered(&path);
        theirs.sort();
        ours.sort();
        assert_eq!(
            ours, theirs,
            "{root} differs from the live kubectl kustomize"
        );
    }
}

#[test]
fn findings_point_at_the_overlay_patch_and_list_variants() {
    let options = ScanOptions {
        paths: vec![PathBuf::from(BUILDS).join("overlays-shared-base")],
        rules: vec!["PSS001".into(), "PSS014".into()],
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).expect("scan runs");
    let located: Vec<(String, u32, String, Vec<String>)> = scan
        .findings
        .iter()
        .map(|f| {
            (
                scan.sources.get(f.span.file).display.clone(),
                f.span.start.line,
                f.rule.id.to_string(),
                f.variants.clone(),
            )
        })
        .collect();
    let base = format!("{BUILDS}/overlays-shared-base");
    assert_eq!(
        located,
        [
            (
                format!("{base}/base/deployment.yaml"),
                26,
                "PSS014".to_string(),
                vec![
                    format!("{base}/overlays/dev"),
                    format!("{base}/overlays/prod")
                ]
            ),
            (
                format!("{base}/overlays/prod/privileged-proxy.yaml"),
                11,
                "PSS001".to_string(),
                vec![format!("{base}/overlays/prod")]
            ),
        ]
    );
    let privileged = &scan.findings[1];
    assert!(
        privileged.related.iter().any(|r| scan
            .sources
            .get(r.span.file)
            .display
            .ends_with("base/deployment.yaml")),
        "the base file is a related location"
    );
}

/// The diagnostics of a scan of `testdata/kustomize/safety/<case>`, as
/// `(code, file, line, message)`, and the names of the resources it checks.
/// A diagnostic as `(code, file, line, message)`.
type Reported = (String, String, u32, String);

fn safety_case(case: &str) -> (Vec<Reported>, Vec<String>) {
    let options = ScanOptions {
        paths: vec![PathBuf::from("testdata/kustomize/safety").join(case)],
        ..ScanOptions::default()
    };
    let loaded = load_inputs(&options).expect("inputs load");
    let diagnostics = loaded
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.path.clone(),
                d.position.map_or(0, |p| p.line),
                d.message.clone(),
            )
        })
        .collect();
    let names = loaded
        .resources
        .iter()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect();
    (diagnostics, names)
}

#[test]
fn remote_resources_are_named_and_the_rest_still_builds() {
    let (diagnostics, names) = safety_case("remote");
    let remote: Vec<u32> = diagnostics
        .iter()
        .filter(|d| d.0 == "remote-not-fetched")
        .map(|d| d.2)
        .collect();
    assert_eq!(remote, [2, 3], "{diagnostics:?}");
    assert!(diagnostics.iter().all(|d| d.0 == "remote-not-fetched"));
    assert_eq!(names, ["local"]);
}

#[test]
fn cycles_are_reported_not_skipped() {
    let (diagnostics, _) = safety_case("cycle");
    assert!(
        diagnostics
            .iter()
            .any(|d| d.0 == "kustomize-build" && d.3.contains("cycle") && d.2 == 2),
        "{diagnostics:?}"
    );
}

#[test]
fn paths_outside_the_repository_are_refused() {
    let (diagnostics, names) = safety_case("escape");
    assert!(
        diagnostics.iter().any(|d| d.0 == "kustomize-build"
            && d.3.contains("outside the repository")
            && d.2 == 3),
        "{diagnostics:?}"
    );
    assert!(names.is_empty());
}

#[test]
fn plugins_are_never_run_and_say_so() {
    let (diagnostics, names) = safety_case("plugin");
    assert!(
        diagnostics.iter().any(|d| d.0 == "kustomize-unsupported"
            && d.1.ends_with("exec-plugin.yaml")
            && d.3.contains("is not run")),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d.0 == "kustomize-unsupported" && d.3.contains("`generators`")),
        "{diagnostics:?}"
    );
    assert!(names.contains(&"plugged".to_string()));
    assert!(!Path::new("testdata/kustomize/safety/plugin/touch-a-file.sh").exists());
}

#[test]
fn a_failed_build_is_an_error_at_its_line_and_its_files_are_still_scanned() {
    let (diagnostics, names) = safety_case("broken");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let (code, file, line, message) = &diagnostics[0];
    assert_eq!(code, "kustomize-build");
    assert!(file.ends_with("broken/kustomization.yaml"));
    assert_eq!(*line, 4);
    assert!(message.contains("missing-patch.yaml"));
    assert_eq!(names, ["broken"]);
}

#[test]
fn a_finding_set_by_a_var_points_where_the_reference_is_written() {
    let options = ScanOptions {
        paths: vec![PathBuf::from(BUILDS).join("vars-and-configurations")],
        ..ScanOptions::default()
    };
    let loaded = load_inputs(&options).expect("inputs load");
    let deployment = loaded
        .resources
        .iter()
        .find(|r| r.kind == "Deployment")
        .expect("the overlay's Deployment");
    assert_eq!(deployment.name.as_deref(), Some("prod-web"));
    let value = deployment
        .body
        .get_path(&["spec", "template", "spec", "containers"])
        .and_then(|c| c.items().first())
        .and_then(|c| c.get("env"))
        .and_then(|e| e.items().first())
        .and_then(|e| e.get("value"))
        .expect("env value");
    assert_eq!(value.as_str(), Some("prod-web"));
    assert!(
        loaded
            .sources
            .get(value.span.file)
            .display
            .ends_with("base/app.yaml")
    );
    assert_eq!(value.span.start.line, 32);
}
