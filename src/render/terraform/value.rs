//! Values with their history, and Terraform's type constraints
//! (`type = list(object({…}))`) applied to variable values.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};

use crate::model::TfValue;
use crate::rules::Related;

/// A value and where it came from: the locations that set it (variable
/// default, `.tfvars` line, local, module argument) and the resources its
/// expression names.
#[derive(Clone, Debug, PartialEq)]
pub struct Traced {
    pub value: TfValue,
    pub trace: Vec<Related>,
    pub references: Vec<String>,
}

/// Terraform's text for a number: `3`, `2.5`.
pub fn number_to_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The name of a value's type, for messages.
pub fn type_name(value: &TfValue) -> &'static str {
    match value {
        TfValue::Null => "null",
        TfValue::Bool(_) => "bool",
        TfValue::Number(_) => "number",
        TfValue::String(_) => "string",
        TfValue::List(_) => "list",
        TfValue::Map(_) => "map",
        TfValue::Unknown => "unknown value",
    }
}

/// A variable's `type`.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeConstraint {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeConstraint>),
    Set(Box<TypeConstraint>),
    Map(Box<TypeConstraint>),
    Tuple(Vec<TypeConstraint>),
    /// Attributes with their type and, for `optional(T, default)`, whether
    /// they may be omitted and the default then used.
    Object(Vec<ObjectAttribute>),
}

/// One attribute of an `object({…})` type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectAttribute {
    pub name: String,
    pub constraint: TypeConstraint,
    /// `Some` for `optional(…)`: the default (null when not given).
    pub default: Option<TfValue>,
}

impl TypeConstraint {
    /// Whether `--var` values of this type are read as plain strings
    /// (Terraform parses them as HCL only for collections and objects).
    pub fn is_primitive(&self) -> bool {
        matches!(
            self,
            TypeConstraint::Any
                | TypeConstraint::String
                | TypeConstraint::Number
                | TypeConstraint::Bool
        )
    }

    /// Reads a type expression; `default` evaluates `optional`'s second argument.
    pub fn parse(
        expr: &Expression,
        default: &mut dyn FnMut(&Expression) -> Option<TfValue>,
    ) -> Option<TypeConstraint> {
        match expr {
            Expression::Variable(name) => match name.as_str() {
                "any" => Some(TypeConstraint::Any),
                "string" => Some(TypeConstraint::String),
                "number" => Some(TypeConstraint::Number),
                "bool" => Some(TypeConstraint::Bool),
                _ => None,
            },
            Expression::Parenthesis(inner) => TypeConstraint::parse(inner.inner(), default),
            Expression::FuncCall(call) => {
                let args: Vec<&Expression> = call.args.iter().collect();
                let inner = |default: &mut dyn FnMut(&Expression) -> Option<TfValue>| {
                    args.first()
                        .and_then(|a| TypeConstraint::parse(a, default))
                        .map(Box::new)
                };
                match call.name.name.as_str() {
                    "list" => inner(default).map(TypeConstraint::List),
                    "set" => inner(default).map(TypeConstraint::Set),
                    "map" => inner(default).map(TypeConstraint::Map),
                    "tuple" => {
                        let Some(Expression::Array(items)) = args.first() else {
                            return None;
                        };
                        items
                            .iter()
                            .map(|item| TypeConstraint::parse(item, default))
                            .collect::<Option<Vec<_>>>()
                            .map(TypeConstraint::Tuple)
                    }
                    "object" => {
                        let Some(Expression::Object(object)) = args.first() else {
                            return None;
                        };
                        let mut attributes = Vec::new();
                        for (key, value) in object.iter() {
                            let name = match key {
                                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                                ObjectKey::Expression(Expression::Variable(v)) => {
                                    v.as_str().to_string()
                                }
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(_) => return None,
                            };
                            attributes.push(object_attribute(name, value.expr(), default)?);
                        }
                        Some(TypeConstraint::Object(attributes))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Converts a value to this type the way Terraform does for the cheap
    /// cases (strings to numbers and bools, optional attributes' defaults);
    /// `Err` explains a value that does not fit.
    pub fn convert(&self, value: TfValue) -> Result<TfValue, String> {
        if matches!(value, TfValue::Unknown | TfValue::Null) {
            return Ok(value);
        }
        match self {
            TypeConstraint::Any => Ok(value),
            TypeConstraint::String => match value {
                TfValue::String(_) => Ok(value),
                TfValue::Number(n) => Ok(TfValue::String(number_to_string(n))),
                TfValue::Bool(b) => Ok(TfValue::String(b.to_string())),
                other => Err(format!("a string is required, not a {}", type_name(&other))),
            },
            TypeConstraint::Number => match &value {
                TfValue::Number(_) => Ok(value),
                TfValue::String(s) => s
                    .trim()
                    .parse::<f64>()
                    .map(TfValue::Number)
                    .map_err(|_| format!("a number is required, not {s:?}")),
                other => Err(format!("a number is required, not a {}", type_name(other))),
            },
            TypeConstraint::Bool => match &value {
                TfValue::Bool(_) => Ok(value),
                TfValue::String(s) if s == "true" => Ok(TfValue::Bool(true)),
                TfValue::String(s) if s == "false" => Ok(TfValue::Bool(false)),
                other => Err(format!("a bool is required, not {other}")),
            },
            TypeConstraint::List(item) | TypeConstraint::Set(item) => {
                let items = match value {
                    TfValue::List(items) => items,
                    other => {
                        return Err(format!("a list is required, not a {}", type_name(&other)));
                    }
                };
                let mut converted = items
                    .into_iter()
                    .map(|v| item.convert(v))
                    .collect::<Result<Vec<_>, _>>()?;
                if matches!(self, TypeConstraint::Set(_))
                    && !converted.iter().any(TfValue::contains_unknown)
                {
                    // Sets hold each value once, strings in lexical order.
                    let mut unique: Vec<TfValue> = Vec::with_capacity(converted.len());
                    for value in converted {
                        if !unique.contains(&value) {
                            unique.push(value);
                        }
                    }
                    if unique.iter().all(|v| matches!(v, TfValue::String(_))) {
                        unique.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    converted = unique;
                }
                Ok(TfValue::List(converted))
            }
            TypeConstraint::Map(item) => match value {
                TfValue::Map(entries) => entries
                    .into_iter()
                    .map(|(k, v)| item.convert(v).map(|v| (k, v)))
                    .collect::<Result<BTreeMap<_, _>, _>>()
                    .map(TfValue::Map),
                other => Err(format!("a map is required, not a {}", type_name(&other))),
            },
            TypeConstraint::Tuple(items) => match value {
                TfValue::List(values) if values.len() == items.len() => values
                    .into_iter()
                    .zip(items)
                    .map(|(v, t)| t.convert(v))
                    .collect::<Result<Vec<_>, _>>()
                    .map(TfValue::List),
                other => Err(format!(
                    "a tuple of {} elements is required, not {other}",
                    items.len()
                )),
            },
            TypeConstraint::Object(attributes) => {
                let TfValue::Map(mut entries) = value else {
                    return Err(format!(
                        "an object is required, not a {}",
                        type_name(&value)
                    ));
                };
                let mut out = BTreeMap::new();
                for attribute in attributes {
                    let converted = match (entries.remove(&attribute.name), &attribute.default) {
                        (Some(TfValue::Null), Some(default)) => default.clone(),
                        (Some(v), _) => attribute.constraint.convert(v)?,
                        (None, Some(default)) => default.clone(),
                        (None, None) => {
                            return Err(format!("attribute {:?} is required", attribute.name));
                        }
                    };
                    out.insert(attribute.name.clone(), converted);
                }
                // Attributes the type does not declare are dropped, as Terraform does.
                Ok(TfValue::Map(out))
            }
        }
    }
}

fn object_attribute(
    name: String,
    expr: &Expression,
    default: &mut dyn FnMut(&Expression) -> Option<TfValue>,
) -> Option<ObjectAttribute> {
    if let Expression::FuncCall(call) = expr
        && call.name.name.as_str() == "optional"
    {
        let args: Vec<&Expression> = call.args.iter().collect();
        let constraint = TypeConstraint::parse(args.first()?, default)?;
        let fallback = match args.get(1) {
            Some(expr) => {
                let value = default(expr)?;
                constraint.convert(value).ok()?
            }
            None => TfValue::Null,
        };
        return Some(ObjectAttribute {
            name,
            constraint,
            default: Some(fallback),
        });
    }
    Some(ObjectAttribute {
        name,
        constraint: TypeConstraint::parse(expr, default)?,
        default: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(text: &str) -> TypeConstraint {
        fn literal(expr: &Expression) -> Option<TfValue> {
            match expr {
                Expression::Number(n) => n.value().as_f64().map(TfValue::Number),
                Expression::String(s) => Some(TfValue::String(s.value().clone())),
                Expression::Bool(b) => Some(TfValue::Bool(*b.value())),
                Expression::Array(items) => items
                    .iter()
                    .map(literal)
                    .collect::<Option<_>>()
                    .map(TfValue::List),
                _ => None,
            }
        }
        let parsed = hcl_edit::parser::parse_expr(text).unwrap();
        TypeConstraint::parse(&parsed, &mut literal).unwrap()
    }

    fn s(text: &str) -> TfValue {
        TfValue::String(text.to_string())
    }

    #[test]
    fn converts_primitives_like_terraform() {
        assert_eq!(
            constraint("number").convert(s("3")),
            Ok(TfValue::Number(3.0))
        );
        assert_eq!(
            constraint("bool").convert(s("false")),
            Ok(TfValue::Bool(false))
        );
        assert_eq!(
            constraint("string").convert(TfValue::Number(1.5)),
            Ok(s("1.5"))
        );
        assert!(constraint("number").convert(s("three")).is_err());
        assert!(constraint("bool").convert(s("yes")).is_err());
        assert_eq!(
            constraint("number").convert(TfValue::Unknown),
            Ok(TfValue::Unknown)
        );
    }

    #[test]
    fn fills_optional_attributes_and_drops_undeclared_ones() {
        let object = constraint(
            "map(object({ size = number, zones = optional(list(string), [\"1\"]), tag = optional(string) }))",
        );
        let value = TfValue::Map(BTreeMap::from([(
            "a".to_string(),
            TfValue::Map(BTreeMap::from([
                ("size".to_string(), s("2")),
                ("extra".to_string(), TfValue::Bool(true)),
            ])),
        )]));
        let expected = TfValue::Map(BTreeMap::from([(
            "a".to_string(),
            TfValue::Map(BTreeMap::from([
                ("size".to_string(), TfValue::Number(2.0)),
                ("zones".to_string(), TfValue::List(vec![s("1")])),
                ("tag".to_string(), TfValue::Null),
            ])),
        )]));
        assert_eq!(object.convert(value), Ok(expected));
        let missing = TfValue::Map(BTreeMap::from([(
            "a".to_string(),
            TfValue::Map(BTreeMap::new()),
        )]));
        assert!(object.convert(missing).is_err());
    }

    #[test]
    fn sets_hold_each_value_once() {
        let set = constraint("set(string)");
        assert_eq!(
            set.convert(TfValue::List(vec![s("b"), s("a"), s("b")])),
            Ok(TfValue::List(vec![s("a"), s("b")]))
        );
        assert!(!set.is_primitive());
        assert!(constraint("string").is_primitive());
    }
}
