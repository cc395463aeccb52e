//! Terraform resources as rules read them: evaluated attribute values, each
//! with the span of the attribute that set it, whether they come from HCL
//! (`*.tf` with variables, locals and local modules) or from a plan's JSON.

use std::collections::BTreeMap;
use std::fmt;

use crate::rules::Related;
use crate::source::Span;

/// A value of Terraform's type system once evaluated. `Unknown` is what
/// Vigie cannot know before `apply` (a variable without value, a data
/// source, another resource's computed attribute): rules never judge it.
#[derive(Clone, Debug, PartialEq)]
pub enum TfValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, sets and tuples.
    List(Vec<TfValue>),
    /// Maps and objects, keys sorted (as Terraform iterates them).
    Map(BTreeMap<String, TfValue>),
    Unknown,
}

impl TfValue {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            TfValue::Bool(b) => Some(*b),
            // Terraform converts "true"/"false" strings where a bool is expected.
            TfValue::String(s) if s == "true" => Some(true),
            TfValue::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            TfValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            TfValue::Number(n) => Some(*n),
            TfValue::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[TfValue]> {
        match self {
            TfValue::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, TfValue::Unknown)
    }

    /// Whether the value is unknown or holds an unknown part.
    pub fn contains_unknown(&self) -> bool {
        match self {
            TfValue::Unknown => true,
            TfValue::List(items) => items.iter().any(TfValue::contains_unknown),
            TfValue::Map(entries) => entries.values().any(TfValue::contains_unknown),
            _ => false,
        }
    }
}

impl fmt::Display for TfValue {
    /// Terraform's own notation, for messages: `true`, `"Free"`, `["a", "b"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TfValue::Null => f.write_str("null"),
            TfValue::Bool(b) => write!(f, "{b}"),
            TfValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            TfValue::Number(n) => write!(f, "{n}"),
            TfValue::String(s) => write!(f, "{s:?}"),
            TfValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            TfValue::Map(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key} = {value}")?;
                }
                f.write_str("}")
            }
            TfValue::Unknown => f.write_str("(known after apply)"),
        }
    }
}

/// An attribute of a block: `name = expression`, evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct TfAttribute {
    pub name: String,
    pub value: TfValue,
    /// The whole attribute, `name = expression`.
    pub span: Span,
    /// Where the value came from when it is not written here: the variable's
    /// default, the `.tfvars` line, the local, the module call's argument.
    /// Findings list them as related locations.
    pub trace: Vec<Related>,
    /// The resources the expression refers to, by address without instance
    /// key (`azurerm_kubernetes_cluster.main`, `module.aks.azurerm_key_vault.kv`),
    /// so cross-resource rules can tell which resource an unknown id names
    /// (`target_resource_id = azurerm_kubernetes_cluster.main.id`).
    pub references: Vec<String>,
}

/// A block (`resource`, `network_profile`, an expanded `dynamic` block…).
#[derive(Clone, Debug, PartialEq)]
pub struct TfBlock {
    /// The block type: `resource`, `default_node_pool`, `network_acls`.
    pub kind: String,
    pub labels: Vec<String>,
    /// The header line (`network_profile {`), where findings about a missing
    /// attribute point.
    pub span: Span,
    pub attributes: Vec<TfAttribute>,
    pub blocks: Vec<TfBlock>,
}

impl TfBlock {
    /// The attribute `name`, when written (or set by the plan).
    pub fn attribute(&self, name: &str) -> Option<&TfAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The first of several spellings of one attribute that is present (a
    /// provider renamed it: `enable_host_encryption`, `host_encryption_enabled`).
    pub fn attribute_any(&self, names: &[&str]) -> Option<&TfAttribute> {
        names.iter().find_map(|name| self.attribute(name))
    }

    /// The first nested block of a type.
    pub fn block(&self, kind: &str) -> Option<&TfBlock> {
        self.blocks.iter().find(|b| b.kind == kind)
    }

    /// Every nested block of a type.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a TfBlock> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// Whether a resource was read from HCL or from a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfInput {
    Hcl,
    Plan,
}

/// A `resource` (or `data`) instance: one per `count` index or `for_each`
/// key; instances with `count = 0` or an empty `for_each` do not exist.
#[derive(Clone, Debug, PartialEq)]
pub struct TfResource {
    /// `azurerm_kubernetes_cluster`.
    pub resource_type: String,
    /// The label after the type: `main`.
    pub name: String,
    /// Terraform's address: `module.aks.azurerm_kubernetes_cluster.main[0]`.
    pub address: String,
    /// A data source (`data "…" "…"`) rather than a managed resource.
    pub data: bool,
    /// The resource block; its `span` is the header line
    /// (`resource "azurerm_kubernetes_cluster" "main" {`).
    pub body: TfBlock,
    /// The `module` blocks that instantiate the module holding it, outermost
    /// first (related locations of every finding on it).
    pub module_calls: Vec<Related>,
    pub input: TfInput,
}

/// A resource address without its instance keys, as `references` name
/// resources: `module.a["x"].azurerm_key_vault.kv[0]` → `module.a.azurerm_key_vault.kv`.
pub fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        match (depth, quoted) {
            (0, _) if c == '[' => depth = 1,
            (0, _) => out.push(c),
            (_, true) if escaped => escaped = false,
            (_, true) if c == '\\' => escaped = true,
            (_, true) if c == '"' => quoted = false,
            (_, true) => {}
            (_, false) if c == '"' => quoted = true,
            (_, false) if c == '[' => depth += 1,
            (_, false) if c == ']' => depth -= 1,
            (_, false) => {}
        }
    }
    out
}

impl TfResource {
    /// The address without instance keys (`module.aks.azurerm_key_vault.kv`
    /// for `module.aks["a"].azurerm_key_vault.kv[0]`): how other resources'
    /// [`TfAttribute::references`] name it.
    pub fn reference_address(&self) -> String {
        without_instance_keys(&self.address)
    }

    /// The related locations of a finding at `span`: where the value of the
    /// attribute written there came from, then the module calls leading to
    /// the resource.
    pub fn related_at(&self, span: Span) -> Vec<Related> {
        let mut related = attribute_at(&self.body, span)
            .map(|a| a.trace.clone())
            .unwrap_or_default();
        related.extend(self.module_calls.iter().cloned());
        related
    }
}

/// The attribute (at any depth) whose span is `span`.
fn attribute_at(block: &TfBlock, span: Span) -> Option<&TfAttribute> {
    block
        .attributes
        .iter()
        .find(|a| a.span == span)
        .or_else(|| block.blocks.iter().find_map(|b| attribute_at(b, span)))
}
