//! Patches, applied as kustomize v5 applies them: strategic merge patches
//! (kyaml's `merge2`, the patch's items first in merged lists) and JSON 6902
//! patches.
//!
//! Every node a patch brings keeps the patch's span (a value it restates
//! unchanged, such as a merge key, stays the base's) and every node it leaves
//! alone keeps the base's, so a finding on a patched field points at the
//! patch line that set it.
//!
//! Strategic merge reproduces kustomize's output, quirks included, because
//! Vigie must see the objects `kubectl kustomize` would deploy:
//! - only `$patch` (`delete`, `replace`, `merge`) is a directive; other
//!   `$`-keys (`$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…`)
//!   are copied into the object like ordinary fields;
//! - lists of unknown types (CRDs) are replaced, never merged;
//! - in a list merged by key, the patch's items come first (in the patch's
//!   order), then the base's items the patch did not mention;
//! - with two merge keys (container ports, Service ports: the port and the
//!   protocol), a patch item and a base item whose protocols differ in being
//!   set or not are matched the way kyaml matches them, which can drop the
//!   patch's item (see `merge_items`);
//! - an item without its merge key removes every base item that has one;
//! - `$patch: replace` on the whole object, or on an item of a merged list,
//!   changes nothing;
//! - a null the base wrote as `key:` (no text) is dropped, `key: null` is kept.

#[cfg(test)]
mod differential;
mod json_patch;
mod schema;
#[cfg(test)]
mod tests;

use compact_str::CompactString;

use super::BuildError;
use crate::source::yaml::{Entry, Key, Node, Value};
use schema::{MergeList, Schema};

pub use json_patch::json6902;

/// What a strategic merge patch did to its target.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The target was patched in place.
    Patched,
    /// The patch deleted the whole object (`$patch: delete` at its top).
    Deleted,
}

/// Applies a strategic merge patch to `target`, an object of API `group`
/// and `kind` (its version is read from the target's `apiVersion`, as
/// kustomize looks types up by exact `apiVersion`).
///
/// The merge covers every field of the patch, `apiVersion`, `kind` and
/// `metadata.name`/`namespace` included: like kustomize, the caller gives
/// the patch the target's `apiVersion` before, and restores the target's
/// kind, name and namespace after (unless the patch allows changing them).
pub fn strategic_merge(
    target: &mut Node,
    patch: &Node,
    group: &str,
    kind: &str,
) -> Result<MergeOutcome, BuildError> {
    if target.as_map().is_none() {
        return Err(BuildError::new(
            "the patch target is not a mapping",
            Some(target.span),
        ));
    }
    if patch.as_map().is_none() {
        return Err(BuildError::new(
            "a strategic merge patch must be a mapping",
            Some(patch.span),
        ));
    }
    let api_version = target.get("apiVersion").and_then(Node::as_str);
    let version = api_version.map_or("", |v| v.rsplit_once('/').map_or(v, |(_, version)| version));
    let schema = schema::for_type(group, version, kind);
    match merge_node(Some(target), Some(patch.clone()), schema)? {
        Merged::Remove => Ok(MergeOutcome::Deleted),
        // `Value` is a top-level `$patch: replace`, which kustomize merges
        // into a copy and then drops: the target stays as it was.
        Merged::Dest | Merged::Value(_) => Ok(MergeOutcome::Patched),
    }
}

/// What merging one node produced.
enum Merged {
    /// The field or item goes away.
    Remove,
    /// The destination, updated in place, stays.
    Dest,
    /// A value from the patch takes the destination's place.
    Value(Node),
}

/// The shape of a non-null node.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Shape {
    Map,
    Seq,
    Scalar,
}

fn shape(node: &Node) -> Option<Shape> {
    match node.value {
        Value::Null => None,
        Value::Map(_) => Some(Shape::Map),
        Value::Seq(_) => Some(Shape::Seq),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => Some(Shape::Scalar),
    }
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Map => "a mapping",
        Shape::Seq => "a list",
        Shape::Scalar => "a scalar",
    }
}

/// Merges `patch` into `dest`; `None` is a field or item that is absent.
fn merge_node(
    dest: Option<&mut Node>,
    patch: Option<Node>,
    schema: Schema,
) -> Result<Merged, BuildError> {
    let dest_shape = dest.as_deref().and_then(shape);
    let patch_shape = patch.as_ref().and_then(shape);
    if let (Some(expected), Some(found), Some(patch)) = (dest_shape, patch_shape, &patch)
        && expected != found
    {
        return Err(BuildError::new(
            format!(
                "the patch has {} where the target has {}",
                shape_name(found),
                shape_name(expected)
            ),
            Some(patch.span),
        ));
    }
    match dest_shape.or(patch_shape) {
        // Nulls and absent values are walked as mappings, as kyaml does.
        None | Some(Shape::Map) => {
            let schema = if schema.is_unknown() {
                object_schema(dest.as_deref())
                    .or_else(|| object_schema(patch.as_ref()))
                    .unwrap_or(Schema::Unknown)
            } else {
                schema
            };
            merge_map(dest, patch, schema)
        }
        Some(Shape::Seq) => merge_seq(dest, patch, schema),
        Some(Shape::Scalar) => Ok(match patch {
            Some(patch) if patch.is_null() => Merged::Remove,
            // Restating a value (a merge key, an unchanged setting) does not
            // move where it comes from.
            Some(patch) if dest.as_deref().is_some_and(|d| d.value == patch.value) => Merged::Dest,
            Some(patch) => Merged::Value(patch),
            None => Merged::Dest,
        }),
    }
}

/// The schema of a nested object that names a known `apiVersion` and `kind`
/// (kyaml looks these up wherever it has no schema, e.g. inside a CRD).
fn object_schema(node: Option<&Node>) -> Option<Schema> {
    let node = node?;
    let api_version = node.get("apiVersion")?.as_str()?;
    let kind = node.get("kind")?.as_str()?;
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let schema = schema::for_type(group, version, kind);
    (!schema.is_unknown()).then_some(schema)
}

/// A `$patch` directive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

const DIRECTIVE_KEY: &str = "$patch";

fn parse_directive(value: &Node) -> Result<Directive, BuildError> {
    match scalar_text(value).as_str() {
        "merge" => Ok(Directive::Merge),
        "replace" => Ok(Directive::Replace),
        "delete" => Ok(Directive::Delete),
        other => Err(BuildError::new(
            format!("unknown patch strategy '{other}'"),
            Some(value.span),
        )),
    }
}

/// Reads and removes the `$patch` key of a patch mapping.
fn take_map_directive(patch: &mut Node) -> Result<Directive, BuildError> {
    let Some(value) = patch.get(DIRECTIVE_KEY) else {
        return Ok(Directive::Merge);
    };
    let directive = parse_directive(value)?;
    patch.remove(DIRECTIVE_KEY);
    Ok(directive)
}

/// Reads and removes a `- $patch: …` item of a patch list. Only the first
/// item with a `$patch` key counts, and only when it has no other key.
fn take_list_directive(patch: &mut Node) -> Result<Directive, BuildError> {
    let Value::Seq(items) = &mut patch.value else {
        return Ok(Directive::Merge);
    };
    let Some(item) = items.iter().find(|item| item.get(DIRECTIVE_KEY).is_some()) else {
        return Ok(Directive::Merge);
    };
    if item.as_map().is_some_and(|entries| entries.len() > 1) {
        return Ok(Directive::Merge);
    }
    let Some(value) = item.get(DIRECTIVE_KEY) else {
        return Ok(Directive::Merge);
    };
    let directive = parse_directive(value)?;
    let text = scalar_text(value);
    set_element(items, &[DIRECTIVE_KEY], &[text], None)?;
    Ok(directive)
}

fn merge_map(
    dest: Option<&mut Node>,
    patch: Option<Node>,
    schema: Schema,
) -> Result<Merged, BuildError> {
    let dest = match dest {
        Some(dest) if !dest.is_null() => dest,
        absent_or_null => {
            return match patch {
                // A null written in the base stays when the patch does not
                // touch it; one written as nothing is dropped.
                None => Ok(match absent_or_null {
                    Some(null) if is_written_null(null) => Merged::Dest,
                    _ => Merged::Remove,
                }),
                Some(patch) if patch.is_null() => Ok(Merged::Remove),
                Some(mut patch) => {
                    // kyaml ignores an unknown directive in new content.
                    if take_map_directive(&mut patch) == Ok(Directive::Delete) {
                        return Ok(Merged::Remove);
                    }
                    merge_with_itself(&mut patch, schema)?;
                    Ok(Merged::Value(patch))
                }
            };
        }
    };
    let Some(mut patch) = patch else {
        merge_fields(dest, None, schema)?;
        return Ok(Merged::Dest);
    };
    if patch.is_null() {
        return Ok(Merged::Remove);
    }
    match take_map_directive(&mut patch)? {
        Directive::Delete => Ok(Merged::Remove),
        Directive::Replace => {
            merge_with_itself(&mut patch, schema)?;
            Ok(Merged::Value(patch))
        }
        Directive::Merge => {
            merge_fields(dest, Some(patch), schema)?;
            Ok(Merged::Dest)
        }
    }
}

/// Whether a null was written as text (`~`, `null`), not as nothing.
fn is_written_null(node: &Node) -> bool {
    node.span.start != node.span.end
}

/// New content from a patch is merged with itself, as kyaml does: this
/// applies the directives and nulls inside it.
fn merge_with_itself(node: &mut Node, schema: Schema) -> Result<(), BuildError> {
    let copy = node.clone();
    merge_fields(node, Some(copy), schema)
}

/// Merges the fields of two mappings, in kyaml's order: fields are visited
/// by sorted name, so new fields are appended in that order.
fn merge_fields(dest: &mut Node, patch: Option<Node>, schema: Schema) -> Result<(), BuildError> {
    let mut patch_entries: Vec<Option<Entry>> = match patch.map(|p| p.value) {
        Some(Value::Map(entries)) => entries.into_iter().map(Some).collect(),
        _ => Vec::new(),
    };
    let mut names: Vec<CompactString> = dest
        .as_map()
        .unwrap_or(&[])
        .iter()
        .map(|e| e.key.text.clone())
        .chain(patch_entries.iter().flatten().map(|e| e.key.text.clone()))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let patch_entry = patch_entries
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|e| e.key.text == name))
            .and_then(Option::take);
        let (patch_key, patch_value) = match patch_entry {
            Some(entry) => (Some(entry.key), Some(entry.value)),
            None => (None, None),
        };
        match merge_node(dest.get_mut(&name), patch_value, schema.field(&name))? {
            Merged::Remove => {
                dest.remove(&name);
            }
            Merged::Dest => {}
            Merged::Value(value) => {
                // A value only comes from the patch, so the patch has the key.
                let key = patch_key.unwrap_or_else(|| Key {
                    text: name.clone(),
                    span: value.span,
                });
                set_field(dest, key, value);
            }
        }
    }
    Ok(())
}

/// Sets a field to a value from the patch: the field then points at the
/// patch's line, key and value.
fn set_field(map: &mut Node, key: Key, value: Node) {
    match map.entry_mut(&key.text) {
        Some(entry) => {
            entry.key.span = key.span;
            entry.value = value;
        }
        None => map.insert(key, value),
    }
}

fn merge_seq(
    dest: Option<&mut Node>,
    patch: Option<Node>,
    schema: Schema,
) -> Result<Merged, BuildError> {
    let Some(list) = schema.merge_list() else {
        // Without a merge key, the patch's list replaces the base's.
        return Ok(match patch {
            Some(patch) if patch.is_null() => Merged::Remove,
            Some(patch) => Merged::Value(patch),
            None => Merged::Dest,
        });
    };
    let dest = dest.filter(|d| !d.is_null());
    match (dest, patch) {
        (Some(dest), None) => {
            let items = take_items(dest);
            dest.value = Value::Seq(merge_items(items, PatchItems::Absent, list)?);
            Ok(Merged::Dest)
        }
        (Some(_), Some(patch)) if patch.is_null() => Ok(Merged::Remove),
        (Some(dest), Some(mut patch)) => match take_list_directive(&mut patch)? {
            Directive::Delete => Ok(Merged::Remove),
            Directive::Replace => Ok(Merged::Value(merge_list_with_itself(patch, list)?)),
            Directive::Merge => {
                let items = take_items(dest);
                let patch_items = PatchItems::Items(take_items(&mut patch));
                dest.value = Value::Seq(merge_items(items, patch_items, list)?);
                Ok(Merged::Dest)
            }
        },
        // A new list: kyaml does not look for a directive here.
        (None, Some(patch)) => Ok(Merged::Value(merge_list_with_itself(patch, list)?)),
        (None, None) => Ok(Merged::Remove),
    }
}

fn take_items(node: &mut Node) -> Vec<Node> {
    match std::mem::replace(&mut node.value, Value::Null) {
        Value::Seq(items) => items,
        _ => Vec::new(),
    }
}

/// A list from a patch, merged with itself (kyaml merges new content into
/// itself, which applies the directives inside it and collapses items with
/// the same key).
fn merge_list_with_itself(mut list: Node, schema: MergeList) -> Result<Node, BuildError> {
    let items = take_items(&mut list);
    list.value = Value::Seq(merge_items(items, PatchItems::SameAsBase, schema)?);
    Ok(list)
}

/// The patch side of a merged list.
enum PatchItems {
    /// The patch does not have the list.
    Absent,
    Items(Vec<Node>),
    /// The list is merged with itself.
    SameAsBase,
}

/// Merges the items of a list with merge keys, reproducing kyaml's walk of
/// associative lists with items from the patch placed first.
///
/// Each item is identified by the text of its merge keys (`[""]` stands
/// for the item itself in a list of scalars). With two keys, kyaml lets an
/// empty value match any value (`port: 53` matches `port: 53, protocol:
/// UDP`), ignores keys no item sets, then looks items up by the keys the
/// identity sets: a base item and a patch item that differ in setting the
/// protocol are treated as one item whose patch side or base side is not
/// found, and the final pass that puts base items back can then replace or
/// drop the patch's item. That is what kustomize outputs, so it is what
/// Vigie sees.
fn merge_items(
    mut base: Vec<Node>,
    patch: PatchItems,
    schema: MergeList,
) -> Result<Vec<Node>, BuildError> {
    let scalars = schema.keys.is_empty();
    let keys: &[&str] = if scalars { &[""] } else { schema.keys };
    let patch_items: &[Node] = match &patch {
        PatchItems::Items(items) => items,
        PatchItems::Absent | PatchItems::SameAsBase => &[],
    };

    // Every identity, the patch's first, each once.
    let mut identities: Vec<Vec<String>> = Vec::new();
    for item in patch_items.iter().chain(&base) {
        let identity = if scalars {
            vec![scalar_text(item)]
        } else {
            keys.iter().map(|key| key_text(item, key)).collect()
        };
        if !identities.contains(&identity) {
            identities.push(identity);
        }
    }
    if identities.is_empty() {
        return Ok(base);
    }
    if keys.len() > 1 {
        unify_identities(&mut identities);
    }

    // The keys some identity sets: the same for every identity.
    let (set_keys, _) = keys_in_use(&identities, &identities[0], keys);
    let mut merged: Vec<Node> = Vec::new();
    for identity in &identities {
        let (valid_keys, values) = keys_in_use(&identities, identity, keys);
        let (lookup_keys, lookup_values) =
            keys_in_use(std::slice::from_ref(&values), &values, &valid_keys);
        let base_index = find_element(&base, &lookup_keys, &lookup_values);
        let patch_item = match &patch {
            PatchItems::Items(items) => {
                find_element(items, &lookup_keys, &lookup_values).map(|i| items[i].clone())
            }
            PatchItems::SameAsBase => base_index.map(|i| base[i].clone()),
            PatchItems::Absent => None,
        };
        let outcome = merge_node(
            base_index.map(|i| &mut base[i]),
            patch_item,
            Schema::Object(schema.items),
        )?;
        let value = match (outcome, base_index) {
            (Merged::Value(value), _) => Some(value),
            (Merged::Dest, Some(i)) => Some(base[i].clone()),
            (Merged::Dest, None) | (Merged::Remove, _) => None,
        };
        let Some(mut value) = value.filter(|v| !v.is_null() && !is_empty_map(v)) else {
            set_element(&mut base, &valid_keys, &values, None)?;
            continue;
        };
        // An item found through a key the other side left empty gets it.
        if !scalars && value.as_map().is_some() {
            for (key, text) in valid_keys.iter().zip(&values) {
                if !text.is_empty() && value.get(key).is_none() {
                    let span = value.span;
                    value.insert(
                        Key {
                            text: (*key).into(),
                            span,
                        },
                        Node::string(text.as_str(), span),
                    );
                    if let Some(i) = base_index {
                        base[i] = value.clone();
                    }
                }
            }
        }
        set_element(&mut merged, &valid_keys, &values, Some(value))?;
    }
    put_back(merged, base, &set_keys)
}

/// The text of an item's merge key; empty when absent, null or empty.
fn key_text(item: &Node, key: &str) -> String {
    match item.get(key) {
        Some(value) if !is_nil_or_empty(value) => scalar_text(value),
        _ => String::new(),
    }
}

fn is_nil_or_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Map(entries) => entries.is_empty(),
        Value::Seq(items) => items.is_empty(),
        _ => false,
    }
}

fn is_empty_map(node: &Node) -> bool {
    node.as_map().is_some_and(<[Entry]>::is_empty)
}

/// Unifies identities that share a value and differ only where one of them
/// is empty (`[80, ""]` and `[80, TCP]` both become `[80, TCP]`).
fn unify_identities(identities: &mut [Vec<String>]) {
    for i in 0..identities.len() {
        for j in 0..identities.len() {
            if let Some(unified) = unify(&identities[i], &identities[j]) {
                identities[i] = unified.clone();
                identities[j] = unified;
            }
        }
    }
}

fn unify(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut shared = false;
    let mut unified = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            shared = true;
            unified.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if x.is_empty() {
            unified.push(y.clone());
        } else {
            unified.push(x.clone());
        }
    }
    shared.then_some(unified)
}

/// The keys some identity sets, with this identity's values for them (all
/// keys when no identity sets any).
fn keys_in_use<'k>(
    identities: &[Vec<String>],
    identity: &[String],
    keys: &[&'k str],
) -> (Vec<&'k str>, Vec<String>) {
    let used: Vec<bool> = (0..keys.len())
        .map(|i| {
            identities
                .iter()
                .any(|id| id.get(i).is_some_and(|v| !v.is_empty()))
        })
        .collect();
    if !used.contains(&true) {
        return (keys.to_vec(), identity.to_vec());
    }
    let keys = keys
        .iter()
        .zip(&used)
        .filter(|(_, used)| **used)
        .map(|(key, _)| *key)
        .collect();
    let values = identity
        .iter()
        .zip(&used)
        .filter(|(_, used)| **used)
        .map(|(value, _)| value.clone())
        .collect();
    (keys, values)
}

/// The first item whose keys have exactly these values (`""` key: the
/// scalar item itself).
fn find_element(items: &[Node], keys: &[&str], values: &[String]) -> Option<usize> {
    if keys.first().is_none_or(|key| key.is_empty()) {
        let value = values.first().map_or("", String::as_str);
        return items.iter().position(|item| scalar_text(item) == value);
    }
    items.iter().position(|item| {
        item.as_map().is_some()
            && keys
                .iter()
                .zip(values)
                .all(|(key, value)| item.get(key).is_some_and(|v| scalar_text(v) == *value))
    })
}

/// kyaml's `ElementSetter`: replaces the items matching `values` with
/// `element`, or appends it when none matches; removes them when `element`
/// is `None`. An empty value matches any value, and, as in kyaml, every
/// call drops null and empty items.
fn set_element(
    items: &mut Vec<Node>,
    keys: &[&str],
    values: &[String],
    element: Option<Node>,
) -> Result<(), BuildError> {
    let keys: &[&str] = if keys.is_empty() { &[""] } else { keys };
    let keyed = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
    let mut found = false;
    let mut kept = Vec::with_capacity(items.len() + 1);
    for item in items.drain(..) {
        if item.is_null() || is_empty_map(&item) {
            continue;
        }
        if keyed && item.as_map().is_none() {
            kept.push(item);
            continue;
        }
        let mut matches = !values.is_empty();
        for (key, value) in keys.iter().zip(values) {
            if !item_matches(&item, key, value)? {
                matches = false;
                break;
            }
        }
        if matches {
            found = true;
            if let Some(element) = &element {
                kept.push(element.clone());
            }
        } else if !values.is_empty() {
            kept.push(item);
        }
    }
    *items = kept;
    if let Some(element) = element
        && !element.is_null()
        && !found
    {
        items.push(element);
    }
    Ok(())
}

/// Whether an item has `key` with `value` (any value when `value` is
/// empty); with an empty key, whether a scalar item is `value`.
fn item_matches(item: &Node, key: &str, value: &str) -> Result<bool, BuildError> {
    if key.is_empty() {
        if item.as_map().is_some() || item.as_seq().is_some() {
            return Err(BuildError::new(
                "a list of scalars holds a collection",
                Some(item.span),
            ));
        }
        return Ok(scalar_text(item) == value);
    }
    if item.as_map().is_none() {
        return Err(BuildError::new(
            format!("a list merged by `{key}` holds an item that is not a mapping"),
            Some(item.span),
        ));
    }
    Ok(item
        .get(key)
        .is_some_and(|v| value.is_empty() || scalar_text(v) == value))
}

/// Puts the remaining base items back after the merged ones, as kyaml's
/// `appendListNode` does: a base item replaces the merged items it matches
/// (it is their merged version) or is appended.
fn put_back(
    mut merged: Vec<Node>,
    base: Vec<Node>,
    keys: &[&str],
) -> Result<Vec<Node>, BuildError> {
    for item in base {
        if keys.first().is_none_or(|key| key.is_empty()) {
            let text = scalar_text(&item);
            set_element(&mut merged, &[""], &[text], Some(item))?;
            continue;
        }
        if !item.is_null() && item.as_map().is_none() {
            return Err(BuildError::new(
                "a list merged by key holds an item that is not a mapping",
                Some(item.span),
            ));
        }
        let mut values = Vec::new();
        for key in keys {
            match item.get(key) {
                Some(value) => values.push(scalar_text(value)),
                // kyaml appends an item without the key as is, then sets it
                // again by the keys it has.
                None => merged.push(item.clone()),
            }
        }
        if keys.len() > 1 {
            set_element(&mut merged, keys, &values, None)?;
        }
        set_element(&mut merged, keys, &values, Some(item))?;
    }
    Ok(merged)
}

/// The text of a scalar, as YAML wrote it for the common cases; empty for
/// nulls and collections.
fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(_) => node.display_scalar(),
        Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
    }
}
