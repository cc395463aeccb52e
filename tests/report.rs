//! End-to-end tests of `vigie report`: the bundle's files, its manifest, its
//! determinism, escaping of hostile input, controls and the exceptions register.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

const EPOCH: &str = "1714564800";

fn vigie(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("vigie runs")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `vigie report testdata/demo` from the repository root into a new
/// directory.
fn demo_bundle() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bundle");
    let output = vigie(
        &["report", "testdata/demo", "-o", out.to_str().unwrap()],
        &repo_root(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, out)
}

fn evidence(bundle: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(bundle.join("evidence.json")).unwrap()).unwrap()
}

/// The text of the HTML element that starts with `start` (up to its closing
/// `end` tag).
fn element<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

#[test]
fn writes_the_bundle_and_a_manifest_that_verifies() {
    let (_dir, bundle) = demo_bundle();
    let mut names: Vec<String> = fs::read_dir(&bundle)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "evidence.json",
            "manifest.sha256",
            "report.html",
            "report.md"
        ]
    );
    let manifest = fs::read_to_string(bundle.join("manifest.sha256")).unwrap();
    let lines: Vec<(&str, &str)> = manifest
        .lines()
        .map(|l| l.split_once("  ").unwrap())
        .collect();
    assert_eq!(
        lines.iter().take(3).map(|(_, n)| *n).collect::<Vec<_>>(),
        ["report.html", "report.md", "evidence.json"]
    );
    // Report files verify from the bundle, inputs from the scan root.
    for (i, (hash, name)) in lines.iter().enumerate() {
        let base = if i < 3 { bundle.clone() } else { repo_root() };
        let bytes = fs::read(base.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(*hash, sha256(&bytes), "{name}");
    }
    let inputs = &evidence(&bundle)["inputs"];
    assert_eq!(lines.len() - 3, inputs.as_array().unwrap().len());
    assert!(
        lines
            .iter()
            .any(|(_, n)| *n == "testdata/demo/platform/debug/toolbox.json")
    );
    assert!(
        lines.iter().any(|(_, n)| *n == "testdata/demo/.vigie.yaml"),
        "the configuration is an input"
    );
    // The real tool agrees, where it is installed.
    if let Ok(check) = Command::new("sha256sum")
        .args(["-c", "--ignore-missing", "--strict", "manifest.sha256"])
        .current_dir(&bundle)
        .output()
    {
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        assert_eq!(
            String::from_utf8_lossy(&check.stdout)
                .matches(": OK")
                .count(),
            3
        );
    }
}

#[test]
fn bundles_are_byte_identical_with_source_date_epoch() {
    // Two copies of the demo in different directories: nothing of the
    // machine's paths or the clock may reach the bundle.
    let mut bundles = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("testdata/demo"), &dir.path().join("demo"));
        let output = vigie(&["report", "demo", "-o", "out"], dir.path());
        assert_eq!(output.status.code(), Some(0));
        let files: Vec<(String, Vec<u8>)> = [
            "report.html",
            "report.md",
            "evidence.json",
            "manifest.sha256",
        ]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                fs::read(dir.path().join("out").join(n)).unwrap(),
            )
        })
        .collect();
        bundles.push(files);
        dirs.push(dir);
    }
    assert_eq!(bundles[0], bundles[1]);
    let json = String::from_utf8(bundles[0][2].1.clone()).unwrap();
    assert!(json.contains("\"generatedAt\": \"2024-05-01T12:00:00Z\""));
    assert!(json.contains("\"timeSource\": \"source-date-epoch\""));
    assert!(!json.contains(&dirs[0].path().display().to_string()));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_failing_control_shows_its_findings_with_file_and_line() {
    let (_dir, bundle) = demo_bundle();
    let html = fs::read_to_string(bundle.join("report.html")).unwrap();
    let control = element(
        &html,
        "<article class=\"control status-fail\" id=\"control-cis-k8s-5-2-2\"",
        "</article>",
    );
    assert!(control.contains("testdata/demo/platform/debug/toolbox.json:15:11"));
    assert!(control.contains("securityContext.privileged"));
    // The snippet shows the offending line, marked.
    assert!(control.contains("<span class=\"hit\"><i>15 │ </i>"));
    let markdown = fs::read_to_string(bundle.join("report.md")).unwrap();
    assert!(markdown.contains("| 5.2.2 | **Fail** |"));
    assert!(markdown.contains("testdata/demo/platform/debug/toolbox.json:15:11"));

    let evidence = evidence(&bundle);
    let cis = evidence["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cis-k8s")
        .unwrap();
    let control = cis["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "5.2.2")
        .unwrap();
    assert_eq!(control["status"], "fail");
    // The debug Pod's finding, among those of the control (the catalog
    // chart's staging render has one too).
    let finding = control["rules"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|index| &evidence["findings"][index.as_u64().unwrap() as usize])
        .find(|f| f["path"] == "testdata/demo/platform/debug/toolbox.json")
        .expect("the debug Pod's finding");
    assert_eq!(finding["start"]["line"], 15);
    assert_eq!(finding["value"], "\"privileged\": true");
    assert!(
        finding["controls"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("cis-k8s:5.2.2"))
    );
}

#[test]
fn a_passing_control_says_what_was_examined() {
    let (_dir, bundle) = demo_bundle();
    let evidence = evidence(&bundle);
    let baseline = &evidence["frameworks"][0];
    assert_eq!(baseline["id"], "pss-baseline");
    let control = baseline["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "PSS002")
        .unwrap();
    assert_eq!(control["status"], "pass");
    let examined = &control["rules"][0]["examined"];
    assert!(examined["count"].as_u64().unwrap() >= 4);
    assert_eq!(examined["byKind"]["DaemonSet"], 1);
    assert!(examined["byKind"].get("Service").is_none());
    let html = fs::read_to_string(bundle.join("report.html")).unwrap();
    let article = element(&html, "id=\"control-pss-baseline-pss002\"", "</article>");
    assert!(article.contains("data-status=\"pass\""));
    assert!(article.contains("workloads (objects with a pod template): 8 (CronJob 1, DaemonSet 1"));
}

#[test]
fn accepted_findings_are_in_the_exceptions_register() {
    let (_dir, bundle) = demo_bundle();
    let evidence = evidence(&bundle);
    let exceptions = evidence["exceptions"].as_array().unwrap();
    let node_exporter = exceptions
        .iter()
        .find(|e| e["rule"] == "PSS003" && e["kind"] == "configuration")
        .expect("the demo's configuration exception");
    assert_eq!(node_exporter["approvedBy"], "platform-security@example.com");
    assert_eq!(node_exporter["expires"], "2027-06-30");
    assert_eq!(
        node_exporter["writtenAt"]["path"],
        "testdata/demo/.vigie.yaml"
    );
    let index = node_exporter["finding"].as_u64().unwrap() as usize;
    assert_eq!(evidence["findings"][index]["accepted"], true);
    let html = fs::read_to_string(bundle.join("report.html")).unwrap();
    let register = element(&html, "<section id=\"exceptions\">", "</section>");
    assert!(register.contains("node-exporter reads the node"));
    assert!(register.contains("platform-security@example.com"));
    assert!(register.contains("testdata/demo/.vigie.yaml:"));
}

#[test]
fn hostile_names_and_values_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<img src=x onerror=alert(1)>.yaml";
    fs::write(
        dir.path().join(name),
        "apiVersion: v1
kind: Pod
metadata:
  name: \"<script>alert('pod')</script>\"
  annotations:
    vigie.dev/ignore: \"PSS003: \\\"><svg onload=alert(2)> | [x](javascript:alert(3))\"
spec:
  hostNetwork: true
  containers:
  - name: app
    image: \"nginx:1.27\"
    securityContext:
      privileged: true # </pre><script>alert(4)</script> ```
",
    )
    .unwrap();
    let output = vigie(&["report", ".", "-o", "out"], dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    for raw in ["<script>", "<img src=x", "<svg onload", "</pre><script"] {
        assert!(!html.contains(raw), "unescaped {raw} in the HTML");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.yaml"));
    assert!(html.contains("&lt;script&gt;alert(&#39;pod&#39;)&lt;/script&gt;"));
    assert!(
        html.contains("&quot;&gt;&lt;svg onload=alert(2)&gt;"),
        "the justification"
    );
    assert!(html.contains("Content-Security-Policy"));
    let markdown = fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    // Source lines are shown verbatim, but only inside code fences.
    let mut fence: Option<String> = None;
    let mut prose = String::new();
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let marker: String = trimmed.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(open) if trimmed == open.as_str() => fence = None,
            Some(_) => {}
            None if marker.len() >= 3 => fence = Some(marker),
            None => {
                prose.push_str(line);
                prose.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "unclosed code fence");
    for raw in ["<script>", "<img src=x", "<svg onload", "[x](javascript"] {
        assert!(!prose.contains(raw), "unescaped {raw} in the Markdown");
    }
    assert!(prose.contains("&lt;img src=x onerror=alert(1)&gt;.yaml"));
    // The snippet holds a run of three backticks: its fence is longer.
    assert!(markdown.contains("\n  ````yaml\n"));
    let manifest = fs::read_to_string(dir.path().join("out/manifest.sha256")).unwrap();
    assert!(manifest.contains(&format!("  {name}\n")));
}

#[test]
fn never_overwrites_a_scanned_input() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"nginx:1.27\"}]}}\n";
    fs::write(dir.path().join("evidence.json"), pod).unwrap();
    let output = vigie(&["report", ".", "-o", "."], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("it is a scanned input"));
    assert_eq!(
        fs::read_to_string(dir.path().join("evidence.json")).unwrap(),
        pod
    );
    assert!(!dir.path().join("report.html").exists(), "nothing written");
}

#[test]
fn a_bundle_inside_the_scanned_directory_is_not_read_as_input() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("testdata/demo"), &dir.path().join("demo"));
    let run = || vigie(&["report", ".", "-o", "demo/evidence"], dir.path());
    assert_eq!(run().status.code(), Some(0));
    let first = fs::read(dir.path().join("demo/evidence/evidence.json")).unwrap();
    let output = run();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        fs::read(dir.path().join("demo/evidence/evidence.json")).unwrap(),
        first
    );
    let manifest = fs::read_to_string(dir.path().join("demo/evidence/manifest.sha256")).unwrap();
    assert!(!manifest.contains("demo/evidence/"));
}

#[test]
fn disabled_rules_leave_controls_unchecked_and_thresholds_hide_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".vigie.yaml"),
        "frameworks: [cis-k8s]\nseverity: critical\nrules:\n  PSS002: {enabled: false}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n  - name: a\n    image: nginx:1.27\n",
    )
    .unwrap();
    let output = vigie(
        &["report", ".", "--framework", "pss-baseline", "-o", "out"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let evidence = evidence(&dir.path().join("out"));
    let controls = evidence["frameworks"][0]["controls"].as_array().unwrap();
    let status = |id: &str| {
        controls.iter().find(|c| c["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("PSS002"), "not-checked");
    // The configuration's severity threshold does not hide evidence.
    assert_eq!(status("PSS003"), "fail");
    assert_eq!(status("PSS001"), "pass");
    assert_eq!(evidence["frameworks"][0]["summary"]["notChecked"], 1);
    assert!(
        !evidence["run"]["rulesRun"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("PSS002"))
    );
}

#[test]
fn exit_status_mirrors_scan_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let demo = ["report", "testdata/demo", "-o", out];
    assert_eq!(vigie(&demo, &repo_root()).status.code(), Some(0));
    let failing = [&demo[..], &["--fail-on-findings"]].concat();
    assert_eq!(vigie(&failing, &repo_root()).status.code(), Some(1));
    let unknown = [&demo[..], &["--framework", "nope"]].concat();
    assert_eq!(vigie(&unknown, &repo_root()).status.code(), Some(2));
}

#[test]
fn framework_selection_limits_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = vigie(
        &[
            "report",
            "testdata/demo",
            "--framework",
            "pss-baseline",
            "-o",
            out.to_str().unwrap(),
        ],
        &repo_root(),
    );
    assert_eq!(output.status.code(), Some(0));
    let evidence = evidence(&out);
    let ids: Vec<&str> = evidence["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["pss-baseline"]);
    let summary = &evidence["frameworks"][0]["summary"];
    assert_eq!(
        summary["pass"].as_u64().unwrap() + summary["fail"].as_u64().unwrap(),
        12
    );
}

#[test]
fn evidence_json_matches_its_schema() {
    let (_dir, bundle) = demo_bundle();
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo_root().join("testdata/schemas/evidence.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let instance = evidence(&bundle);
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The schema is strict enough to notice a wrong document.
    let mut broken = instance.clone();
    broken["frameworks"][0]["controls"][0]["status"] = serde_json::json!("passed");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn records_the_commit_and_whether_scanned_files_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = &dir.path().join("repo");
    fs::create_dir(root).unwrap();
    common::git(root, &["init", "-q", "-b", "main"]);
    fs::create_dir(root.join("k8s")).unwrap();
    fs::write(
        root.join("k8s/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n",
    )
    .unwrap();
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "one"]);
    let head = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(root)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let revision = |root: &Path| {
        let output = vigie(&["report", "k8s", "-o", "../out"], root);
        assert_eq!(output.status.code(), Some(0));
        evidence(&root.join("../out"))["run"]["revision"].clone()
    };
    let clean = revision(root);
    assert_eq!(clean["commit"], head.trim());
    assert_eq!(clean["reference"], "refs/heads/main");
    assert_eq!(clean["dirty"], false);

    // The same with an index in version 4 (prefix-compressed paths) and the
    // branch in packed-refs.
    common::git(root, &["update-index", "--index-version", "4"]);
    common::git(root, &["pack-refs", "--all"]);
    let packed = revision(root);
    assert_eq!(packed["commit"], head.trim());
    assert_eq!(packed["dirty"], false);

    fs::write(
        root.join("k8s/new.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
    )
    .unwrap();
    let untracked = revision(root);
    assert_eq!(untracked["dirty"], true);
    assert_eq!(
        untracked["changedFiles"],
        serde_json::json!(["k8s/new.yaml"])
    );
    fs::remove_file(root.join("k8s/new.yaml")).unwrap();

    // A linked worktree: HEAD and index in its own git directory, refs in
    // the main one.
    common::git(root, &["worktree", "add", "-q", "-b", "side", "../side"]);
    let side = revision(&dir.path().join("side"));
    assert_eq!(side["commit"], head.trim());
    assert_eq!(side["reference"], "refs/heads/side");
    assert_eq!(side["dirty"], false);

    let mut text = fs::read_to_string(root.join("k8s/pod.yaml")).unwrap();
    text.push_str("# edited\n");
    fs::write(root.join("k8s/pod.yaml"), text).unwrap();
    let modified = revision(root);
    assert_eq!(modified["dirty"], true);
    assert_eq!(
        modified["changedFiles"],
        serde_json::json!(["k8s/pod.yaml"])
    );
}

#[test]
fn sha256_repositories_have_a_commit_and_an_unknown_state() {
    let dir = tempfile::tempdir().unwrap();
    let root = &dir.path().join("repo");
    fs::create_dir(root).unwrap();
    common::git(root, &["init", "-q", "--object-format=sha256"]);
    fs::write(
        root.join("ns.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
    )
    .unwrap();
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "one"]);
    let output = vigie(&["report", ".", "-o", "../out"], root);
    assert_eq!(output.status.code(), Some(0));
    let revision = &evidence(&dir.path().join("out"))["run"]["revision"];
    assert_eq!(revision["commit"].as_str().unwrap().len(), 64);
    assert_eq!(revision["dirty"], serde_json::Value::Null);
}
