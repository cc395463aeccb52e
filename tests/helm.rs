//! Helm charts in scans: rendered in process, findings at template lines,
//! render failures reported without hiding the rest.

use std::path::{Path, PathBuf};

use vigie::diagnostic::{DiagnosticCode, DiagnosticLevel};
use vigie::{Scan, ScanOptions};

fn chart(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/helm")
        .join(name)
}

fn scan(paths: &[PathBuf]) -> Scan {
    vigie::scan(&ScanOptions {
        paths: paths.to_vec(),
        ..ScanOptions::default()
    })
    .unwrap()
}

/// (rule, file name, line) of every finding.
fn found(scan: &Scan) -> Vec<(&'static str, String, u32)> {
    scan.findings
        .iter()
        .map(|f| {
            let path = &scan.sources.get(f.span.file).display;
            let name = path.rsplit('/').next().unwrap_or(path).to_string();
            (f.rule.id, name, f.span.start.line)
        })
        .collect()
}

#[test]
fn a_value_printed_by_a_template_is_found_at_the_template_line() {
    let scan = scan(&[chart("privileged")]);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let privileged: Vec<_> = scan
        .findings
        .iter()
        .filter(|f| f.rule.id == "PSS001")
        .collect();
    assert_eq!(privileged.len(), 1);
    let finding = privileged[0];
    let file = scan.sources.get(finding.span.file);
    assert!(
        file.display
            .ends_with("privileged/templates/deployment.yaml")
    );
    assert_eq!(
        (finding.span.start.line, finding.span.start.column),
        (21, 13)
    );
    assert_eq!(
        file.line(finding.span.start.line),
        Some("            privileged: {{ .Values.privileged }}")
    );
    // The values line that set it is a related location.
    let related: Vec<_> = finding
        .related
        .iter()
        .map(|r| {
            (
                scan.sources
                    .get(r.span.file)
                    .display
                    .rsplit('/')
                    .next()
                    .map(str::to_string),
                r.span.start.line,
            )
        })
        .collect();
    assert_eq!(related, [(Some("values.yaml".to_string()), 3)]);
    // The chart's objects are marked with the chart, and no chart file is
    // read as a loose manifest.
    assert_eq!(scan.resources.len(), 2);
    assert!(scan.resources.iter().all(|r| {
        r.variant
            .as_deref()
            .is_some_and(|v| v.ends_with("testdata/helm/privileged"))
    }));
}

#[test]
fn fields_written_by_a_helper_point_at_the_helper() {
    let scan = scan(&[chart("privileged")]);
    let deployment = scan
        .resources
        .iter()
        .find(|r| r.kind == "Deployment")
        .unwrap();
    let label = deployment
        .body
        .get_path(&["metadata", "labels"])
        .and_then(|l| l.entry("app.kubernetes.io/name"))
        .unwrap();
    let file = scan.sources.get(label.key.span.file);
    assert!(file.display.ends_with("templates/_helpers.tpl"));
    assert_eq!(label.key.span.start.line, 2);
    assert_eq!(deployment.name.as_deref(), Some("release-name-web"));
}

#[test]
fn a_required_value_fails_its_template_only() {
    let scan = scan(&[chart("required"), chart("privileged")]);
    let errors: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", scan.diagnostics);
    let error = errors[0];
    assert_eq!(error.code, DiagnosticCode::HelmRender);
    assert!(error.path.ends_with("required/templates/configmap.yaml"));
    assert_eq!(error.position.map(|p| p.line), Some(6));
    assert_eq!(
        error.message,
        "execution error at (required/templates/configmap.yaml:6:11): host is required"
    );
    // The other template of the chart and the other chart are still checked.
    let privileged: Vec<_> = found(&scan)
        .into_iter()
        .filter(|f| f.0 == "PSS001")
        .collect();
    assert_eq!(
        privileged,
        [
            ("PSS001", "deployment.yaml".to_string(), 21),
            ("PSS001", "pod.yaml".to_string(), 10)
        ]
    );
}

#[test]
fn invalid_yaml_in_rendered_output_is_located_in_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("broken");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("Chart.yaml"),
        "apiVersion: v2\nname: broken\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(root.join("values.yaml"), "items: [a, b]\n").unwrap();
    std::fs::write(
        root.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  list: [{{ .Values.items | join \", \" }}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  hostNetwork: true\n  containers:\n    - name: a\n      image: a:1\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: a\n      image: a:1\n",
    )
    .unwrap();
    let scan = scan(&[root]);
    let errors: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::HelmRender)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", scan.diagnostics);
    assert!(errors[0].path.ends_with("broken/templates/cm.yaml"));
    assert!(
        errors[0]
            .message
            .starts_with("YAML parse error on broken/templates/cm.yaml: "),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0]
            .position
            .is_some_and(|p| (6..=7).contains(&p.line))
    );
    assert!(found(&scan).contains(&("PSS003", "pod.yaml".to_string(), 6)));
    // The template's other document is still scanned.
    assert!(found(&scan).contains(&("PSS003", "cm.yaml".to_string(), 13)));
}

#[test]
fn chart_scans_are_deterministic() {
    let paths = [
        chart("privileged"),
        chart("required"),
        chart("shop"),
        chart("nested"),
    ];
    let first = scan(&paths);
    let second = scan(&paths);
    let text = |s: &Scan| vigie::report::json::render(s);
    assert_eq!(text(&first), text(&second));
    assert!(!first.findings.is_empty());
}

/// The documents of a multi-document output: its `# Source:` line and the
/// document as Vigie reads it (printed canonically, positions dropped).
fn documents(text: &str) -> Vec<(String, String)> {
    text.split("\n---\n")
        .map(|piece| piece.strip_prefix("---\n").unwrap_or(piece))
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| {
            let source = piece
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# Source: "))
                .unwrap_or_default()
                .to_string();
            let loaded = vigie::source::yaml::load(
                vigie::source::FileId(0),
                "",
                piece,
                vigie::source::yaml::Limits::default(),
            );
            assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
            let body: Vec<String> = loaded
                .documents
                .iter()
                .map(|d| vigie::source::emit::to_yaml(&d.root))
                .collect();
            (source, body.join("---\n"))
        })
        .collect()
}

/// `vigie render` gives the documents `helm template` (v3.17.3) printed for
/// each case of testdata/helm/golden/CASES (`scripts/helm-golden.sh`).
#[test]
fn render_matches_helm_template() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm");
    let cases = std::fs::read_to_string(dir.join("golden/CASES")).unwrap();
    let mut compared = 0;
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (name, chart, release, options) = (words[0], words[1], words[2], &words[3..]);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
            .current_dir(&dir)
            .args(["render", chart, "--release-name", release])
            .args(options)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let actual = String::from_utf8(out.stdout).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("golden/{name}.yaml"))).unwrap();
        assert!(!documents(&expected).is_empty());
        // Byte for byte: the separators, blank lines and order too.
        assert_eq!(actual, expected, "{name}");
        compared += 1;
    }
    assert_eq!(compared, 12);
}

fn vigie_render(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm"))
        .arg("render")
        .args(args)
        .output()
        .unwrap()
}

/// The errors `helm template` 3.17.3 gives for these flags, after Vigie's
/// prefix; nothing is printed on stdout.
#[test]
fn render_flag_errors_use_helm_words() {
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["options", "-s", "templates/nope.yaml"],
            2,
            "vigie: error: could not find template templates/nope.yaml in chart\n",
        ),
        (
            &["options", "--no-hooks", "-s", "templates/hook.yaml"],
            2,
            "vigie: error: could not find template templates/hook.yaml in chart\n",
        ),
        (
            &["options", "--kube-version", "banana"],
            2,
            "vigie: error: invalid kube version 'banana': Invalid Semantic Version\n",
        ),
        (
            &["options", "-a", "a\"b"],
            2,
            "vigie: error: invalid argument \"a\\\"b\" for \"-a, --api-versions\" flag: parse error on line 1, column 2: bare \" in non-quoted-field\n",
        ),
        (
            &["options", "--set-file", "a=missing.txt"],
            1,
            "--set-file a=missing.txt: error[helm-values] failed parsing --set-file data: open missing.txt: no such file or directory\n",
        ),
        (
            &["options", "--set-json", "a={bad"],
            1,
            "--set-json a={bad: error[helm-values] failed parsing --set-json data a={bad\n",
        ),
    ];
    for (args, code, stderr) in cases {
        let out = vigie_render(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), stderr, "{args:?}");
    }
}

#[test]
fn render_fails_with_the_template_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm"))
        .args(["render", "required"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "required/templates/configmap.yaml:6:12: error[helm-render] execution error at (required/templates/configmap.yaml:6:11): host is required\n"
    );
}

/// `.vigie.yaml` says which values a chart is scanned with.
#[test]
fn configured_values_files_and_options_apply_to_their_chart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let chart_dir = root.join("deploy/web");
    std::fs::create_dir_all(chart_dir.join("templates")).unwrap();
    for name in [
        "Chart.yaml",
        "values.yaml",
        "templates/deployment.yaml",
        "templates/_helpers.tpl",
    ] {
        std::fs::copy(chart("privileged").join(name), chart_dir.join(name)).unwrap();
    }
    std::fs::write(chart_dir.join("values-prod.yaml"), "privileged: false\n").unwrap();
    let scan_with = |config: &str| {
        let path = root.join(".vigie.yaml");
        std::fs::write(&path, config).unwrap();
        let config = vigie::config::load(&path, &path.display().to_string()).unwrap();
        let scan = vigie::scan(&ScanOptions {
            paths: vec![root.to_path_buf()],
            config,
            ..ScanOptions::default()
        })
        .unwrap();
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        let privileged = scan
            .findings
            .iter()
            .filter(|f| f.rule.id == "PSS001")
            .count();
        let names: Vec<String> = scan
            .resources
            .iter()
            .map(|r| {
                format!(
                    "{}/{}",
                    r.namespace.as_deref().unwrap_or("-"),
                    r.name.as_deref().unwrap_or("-")
                )
            })
            .collect();
        (privileged, names)
    };
    assert_eq!(
        scan_with("severity: low\n"),
        (1, vec!["-/release-name-web".to_string()])
    );
    assert_eq!(
        scan_with(
            "charts:\n  - path: deploy/web\n    values: [deploy/web/values-prod.yaml]\n    release_name: prod\n"
        ),
        (0, vec!["-/prod-web".to_string()])
    );
    assert_eq!(
        scan_with(
            "charts:\n  - path: deploy/web\n    values: [deploy/web/values-prod.yaml]\n    set: [privileged=true]\n"
        ),
        (1, vec!["-/release-name-web".to_string()])
    );
}

/// Columns count code points of the template line; a value printed by an
/// action spans the action; block scalars stay within their lines.
#[test]
fn spans_cover_the_template_text_that_wrote_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spans");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("Chart.yaml"),
        "apiVersion: v2\nname: spans\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        root.join("values.yaml"),
        "user: 0\nscript: |\n  echo été\n  exit 0\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: «pod»\nspec:\n  securityContext: {runAsUser: {{ .Values.user }}, note: «x»}\n  containers:\n    - name: a\n      image: a:1\n      command:\n        {{- .Values.script | nindent 8 }}\n",
    )
    .unwrap();
    let scan = scan(&[root]);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let pod = &scan.resources[0];
    let name = pod.body.get_path(&["metadata", "name"]).unwrap();
    assert_eq!((name.span.start.line, name.span.start.column), (4, 9));
    assert_eq!((name.span.end.line, name.span.end.column), (4, 14));
    let user = pod
        .body
        .get_path(&["spec", "securityContext", "runAsUser"])
        .unwrap();
    assert_eq!(user.as_i64(), Some(0));
    // The whole `{{ .Values.user }}` action.
    assert_eq!((user.span.start.line, user.span.start.column), (6, 32));
    assert_eq!((user.span.end.line, user.span.end.column), (6, 50));
    let command = pod
        .body
        .get_path(&["spec", "containers"])
        .and_then(|c| c.items().first())
        .and_then(|c| c.get("command"))
        .unwrap();
    assert_eq!(command.span.start.line, 11);
    assert!(
        pod.value_sources
            .iter()
            .any(|s| s.at == user.span && s.values_path == "user" && s.from.start.line == 1)
    );
}

/// A key a template writes twice is reported at the template line of the
/// second one (Kubernetes keeps it).
#[test]
fn problems_of_the_rendered_yaml_point_at_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("twice");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("Chart.yaml"),
        "apiVersion: v2\nname: twice\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/_labels.tpl"),
        "{{- define \"labels\" -}}\napp: web\n{{- end -}}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    app: other\n    {{- include \"labels\" . | nindent 4 }}\n",
    )
    .unwrap();
    let scan = scan(&[root]);
    let repeated: Vec<_> = scan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::DuplicateKey)
        .map(|d| {
            (
                d.path.rsplit('/').next().unwrap_or_default().to_string(),
                d.position.map(|p| p.line),
            )
        })
        .collect();
    assert_eq!(repeated, [("_labels.tpl".to_string(), Some(2))]);
    let message = &scan
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::DuplicateKey)
        .unwrap()
        .message;
    assert!(
        message.starts_with("duplicate key \"app\" (first set at ")
            && message.contains("twice/templates/cm.yaml:6)"),
        "{message}"
    );
    // Helm accepts the repeated key: so does the render.
    assert!(
        scan.diagnostics
            .iter()
            .all(|d| d.code != DiagnosticCode::HelmRender)
    );
    assert_eq!(scan.resources.len(), 1);
}

/// Schema errors come in gojsonschema's order where helm's is fixed: a value's
/// own errors before its properties', `required` ones in the schema's order
/// (helm 3.17.3 printed these lines; it orders sibling properties randomly,
/// Vigie by key).
#[test]
fn schema_errors_come_in_helm_order() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm"))
        .args(["render", "schema-order"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with(concat!(
            "schema-order:\n",
            "- (root): q is required\n",
            "- (root): p is required\n",
            "- a: Invalid type. Expected: string, given: integer\n",
            "- c: z is required\n",
            "- c: y is required\n",
        )),
        "{stderr}"
    );
}
