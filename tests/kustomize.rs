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
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => serde_json::Value::from(*f as i64),
            Value::Float(f) => serde_json::Value::from(*f),
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::Seq(items) => serde_json::Value::Array(items.iter().map(json).collect()),
            Value::Map(entries) => serde_json::Value::Object(
                entries.iter().map(|e| (e.key.text.to_string(), json(&e.value))).collect(),
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
    loaded.resources.iter().map(|r| canonical(&r.body)).collect()
}

fn golden(root: &str) -> Vec<String> {
    let path = PathBuf::from("testdata/kustomize/golden").join(format!("{}.yaml", root.replace('/', "__")));
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
            let only_ours: Vec<_> = ours_sorted.iter().filter(|d| !theirs_sorted.contains(d)).collect();
            let only_theirs: Vec<_> = theirs_sorted.iter().filter(|d| !ours_sorted.contains(d)).collect();
            let order = if only_ours.is_empty() && only_theirs.is_empty() { " (same documents, different order)" } else { "" };
            failures.push(format!("{root}{order}:\n  only vigie: {only_ours:?}\n  only kustomize: {only_theirs:?}"));
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
        eprintln!("VIGIE_KUBECTL is not set: the live comparison with kubectl kustomize is skipped");
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
        assert!(output.status.success(), "{root}: {}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let mut theirs: Vec<String> = load(FileId(0), "live", &text, Limits::default())
            .documents
            .iter()
            .map(|d| canonical(&d.root))
            .collect();
        let mut ours = rendered(&path);
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs, "{root} differs from the live kubectl kustomize");
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
                vec![format!("{base}/overlays/dev"), format!("{base}/overlays/prod")]
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
        privileged
            .related
            .iter()
            .any(|r| scan.sources.get(r.span.file).display.ends_with("base/deployment.yaml")),
        "the base file is a related location"
    );
}
