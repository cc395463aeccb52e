//! What a scan reads of a Helm chart besides its templates: `crds/`,
//! packaged charts (`.tgz`), symbolic links, and the files `.vigie.yaml`
//! names for it, all kept inside the scanned repository.

use std::path::Path;

use vigie::diagnostic::DiagnosticLevel;
use vigie::{Scan, ScanOptions};

const CHART_YAML: &str = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: {{ ne (toString .Values.privileged) \"false\" }}
";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scan(root: &Path, config: Option<&str>) -> Scan {
    let config = match config {
        Some(text) => {
            let path = root.join(".vigie.yaml");
            std::fs::write(&path, text).unwrap();
            vigie::config::load(&path, &path.display().to_string()).unwrap()
        }
        None => vigie::config::Config::default(),
    };
    vigie::scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        config,
        ..ScanOptions::default()
    })
    .unwrap()
}

/// (rule, path relative to `root`, line) of every finding.
fn found(scan: &Scan, root: &Path) -> Vec<(&'static str, String, u32)> {
    let prefix = format!("{}/", root.display());
    scan.findings
        .iter()
        .map(|f| {
            let path = &scan.sources.get(f.span.file).display;
            let path = path.strip_prefix(&prefix).unwrap_or(path).to_string();
            (f.rule.id, path, f.span.start.line)
        })
        .filter(|(id, _, _)| *id == "PSS001")
        .collect()
}

/// A diagnostic's path (relative to the root), line and column, and message.
type Message = (String, Option<(u32, u32)>, String);

fn messages(scan: &Scan, root: &Path) -> Vec<Message> {
    let prefix = format!("{}/", root.display());
    scan.diagnostics
        .iter()
        .filter(|d| d.level != DiagnosticLevel::Note)
        .map(|d| {
            (
                d.path.strip_prefix(&prefix).unwrap_or(&d.path).to_string(),
                d.position.map(|p| (p.line, p.column)),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn crd_files_are_read_as_objects_and_a_broken_one_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("web/Chart.yaml"), CHART_YAML);
    write(&root.join("web/templates/pod.yaml"), PRIVILEGED_POD);
    write(
        &root.join("web/crds/widgets.yaml"),
        "# the widget type\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
    );
    write(&root.join("web/crds/broken.yaml"), "kind: [\n");
    let scan = scan(root, None);
    let crd = scan
        .resources
        .iter()
        .find(|r| r.kind == "CustomResourceDefinition")
        .expect("the CRD is read");
    assert_eq!(crd.name.as_deref(), Some("widgets.example.com"));
    assert_eq!(
        scan.sources.get(crd.body.span.file).display,
        format!("{}/web/crds/widgets.yaml", root.display())
    );
    assert_eq!(crd.body.span.start.line, 2);
    let problems = messages(&scan, root);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "web/crds/broken.yaml");
    assert!(problems[0].1.is_some());
    // The templates are still rendered and checked.
    assert_eq!(
        found(&scan, root),
        [("PSS001", "web/templates/pod.yaml".to_string(), 10)]
    );
}

/// A `.tgz` with one top directory, as `helm package` writes it.
fn package(path: &Path, files: &[(&str, &str)]) {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    for (name, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, text.as_bytes())
            .unwrap();
    }
    let bytes = builder.into_inner().unwrap().finish().unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_packaged_chart_is_rendered_and_located_inside_its_archive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    package(
        &root.join("deploy/web-1.0.0.tgz"),
        &[
            ("web/Chart.yaml", CHART_YAML),
            ("web/templates/pod.yaml", PRIVILEGED_POD),
        ],
    );
    // Not a chart: left alone, without a complaint.
    package(&root.join("deploy/logs.tgz"), &[("logs/a.txt", "x")]);
    // A subchart archive is rendered through its parent only.
    write(
        &root.join("app/Chart.yaml"),
        CHART_YAML.replace("web", "app").as_str(),
    );
    package(
        &root.join("app/charts/sub-1.0.0.tgz"),
        &[
            ("sub/Chart.yaml", &CHART_YAML.replace("web", "sub")),
            ("sub/templates/pod.yaml", PRIVILEGED_POD),
        ],
    );
    let scan = scan(root, None);
    assert_eq!(messages(&scan, root), []);
    assert_eq!(
        found(&scan, root),
        [
            (
                "PSS001",
                "app/charts/sub-1.0.0.tgz/templates/pod.yaml".to_string(),
                10
            ),
            (
                "PSS001",
                "deploy/web-1.0.0.tgz/templates/pod.yaml".to_string(),
                10
            ),
        ]
    );
    // The configuration applies to the archive by its path.
    let scan = self::scan(
        root,
        Some("charts:\n  - path: deploy/web-1.0.0.tgz\n    set: [privileged=false]\n"),
    );
    assert_eq!(
        found(&scan, root),
        [(
            "PSS001",
            "app/charts/sub-1.0.0.tgz/templates/pod.yaml".to_string(),
            10
        )]
    );
}

#[test]
fn links_are_followed_inside_the_repository_only() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    write(&root.join("web/Chart.yaml"), CHART_YAML);
    // A helper shared by several charts, linked into this one.
    write(
        &root.join("shared/_pod.tpl"),
        &format!("{{{{- define \"shared.pod\" -}}}}\n{PRIVILEGED_POD}{{{{- end }}}}\n"),
    );
    write(
        &root.join("web/templates/pod.yaml"),
        "{{ include \"shared.pod\" . }}\n",
    );
    write(&outside.path().join("secret.yaml"), PRIVILEGED_POD);
    std::fs::create_dir_all(root.join("web/templates")).unwrap();
    std::os::unix::fs::symlink(root.join("shared"), root.join("web/templates/shared")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        root.join("web/templates/secret.yaml"),
    )
    .unwrap();
    let scan = scan(&root, None);
    assert_eq!(
        found(&scan, &root),
        [("PSS001", "web/templates/shared/_pod.tpl".to_string(), 11)]
    );
    let problems = messages(&scan, &root);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "web/templates/secret.yaml");
    assert!(
        problems[0]
            .2
            .starts_with("symbolic link not followed: it points outside the scanned directory"),
        "{problems:?}"
    );
}

#[test]
fn configured_files_must_stay_in_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    write(&root.join("web/Chart.yaml"), CHART_YAML);
    write(&root.join("web/templates/pod.yaml"), PRIVILEGED_POD);
    write(
        &root.join("web/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  note: {{ .Values.note | quote }}\n",
    );
    write(&root.join("web/prod.yaml"), "privileged: false\n");
    write(&root.join("web/note.txt"), "hello");
    write(&dir.path().join("leak.yaml"), "privileged: false\n");
    let scan = scan(
        &root,
        Some(
            "charts:\n  - path: web\n    values: [web/prod.yaml]\n    set_file: [note=web/note.txt]\n",
        ),
    );
    assert_eq!(messages(&scan, &root), []);
    assert_eq!(found(&scan, &root), []);
    let note = scan
        .resources
        .iter()
        .find(|r| r.kind == "ConfigMap")
        .and_then(|r| r.body.get_path(&["data", "note"]))
        .and_then(|n| n.as_str().map(str::to_string));
    assert_eq!(note.as_deref(), Some("hello"));
    for (config, named) in [
        ("values: [../leak.yaml]", "../leak.yaml"),
        ("set_file: [note=../leak.yaml]", "../leak.yaml"),
    ] {
        let scan = self::scan(
            &root,
            Some(&format!("charts:\n  - path: web\n    {config}\n")),
        );
        let problems = messages(&scan, &root);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].2.contains(&format!(
                "{named} is outside the scanned repository; Vigie reads only files inside it"
            )),
            "{problems:?}"
        );
        // The chart is not rendered with other values than those asked for.
        assert_eq!(found(&scan, &root), []);
    }
    let absolute = dir.path().join("leak.yaml");
    let scan = self::scan(
        &root,
        Some(&format!(
            "charts:\n  - path: web\n    values: [{}]\n",
            absolute.display()
        )),
    );
    assert_eq!(messages(&scan, &root).len(), 1);
}
