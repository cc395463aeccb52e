//! The GitHub Action: `action.yml` is consistent with its scan script, and the
//! script behaves as a runner would see it, with the environment GitHub sets
//! (`GITHUB_WORKSPACE`, `GITHUB_EVENT_NAME`, `GITHUB_BASE_REF`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::git;

use vigie::source::FileId;
use vigie::source::yaml::{Limits, Node, load};

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn action_passes_every_input_to_the_script() {
    let text = fs::read_to_string(repository_root().join("action.yml")).unwrap();
    let action = load(FileId(0), "action.yml", &text, Limits::default())
        .documents
        .remove(0)
        .root;
    let inputs: Vec<&str> = action
        .get("inputs")
        .and_then(Node::as_map)
        .unwrap()
        .iter()
        .map(|e| e.key.text.as_str())
        .collect();
    assert_eq!(
        action.get_path(&["runs", "using"]).and_then(Node::as_str),
        Some("composite")
    );
    let steps = action.get_path(&["runs", "steps"]).unwrap().items();
    let scan = steps
        .iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some("scan"))
        .expect("a scan step");
    assert!(
        scan.get("run")
            .and_then(Node::as_str)
            .unwrap()
            .contains("scripts/action-scan.sh")
    );
    let script = fs::read_to_string(repository_root().join("scripts/action-scan.sh")).unwrap();
    for input in inputs {
        if input == "upload-sarif" {
            let upload = steps
                .iter()
                .find(|s| {
                    s.get("uses")
                        .and_then(Node::as_str)
                        .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
                })
                .expect("an upload step");
            assert!(
                upload
                    .get("if")
                    .and_then(Node::as_str)
                    .unwrap()
                    .contains("inputs.upload-sarif")
            );
            continue;
        }
        let variable = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        let passed = scan
            .get("env")
            .and_then(|e| e.get(&variable))
            .and_then(Node::as_str);
        assert_eq!(
            passed,
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{input}"
        );
        assert!(script.contains(&variable), "the script reads {variable}");
    }
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  hostNetwork: true
  containers:
  - name: app
    image: registry.example.com/web:1.0.0
";

/// A repository whose `main` is on a fake `origin`, and a pull request branch
/// that adds a privileged container.
fn pull_request_checkout(dir: &Path) -> PathBuf {
    let origin = dir.join("origin.git");
    let work = dir.join("work");
    fs::create_dir_all(&work).unwrap();
    git(dir, &["init", "-q", "--bare", "origin.git"]);
    git(&work, &["init", "-q", "-b", "main"]);
    fs::write(work.join("pod.yaml"), POD).unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-q", "-m", "base"]);
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git(&work, &["push", "-q", "origin", "main"]);
    git(&work, &["checkout", "-q", "-b", "feature"]);
    fs::write(
        work.join("pod.yaml"),
        format!("{POD}    securityContext:\n      privileged: true\n"),
    )
    .unwrap();
    git(&work, &["commit", "-q", "-am", "privileged"]);
    work
}

struct Run {
    output: Output,
    github_output: String,
    summary: String,
    sarif: serde_json::Value,
}

fn run_action(work: &Path, event: &str, inputs: &[(&str, &str)]) -> Run {
    let runner = work.parent().unwrap().join(format!("runner-{event}"));
    fs::create_dir_all(&runner).unwrap();
    let (github_output, summary) = (runner.join("output"), runner.join("summary.md"));
    let mut command = Command::new(repository_root().join("scripts/action-scan.sh"));
    command
        .env("VIGIE", env!("CARGO_BIN_EXE_vigie"))
        .env("GITHUB_WORKSPACE", work)
        .env("GITHUB_EVENT_NAME", event)
        .env("GITHUB_OUTPUT", &github_output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_PATH", ".")
        .env("INPUT_SEVERITY", "low")
        .env("INPUT_CHANGED_ONLY", "auto")
        .env("INPUT_FRAMEWORKS", "pss-baseline")
        .env("INPUT_SARIF_FILE", runner.join("vigie.sarif"));
    if event == "pull_request" {
        command.env("GITHUB_BASE_REF", "main");
    }
    for (name, value) in inputs {
        command.env(name, value);
    }
    let output = command.output().expect("the script runs");
    Run {
        output,
        github_output: fs::read_to_string(&github_output).unwrap_or_default(),
        summary: fs::read_to_string(&summary).unwrap_or_default(),
        sarif: fs::read_to_string(runner.join("vigie.sarif"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_default(),
    }
}

#[test]
fn pull_requests_are_annotated_with_their_new_findings_only() {
    let dir = tempfile::tempdir().unwrap();
    let work = pull_request_checkout(dir.path());
    let run = run_action(&work, "pull_request", &[]);
    let annotations = String::from_utf8(run.output.stdout.clone()).unwrap();
    assert_eq!(
        run.output.status.code(),
        Some(1),
        "{annotations}{}",
        String::from_utf8_lossy(&run.output.stderr)
    );
    assert_eq!(annotations.lines().count(), 1, "{annotations}");
    assert!(
        annotations.starts_with("::error file=pod.yaml,line=12,"),
        "{annotations}"
    );
    assert!(
        run.github_output.contains("exit-code=1"),
        "{}",
        run.github_output
    );
    assert!(
        run.github_output.contains("sarif-file="),
        "{}",
        run.github_output
    );
    assert!(
        run.summary
            .contains("| critical | PSS001 privileged-container | `pod.yaml:12` |"),
        "{}",
        run.summary
    );
    let results = run.sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        1,
        "changed-only applies to the SARIF report too"
    );
    assert_eq!(results[0]["ruleId"], "PSS001");
}

#[test]
fn pushes_scan_everything_and_severity_decides_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let work = pull_request_checkout(dir.path());
    let run = run_action(&work, "push", &[]);
    assert_eq!(run.output.status.code(), Some(1));
    assert_eq!(run.sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    // Only critical findings fail the job; the high one stays in SARIF.
    git(&work, &["checkout", "-q", "main"]);
    let run = run_action(&work, "push", &[("INPUT_SEVERITY", "critical")]);
    assert_eq!(
        run.output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.output.stdout)
    );
    assert!(run.github_output.contains("exit-code=0"));
    assert_eq!(run.sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    // A bad input is a usage error.
    let run = run_action(&work, "push", &[("INPUT_FRAMEWORKS", "nist")]);
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.github_output.contains("exit-code=2"));
}
