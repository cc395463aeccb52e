//! Where findings on a rendered chart point: the template line that printed
//! the field, and the values line (or `--set` argument) that won.

use std::path::{Path, PathBuf};
use std::process::Command;

use vigie::{Scan, ScanOptions};

fn chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm/origins")
}

/// The last `/`-separated parts of a display path, enough to name a file of
/// the chart (`charts/agent/values.yaml`, `templates/deployment.yaml`).
fn short(display: &str) -> String {
    display
        .rsplit_once("origins/")
        .map_or(display, |(_, rest)| rest)
        .to_string()
}

/// A finding: rule, field without the pod template prefix, `file:line:column`,
/// and its related values locations as `file:line`.
fn located(scan: &Scan) -> Vec<(String, String, String, Vec<String>)> {
    scan.findings
        .iter()
        .map(|f| {
            let file = short(&scan.sources.get(f.span.file).display);
            let related = f
                .related
                .iter()
                .filter(|r| r.message.contains(".Values."))
                .map(|r| {
                    format!(
                        "{}:{}",
                        short(&scan.sources.get(r.span.file).display),
                        r.span.start.line
                    )
                })
                .collect();
            (
                f.rule.id.to_string(),
                f.field.replace("spec.template.spec.", ""),
                format!("{file}:{}:{}", f.span.start.line, f.span.start.column),
                related,
            )
        })
        .collect()
}

fn find<'s>(
    found: &'s [(String, String, String, Vec<String>)],
    rule: &str,
    field: &str,
) -> (&'s str, Vec<&'s str>) {
    let hit = found
        .iter()
        .find(|(r, f, _, _)| r == rule && f == field)
        .unwrap_or_else(|| panic!("no {rule} on {field} in {found:#?}"));
    (&hit.2, hit.3.iter().map(String::as_str).collect())
}

#[test]
fn each_field_of_a_printed_block_points_at_its_own_values_line() {
    let scan = vigie::scan(&ScanOptions {
        paths: vec![chart()],
        ..ScanOptions::default()
    })
    .unwrap();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let found = located(&scan);
    // `toYaml .Values.securityContext | nindent 12`: the template line of
    // the action, the values line of `privileged: true`.
    assert_eq!(
        find(
            &found,
            "PSS001",
            "containers[name=web].securityContext.privileged"
        ),
        ("templates/deployment.yaml:23:13", vec!["values.yaml:18"])
    );
    // `with .Values.podSecurityContext` + `toYaml .`.
    assert_eq!(
        find(&found, "PSS016", "securityContext.runAsUser"),
        ("templates/deployment.yaml:16:9", vec!["values.yaml:14"])
    );
    // A helper that prints a values subtree, included with `nindent`: each
    // list item has its own line.
    assert_eq!(
        find(
            &found,
            "PSS006",
            "containers[name=web].securityContext.capabilities.add[0]"
        ),
        ("templates/_helpers.tpl:2:1", vec!["values.yaml:22"])
    );
    assert_eq!(
        find(
            &found,
            "PSS006",
            "containers[name=web].securityContext.capabilities.add[1]"
        ),
        ("templates/_helpers.tpl:2:1", vec!["values.yaml:23"])
    );
    // Another object printing the same helper keeps its own findings.
    let worker: Vec<_> = found
        .iter()
        .filter(|(rule, field, at, _)| {
            rule == "PSS006"
                && field.starts_with("containers[name=worker]")
                && at == "templates/_helpers.tpl:2:1"
        })
        .map(|(_, _, _, related)| related.clone())
        .collect();
    assert_eq!(
        worker,
        [
            vec!["values.yaml:22".to_string()],
            vec!["values.yaml:23".to_string()]
        ]
    );
    // A block on the line after its key: the finding on the key gets the
    // values key of the block.
    assert_eq!(
        find(&found, "K8S004", "containers[name=web].resources"),
        ("templates/deployment.yaml:26:11", vec!["values.yaml:25"])
    );
    // A field of an item `range` walks, and a scalar several actions print.
    assert_eq!(
        find(&found, "K8S011", "volumes[name=run].hostPath.path"),
        ("templates/deployment.yaml:34:13", vec!["values.yaml:37"])
    );
    assert_eq!(
        find(&found, "K8S002", "containers[name=web].image"),
        (
            "templates/deployment.yaml:21:11",
            vec!["values.yaml:2", "values.yaml:9", "values.yaml:10"]
        )
    );
    // A subchart value the parent sets, and a global the parent overrides:
    // the parent's lines, not the subchart's defaults. The block is printed
    // by a helper given the values in a `dict`, as library charts do.
    assert_eq!(
        find(
            &found,
            "PSS001",
            "containers[name=agent].securityContext.privileged"
        ),
        (
            "charts/agent/templates/_helpers.tpl:4:1",
            vec!["values.yaml:6"]
        )
    );
    // The same helper line prints the other container's block: each
    // container's finding names its own values only.
    assert_eq!(
        find(
            &found,
            "PSS001",
            "containers[name=sidecar].securityContext.privileged"
        ),
        (
            "charts/agent/templates/_helpers.tpl:4:1",
            vec!["charts/agent/values.yaml:13"]
        )
    );
    assert_eq!(
        find(&found, "K8S002", "containers[name=agent].image"),
        (
            "charts/agent/templates/daemonset.yaml:16:11",
            vec!["values.yaml:2"]
        )
    );
    // A value imported from the subchart (`import-values`).
    assert_eq!(
        find(&found, "PSS003", "hostNetwork"),
        (
            "templates/deployment.yaml:18:7",
            vec!["charts/agent/values.yaml:6"]
        )
    );
    // Fields the values do not hold as printed get no values line of their
    // own: the toleration value went through `tpl`.
    let deployment = scan
        .resources
        .iter()
        .find(|r| r.kind == "Deployment")
        .unwrap();
    let sources: Vec<(&str, Option<&str>)> = deployment
        .value_sources
        .iter()
        .filter(|s| s.values_path.starts_with("tolerations"))
        .map(|s| (s.values_path.as_str(), s.field.as_deref()))
        .collect();
    assert_eq!(
        sources,
        [
            ("tolerations", Some("spec.template.spec.tolerations")),
            ("tolerations.0", Some("spec.template.spec.tolerations[0]")),
            (
                "tolerations.0.key",
                Some("spec.template.spec.tolerations[0].key")
            ),
            (
                "tolerations.0.operator",
                Some("spec.template.spec.tolerations[0].operator")
            ),
            (
                "tolerations",
                Some("spec.template.spec.tolerations[0].value")
            ),
        ]
    );
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn an_override_file_and_a_set_argument_win_over_values_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_tree(&chart(), &root.join("web"));
    std::fs::write(
        root.join("prod.yaml"),
        "# production\nsecurityContext:\n  privileged: true\n  readOnlyRootFilesystem: false\n",
    )
    .unwrap();
    let config = root.join(".vigie.yaml");
    std::fs::write(
        &config,
        "charts:\n  - path: web\n    values: [prod.yaml]\n    set: [\"capabilities.add={SYS_ADMIN}\"]\n",
    )
    .unwrap();
    let config = vigie::config::load(&config, &config.display().to_string()).unwrap();
    let scan = vigie::scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        config,
        ..ScanOptions::default()
    })
    .unwrap();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let prefix = format!("{}/", root.display());
    let found: Vec<_> = located(&scan)
        .into_iter()
        .map(|(rule, field, at, related)| {
            let related = related.iter().map(|r| r.replace(&prefix, "")).collect();
            (rule, field, at.replace(&prefix, ""), related)
        })
        .collect();
    assert_eq!(
        find(
            &found,
            "PSS001",
            "containers[name=web].securityContext.privileged"
        ),
        ("web/templates/deployment.yaml:23:13", vec!["prod.yaml:3"])
    );
    assert_eq!(
        find(
            &found,
            "K8S006",
            "containers[name=web].securityContext.readOnlyRootFilesystem"
        ),
        ("web/templates/deployment.yaml:23:13", vec!["prod.yaml:4"])
    );
    let (at, related) = find(
        &found,
        "PSS006",
        "containers[name=web].securityContext.capabilities.add[0]",
    );
    assert_eq!(at, "web/templates/_helpers.tpl:2:1");
    let finding = scan
        .findings
        .iter()
        .find(|f| f.rule.id == "PSS006")
        .unwrap();
    let set = finding
        .related
        .iter()
        .find(|r| r.message.contains(".Values."))
        .unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(
        scan.sources.get(set.span.file).display,
        "--set capabilities.add={SYS_ADMIN}"
    );
}

#[test]
fn text_json_and_sarif_show_the_template_and_values_lines() {
    let run = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_vigie"))
            .args(["scan", "testdata/helm/origins", "--format", format])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout).unwrap()
    };
    let text = run("text");
    let block = text
        .split("\n\n")
        .find(|b| b.contains("PSS001 container \"web\""))
        .unwrap();
    assert!(
        block.starts_with("testdata/helm/origins/templates/deployment.yaml:23:13:"),
        "{block}"
    );
    assert!(
        block.contains("via testdata/helm/origins/values.yaml:18:3: `.Values.securityContext.privileged` is set here"),
        "{block}"
    );

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "PSS001"
                && f["location"]["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("templates/deployment.yaml")
        })
        .unwrap();
    assert_eq!(finding["location"]["start"]["line"], 23);
    assert_eq!(
        finding["related"][0]["path"],
        "testdata/helm/origins/values.yaml"
    );
    assert_eq!(finding["related"][0]["start"]["line"], 18);

    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "PSS001"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "testdata/helm/origins/templates/deployment.yaml"
        })
        .unwrap();
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        23
    );
    let related = &result["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "testdata/helm/origins/values.yaml"
    );
    assert_eq!(related["region"]["startLine"], 18);
    assert_eq!(related["region"]["snippet"]["text"], "  privileged: true");
}
