//! Resources and blocks expanded the way Terraform expands them: one
//! instance per `count` index or `for_each` key, `dynamic` blocks turned
//! into ordinary blocks.
//!
//! An unknown `count` or `for_each` gives one instance whose `count.index`,
//! `each.key` and `each.value` are unknown (addressed without a key), so
//! rules still see the settings that do not depend on them; an unknown
//! `dynamic` `for_each` likewise gives one block whose iterator is unknown.

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::expr::{Frame, MAX_ELEMENTS, iteration_pairs, key_string, traced};
use super::module::{Instance, label_str};
use super::value::Traced;
use crate::model::{TfAttribute, TfBlock, TfInput, TfResource, TfValue};
use crate::source::hcl::HclFile;

/// How a block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repetition {
    Single,
    Count,
    ForEach,
    /// `count` or `for_each` is unknown.
    Unknown,
}

/// One instance's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceKey {
    None,
    Index(usize),
    Key(String),
}

impl InstanceKey {
    /// The address suffix: `[0]`, `["a"]`, or nothing.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[{k:?}]"),
        }
    }
}

/// The instances of a resource or module block, each with the names it
/// puts in scope (`count`, `each`).
pub struct Instances {
    pub repetition: Repetition,
    pub keys: Vec<(InstanceKey, Vec<(String, Traced)>)>,
}

/// Attributes that configure Terraform itself, not the resource.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];

impl Instance<'_> {
    /// The instances `count` or `for_each` ask for.
    pub(super) fn instances(&mut self, file: &HclFile, block: &Block) -> Instances {
        let single = |repetition| Instances {
            repetition,
            keys: vec![(InstanceKey::None, Vec::new())],
        };
        if let Some(count) = block.body.get_attribute("count") {
            let mut frame = Frame::default();
            let value = match self.eval(&count.value, file, &mut frame) {
                Ok(value) => value,
                Err(error) => {
                    self.report(file, &error, "count");
                    TfValue::Unknown
                }
            };
            let trace = traced(frame, TfValue::Null);
            let Some(n) = value.as_number().filter(|n| n.fract() == 0.0 && *n >= 0.0) else {
                if !value.is_unknown() {
                    self.report(
                        file,
                        &super::expr::EvalError::new(
                            format!("count must be a whole number, not {value}"),
                            count.value.span(),
                        ),
                        "count",
                    );
                }
                let mut unknown = single(Repetition::Unknown);
                unknown.keys[0].1.push((
                    "count".to_string(),
                    with_trace(&trace, map([("index", TfValue::Unknown)])),
                ));
                return unknown;
            };
            let n = (n as usize).min(MAX_ELEMENTS);
            return Instances {
                repetition: Repetition::Count,
                keys: (0..n)
                    .map(|i| {
                        let scope = map([("index", TfValue::Number(i as f64))]);
                        (
                            InstanceKey::Index(i),
                            vec![("count".to_string(), with_trace(&trace, scope))],
                        )
                    })
                    .collect(),
            };
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            let mut frame = Frame::default();
            let value = match self.eval(&for_each.value, file, &mut frame) {
                Ok(value) => value,
                Err(error) => {
                    self.report(file, &error, "for_each");
                    TfValue::Unknown
                }
            };
            let trace = traced(frame, TfValue::Null);
            let pairs: Option<Vec<(String, TfValue)>> = match value {
                TfValue::Map(entries) => Some(entries.into_iter().collect()),
                // A set of strings: each key is its value.
                TfValue::List(items) if !items.iter().any(TfValue::contains_unknown) => items
                    .into_iter()
                    .map(|item| key_string(&item).map(|k| (k, item)))
                    .collect::<Option<Vec<_>>>()
                    .map(|mut pairs| {
                        pairs.sort_by(|a, b| a.0.cmp(&b.0));
                        pairs.dedup_by(|a, b| a.0 == b.0);
                        pairs
                    }),
                _ => None,
            };
            let Some(pairs) = pairs else {
                let mut unknown = single(Repetition::Unknown);
                let each = map([("key", TfValue::Unknown), ("value", TfValue::Unknown)]);
                unknown.keys[0]
                    .1
                    .push(("each".to_string(), with_trace(&trace, each)));
                return unknown;
            };
            return Instances {
                repetition: Repetition::ForEach,
                keys: pairs
                    .into_iter()
                    .take(MAX_ELEMENTS)
                    .map(|(key, value)| {
                        let each = map([("key", TfValue::String(key.clone())), ("value", value)]);
                        (
                            InstanceKey::Key(key),
                            vec![("each".to_string(), with_trace(&trace, each))],
                        )
                    })
                    .collect(),
            };
        }
        single(Repetition::Single)
    }

    /// Adds the instances of a `resource` or `data` block.
    pub(super) fn expand_resource(&mut self, file: &HclFile, block: &Block, data: bool) {
        let [resource_type, name] = match block.labels.as_slice() {
            [t, n] => [label_str(t), label_str(n)],
            _ => return,
        };
        let header = file.header_span(block.span().map_or(0, |r| r.start));
        let instances = self.instances(file, block);
        for (key, scope) in instances.keys {
            if !self.within_budget(file, header.start) {
                break;
            }
            let (attributes, blocks) = self.eval_body(&block.body, file, &scope, true);
            let kind = if data { "data." } else { "" };
            self.resources.push(TfResource {
                resource_type: resource_type.to_string(),
                name: name.to_string(),
                address: format!(
                    "{}{kind}{resource_type}.{name}{}",
                    self.address_prefix,
                    key.suffix()
                ),
                data,
                body: TfBlock {
                    kind: block.ident.as_str().to_string(),
                    labels: vec![resource_type.to_string(), name.to_string()],
                    span: header,
                    attributes,
                    blocks,
                },
                module_calls: self.calls.clone(),
                input: TfInput::Hcl,
            });
        }
    }

    /// A block body's attributes and nested blocks, `dynamic` blocks expanded.
    fn eval_body(
        &mut self,
        body: &Body,
        file: &HclFile,
        scope: &[(String, Traced)],
        top: bool,
    ) -> (Vec<TfAttribute>, Vec<TfBlock>) {
        let mut attributes = Vec::new();
        let mut blocks = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let name = attribute.key.as_str();
                    if top && META_ARGUMENTS.contains(&name) {
                        continue;
                    }
                    let mut frame = Frame::with_scope(scope.to_vec());
                    let value = match self.eval(&attribute.value, file, &mut frame) {
                        Ok(value) => value,
                        Err(error) => {
                            self.report(file, &error, name);
                            TfValue::Unknown
                        }
                    };
                    attributes.push(TfAttribute {
                        name: name.to_string(),
                        value,
                        span: file.span(attribute.span().unwrap_or(0..0)),
                        trace: frame.trace,
                        references: frame.references,
                    });
                }
                Structure::Block(block) if block.ident.as_str() == "dynamic" => {
                    self.expand_dynamic(block, file, scope, &mut blocks);
                }
                Structure::Block(block) => {
                    let (attributes, nested) = self.eval_body(&block.body, file, scope, false);
                    blocks.push(TfBlock {
                        kind: block.ident.as_str().to_string(),
                        labels: block
                            .labels
                            .iter()
                            .map(|l| label_str(l).to_string())
                            .collect(),
                        span: file.header_span(block.span().map_or(0, |r| r.start)),
                        attributes,
                        blocks: nested,
                    });
                }
            }
        }
        (attributes, blocks)
    }

    /// `dynamic "kind" { for_each, iterator, labels, content {} }`: one
    /// block per element, spanned at the `content` body's attributes.
    fn expand_dynamic(
        &mut self,
        block: &Block,
        file: &HclFile,
        scope: &[(String, Traced)],
        out: &mut Vec<TfBlock>,
    ) {
        let Some(kind) = block.labels.first().map(label_str) else {
            return;
        };
        let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else {
            return;
        };
        let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(name)) => name.as_str().to_string(),
            _ => kind.to_string(),
        };
        let mut frame = Frame::with_scope(scope.to_vec());
        let collection = match block.body.get_attribute("for_each") {
            Some(for_each) => match self.eval(&for_each.value, file, &mut frame) {
                Ok(value) => value,
                Err(error) => {
                    self.report(file, &error, &format!("dynamic {kind:?} for_each"));
                    TfValue::Unknown
                }
            },
            None => TfValue::Unknown,
        };
        let origin = traced(frame, TfValue::Null);
        let pairs = match iteration_pairs(collection) {
            Ok(Some(pairs)) => pairs,
            Ok(None) => vec![(TfValue::Unknown, TfValue::Unknown)],
            Err(value) => {
                self.report(
                    file,
                    &super::expr::EvalError::new(
                        format!("cannot iterate over {value}"),
                        block.span(),
                    ),
                    &format!("dynamic {kind:?}"),
                );
                return;
            }
        };
        for (key, value) in pairs.into_iter().take(MAX_ELEMENTS) {
            let mut inner = scope.to_vec();
            inner.push((
                iterator.clone(),
                with_trace(&origin, map([("key", key), ("value", value)])),
            ));
            let labels = match block.body.get_attribute("labels") {
                Some(labels) => {
                    let mut frame = Frame::with_scope(inner.clone());
                    match self.eval(&labels.value, file, &mut frame) {
                        Ok(TfValue::List(items)) => items
                            .iter()
                            .map(|v| v.as_str().unwrap_or("").to_string())
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                None => Vec::new(),
            };
            let (attributes, nested) = self.eval_body(&content.body, file, &inner, false);
            out.push(TfBlock {
                kind: kind.to_string(),
                labels,
                // Findings about a missing setting point at the `dynamic` line.
                span: file.header_span(block.span().map_or(0, |r| r.start)),
                attributes,
                blocks: nested,
            });
        }
    }
}

fn map<const N: usize>(entries: [(&str, TfValue); N]) -> TfValue {
    TfValue::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn with_trace(origin: &Traced, value: TfValue) -> Traced {
    Traced {
        value,
        trace: origin.trace.clone(),
        references: origin.references.clone(),
    }
}
