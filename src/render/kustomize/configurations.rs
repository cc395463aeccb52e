//! `configurations`: files that extend the field specs of kustomize's
//! built-in transformers, mostly to teach them about custom resources (the
//! Service a CRD's conversion webhook names, the namespace of a
//! Certificate's DNS names, where `$(VAR)` may appear).
//!
//! Vigie applies the `nameReference`, `namespace`, `commonLabels` and
//! `varReference` sections; other sections are reported as not applied. The
//! sections of every kustomization built so far apply from the point where
//! it is built, a slight superset of kustomize, which applies a
//! kustomization's configurations to it and the kustomizations above it only.

use crate::source::yaml::{Node, Value};

use super::BuildError;
use super::transformers::{BackReference, ExtraFieldSpecs, FieldSpec, Referrer};

/// Sections Vigie applies.
pub const APPLIED: &[&str] = &["nameReference", "namespace", "commonLabels", "varReference"];

/// The field specs the configuration documents add.
pub fn extra_field_specs(documents: &[Node]) -> Result<ExtraFieldSpecs<'_>, BuildError> {
    let mut extra = ExtraFieldSpecs::default();
    for document in documents {
        for (section, specs) in [
            ("namespace", &mut extra.namespace),
            ("commonLabels", &mut extra.common_labels),
            ("varReference", &mut extra.var_reference),
        ] {
            if let Some(list) = document.get(section) {
                for item in items(list, section)? {
                    specs.push(field_spec(item)?);
                }
            }
        }
        if let Some(list) = document.get("nameReference") {
            for item in items(list, "nameReference")? {
                let referrers = match item.get("fieldSpecs") {
                    Some(specs) => items(specs, "fieldSpecs")?
                        .iter()
                        .map(|spec| {
                            let spec = field_spec(spec)?;
                            Ok(Referrer {
                                group: spec.group,
                                version: spec.version,
                                kind: spec.kind,
                                path: spec.path.to_string(),
                            })
                        })
                        .collect::<Result<Vec<_>, BuildError>>()?,
                    None => Vec::new(),
                };
                extra.name_reference.push(BackReference {
                    target: (
                        text(item, "group")?,
                        text(item, "version")?,
                        text(item, "kind")?,
                    ),
                    referrers,
                });
            }
        }
    }
    Ok(extra)
}

fn items<'n>(node: &'n Node, section: &str) -> Result<&'n [Node], BuildError> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(BuildError::new(
            format!("configurations: `{section}` must be a list"),
            Some(node.span),
        )),
    }
}

fn text<'n>(node: &'n Node, field: &str) -> Result<&'n str, BuildError> {
    match node.get(field).map(|n| (&n.value, n.span)) {
        None | Some((Value::Null, _)) => Ok(""),
        Some((Value::Str(s), _)) => Ok(s),
        Some((_, span)) => Err(BuildError::new(
            format!("configurations: `{field}` must be a string"),
            Some(span),
        )),
    }
}

fn field_spec(node: &Node) -> Result<FieldSpec<'_>, BuildError> {
    if node.as_map().is_none() {
        return Err(BuildError::new(
            "configurations: a field spec is a mapping",
            Some(node.span),
        ));
    }
    let path = text(node, "path")?;
    if path.is_empty() {
        return Err(BuildError::new(
            "configurations: a field spec needs a path",
            Some(node.span),
        ));
    }
    Ok(FieldSpec {
        group: text(node, "group")?,
        version: text(node, "version")?,
        kind: text(node, "kind")?,
        path,
        create: node.get("create").and_then(Node::as_bool) == Some(true),
    })
}
