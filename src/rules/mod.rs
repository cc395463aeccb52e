//! The rule catalog. Each rule is one file: its documentation (printed by
//! `vigie explain`), its metadata and its check.

pub mod acr;
pub mod aks;
pub mod azure;
pub(crate) mod azurerm;
pub mod certificates;
pub mod defender;
pub mod keyvault;
pub mod monitor;
pub mod network;
pub mod paths;
pub mod pss;
pub mod rbac;
pub mod secrets;
pub mod workload;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{Repo, Resource, TfResource};
use crate::source::Span;

/// How much a finding matters.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// SARIF `security-severity`: GitHub maps ≥ 9.0 to critical, ≥ 7.0 to high,
    /// ≥ 4.0 to medium and anything above 0 to low.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "unknown severity {s:?} (expected low, medium, high or critical)"
            )),
        }
    }
}

/// A rule parameter, set in the `rules:` section of `.vigie.yaml`.
#[derive(Debug)]
pub struct Parameter {
    pub name: &'static str,
    pub description: &'static str,
    pub default: ParamDefault,
}

/// The type and default value of a parameter.
#[derive(Debug)]
pub enum ParamDefault {
    List(&'static [&'static str]),
    Bool(bool),
    Int(i64),
}

impl ParamDefault {
    pub fn value(&self) -> ParamValue {
        match self {
            ParamDefault::List(items) => {
                ParamValue::List(items.iter().map(|s| s.to_string()).collect())
            }
            ParamDefault::Bool(b) => ParamValue::Bool(*b),
            ParamDefault::Int(i) => ParamValue::Int(*i),
        }
    }

    /// `list of strings`, `boolean`, `integer`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamDefault::List(_) => "list of strings",
            ParamDefault::Bool(_) => "boolean",
            ParamDefault::Int(_) => "integer",
        }
    }
}

/// A parameter's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    List(Vec<String>),
    Bool(bool),
    Int(i64),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::List(items) => write!(f, "[{}]", items.join(", ")),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Int(i) => write!(f, "{i}"),
        }
    }
}

/// The values of one rule's parameters: defaults, overridden by the config.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Params {
    values: Vec<(&'static str, ParamValue)>,
}

impl Params {
    /// The defaults of a rule's parameters.
    pub fn defaults(rule: &Rule) -> Self {
        Params {
            values: rule
                .parameters
                .iter()
                .map(|p| (p.name, p.default.value()))
                .collect(),
        }
    }

    /// Sets a parameter the rule declares; returns false for an unknown name.
    pub fn set(&mut self, name: &str, value: ParamValue) -> bool {
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some((_, slot)) => {
                *slot = value;
                true
            }
            None => false,
        }
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.values.iter().map(|(n, v)| (*n, v))
    }
}

/// What a check may know besides the resource it looks at.
pub struct Context<'a> {
    /// Every resource of the scan, for rules that look across resources.
    pub repo: &'a Repo<'a>,
    /// This rule's parameters.
    pub params: &'a Params,
    /// A restricted-level Pod Security rule is selected, so the pods are held to
    /// the Restricted profile; upstream, its checks replace some Baseline checks
    /// (which matters for Windows pods).
    pub pss_restricted: bool,
}

impl Context<'_> {
    /// A list parameter (empty if the rule does not declare it).
    pub fn list(&self, name: &str) -> &[String] {
        match self.params.get(name) {
            Some(ParamValue::List(items)) => items,
            _ => &[],
        }
    }

    /// A boolean parameter (false if the rule does not declare it).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.params.get(name), Some(ParamValue::Bool(true)))
    }

    /// An integer parameter (0 if the rule does not declare it).
    pub fn int(&self, name: &str) -> i64 {
        match self.params.get(name) {
            Some(ParamValue::Int(i)) => *i,
            _ => 0,
        }
    }
}

/// A rule's check: reads one resource (and, if it needs to, the others) and
/// reports what is wrong with it.
/// What a rule checks, one object at a time: a Kubernetes object, or a
/// Terraform resource instance.
#[derive(Clone, Copy)]
pub enum Check {
    Kubernetes(fn(&Context<'_>, &Resource, &mut Findings<'_>)),
    Terraform(fn(&Context<'_>, &TfResource, &mut Findings<'_>)),
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::Kubernetes(_) => "Check::Kubernetes",
            Check::Terraform(_) => "Check::Terraform",
        })
    }
}

/// The object a finding is about: an index into the scan's Kubernetes
/// objects or into its Terraform resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Kubernetes(usize),
    Terraform(usize),
}

/// A rule: stable identity, documentation and check.
#[derive(Debug)]
pub struct Rule {
    /// Stable identifier, e.g. `PSS001`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `privileged-container`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Frameworks the rule belongs to by definition (the Pod Security profiles);
    /// benchmark mappings are data, see [`crate::frameworks`].
    pub frameworks: &'static [&'static str],
    pub parameters: &'static [Parameter],
    /// Markdown documentation: what, why, example, fix, references.
    pub doc: &'static str,
    pub check: Check,
}

impl Rule {
    /// The rule's family: its ID without the number (`PSS`, `K8S`, `RBAC`).
    pub fn family(&self) -> &'static str {
        self.id.trim_end_matches(|c: char| c.is_ascii_digit())
    }

    /// The documentation, without the leading space `///` comments leave.
    pub fn documentation(&self) -> String {
        let mut text = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text
    }
}

/// A rule selected for a scan, with its configured severity and parameters.
#[derive(Clone, Debug)]
pub struct ActiveRule {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub params: Params,
}

impl ActiveRule {
    pub fn new(rule: &'static Rule) -> Self {
        ActiveRule {
            rule,
            severity: rule.severity,
            params: Params::defaults(rule),
        }
    }
}

/// Declares a rule; its doc comment becomes the rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = Rule { $($field:ident: $value:expr),* $(,)? };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            doc: concat!($($doc, "\n"),*),
            $($field: $value),*
        };
    };
}
pub(crate) use declare_rule;

/// Identity of the resource a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceIdentity {
    pub api_version: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ResourceIdentity {
    pub fn of(resource: &Resource) -> Self {
        ResourceIdentity {
            api_version: resource.api_version.clone(),
            kind: resource.kind.clone(),
            namespace: resource.namespace.clone(),
            name: resource.name.clone(),
        }
    }

    /// `Deployment shop/web`.
    /// A Terraform resource: its type as the kind, its address as the name.
    pub fn of_terraform(resource: &TfResource) -> Self {
        ResourceIdentity {
            api_version: "terraform".to_string(),
            kind: resource.resource_type.clone(),
            namespace: None,
            name: Some(resource.address.clone()),
        }
    }

    pub fn display(&self) -> String {
        let name = self.name.as_deref().unwrap_or("(unnamed)");
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{name}", self.kind),
            None => format!("{} {name}", self.kind),
        }
    }
}

/// A place that explains a finding: a link of an attack path, the object a
/// missing setting belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One problem a rule found.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    /// The offending field (key to end of value), or the line of the object that
    /// lacks a required field.
    pub span: Span,
    /// Path of the field in its resource, e.g.
    /// `spec.template.spec.containers[name=app].securityContext.privileged`.
    pub field: String,
    pub resource: Arc<ResourceIdentity>,
    /// The object the finding is about.
    pub subject: Subject,
    /// Other places that explain the finding.
    pub related: Vec<Related>,
    /// The kustomizations (directories) whose output holds the finding; empty
    /// for plain manifests.
    pub variants: Vec<String>,
    /// The named value set of the chart render the finding comes from.
    pub value_set: Option<String>,
    /// Stable across runs and unrelated edits; set once all findings are known.
    pub fingerprint: String,
    /// Why the finding is accepted, when an ignore comment, annotation or
    /// exception covers it.
    pub suppression: Option<Suppression>,
    /// Not a finding: the rule could not judge an unknown value (see
    /// [`Findings::undetermined`]). The scan turns these into notes.
    pub undetermined: bool,
}

/// Where an acceptance of a finding is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// A `# vigie:ignore` comment or a `vigie.dev/ignore` annotation, next to the
    /// finding.
    InSource,
    /// An exception in the configuration file.
    External,
}

/// An accepted finding: who accepted it, why, until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the ignore or the exception is written.
    pub path: String,
    pub position: crate::source::Position,
}

/// Collects the findings of one rule on one resource.
pub struct Findings<'a> {
    rule: &'a ActiveRule,
    resource: &'a Arc<ResourceIdentity>,
    subject: Subject,
    found: &'a mut Vec<Finding>,
}

impl<'a> Findings<'a> {
    /// Collects the findings of `rule` on `subject`, whose
    /// identity (shared by its findings) is `resource`.
    pub fn new(
        rule: &'a ActiveRule,
        resource: &'a Arc<ResourceIdentity>,
        subject: Subject,
        found: &'a mut Vec<Finding>,
    ) -> Self {
        Findings {
            rule,
            resource,
            subject,
            found,
        }
    }

    /// Reports a problem at `span`; `field` is the field path in the resource.
    pub fn report(&mut self, span: Span, field: String, message: String) {
        self.report_related(span, field, message, Vec::new());
    }

    /// Reports a problem with the places that explain it.
    pub fn report_related(
        &mut self,
        span: Span,
        field: String,
        message: String,
        related: Vec<Related>,
    ) {
        self.found.push(Finding {
            rule: self.rule.rule,
            severity: self.rule.severity,
            message,
            span,
            field,
            resource: Arc::clone(self.resource),
            subject: self.subject,
            related,
            variants: Vec::new(),
            value_set: None,
            fingerprint: String::new(),
            suppression: None,
            undetermined: false,
        });
    }

    /// Says the rule cannot judge a value Vigie cannot know (a Terraform value
    /// known only after apply): not a finding; `--verbose` shows it as a note.
    pub fn undetermined(&mut self, span: Span, field: String, message: String) {
        self.report(span, field, message);
        if let Some(last) = self.found.last_mut() {
            last.undetermined = true;
        }
    }
}

/// Every rule, family by family, in ID order within each family.
pub fn all() -> &'static [&'static Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let families: [&[&'static Rule]; 13] = [
            pss::RULES,
            workload::RULES,
            rbac::RULES,
            network::RULES,
            secrets::RULES,
            certificates::RULES,
            paths::RULES,
            aks::RULES,
            monitor::RULES,
            keyvault::RULES,
            acr::RULES,
            defender::RULES,
            azure::RULES,
        ];
        let mut rules = families.concat();
        // A rule may live with another module's rules (AKS017 reads diagnostic
        // settings, with the monitor rules); list each ID family together, in
        // the order families first appear, and by ID within a family.
        let mut order: Vec<&str> = Vec::new();
        for rule in &rules {
            if !order.contains(&rule.family()) {
                order.push(rule.family());
            }
        }
        rules.sort_by_key(|r| (order.iter().position(|f| *f == r.family()), r.id));
        rules
    })
}

/// The rule with this ID or name (case-insensitive ID).
pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}
