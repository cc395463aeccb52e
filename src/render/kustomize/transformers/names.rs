//! `namePrefix` and `nameSuffix`.
//!
//! Every object is renamed except CustomResourceDefinitions, Namespaces and
//! APIServices of `apiregistration.k8s.io`, whose names mean something to
//! the API server. The previous name is kept on the object, and the prefix
//! or suffix is recorded, for [`fix_name_references`](super::fix_name_references).

use super::{BuildError, Object, text};
use crate::source::Span;
use crate::source::yaml::{Node, Value};

/// Applies a kustomization's `namePrefix:` field (its value node).
pub fn add_name_prefix(objects: &mut [Object], prefix: &Node) -> Result<(), BuildError> {
    let affix = text(prefix, "namePrefix")?;
    rename_all(objects, Affix::Prefix(affix), prefix.span);
    Ok(())
}

/// Applies a kustomization's `nameSuffix:` field (its value node).
pub fn add_name_suffix(objects: &mut [Object], suffix: &Node) -> Result<(), BuildError> {
    let affix = text(suffix, "nameSuffix")?;
    rename_all(objects, Affix::Suffix(affix), suffix.span);
    Ok(())
}

#[derive(Clone, Copy)]
enum Affix<'a> {
    Prefix(&'a str),
    Suffix(&'a str),
}

/// Kinds whose names are left alone: `(group, kind)`, any group when empty.
const KEEP_NAME: &[(&str, &str)] = &[
    ("", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("", "Namespace"),
];

fn keeps_name(object: &Object) -> bool {
    KEEP_NAME.iter().any(|&(group, kind)| {
        object.kind() == kind && (group.is_empty() || object.group() == group)
    })
}

fn rename_all(objects: &mut [Object], affix: Affix, span: Span) {
    let (Affix::Prefix(text) | Affix::Suffix(text)) = affix;
    if text.is_empty() {
        return;
    }
    for object in objects.iter_mut() {
        if keeps_name(object) {
            continue;
        }
        match affix {
            Affix::Prefix(prefix) => object.name_prefixes.push(prefix.to_string()),
            Affix::Suffix(suffix) => object.name_suffixes.push(suffix.to_string()),
        }
        let name = match object
            .body
            .get_path(&["metadata", "name"])
            .map(|n| &n.value)
        {
            Some(Value::Str(name)) => name.as_str(),
            _ => {
                // Nothing to rename, but kustomize still records the step.
                let previous = object.current_name();
                object.previous.push(previous);
                continue;
            }
        };
        let renamed = match affix {
            Affix::Prefix(prefix) => format!("{prefix}{name}"),
            Affix::Suffix(suffix) => format!("{name}{suffix}"),
        };
        object.rename(&renamed, span);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{objects_from, scalar_node};
    use super::*;

    #[test]
    fn prefixes_and_suffixes_names_except_special_kinds() {
        let mut objects = objects_from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n---\napiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.example.com}\n",
        );
        let prefix = scalar_node("a-");
        add_name_prefix(&mut objects, &prefix).unwrap();
        add_name_suffix(&mut objects, &scalar_node("-z")).unwrap();
        let names: Vec<_> = objects.iter().map(Object::name).collect();
        assert_eq!(
            names,
            ["a-cm-z", "ns", "widgets.example.com", "v1.example.com"]
        );
        let previous: Vec<_> = objects[0]
            .previous
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(previous, ["cm", "a-cm"]);
        assert_eq!(objects[0].name_prefixes, ["a-"]);
        assert_eq!(objects[0].name_suffixes, ["-z"]);
        assert!(objects[1].name_prefixes.is_empty());
    }

    #[test]
    fn empty_prefix_changes_nothing() {
        let mut objects = objects_from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
        add_name_prefix(&mut objects, &scalar_node("")).unwrap();
        assert_eq!(objects[0].name(), "cm");
        assert!(objects[0].previous.is_empty());
        assert!(objects[0].name_prefixes.is_empty());
    }
}
