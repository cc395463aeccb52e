//! Values as Helm computes them: YAML read the way `sigs.k8s.io/yaml` reads
//! it (through JSON, so every number is a float), values files merged in
//! order, and user values coalesced over chart defaults like
//! `chartutil.CoalesceValues` (subchart scoping, `global` propagation, `null`
//! deleting a default).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::render::helm::value::{Map, Value};
use crate::source::yaml::{self, Limits, Node};
use crate::source::{FileId, Position, Span};

/// Where each values path was last written (`["image", "tag"]` → the span of
/// `tag: 1.2` in `values.yaml`, a `--values` file, or a `--set` argument).
#[derive(Clone, Debug, Default)]
pub struct ValueOrigins {
    spans: BTreeMap<Vec<String>, Span>,
}

impl ValueOrigins {
    /// The span where the value at `path` was written, if known.
    pub fn get(&self, path: &[&str]) -> Option<Span> {
        let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.spans.get(&key).copied()
    }

    /// Records `span` for `path` (a later writer wins, as in merging).
    pub fn insert(&mut self, path: Vec<String>, span: Span) {
        self.spans.insert(path, span);
    }

    /// Records every path of a YAML tree, under `prefix`.
    pub fn record(&mut self, prefix: &mut Vec<String>, node: &Node) {
        match &node.value {
            yaml::Value::Map(entries) => {
                for entry in entries {
                    prefix.push(entry.key.text.to_string());
                    self.spans.insert(prefix.clone(), entry.span());
                    self.record(prefix, &entry.value);
                    prefix.pop();
                }
            }
            yaml::Value::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    prefix.push(index.to_string());
                    self.spans.insert(prefix.clone(), item.span);
                    self.record(prefix, item);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }

    /// Adds the origins of `other`, nested under `prefix`, where `self` has none.
    pub fn fill_from(&mut self, prefix: &[String], other: &ValueOrigins) {
        for (path, span) in &other.spans {
            let mut full = prefix.to_vec();
            full.extend(path.iter().cloned());
            self.spans.entry(full).or_insert(*span);
        }
    }

    /// Gives the paths under `to` the origins of the same paths under
    /// `from`, where they have none (`import-values` copies a subchart's
    /// table into its parent, whose own values win).
    pub fn copy_subtree(&mut self, from: &[String], to: &[String]) {
        let copied: Vec<(Vec<String>, Span)> = self
            .spans
            .range(from.to_vec()..)
            .take_while(|(path, _)| path.starts_with(from))
            .map(|(path, span)| {
                let mut target = to.to_vec();
                target.extend(path[from.len()..].iter().cloned());
                (target, *span)
            })
            .collect();
        for (path, span) in copied {
            self.spans.entry(path).or_insert(span);
        }
    }

    /// Number of recorded paths.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when no path is recorded.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// A YAML node as Helm's values see it: numbers are floats, keys strings.
pub fn from_yaml(node: &Node) -> Value {
    match &node.value {
        yaml::Value::Null => Value::Nil,
        yaml::Value::Bool(b) => Value::Bool(*b),
        yaml::Value::Int(i) => Value::Float(*i as f64),
        yaml::Value::Float(f) => Value::Float(*f),
        yaml::Value::Str(s) => Value::string(s.as_str()),
        yaml::Value::Seq(items) => Value::list(items.iter().map(from_yaml).collect()),
        yaml::Value::Map(entries) => Value::map(
            entries
                .iter()
                .map(|e| (e.key.text.to_string(), from_yaml(&e.value)))
                .collect(),
        ),
    }
}

/// A values file read: its map and where each path was written.
#[derive(Debug, Default)]
pub struct ValuesFile {
    pub values: Map,
    pub origins: ValueOrigins,
}

/// Reads a values file like `chartutil.ReadValues`: the first document, which
/// must be a mapping (an empty file is an empty map).
pub fn read_values(file: FileId, display: &str, text: &str) -> Result<ValuesFile, Diagnostic> {
    let documents = yaml::load(file, display, text, Limits::default()).documents_or_error()?;
    let Some(document) = documents.into_iter().next() else {
        return Ok(ValuesFile::default());
    };
    if let Some((at, message)) = unsupported_number(&document.root) {
        return Err(Diagnostic::new(
            DiagnosticLevel::Error,
            DiagnosticCode::HelmValues,
            display,
            message,
        )
        .at(at));
    }
    match from_yaml(&document.root) {
        Value::Nil => Ok(ValuesFile::default()),
        Value::Map(values) => {
            let mut origins = ValueOrigins::default();
            origins.record(&mut Vec::new(), &document.root);
            Ok(ValuesFile {
                values: values.into_entries(),
                origins,
            })
        }
        other => Err(Diagnostic::new(
            DiagnosticLevel::Error,
            DiagnosticCode::HelmValues,
            display,
            format!(
                "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&other)
            ),
        )
        .at(document.root.span.start)),
    }
}

/// The first NaN or infinity of a tree, and sigs.k8s.io/yaml's error for
/// it: JSON has no such numbers, so Helm fails the conversion.
pub fn unsupported_number(node: &Node) -> Option<(Position, String)> {
    match &node.value {
        yaml::Value::Float(f) if !f.is_finite() => {
            let name = if f.is_nan() {
                "NaN"
            } else if *f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            Some((
                node.span.start,
                format!("error converting YAML to JSON: json: unsupported value: {name}"),
            ))
        }
        yaml::Value::Seq(items) => items.iter().find_map(unsupported_number),
        yaml::Value::Map(entries) => entries.iter().find_map(|e| unsupported_number(&e.value)),
        _ => None,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// True for `map[string]interface{}` values (`istable`).
fn is_table(value: &Value) -> bool {
    matches!(value, Value::Map(_))
}

/// Merges `src` over `dst` like Helm's `mergeMaps` for `--values` files:
/// maps merge key by key, anything else replaces.
pub fn merge_maps(dst: &mut Map, src: &Map) {
    for (key, value) in src {
        if let (Value::Map(incoming), Some(Value::Map(existing))) = (value, dst.get_mut(key)) {
            merge_maps(&mut existing.make_mut(), &incoming.entries());
            continue;
        }
        dst.insert(key.clone(), value.clone());
    }
}

/// Fills `dst` with the defaults of `src` (`coalesceTablesFullKey`): keys of
/// `dst` win, maps coalesce recursively, a `null` in `dst` deletes the key
/// unless `merge` is set.
pub fn coalesce_tables(
    dst: &mut Map,
    src: &Map,
    merge: bool,
    warnings: &mut Vec<String>,
    prefix: &str,
) {
    for (key, default) in src {
        let full = join_key(prefix, key);
        match dst.get_mut(key) {
            Some(Value::Nil) if !merge => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), default.clone());
            }
            Some(Value::Map(existing)) => match default {
                Value::Map(defaults) => coalesce_tables(
                    &mut existing.make_mut(),
                    &defaults.entries(),
                    merge,
                    warnings,
                    &full,
                ),
                Value::Nil => {}
                _ => warnings.push(format!(
                    "warning: cannot overwrite table with non table for {full} ({default:?})"
                )),
            },
            Some(_) => {
                if is_table(default) {
                    warnings.push(format!(
                        "warning: destination for {full} is a table. Ignoring non-table value ({default:?})"
                    ));
                }
            }
        }
    }
}

fn join_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// What `coalesce` needs of a chart: its defaults and its subcharts.
pub trait ValuesScope {
    /// The chart's name, which is its subchart key (an alias replaces it).
    fn scope_name(&self) -> &str;
    /// The chart's own `values.yaml`.
    fn default_values(&self) -> &Map;
    /// The subcharts that take part.
    fn scopes(&self) -> Vec<&dyn ValuesScope>;
}

/// `chartutil.CoalesceValues`: user values over the chart's defaults, each
/// subchart's under its name, with the parent's `global` pushed down.
pub fn coalesce(chart: &dyn ValuesScope, user: &Map, warnings: &mut Vec<String>) -> Map {
    let mut values = user.clone();
    coalesce_chart(chart, &mut values, "", false, warnings);
    values
}

/// `chartutil.MergeValues`: like [`coalesce`], but a `null` is kept instead
/// of deleting the default (Helm computes a chart's defaults this way when
/// its Chart.yaml declares dependencies, so the subcharts' `null` defaults
/// are then deleted by the final coalescing).
pub fn merge_values(chart: &dyn ValuesScope, user: &Map, warnings: &mut Vec<String>) -> Map {
    let mut values = user.clone();
    coalesce_chart(chart, &mut values, "", true, warnings);
    values
}

fn coalesce_chart(
    chart: &dyn ValuesScope,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) {
    coalesce_values(chart, dest, prefix, merge, warnings);
    for sub in chart.scopes() {
        let name = sub.scope_name().to_string();
        let full = join_key(prefix, &name);
        match dest.get(&name) {
            None => {
                dest.insert(name.clone(), Value::map(Map::new()));
            }
            Some(Value::Map(_)) => {}
            Some(_) => {
                warnings.push(format!("warning: skipped value for {full}: Not a table."));
                continue;
            }
        }
        let parent_global = dest.get(GLOBAL).cloned();
        if let Some(Value::Map(child)) = dest.get_mut(&name) {
            let child = &mut child.make_mut();
            coalesce_globals(child, parent_global.as_ref(), &full, warnings);
            coalesce_chart(sub, child, &full, merge, warnings);
        }
    }
}

/// The key whose values every subchart sees.
pub const GLOBAL: &str = "global";

fn coalesce_values(
    chart: &dyn ValuesScope,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) {
    for (key, default) in chart.default_values() {
        let full = join_key(prefix, key);
        match dest.get_mut(key) {
            None => {
                dest.insert(key.clone(), default.clone());
            }
            Some(Value::Nil) => {
                if !merge {
                    dest.remove(key);
                }
            }
            Some(Value::Map(existing)) => match default {
                Value::Map(defaults) => coalesce_tables(
                    &mut existing.make_mut(),
                    &defaults.entries(),
                    merge,
                    warnings,
                    &full,
                ),
                _ => warnings.push(format!("warning: skipped value for {full}: Not a table.")),
            },
            Some(_) => {}
        }
    }
}

/// Pushes the parent's `global` into the child's (`coalesceGlobals`): the
/// parent's scalars win, maps merge with the parent's keys first.
fn coalesce_globals(
    child: &mut Map,
    parent: Option<&Value>,
    prefix: &str,
    warnings: &mut Vec<String>,
) {
    let mut child_global = match child.get(GLOBAL) {
        None => Map::new(),
        Some(Value::Map(m)) => m.entries(),
        Some(_) => {
            warnings.push(format!(
                "warning: skipping globals because destination {prefix}.global is not a table."
            ));
            return;
        }
    };
    let parent_global = match parent {
        None => Map::new(),
        Some(Value::Map(m)) => m.entries(),
        Some(_) => {
            warnings.push(format!(
                "warning: skipping globals because source {prefix}.global is not a table."
            ));
            return;
        }
    };
    for (key, value) in parent_global {
        match (&value, child_global.get(&key)) {
            (Value::Map(parent_map), None) => {
                child_global.insert(key, Value::Map(parent_map.clone()));
            }
            (Value::Map(parent_map), Some(Value::Map(child_map))) => {
                let mut merged = parent_map.entries();
                let full = format!("{prefix}.global.{key}");
                coalesce_tables(&mut merged, &child_map.entries(), true, warnings, &full);
                child_global.insert(key, Value::map(merged));
            }
            (Value::Map(_), Some(_)) => warnings.push(format!(
                "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
            )),
            (_, Some(Value::Map(_))) => {
                warnings.push(format!("key {key} is table. Skipping"));
            }
            _ => {
                child_global.insert(key, value);
            }
        }
    }
    child.insert(GLOBAL.to_string(), Value::map(child_global));
}

/// `Values.PathValue` / `Table`: the value at a dotted path.
pub fn path_value(values: &Map, path: &str) -> Option<Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut current = values.get(first)?.clone();
    for part in parts {
        let next = match &current {
            Value::Map(m) => m.borrow().get(part)?.clone(),
            _ => return None,
        };
        current = next;
    }
    Some(current)
}

/// Test helpers shared by the chart modules.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Compact JSON-like text of a value, keys sorted (as Helm's `toJson`
    /// prints maps).
    pub(crate) fn to_json_text(value: &Value) -> String {
        match value {
            Value::Map(m) => {
                let parts: Vec<String> = m
                    .borrow()
                    .iter()
                    .map(|(k, v)| format!("{k:?}:{}", to_json_text(v)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(to_json_text).collect();
                format!("[{}]", parts.join(","))
            }
            Value::String(s) => format!("{s:?}"),
            Value::Nil => "null".to_string(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestChart {
        name: &'static str,
        values: Map,
        subcharts: Vec<TestChart>,
    }

    impl ValuesScope for TestChart {
        fn scope_name(&self) -> &str {
            self.name
        }
        fn default_values(&self) -> &Map {
            &self.values
        }
        fn scopes(&self) -> Vec<&dyn ValuesScope> {
            self.subcharts
                .iter()
                .map(|c| c as &dyn ValuesScope)
                .collect()
        }
    }

    pub(crate) fn yaml_map(text: &str) -> Map {
        read_values(FileId(0), "values.yaml", text).unwrap().values
    }

    use super::tests_support::to_json_text as to_json;

    #[test]
    fn yaml_values_are_read_through_json() {
        let values = yaml_map("a: 1\nb: yes\nc: 0x10\nd: '1'\ne: ~\nf: [1.5, on]\n");
        assert!(matches!(values["a"], Value::Float(x) if x == 1.0));
        assert_eq!(
            to_json(&Value::map(values)),
            r#"{"a":1,"b":true,"c":16,"d":"1","e":null,"f":[1.5,true]}"#
        );
        assert!(read_values(FileId(0), "v.yaml", "- a\n").is_err());
        assert!(
            read_values(FileId(0), "v.yaml", "")
                .unwrap()
                .values
                .is_empty()
        );
    }

    #[test]
    fn origins_point_at_the_written_key() {
        let file = read_values(
            FileId(3),
            "values.yaml",
            "image:\n  tag: \"1.2\"\nports: [80]\n",
        )
        .unwrap();
        let span = file.origins.get(&["image", "tag"]).unwrap();
        assert_eq!(
            (span.file, span.start.line, span.start.column),
            (FileId(3), 2, 3)
        );
        assert_eq!(file.origins.get(&["ports", "0"]).unwrap().start.column, 9);
    }

    #[test]
    fn merges_values_files_in_order() {
        let mut base = yaml_map("a: {b: 1, c: 2}\nl: [1, 2]\n");
        merge_maps(&mut base, &yaml_map("a: {c: 3}\nl: [9]\n"));
        assert_eq!(to_json(&Value::map(base)), r#"{"a":{"b":1,"c":3},"l":[9]}"#);
    }

    /// Expected values from `helm template` 3.17.3 on the same chart and
    /// flags (`--set c.e=null --set sub.y=2`).
    #[test]
    fn coalesces_like_helm() {
        let chart = TestChart {
            name: "p",
            values: yaml_map(
                "a: null\nb: 1\nc: {d: 2, e: 3}\nglobal: {g: 1, h: {i: 1}}\nsub: {x: 5}\n",
            ),
            subcharts: vec![TestChart {
                name: "sub",
                values: yaml_map("x: 1\ny: null\nglobal: {g: 2, k: 3, h: {j: 2}}\n"),
                subcharts: vec![],
            }],
        };
        let mut user = Map::new();
        crate::render::helm::chart::strvals::parse_into(
            "c.e=null,sub.y=2",
            &crate::render::helm::chart::strvals::SetStyle::Typed,
            &mut user,
        )
        .unwrap();
        let mut warnings = Vec::new();
        // The parent declares its dependency, so its defaults are merged first.
        let merged = merge_values(&chart, &chart.values, &mut warnings);
        let chart = TestChart {
            values: merged,
            ..chart
        };
        let values = coalesce(&chart, &user, &mut warnings);
        assert_eq!(
            to_json(&Value::map(values)),
            r#"{"a":null,"b":1,"c":{"d":2},"global":{"g":1,"h":{"i":1}},"sub":{"global":{"g":1,"h":{"i":1,"j":2},"k":3},"x":5,"y":2}}"#
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    /// `helm template` 3.17.3: a subchart's `null` defaults survive only when
    /// the parent does not declare it in Chart.yaml.
    #[test]
    fn subchart_null_defaults() {
        let chart = TestChart {
            name: "p2",
            values: yaml_map("a: null\n"),
            subcharts: vec![TestChart {
                name: "sub",
                values: yaml_map("x: 1\nz: null\nw: {q: null, r: 1}\n"),
                subcharts: vec![],
            }],
        };
        let mut warnings = Vec::new();
        let undeclared = coalesce(&chart, &Map::new(), &mut warnings);
        assert_eq!(
            to_json(&Value::map(undeclared)),
            r#"{"a":null,"sub":{"global":{},"w":{"q":null,"r":1},"x":1,"z":null}}"#
        );
        let merged = merge_values(&chart, &chart.values, &mut warnings);
        let chart = TestChart {
            values: merged,
            ..chart
        };
        let declared = coalesce(&chart, &Map::new(), &mut warnings);
        assert_eq!(
            to_json(&Value::map(declared)),
            r#"{"a":null,"sub":{"global":{},"w":{"r":1},"x":1}}"#
        );
    }

    #[test]
    fn table_over_scalar_is_kept_and_warned() {
        let mut dst = yaml_map("a: 1\nb: {c: 1}\n");
        let mut warnings = Vec::new();
        coalesce_tables(
            &mut dst,
            &yaml_map("a: {x: 1}\nb: 2\n"),
            false,
            &mut warnings,
            "",
        );
        assert_eq!(to_json(&Value::map(dst)), r#"{"a":1,"b":{"c":1}}"#);
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn path_values() {
        let values = yaml_map("a: {b: {c: true}}\n");
        assert_eq!(path_value(&values, "a.b.c"), Some(Value::Bool(true)));
        assert_eq!(path_value(&values, "a.x"), None);
    }
}
