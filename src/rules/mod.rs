//! The rule catalog. Each rule is one file: its documentation (printed by
//! `vigie explain`), its metadata and its check.

pub mod pss;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::model::Resource;
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

/// What a check may know about the run besides the resource it looks at.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// A restricted-level Pod Security rule is selected, so the pods are held to
    /// the Restricted profile; upstream, its checks replace some Baseline checks
    /// (which matters for Windows pods).
    pub pss_restricted: bool,
}

/// A rule's check: reads one resource and reports what is wrong with it.
pub type Check = fn(&Context, &Resource, &mut Findings);

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
    /// Frameworks the rule belongs to, e.g. `pss-baseline`.
    pub frameworks: &'static [&'static str],
    /// Markdown documentation: what, why, example, fix, references.
    pub doc: &'static str,
    pub check: Check,
}

impl Rule {
    /// The rule's family: the letters of its ID (`PSS`).
    pub fn family(&self) -> &'static str {
        let end = self
            .id
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(self.id.len());
        &self.id[..end]
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
    fn of(resource: &Resource) -> Self {
        ResourceIdentity {
            api_version: resource.api_version.clone(),
            kind: resource.kind.clone(),
            namespace: resource.namespace.clone(),
            name: resource.name.clone(),
        }
    }

    /// `Deployment shop/web`.
    pub fn display(&self) -> String {
        let name = self.name.as_deref().unwrap_or("(unnamed)");
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{name}", self.kind),
            None => format!("{} {name}", self.kind),
        }
    }
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
    pub resource: ResourceIdentity,
    /// Stable across runs and unrelated edits; set once all findings are known.
    pub fingerprint: String,
}

/// Collects the findings of one rule on one resource.
pub struct Findings<'a> {
    rule: &'static Rule,
    resource: &'a Resource,
    found: &'a mut Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(rule: &'static Rule, resource: &'a Resource, found: &'a mut Vec<Finding>) -> Self {
        Findings {
            rule,
            resource,
            found,
        }
    }

    /// Reports a problem at `span`; `field` is the field path in the resource.
    pub fn report(&mut self, span: Span, field: String, message: String) {
        self.found.push(Finding {
            rule: self.rule,
            severity: self.rule.severity,
            message,
            span,
            field,
            resource: ResourceIdentity::of(self.resource),
            fingerprint: String::new(),
        });
    }
}

/// Every rule, in ID order.
pub fn all() -> &'static [&'static Rule] {
    pss::RULES
}

/// The rule with this ID or name (case-insensitive ID).
pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}
