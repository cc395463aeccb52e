use super::*;
use crate::source::FileId;
use crate::source::yaml::{Limits, load};

const BASE: FileId = FileId(0);
const PATCH: FileId = FileId(1);

fn parse(file: FileId, text: &str) -> Node {
    let loaded = load(file, "test.yaml", text, Limits::default());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
        .documents
        .into_iter()
        .next()
        .expect("one document")
        .root
}

/// Applies a strategic merge patch to a base, both given as YAML.
fn merged(base: &str, patch: &str) -> Node {
    let mut target = parse(BASE, base);
    let kind = target
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let group = target
        .get("apiVersion")
        .and_then(Node::as_str)
        .and_then(|v| v.rsplit_once('/'))
        .map_or("", |(group, _)| group)
        .to_string();
    let outcome = strategic_merge(&mut target, &parse(PATCH, patch), &group, &kind);
    assert_eq!(outcome, Ok(MergeOutcome::Patched));
    target
}

/// A node as plain YAML text, spans left out, for comparisons.
fn plain(node: &Node) -> String {
    match &node.value {
        Value::Map(entries) => {
            let fields: Vec<String> = entries
                .iter()
                .map(|e| format!("{}: {}", e.key.text, plain(&e.value)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Seq(items) => {
            let items: Vec<String> = items.iter().map(plain).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Str(s) => s.to_string(),
        _ => node.display_scalar(),
    }
}

fn at<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
    path.iter()
        .fold(node, |node, step| match step.parse::<usize>() {
            Ok(index) => &node.items()[index],
            Err(_) => node
                .get(step)
                .unwrap_or_else(|| panic!("no {step} in {}", plain(node))),
        })
}

fn names(list: &Node) -> Vec<String> {
    list.items()
        .iter()
        .map(|item| item.get("name").map(plain).unwrap_or_default())
        .collect()
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: app:1
        env:
        - name: LOG
          value: info
        - name: MODE
          value: base
      - name: sidecar
        image: proxy:1
      volumes:
      - name: data
        emptyDir: {}
";

#[test]
fn patched_field_points_at_the_patch_and_the_rest_at_the_base() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        securityContext:
          privileged: true
";
    let target = merged(DEPLOYMENT, patch);
    let app = at(&target, &["spec", "template", "spec", "containers", "0"]);
    assert_eq!(plain(at(app, &["name"])), "app");
    let privileged = at(app, &["securityContext"]).entry("privileged").unwrap();
    assert_eq!(privileged.value.value, Value::Bool(true));
    assert_eq!(privileged.value.span.file, PATCH);
    assert_eq!(privileged.key.span.file, PATCH);
    assert_eq!(privileged.value.span.start.line, 11);
    assert_eq!(app.entry("securityContext").unwrap().key.span.file, PATCH);
    // Untouched fields, and the merged container itself, stay the base's.
    assert_eq!(app.span.file, BASE);
    assert_eq!(at(app, &["image"]).span.file, BASE);
    assert_eq!(at(app, &["image"]).span.start.line, 11);
    assert_eq!(at(app, &["env", "1", "value"]).span.file, BASE);
    assert_eq!(at(&target, &["spec", "replicas"]).span.file, BASE);
    let sidecar = at(&target, &["spec", "template", "spec", "containers", "1"]);
    assert_eq!(at(sidecar, &["image"]).span.file, BASE);
}

#[test]
fn containers_merge_by_name_and_new_ones_come_first() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: sidecar
        image: proxy:2
      - name: debug
        image: busybox
";
    let target = merged(DEPLOYMENT, patch);
    let containers = at(&target, &["spec", "template", "spec", "containers"]);
    // kustomize puts the patch's items first, then the base's others.
    assert_eq!(names(containers), ["sidecar", "debug", "app"]);
    assert_eq!(plain(at(containers, &["0", "image"])), "proxy:2");
    assert_eq!(at(containers, &["0", "image"]).span.file, PATCH);
    // Every scalar the patch changed is the patch's; restating the name (the
    // merge key) leaves it the base's, as is the container itself.
    assert_eq!(at(containers, &["0", "name"]).span.file, BASE);
    assert_eq!(at(containers, &["0"]).span.file, BASE);
    assert_eq!(at(containers, &["1"]).span.file, PATCH);
    assert_eq!(plain(at(containers, &["2", "image"])), "app:1");
}

#[test]
fn env_merges_by_name() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: MODE
          value: prod
        - name: EXTRA
          value: \"1\"
        - name: LOG
          value: null
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
";
    let target = merged(DEPLOYMENT, patch);
    let env = at(
        &target,
        &["spec", "template", "spec", "containers", "0", "env"],
    );
    assert_eq!(
        plain(env),
        "[{name: MODE, value: prod}, {name: EXTRA, value: 1}, \
         {name: LOG, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]"
    );
    assert_eq!(at(env, &["0", "value"]).span.file, PATCH);
    assert_eq!(at(env, &["0"]).span.file, BASE);
}

#[test]
fn patch_delete_removes_a_container_or_the_whole_object() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: sidecar
        $patch: delete
      - name: ghost
        $patch: delete
";
    let target = merged(DEPLOYMENT, patch);
    let containers = at(&target, &["spec", "template", "spec", "containers"]);
    assert_eq!(names(containers), ["app"]);

    let mut target = parse(BASE, DEPLOYMENT);
    let patch = parse(
        PATCH,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n$patch: delete\n",
    );
    assert_eq!(
        strategic_merge(&mut target, &patch, "apps", "Deployment"),
        Ok(MergeOutcome::Deleted)
    );
}

#[test]
fn list_and_map_directives() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: only
        image: only:1
        env:
          - name: A
            value: a
      volumes:
      - $patch: delete
";
    let target = merged(DEPLOYMENT, patch);
    let spec = at(&target, &["spec", "template", "spec"]);
    assert_eq!(
        plain(at(spec, &["containers"])),
        "[{name: only, image: only:1, env: [{name: A, value: a}]}]"
    );
    assert!(spec.get("volumes").is_none());

    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  $patch: replace
  template:
    metadata:
      labels: {app: web}
";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(
        plain(at(&target, &["spec"])),
        "{template: {metadata: {labels: {app: web}}}}"
    );
    assert_eq!(at(&target, &["spec"]).span.file, PATCH);
}

#[test]
fn unknown_directive_is_an_error_at_its_value() {
    let mut target = parse(BASE, DEPLOYMENT);
    let patch = parse(
        PATCH,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  $patch: bogus\n",
    );
    let error = strategic_merge(&mut target, &patch, "apps", "Deployment").unwrap_err();
    assert_eq!(error.message, "unknown patch strategy 'bogus'");
    let span = error.span.unwrap();
    assert_eq!((span.file, span.start.line), (PATCH, 6));
}

#[test]
fn other_dollar_keys_are_kept_like_kustomize() {
    // kustomize v5 knows only `$patch`; the rest are ordinary fields.
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      $setElementOrder/containers:
      - name: sidecar
      - name: app
";
    let target = merged(DEPLOYMENT, patch);
    let spec = at(&target, &["spec", "template", "spec"]);
    assert!(spec.get("$setElementOrder/containers").is_some());
    assert_eq!(names(at(spec, &["containers"])), ["app", "sidecar"]);
}

#[test]
fn shape_mismatch_is_an_error() {
    let mut target = parse(BASE, DEPLOYMENT);
    let patch = parse(
        PATCH,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers: none\n",
    );
    let error = strategic_merge(&mut target, &patch, "apps", "Deployment").unwrap_err();
    assert_eq!(
        error.message,
        "the patch has a scalar where the target has a list"
    );
    assert_eq!(error.span.unwrap().start.line, 8);
}

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: https
    port: 443
    targetPort: 8443
";

#[test]
fn service_ports_merge_by_port() {
    let patch = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 443
    targetPort: 9443
  - name: metrics
    port: 9090
";
    let target = merged(SERVICE, patch);
    assert_eq!(
        plain(at(&target, &["spec", "ports"])),
        "[{name: https, port: 443, targetPort: 9443}, {name: metrics, port: 9090}, \
         {name: http, port: 80, targetPort: 8080}]"
    );
}

#[test]
fn service_port_with_a_protocol_only_on_one_side_keeps_the_base() {
    // The ports merge by (port, protocol); kyaml matches `443` with
    // `443/TCP` for the lookup but puts the base item back over the patch's.
    let patch = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 443
    protocol: TCP
    targetPort: 9443
";
    let target = merged(SERVICE, patch);
    assert_eq!(
        plain(at(&target, &["spec", "ports"])),
        "[{name: http, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]"
    );
}

#[test]
fn lists_of_unknown_kinds_are_replaced_and_maps_merged() {
    let base = "\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  finalizers: [a]
spec:
  items:
  - name: a
    size: 1
  - name: b
  settings:
    x: 1
    y: 2
";
    let patch = "\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  finalizers: [b]
spec:
  items:
  - name: a
    size: 2
  settings:
    y: null
    z: 3
";
    let target = merged(base, patch);
    assert_eq!(
        plain(&target),
        "{apiVersion: example.com/v1, kind: Widget, metadata: {name: w, finalizers: [b]}, \
         spec: {items: [{name: a, size: 2}], settings: {x: 1, z: 3}}}"
    );
    assert_eq!(at(&target, &["spec", "items"]).span.file, PATCH);
    assert_eq!(at(&target, &["spec", "settings", "x"]).span.file, BASE);
}

#[test]
fn an_embedded_object_gets_its_type() {
    // Inside a CRD, a nested object naming a known kind merges as that kind.
    let base = "\
apiVersion: example.com/v1
kind: Wrapper
spec:
  object:
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
          - name: a
            image: a
";
    let patch = "\
apiVersion: example.com/v1
kind: Wrapper
spec:
  object:
    spec:
      template:
        spec:
          containers:
          - name: b
            image: b
";
    let target = merged(base, patch);
    let containers = at(
        &target,
        &["spec", "object", "spec", "template", "spec", "containers"],
    );
    assert_eq!(names(containers), ["b", "a"]);
}

#[test]
fn finalizers_merge_as_a_set_with_the_patch_first() {
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  finalizers: [a, b]\n  labels: {x: '1'}\ndata:\n  k: v\n";
    let patch = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  finalizers: [c, a]\n  labels: {team: '2'}\ndata:\n  k: null\n  l: w\n";
    let target = merged(base, patch);
    assert_eq!(
        plain(&target),
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, finalizers: [c, a, b], \
         labels: {x: 1, team: 2}}, data: {l: w}}"
    );
}

#[test]
fn a_new_list_is_merged_with_itself() {
    // Directives apply; of two items with the same name the last wins, as
    // it is, nulls included (only the first is merged with itself).
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
      - name: gone
        $patch: delete
      - name: init
        image: a
      - name: init
        image: b
        gone: null
";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(
        plain(at(&target, &["spec", "template", "spec", "initContainers"])),
        "[{name: init, image: b, gone: null}]"
    );

    // kyaml does not read a list directive in a list the base does not have:
    // the directive item stays, and, having no name, wipes the named items.
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
      - $patch: replace
      - name: init
        image: a
";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(
        plain(at(&target, &["spec", "template", "spec", "initContainers"])),
        "[{$patch: replace}]"
    );
}

#[test]
fn replace_on_the_whole_object_changes_nothing() {
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n$patch: replace\nspec:\n  replicas: 3\n";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(plain(&target), plain(&parse(BASE, DEPLOYMENT)));
}

#[test]
fn base_nulls_written_as_text_stay() {
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  creationTimestamp: null\n  empty:\ndata: {}\n";
    let patch = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
    let target = merged(base, patch);
    let metadata = at(&target, &["metadata"]);
    assert!(metadata.get("creationTimestamp").is_some_and(Node::is_null));
    assert!(metadata.get("empty").is_none());
}

#[test]
fn a_patch_item_without_its_merge_key_empties_the_list_like_kustomize() {
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - image: unnamed
";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(
        plain(at(&target, &["spec", "template", "spec", "containers"])),
        "[]"
    );
}

const OPERATIONS: &str = "\
- op: replace
  path: /spec/template/spec/containers/0/image
  value: app:2
- op: add
  path: /spec/template/spec/containers/0/securityContext
  value:
    privileged: true
- op: remove
  path: /spec/template/spec/containers/1
- op: add
  path: /spec/template/spec/containers/-
  value: {name: last, image: last:1}
- op: add
  path: /spec/template/spec/containers/0/env/0
  value: {name: FIRST, value: '1'}
- op: add
  path: /metadata/annotations
  value: {}
- op: add
  path: /metadata/annotations/example.com~1owner
  value: team~a
- op: test
  path: /spec/replicas
  value: 1
";

#[test]
fn json6902_add_remove_replace_by_index() {
    let mut target = parse(BASE, DEPLOYMENT);
    json6902(&mut target, &parse(PATCH, OPERATIONS)).unwrap();
    let containers = at(&target, &["spec", "template", "spec", "containers"]);
    assert_eq!(names(containers), ["app", "last"]);
    let app = at(containers, &["0"]);
    assert_eq!(plain(at(app, &["image"])), "app:2");
    assert_eq!(at(app, &["image"]).span.file, PATCH);
    assert_eq!(at(app, &["image"]).span.start.line, 3);
    let privileged = at(app, &["securityContext", "privileged"]);
    assert_eq!(
        (privileged.span.file, privileged.span.start.line),
        (PATCH, 7)
    );
    assert_eq!(names(at(app, &["env"])), ["FIRST", "LOG", "MODE"]);
    assert_eq!(at(app, &["env", "1"]).span.file, BASE);
    assert_eq!(
        plain(at(&target, &["metadata", "annotations"])),
        "{example.com/owner: team~a}"
    );
    assert_eq!(at(containers, &["1"]).span.file, PATCH);
}

#[test]
fn json6902_errors_point_at_the_failing_operation() {
    let cases = [
        (
            "- op: add\n  path: /spec/x\n  value: 1\n- op: remove\n  path: /spec/missing\n",
            4,
            "error in remove for path: '/spec/missing': Unable to remove nonexistent key: missing",
        ),
        (
            "- op: test\n  path: /spec/replicas\n  value: 2\n",
            1,
            "testing value /spec/replicas failed",
        ),
        (
            "- op: replace\n  path: /spec/template/spec/containers/5\n  value: {}\n",
            1,
            "replace operation does not apply: doc is missing key: \
             /spec/template/spec/containers/5: Unable to access invalid index: 5",
        ),
        (
            "- op: add\n  path: /spec/nowhere/x\n  value: 1\n",
            1,
            "add operation does not apply: doc is missing path: \"/spec/nowhere/x\"",
        ),
        (
            "- op: frob\n  path: /spec\n",
            1,
            "unexpected operation `frob`",
        ),
    ];
    for (operations, line, message) in cases {
        let mut target = parse(BASE, DEPLOYMENT);
        let error = json6902(&mut target, &parse(PATCH, operations)).unwrap_err();
        assert_eq!(error.message, message);
        let span = error.span.unwrap();
        assert_eq!((span.file, span.start.line), (PATCH, line), "{message}");
        // A failed patch leaves the target as it was.
        assert_eq!(plain(&target), plain(&parse(BASE, DEPLOYMENT)));
    }
}

#[test]
fn json6902_edge_cases_follow_json_patch_v4() {
    let operations = "\
- op: replace
  path: /spec/paused
  value: true
- op: add
  path: /spec/replicas
  value: 5
- op: add
  path: /spec/template/spec/containers/-1  # -1 + (length + 1): the end
  value: {name: minus-one}
- op: move
  from: /spec/template/spec/containers/0
  path: /spec/template/spec/initContainers
- op: copy
  from: /metadata/name
  path: /metadata/labels
- op: add
  path: /spec/strategy
";
    let mut target = parse(BASE, DEPLOYMENT);
    json6902(&mut target, &parse(PATCH, operations)).unwrap();
    let spec = at(&target, &["spec"]);
    assert_eq!(plain(at(spec, &["paused"])), "true");
    assert_eq!(plain(at(spec, &["replicas"])), "5");
    assert_eq!(
        names(at(spec, &["template", "spec", "containers"])),
        ["sidecar", "minus-one"]
    );
    assert_eq!(
        plain(at(spec, &["template", "spec", "initContainers", "name"])),
        "app"
    );
    // A moved value keeps the base's spans.
    assert_eq!(
        at(spec, &["template", "spec", "initContainers", "image"])
            .span
            .file,
        BASE
    );
    assert_eq!(plain(at(&target, &["metadata", "labels"])), "web");
    assert!(at(spec, &["strategy"]).is_null());
}

#[test]
fn replace_on_an_item_of_a_merged_list_changes_nothing() {
    // kyaml merges the replacement, then puts the base's item back over it.
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        $patch: replace
        image: other
        securityContext:
          privileged: true
";
    let target = merged(DEPLOYMENT, patch);
    assert_eq!(
        plain(at(&target, &["spec", "template", "spec", "containers"])),
        plain(at(
            &parse(BASE, DEPLOYMENT),
            &["spec", "template", "spec", "containers"]
        ))
    );
}
