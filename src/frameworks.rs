//! Compliance frameworks. The Pod Security profiles are part of the rules that
//! implement them; benchmark catalogs are data, in `benchmarks/`, embedded at
//! build time: which controls exist and which rules evidence each one.

use std::sync::OnceLock;

use crate::rules::Rule;
use crate::source::FileId;
use crate::source::yaml::{self, Limits, Node};

/// A framework rules can be selected by.
#[derive(Debug)]
pub struct Framework {
    /// Stable identifier used by `--framework` and in reports.
    pub id: String,
    pub title: String,
    /// The controls of a benchmark catalog; empty for the Pod Security profiles,
    /// whose rules name them directly.
    pub controls: Vec<Control>,
}

/// How far a repository scan can evidence a control.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ControlStatus {
    Automated,
    Partial,
    Manual,
    NotApplicable,
}

/// One control of a catalog.
#[derive(Debug)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub status: ControlStatus,
    /// IDs of the rules that evidence the control.
    pub rules: Vec<String>,
    pub note: Option<String>,
}

/// Catalog files, embedded at build time.
const CATALOGS: &[(&str, &str)] = &[(
    "benchmarks/cis/cis-kubernetes.yaml",
    include_str!("../benchmarks/cis/cis-kubernetes.yaml"),
)];

/// Every framework: the Pod Security profiles, then the catalogs.
pub fn all() -> &'static [Framework] {
    static FRAMEWORKS: OnceLock<Vec<Framework>> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| {
        let mut frameworks = vec![
            Framework {
                id: "pss-baseline".into(),
                title: "Kubernetes Pod Security Standards, Baseline profile".into(),
                controls: Vec::new(),
            },
            Framework {
                id: "pss-restricted".into(),
                title: "Kubernetes Pod Security Standards, Restricted profile (includes Baseline)"
                    .into(),
                controls: Vec::new(),
            },
        ];
        for (path, text) in CATALOGS {
            // The catalogs ship with Vigie and a test validates them: a broken one
            // is a build defect, reported here rather than skipped silently.
            match parse_catalog(path, text) {
                Ok(framework) => frameworks.push(framework),
                Err(message) => panic!("invalid framework catalog {path}: {message}"),
            }
        }
        frameworks
    })
}

/// The framework with this ID.
pub fn find(id: &str) -> Option<&'static Framework> {
    all().iter().find(|f| f.id == id)
}

/// Every framework ID.
pub fn known_ids() -> Vec<&'static str> {
    all().iter().map(|f| f.id.as_str()).collect()
}

/// The frameworks a rule belongs to: its own, then the catalogs that map it.
pub fn of_rule(rule: &Rule) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = all()
        .iter()
        .filter(|f| {
            rule.frameworks.contains(&f.id.as_str())
                || f.controls
                    .iter()
                    .any(|c| c.rules.iter().any(|r| r == rule.id))
        })
        .map(|f| f.id.as_str())
        .collect();
    ids.dedup();
    ids
}

/// The catalog controls a rule evidences, as `framework:control` (`cis-k8s:5.2.2`).
pub fn controls_of(rule: &Rule) -> Vec<String> {
    all()
        .iter()
        .flat_map(|f| {
            f.controls
                .iter()
                .filter(|c| c.rules.iter().any(|r| r == rule.id))
                .map(move |c| format!("{}:{}", f.id, c.id))
        })
        .collect()
}

fn parse_catalog(path: &str, text: &str) -> Result<Framework, String> {
    let loaded = yaml::load(FileId(0), path, text, Limits::default());
    if let Some(problem) = loaded.diagnostics.first() {
        return Err(problem.message.clone());
    }
    let root = loaded
        .documents
        .into_iter()
        .next()
        .ok_or("empty catalog")?
        .root;
    let text_of = |node: &Node, key: &str| -> Result<String, String> {
        node.get(key)
            .and_then(Node::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("line {}: `{key}` must be a string", node.span.start.line))
    };
    let mut controls = Vec::new();
    for control in root.get("controls").map_or(&[][..], Node::items) {
        let status = match text_of(control, "status")?.as_str() {
            "automated" => ControlStatus::Automated,
            "partial" => ControlStatus::Partial,
            "manual" => ControlStatus::Manual,
            "not-applicable" => ControlStatus::NotApplicable,
            other => {
                return Err(format!(
                    "line {}: unknown status {other:?}",
                    control.span.start.line
                ));
            }
        };
        let rules = control
            .get("rules")
            .ok_or_else(|| format!("line {}: `rules` is missing", control.span.start.line))?
            .items()
            .iter()
            .map(|r| r.as_str().map(str::to_string).ok_or("rule IDs are strings"))
            .collect::<Result<Vec<_>, _>>()?;
        controls.push(Control {
            id: text_of(control, "id")?,
            title: text_of(control, "title")?,
            status,
            rules,
            note: control
                .get("note")
                .and_then(Node::as_str)
                .map(str::to_string),
        });
    }
    Ok(Framework {
        id: text_of(&root, "id")?,
        title: text_of(&root, "title")?,
        controls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_are_valid_and_name_existing_rules() {
        let mut ids = std::collections::BTreeSet::new();
        for framework in all() {
            assert!(
                ids.insert(framework.id.as_str()),
                "duplicate framework {}",
                framework.id
            );
            let mut controls = std::collections::BTreeSet::new();
            for control in &framework.controls {
                assert!(
                    controls.insert(control.id.as_str()),
                    "{}: duplicate control {}",
                    framework.id,
                    control.id
                );
                for rule in &control.rules {
                    assert!(
                        crate::rules::find(rule).is_some(),
                        "{} {}: unknown rule {rule}",
                        framework.id,
                        control.id
                    );
                }
                let automated = matches!(
                    control.status,
                    ControlStatus::Automated | ControlStatus::Partial
                );
                assert_eq!(
                    automated,
                    !control.rules.is_empty(),
                    "{} {}: status and rules disagree",
                    framework.id,
                    control.id
                );
            }
        }
    }
}
