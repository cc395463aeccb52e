//! Legacy `vars`: a variable names a field of one object (`objref` and
//! `fieldref.fieldpath`, `metadata.name` by default); once the whole build is
//! done, `$(NAME)` in the fields kustomize lists becomes that field's value.
//!
//! As in kustomize, each kustomization's variables are tied to an object when
//! that kustomization is accumulated (by the object's current or any earlier
//! id), and resolved at the very end, after name references are fixed, so a
//! variable holding a Service name sees its prefixes and suffixes.

use std::collections::BTreeMap;

use crate::source::Span;
use crate::source::yaml::{Node, Value};

use super::kustomization::Kustomization;
use super::replacements::{lookup, parse_path};
use super::select::effective_namespace;
use super::transformers::{FieldSpec, is_cluster_scoped, substitute_vars};
use super::{BuildError, Object, build::cluster_scoped};

/// One variable of a kustomization.
#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    group: String,
    version: String,
    kind: String,
    object_name: String,
    namespace: String,
    field_path: String,
    pub span: Span,
}

/// The `vars` of a kustomization.
pub fn parse(k: &Kustomization) -> Result<Vec<Var>, BuildError> {
    let Some(list) = k.get("vars") else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_seq() else {
        return Err(BuildError::new("`vars` must be a list", Some(list.span)));
    };
    items.iter().map(parse_one).collect()
}

/// A field of a var: kustomize decodes vars with Go's JSON decoder, which
/// matches field names regardless of case (`fieldPath` and `fieldpath`).
fn field<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    node.as_map()?
        .iter()
        .find(|e| e.key.text.eq_ignore_ascii_case(name))
        .map(|e| &e.value)
}

fn parse_one(item: &Node) -> Result<Var, BuildError> {
    let text = |node: Option<&Node>, field: &str| -> Result<String, BuildError> {
        match node.map(|n| &n.value) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(_) => Err(BuildError::new(
                format!("var `{field}` must be a string"),
                node.map(|n| n.span),
            )),
        }
    };
    let name = text(field(item, "name"), "name")?;
    if name.is_empty() {
        return Err(BuildError::new("a var needs a name", Some(item.span)));
    }
    let objref = field(item, "objref")
        .filter(|n| n.as_map().is_some())
        .ok_or_else(|| BuildError::new(format!("var {name:?} needs an objref"), Some(item.span)))?;
    let api_version = text(field(objref, "apiVersion"), "objref.apiVersion")?;
    let (mut group, mut version) = match api_version.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api_version.clone()),
    };
    if api_version.is_empty() {
        group = text(field(objref, "group"), "objref.group")?;
        version = text(field(objref, "version"), "objref.version")?;
    }
    let field_path = text(
        field(item, "fieldref").and_then(|f| field(f, "fieldpath")),
        "fieldref.fieldpath",
    )?;
    Ok(Var {
        group,
        version,
        kind: text(field(objref, "kind"), "objref.kind")?,
        object_name: text(field(objref, "name"), "objref.name")?,
        namespace: text(field(objref, "namespace"), "objref.namespace")?,
        field_path: if field_path.is_empty() {
            "metadata.name".to_string()
        } else {
            field_path
        },
        span: item.span,
        name,
    })
}

/// Ties each variable to the one object it reads (kustomize's `MergeVars`):
/// several candidates are an error; none leaves it for the final resolution
/// to report.
pub fn bind(vars: &[Var], objects: &mut [Object]) -> Result<(), BuildError> {
    for var in vars {
        let with_namespace = !var.namespace.is_empty()
            || is_cluster_scoped(&join(&var.group, &var.version), &var.kind);
        let matches: Vec<usize> = objects
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.body.as_map().is_none_or(<[_]>::is_empty))
            .filter(|(_, o)| {
                o.group() == var.group
                    && o.version() == var.version
                    && o.kind() == var.kind
                    && std::iter::once(o.current_name())
                        .chain(o.previous.iter().cloned())
                        .any(|id| {
                            id.name == var.object_name
                                && (!with_namespace
                                    || effective_namespace(
                                        id.namespace.as_deref(),
                                        cluster_scoped(o),
                                    ) == effective_namespace(
                                        Some(var.namespace.as_str()).filter(|n| !n.is_empty()),
                                        cluster_scoped(o),
                                    ))
                        })
            })
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [] => {}
            [one] => objects[*one].var_names.push(var.name.clone()),
            many => {
                return Err(BuildError::new(
                    format!(
                        "found {} objects var {:?} could read (unable to disambiguate)",
                        many.len(),
                        var.name
                    ),
                    Some(var.span),
                ));
            }
        }
    }
    Ok(())
}

fn join(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// Resolves every variable and substitutes them; returns the variables never
/// used (kustomize only logs those).
pub fn resolve(
    vars: &[Var],
    objects: &mut [Object],
    extra: &[FieldSpec<'_>],
) -> Result<Vec<Var>, BuildError> {
    if vars.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = BTreeMap::new();
    for var in vars {
        let object = objects
            .iter()
            .find(|o| o.var_names.contains(&var.name))
            .ok_or_else(|| {
                BuildError::new(
                    format!(
                        "var {:?} cannot be mapped to a field in the set of known resources",
                        var.name
                    ),
                    Some(var.span),
                )
            })?;
        let found = lookup(&object.body, &parse_path(&var.field_path));
        let value = match found.first().map(|n| &n.value) {
            Some(value @ (Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_))) => {
                value.clone()
            }
            _ => {
                return Err(BuildError::new(
                    format!(
                        "field {:?} of var {:?} not found in corresponding resource",
                        var.field_path, var.name
                    ),
                    Some(var.span),
                ));
            }
        };
        values.insert(var.name.clone(), value);
    }
    let used = substitute_vars(objects, &values, extra)?;
    Ok(vars
        .iter()
        .filter(|v| !used.contains(&v.name))
        .cloned()
        .collect())
}
