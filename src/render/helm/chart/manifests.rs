//! What `helm template` prints: each rendered template split into documents
//! (`releaseutil.SplitManifests`), hooks set apart, and the rest ordered by
//! kind, then by template name (`releaseutil.SortManifests` with
//! `InstallOrder`), each under a `# Source:` comment.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::source::FileId;
use crate::source::yaml::{self, Limits};

/// Helm 3.17's install order; other kinds follow, alphabetically by kind.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// The annotation that makes a document a hook.
const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// Helm's document separator; `\s` in Go's regexp is ASCII whitespace only.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").expect("constant regex")
});

/// One template's rendered text.
#[derive(Clone, Debug)]
pub struct RenderedTemplate {
    /// Helm's name for the template (`mychart/templates/deployment.yaml`).
    pub name: String,
    pub text: String,
}

/// One document of the output, in `helm template`'s order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderedDocument {
    /// Index of its template in the slice given to [`order_documents`].
    pub template: usize,
    /// Its bytes in that template's rendered text (trimmed like Helm).
    pub range: Range<usize>,
    /// Its `kind` (empty when it has none).
    pub kind: String,
    /// True for hooks, which `helm template` prints after everything else.
    pub hook: bool,
}

/// A document Helm cannot read to order it (Helm fails the whole render).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderError {
    pub template: String,
    pub message: String,
    /// The document's bytes in its template's rendered text.
    pub range: Range<usize>,
}

/// Documents in `helm template`'s order, and those that could not be read.
#[derive(Clone, Debug, Default)]
pub struct Ordered {
    pub documents: Vec<OrderedDocument>,
    /// Helm stops at the first; Vigie orders the other documents all the
    /// same, so that one bad document does not hide the rest.
    pub errors: Vec<OrderError>,
}

/// Splits a rendered template into documents like `SplitManifests`: byte
/// ranges of the trimmed pieces between `---` separators, empty pieces dropped.
pub fn split_documents(text: &str) -> Vec<Range<usize>> {
    let trimmed = text.trim();
    let base = text.len() - text.trim_start().len();
    let mut pieces = Vec::new();
    let (mut begin, mut end) = (0, 0);
    for separator in SEPARATOR.find_iter(trimmed) {
        end = separator.start();
        if separator.end() != 0 {
            pieces.push(begin..end);
        }
        begin = separator.end();
    }
    if end != trimmed.len() {
        pieces.push(begin..trimmed.len());
    }
    pieces
        .into_iter()
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let raw = &trimmed[piece.clone()];
            let start = piece.start + (raw.len() - raw.trim_start().len());
            let stop = start + raw.trim().len();
            base + start..base + stop
        })
        .collect()
}

/// Orders the documents of rendered templates like `helm template` prints
/// them. Templates are taken in name order; names starting with `_` and
/// whitespace-only outputs are skipped.
pub fn order_documents(templates: &[RenderedTemplate]) -> Ordered {
    let mut by_name: Vec<usize> = (0..templates.len()).collect();
    by_name.sort_by(|&a, &b| templates[a].name.cmp(&templates[b].name));
    let mut generic = Vec::new();
    let mut hooks = Vec::new();
    let mut errors = Vec::new();
    for index in by_name {
        let template = &templates[index];
        let base_name = template.name.rsplit('/').next().unwrap_or_default();
        if base_name.starts_with('_') || template.text.trim().is_empty() {
            continue;
        }
        for range in split_documents(&template.text) {
            let (kind, hook) = match read_head(&template.text[range.clone()]) {
                Ok(head) => head,
                Err(message) => {
                    errors.push(OrderError {
                        template: template.name.clone(),
                        message: format!("YAML parse error on {}: {message}", template.name),
                        range,
                    });
                    continue;
                }
            };
            let document = OrderedDocument {
                template: index,
                range,
                kind,
                hook,
            };
            if document.hook {
                hooks.push(document);
            } else {
                generic.push(document);
            }
        }
    }
    sort_by_kind(&mut generic);
    sort_by_kind(&mut hooks);
    generic.extend(hooks);
    Ordered {
        documents: generic,
        errors,
    }
}

/// The kind of a document and whether it is a hook (Helm's `SimpleHead`).
fn read_head(document: &str) -> Result<(String, bool), String> {
    let loaded = yaml::load(FileId(0), "", document, Limits::default());
    // Warnings (a repeated key) do not fail Helm's YAML reading.
    let documents = loaded
        .documents_or_error()
        .map_err(|diagnostic| format!("error converting YAML to JSON: {}", diagnostic.message))?;
    let Some(root) = documents.first().map(|d| &d.root) else {
        return Ok((String::new(), false));
    };
    if root.is_null() {
        return Ok((String::new(), false));
    }
    if root.as_map().is_none() {
        return Err(
            "error unmarshaling JSON: json: cannot unmarshal into Go value of type releaseutil.SimpleHead"
                .to_string(),
        );
    }
    let kind = match root.get("kind") {
        None => String::new(),
        Some(node) if node.is_null() => String::new(),
        Some(node) => match node.as_str() {
            Some(kind) => kind.to_string(),
            None => {
                return Err(
                    "error unmarshaling JSON: json: cannot unmarshal into Go struct field SimpleHead.kind of type string"
                        .to_string(),
                );
            }
        },
    };
    let hook = root
        .get_path(&["metadata", "annotations"])
        .is_some_and(|annotations| annotations.get(HOOK_ANNOTATION).is_some());
    Ok((kind, hook))
}

/// Helm's `lessByKind` with a stable sort: known kinds in install order,
/// unknown kinds after them alphabetically, ties keep their order.
fn sort_by_kind(documents: &mut [OrderedDocument]) {
    let rank = |kind: &str| INSTALL_ORDER.iter().position(|known| *known == kind);
    documents.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// A CRD file of the chart or an enabled subchart: Helm's name, the file
/// and its text (printed with `--include-crds`, scanned as objects).
#[derive(Clone, Debug)]
pub struct CrdFile {
    /// `mychart/crds/thing.yaml`.
    pub name: String,
    pub file: crate::source::FileId,
    pub text: String,
}

/// The exact text `helm template` writes to stdout for ordered documents
/// (CRDs first, when included, as written in their files; hooks last unless
/// `hooks` is false, as with `--no-hooks`).
pub fn print_manifests(
    templates: &[RenderedTemplate],
    documents: &[OrderedDocument],
    crds: &[CrdFile],
    hooks: bool,
) -> String {
    let mut manifest = String::new();
    for crd in crds {
        manifest.push_str(&format!("---\n# Source: {}\n{}\n", crd.name, crd.text));
    }
    let mut hook_text = String::new();
    for document in documents {
        let template = &templates[document.template];
        let section = format!(
            "---\n# Source: {}\n{}\n",
            template.name,
            &template.text[document.range.clone()]
        );
        if document.hook {
            if hooks {
                hook_text.push_str(&section);
            }
        } else {
            manifest.push_str(&section);
        }
    }
    let mut out = manifest.trim().to_string();
    out.push('\n');
    out.push_str(&hook_text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split_documents(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_like_helm() {
        assert_eq!(texts("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        assert_eq!(texts("---\na: 1\n---   \n\n---\n"), ["a: 1", "---"]);
        assert_eq!(texts("---\na: 1\n---\n"), ["a: 1"]);
        // The separator's trailing blanks swallow the next line break, so a
        // following `---` is a document of its own (Helm prints it too).
        assert_eq!(
            texts("a\n---\n\n---\n  \n--- # c\nb"),
            ["a", "---", "# c\nb"]
        );
        assert_eq!(texts("a: |\n  x\n  ---\nb"), ["a: |\n  x\n  ---\nb"]);
        assert_eq!(texts("\n\n  a: 1  \n\n"), ["a: 1"]);
        assert!(texts(" \n ").is_empty());
        assert_eq!(texts("a\n---b"), ["a", "b"]);
    }

    #[test]
    fn ranges_point_into_the_original_text() {
        let text = "\n# x\nkind: A\n---\nkind: B\n";
        let ranges = split_documents(text);
        assert_eq!(ranges, vec![1..12, 17..24]);
    }

    fn rendered(name: &str, text: &str) -> RenderedTemplate {
        RenderedTemplate {
            name: name.to_string(),
            text: text.to_string(),
        }
    }

    /// The chart in testdata/helm/ordering and what `helm template` 3.17.3
    /// printed for it.
    #[test]
    fn orders_and_prints_exactly_like_helm_template() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm/ordering");
        let mut templates = Vec::new();
        for name in ["all.yaml", "b.yaml", "c.yaml"] {
            let text = std::fs::read_to_string(dir.join("templates").join(name)).unwrap();
            templates.push(rendered(&format!("k/templates/{name}"), &text));
        }
        templates.reverse();
        let documents = order_documents(&templates).documents;
        let printed = print_manifests(&templates, &documents, &[], true);
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        assert_eq!(printed, expected);
    }

    #[test]
    fn hooks_partials_and_crds() {
        let templates = vec![
            rendered("c/templates/_helpers.tpl", "kind: Secret\n"),
            rendered(
                "c/templates/job.yaml",
                "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: test\n",
            ),
            rendered("c/templates/svc.yaml", "kind: Service\n"),
            rendered("c/templates/cm.yaml", "\n\nkind: ConfigMap\n\n"),
        ];
        let documents = order_documents(&templates).documents;
        let order: Vec<(usize, bool)> = documents.iter().map(|d| (d.template, d.hook)).collect();
        assert_eq!(order, vec![(3, false), (2, false), (1, true)]);
        let crds = [CrdFile {
            name: "c/crds/crd.yaml".to_string(),
            file: crate::source::FileId(0),
            text: "kind: CustomResourceDefinition\n".to_string(),
        }];
        assert_eq!(
            print_manifests(&templates, &documents, &crds, true),
            "---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n\n---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n---\n# Source: c/templates/svc.yaml\nkind: Service\n---\n# Source: c/templates/job.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: test\n"
        );
        assert_eq!(
            print_manifests(&templates, &documents, &[], false),
            "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n---\n# Source: c/templates/svc.yaml\nkind: Service\n"
        );
    }

    #[test]
    fn a_document_that_is_not_a_mapping_fails_the_render() {
        let ordered = order_documents(&[rendered("c/templates/x.yaml", "just text\n")]);
        assert!(
            ordered.errors[0]
                .message
                .starts_with("YAML parse error on c/templates/x.yaml: ")
        );
        let ordered = order_documents(&[rendered("c/templates/y.yaml", "a: [\n")]);
        assert_eq!(ordered.errors[0].template, "c/templates/y.yaml");
    }

    #[test]
    fn a_bad_document_leaves_the_others_of_its_template() {
        let text = "kind: A\n---\nkind: [\n---\nkind: C\n";
        let ordered = order_documents(&[rendered("c/templates/t.yaml", text)]);
        let kinds: Vec<&str> = ordered.documents.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["A", "C"]);
        assert_eq!(ordered.errors.len(), 1);
        assert_eq!(&text[ordered.errors[0].range.clone()], "kind: [");
    }

    /// helm template 3.17.3 orders a document with `kind: Deployment` then
    /// `kind: ConfigMap` as a ConfigMap (before a Service), printed as written.
    #[test]
    fn a_repeated_kind_orders_by_its_last_value() {
        let templates = vec![
            rendered(
                "c/templates/a.yaml",
                "kind: Deployment\nkind: ConfigMap\nmetadata:\n  name: a\n",
            ),
            rendered("c/templates/b.yaml", "kind: Service\n"),
        ];
        let ordered = order_documents(&templates);
        assert!(ordered.errors.is_empty());
        let order: Vec<usize> = ordered.documents.iter().map(|d| d.template).collect();
        assert_eq!(order, vec![0, 1]);
        assert_eq!(ordered.documents[0].kind, "ConfigMap");
    }
}
