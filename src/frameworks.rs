//! Compliance frameworks. The Pod Security profiles are part of the rules that
//! implement them; benchmark and regulatory catalogs are data, in `benchmarks/`,
//! embedded at build time: which controls exist, how far a repository scan can
//! evidence each one, and which rules do.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::rules::Rule;
use crate::source::FileId;
use crate::source::yaml::{self, Limits, Node};

/// A framework rules can be selected by.
#[derive(Debug)]
pub struct Framework {
    /// Stable identifier used by `--framework` and in reports.
    pub id: String,
    /// The document's name, as Vigie shows it.
    pub title: String,
    /// Edition of the document the catalog follows (`v1.8.0`, `2022`).
    pub version: String,
    /// Publisher and document the control IDs come from.
    pub source: String,
    /// Public page describing the document, when there is one.
    pub url: Option<String>,
    /// What a reader of the catalog must know (scope, unverified parts).
    pub note: Option<String>,
    /// The controls of a catalog; empty for the Pod Security profiles, whose
    /// rules name them directly.
    pub controls: Vec<Control>,
}

/// How far a repository scan can evidence a control.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ControlStatus {
    /// The rules decide the control for what the repository describes.
    Automated,
    /// The rules evidence part of the control, or a proxy of it.
    Partial,
    /// The evidence comes from elsewhere; the note says where.
    Manual,
    /// No repository scan can see it (control-plane and node settings).
    NotApplicable,
}

impl ControlStatus {
    /// The status as catalogs and reports spell it (`not-applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Automated => "automated",
            ControlStatus::Partial => "partial",
            ControlStatus::Manual => "manual",
            ControlStatus::NotApplicable => "not-applicable",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "automated" => ControlStatus::Automated,
            "partial" => ControlStatus::Partial,
            "manual" => ControlStatus::Manual,
            "not-applicable" => ControlStatus::NotApplicable,
            _ => return None,
        })
    }
}

/// One control of a catalog.
#[derive(Debug)]
pub struct Control {
    /// The control's ID in its document (`5.2.2`, `8.24`, `art32-1-a`).
    pub id: String,
    /// Vigie's own short paraphrase of the control.
    pub title: String,
    /// How far a repository scan evidences the control.
    pub status: ControlStatus,
    /// IDs of the rules that evidence the control.
    pub rules: Vec<String>,
    /// What the rules leave out, or where the evidence comes from.
    pub note: Option<String>,
    /// Controls of other catalogs this one is evidenced through, as
    /// `framework:control` (HDS controls point at ISO 27001 ones).
    pub via: Vec<String>,
}

/// How many controls of a catalog have each status.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub automated: usize,
    pub partial: usize,
    pub manual: usize,
    pub not_applicable: usize,
}

impl Coverage {
    /// Every control counted.
    pub fn total(&self) -> usize {
        self.automated + self.partial + self.manual + self.not_applicable
    }
}

impl Framework {
    /// Counts the controls by status.
    pub fn coverage(&self) -> Coverage {
        let mut coverage = Coverage::default();
        for control in &self.controls {
            match control.status {
                ControlStatus::Automated => coverage.automated += 1,
                ControlStatus::Partial => coverage.partial += 1,
                ControlStatus::Manual => coverage.manual += 1,
                ControlStatus::NotApplicable => coverage.not_applicable += 1,
            }
        }
        coverage
    }
}

/// A rule no framework asks for, kept as Vigie's own recommendation.
#[derive(Debug)]
pub struct BestPractice {
    /// The rule's ID.
    pub rule: String,
    /// Why the rule exists although no catalog control calls for it.
    pub reason: String,
}

/// Catalog files, embedded at build time, in the order frameworks are listed.
const CATALOGS: &[(&str, &str)] = &[
    (
        "benchmarks/cis/cis-kubernetes.yaml",
        include_str!("../benchmarks/cis/cis-kubernetes.yaml"),
    ),
    (
        "benchmarks/cis/cis-aks.yaml",
        include_str!("../benchmarks/cis/cis-aks.yaml"),
    ),
    (
        "benchmarks/regulatory/iso27001.yaml",
        include_str!("../benchmarks/regulatory/iso27001.yaml"),
    ),
    (
        "benchmarks/regulatory/hds.yaml",
        include_str!("../benchmarks/regulatory/hds.yaml"),
    ),
    (
        "benchmarks/regulatory/rgpd.yaml",
        include_str!("../benchmarks/regulatory/rgpd.yaml"),
    ),
];

const BEST_PRACTICES: (&str, &str) = (
    "benchmarks/regulatory/vigie-best-practices.yaml",
    include_str!("../benchmarks/regulatory/vigie-best-practices.yaml"),
);

/// Every framework: the Pod Security profiles, then the catalogs.
pub fn all() -> &'static [Framework] {
    static FRAMEWORKS: OnceLock<Vec<Framework>> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| {
        let pss = |id: &str, title: &str| Framework {
            id: id.into(),
            title: title.into(),
            version: "policy version 1.37".into(),
            source: "Kubernetes project, Pod Security Standards".into(),
            url: Some("https://kubernetes.io/docs/concepts/security/pod-security-standards/".into()),
            note: Some(
                "The profile's checks are the Vigie rules that name it; it has no separate control list."
                    .into(),
            ),
            controls: Vec::new(),
        };
        let mut frameworks = vec![
            pss(
                "pss-baseline",
                "Kubernetes Pod Security Standards, Baseline profile",
            ),
            pss(
                "pss-restricted",
                "Kubernetes Pod Security Standards, Restricted profile (includes Baseline)",
            ),
        ];
        for (path, text) in CATALOGS {
            // The catalogs ship with Vigie and a test validates them: a broken one
            // is a build defect, reported here rather than skipped silently.
            match parse_catalog(path, text, &frameworks) {
                Ok(framework) => frameworks.push(framework),
                Err(message) => panic!("invalid framework catalog {path}: {message}"),
            }
        }
        frameworks
    })
}

/// Rules listed as Vigie's own best practices, with the reason.
pub fn best_practices() -> &'static [BestPractice] {
    static LIST: OnceLock<Vec<BestPractice>> = OnceLock::new();
    LIST.get_or_init(|| {
        let (path, text) = BEST_PRACTICES;
        match parse_best_practices(path, text) {
            Ok(list) => list,
            Err(message) => panic!("invalid best-practice list {path}: {message}"),
        }
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
    all()
        .iter()
        .filter(|f| {
            rule.frameworks.contains(&f.id.as_str())
                || f.controls
                    .iter()
                    .any(|c| c.rules.iter().any(|r| r == rule.id))
        })
        .map(|f| f.id.as_str())
        .collect()
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

const CATALOG_KEYS: &[&str] = &[
    "id", "title", "version", "source", "url", "note", "inherits", "controls",
];
const CONTROL_KEYS: &[&str] = &["id", "title", "status", "rules", "note", "via"];

/// The root mapping of a YAML data file, or why it is not one.
fn load_root(path: &str, text: &str) -> Result<Node, String> {
    let loaded = yaml::load(FileId(0), path, text, Limits::default());
    if let Some(problem) = loaded.diagnostics.first() {
        return Err(problem.message.clone());
    }
    Ok(loaded
        .documents
        .into_iter()
        .next()
        .ok_or("empty file")?
        .root)
}

fn text_of(node: &Node, key: &str) -> Result<String, String> {
    node.get(key)
        .and_then(Node::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("line {}: `{key}` must be a string", node.span.start.line))
}

fn optional_text(node: &Node, key: &str) -> Result<Option<String>, String> {
    match node.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| format!("line {}: `{key}` must be a string", value.span.start.line)),
    }
}

/// A list of strings; a single string counts as a list of one.
fn strings_of(node: &Node, key: &str) -> Result<Vec<String>, String> {
    let Some(value) = node.get(key) else {
        return Ok(Vec::new());
    };
    if let Some(single) = value.as_str() {
        return Ok(vec![single.to_string()]);
    }
    value
        .as_seq()
        .ok_or_else(|| format!("line {}: `{key}` must be a list", value.span.start.line))?
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("line {}: `{key}` holds strings", item.span.start.line))
        })
        .collect()
}

fn check_keys(node: &Node, allowed: &[&str]) -> Result<(), String> {
    let entries = node
        .as_map()
        .ok_or_else(|| format!("line {}: expected a mapping", node.span.start.line))?;
    match entries
        .iter()
        .find(|e| !allowed.contains(&e.key.text.as_str()))
    {
        Some(unknown) => Err(format!(
            "line {}: unknown key `{}`",
            unknown.key.span.start.line, unknown.key.text
        )),
        None => Ok(()),
    }
}

fn parse_catalog(path: &str, text: &str, earlier: &[Framework]) -> Result<Framework, String> {
    let root = load_root(path, text)?;
    check_keys(&root, CATALOG_KEYS)?;
    let id = text_of(&root, "id")?;
    let mut controls = Vec::new();
    // A catalog built on another one (HDS on ISO 27001) lists the other's
    // controls as its own, each evidenced through the original.
    if let Some(base) = optional_text(&root, "inherits")? {
        let base = earlier
            .iter()
            .find(|f| f.id == base)
            .ok_or_else(|| format!("`inherits`: unknown or later catalog {base:?}"))?;
        for control in &base.controls {
            controls.push(Control {
                id: format!("{}-{}", base.id, control.id),
                title: control.title.clone(),
                status: control.status,
                rules: control.rules.clone(),
                note: control.note.clone(),
                via: vec![format!("{}:{}", base.id, control.id)],
            });
        }
    }
    for control in root.get("controls").map_or(&[][..], Node::items) {
        check_keys(control, CONTROL_KEYS)?;
        let line = control.span.start.line;
        let status_text = text_of(control, "status")?;
        let status = ControlStatus::parse(&status_text)
            .ok_or_else(|| format!("line {line}: unknown status {status_text:?}"))?;
        if control.get("rules").is_none() {
            return Err(format!("line {line}: `rules` is missing"));
        }
        controls.push(Control {
            id: text_of(control, "id")?,
            title: text_of(control, "title")?,
            status,
            rules: strings_of(control, "rules")?,
            note: optional_text(control, "note")?,
            via: strings_of(control, "via")?,
        });
    }
    Ok(Framework {
        id,
        title: text_of(&root, "title")?,
        version: text_of(&root, "version")?,
        source: text_of(&root, "source")?,
        url: optional_text(&root, "url")?,
        note: optional_text(&root, "note")?,
        controls,
    })
}

fn parse_best_practices(path: &str, text: &str) -> Result<Vec<BestPractice>, String> {
    let root = load_root(path, text)?;
    check_keys(&root, &["rules"])?;
    root.get("rules")
        .map_or(&[][..], Node::items)
        .iter()
        .map(|entry| {
            check_keys(entry, &["rule", "reason"])?;
            Ok(BestPractice {
                rule: text_of(entry, "rule")?,
                reason: text_of(entry, "reason")?,
            })
        })
        .collect()
}

/// Rule IDs mapped by at least one catalog control.
pub fn mapped_rules() -> BTreeSet<&'static str> {
    all()
        .iter()
        .flat_map(|f| f.controls.iter())
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id: x\ntitle: X\nversion: '1'\nsource: S\n";

    fn parse(controls: &str) -> Result<Framework, String> {
        parse_catalog("x.yaml", &format!("{HEADER}{controls}"), all())
    }

    #[test]
    fn parses_a_control() {
        let framework = parse(
            "controls:\n  - id: '5.10'\n    title: T\n    status: not-applicable\n    rules: []\n    note: see elsewhere\n",
        )
        .unwrap();
        assert_eq!(framework.controls[0].id, "5.10");
        assert_eq!(framework.controls[0].status, ControlStatus::NotApplicable);
        assert_eq!(framework.coverage().not_applicable, 1);
    }

    #[test]
    fn rejects_mistakes_in_a_catalog() {
        let control = |body: &str| parse(&format!("controls:\n  - {body}\n"));
        // An unquoted 5.10 is the number 5.1: IDs must be strings.
        let unquoted = control("id: 5.10\n    title: T\n    status: manual\n    rules: []");
        assert!(unquoted.unwrap_err().contains("`id` must be a string"));
        let status = control("id: '1'\n    title: T\n    status: done\n    rules: []");
        assert!(status.unwrap_err().contains("unknown status"));
        let key = control("id: '1'\n    title: T\n    status: manual\n    rule: [A]");
        assert!(key.unwrap_err().contains("unknown key `rule`"));
        let rules = control("id: '1'\n    title: T\n    status: manual");
        assert!(rules.unwrap_err().contains("`rules` is missing"));
        let base = parse("inherits: nothing\n");
        assert!(base.unwrap_err().contains("unknown or later catalog"));
    }

    #[test]
    fn inherits_controls_through_via() {
        let framework = parse("inherits: cis-aks\n").unwrap();
        let first = &framework.controls[0];
        assert_eq!(first.id, "cis-aks-2.1.1");
        assert_eq!(first.via, ["cis-aks:2.1.1"]);
        assert_eq!(
            framework.controls.len(),
            find("cis-aks").unwrap().controls.len()
        );
    }
}
