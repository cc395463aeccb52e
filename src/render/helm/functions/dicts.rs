//! Sprig's dictionary functions. Go's `set`, `unset`, `merge` and
//! `mergeOverwrite` change their first argument in place; values here are
//! immutable, so they return the changed map and [`mutated_argument`] tells
//! the template engine which argument to write it back to.

use std::rc::Rc;

use super::super::value::{Map, Value};
use super::arguments::{self, at_least, count};
use super::flow::is_empty;
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("dict", dict),
    def("get", get),
    def("set", set),
    def("unset", unset),
    def("hasKey", has_key),
    def("pluck", pluck),
    def("keys", keys),
    def("pick", pick),
    def("omit", omit),
    def("values", values),
    def("merge", merge),
    def("mustMerge", merge),
    def("mergeOverwrite", merge_overwrite),
    def("mustMergeOverwrite", merge_overwrite),
    def("deepCopy", deep_copy),
    def("mustDeepCopy", deep_copy),
    def("dig", dig),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// The argument a function changes in place in Go (whose new value is the
/// function's result): the engine stores the result back into the variable
/// or field that argument came from, so later reads see the change.
pub fn mutated_argument(name: &str) -> Option<usize> {
    match name {
        "set" | "unset" | "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => {
            Some(0)
        }
        _ => None,
    }
}

fn dict(_: &Env, args: &[Value]) -> Result<Value, String> {
    let mut map = Map::new();
    for pair in args.chunks(2) {
        let key = arguments::to_string(&pair[0]);
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::string(""));
        map.insert(key, value);
    }
    Ok(Value::map(map))
}

fn get(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("get", args, 2)?;
    let map = arguments::map(&args[0])?;
    let key = arguments::string(&args[1])?;
    Ok(map.get(key).cloned().unwrap_or_else(|| Value::string("")))
}

fn set(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("set", args, 3)?;
    let mut map = arguments::map(&args[0])?.as_ref().clone();
    let key = arguments::string(&args[1])?;
    map.insert(key.to_string(), args[2].clone());
    Ok(Value::map(map))
}

fn unset(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("unset", args, 2)?;
    let mut map = arguments::map(&args[0])?.as_ref().clone();
    map.remove(arguments::string(&args[1])?);
    Ok(Value::map(map))
}

fn has_key(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("hasKey", args, 2)?;
    let map = arguments::map(&args[0])?;
    let key = arguments::string(&args[1])?;
    Ok(Value::Bool(map.contains_key(key)))
}

fn maps(args: &[Value]) -> Result<Vec<Rc<Map>>, String> {
    args.iter().map(arguments::map).collect()
}

fn pluck(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("pluck", args, 1)?;
    let key = arguments::string(&args[0])?;
    let found = maps(&args[1..])?
        .into_iter()
        .filter_map(|map| map.get(key).cloned())
        .collect();
    Ok(Value::list(found))
}

/// Go lists a map's keys in random order; Vigie lists each map's keys
/// sorted, maps in argument order (duplicates kept, as Sprig does).
fn keys(_: &Env, args: &[Value]) -> Result<Value, String> {
    let keys = maps(args)?
        .into_iter()
        .flat_map(|map| {
            map.keys()
                .map(|k| Value::string(k.as_str()))
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(Value::list(keys))
}

fn pick(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("pick", args, 1)?;
    let map = arguments::map(&args[0])?;
    let mut picked = Map::new();
    for key in &args[1..] {
        let key = arguments::string(key)?;
        if let Some(value) = map.get(key) {
            picked.insert(key.to_string(), value.clone());
        }
    }
    Ok(Value::map(picked))
}

fn omit(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("omit", args, 1)?;
    let mut map = arguments::map(&args[0])?.as_ref().clone();
    for key in &args[1..] {
        map.remove(arguments::string(key)?);
    }
    Ok(Value::map(map))
}

/// Go returns a map's values in random order; Vigie in key order.
fn values(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("values", args, 1)?;
    let map = arguments::map(&args[0])?;
    Ok(Value::list(map.values().cloned().collect()))
}

/// mergo's `Merge` of `map[string]interface{}`: maps on both sides merge
/// deeply; otherwise a source value replaces a missing or empty destination
/// value (mergo's quirk: `false`, `0` and `""` count as missing), or any
/// destination value when overwriting.
fn merge_into(destination: &mut Map, source: &Map, overwrite: bool) {
    for (key, value) in source {
        match (destination.get_mut(key), value) {
            (Some(Value::Map(inner)), Value::Map(source_inner)) => {
                merge_into(Rc::make_mut(inner), source_inner, overwrite);
            }
            (Some(existing), _) => {
                if overwrite || is_empty(existing) {
                    *existing = value.clone();
                }
            }
            (None, _) => {
                destination.insert(key.clone(), value.clone());
            }
        }
    }
}

fn merge_all(name: &str, args: &[Value], overwrite: bool) -> Result<Value, String> {
    at_least(name, args, 1)?;
    let mut destination = arguments::map(&args[0])?.as_ref().clone();
    for source in &args[1..] {
        merge_into(&mut destination, &*arguments::map(source)?, overwrite);
    }
    Ok(Value::map(destination))
}

fn merge(_: &Env, args: &[Value]) -> Result<Value, String> {
    merge_all("merge", args, false)
}

fn merge_overwrite(_: &Env, args: &[Value]) -> Result<Value, String> {
    merge_all("mergeOverwrite", args, true)
}

/// Values are immutable here, so a copy shares everything safely.
fn deep_copy(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("deepCopy", args, 1)?;
    Ok(args[0].clone())
}

fn dig(_: &Env, args: &[Value]) -> Result<Value, String> {
    if args.len() < 3 {
        return Err("dig needs at least three arguments".to_string());
    }
    let Some((map, rest)) = args.split_last() else {
        return Err("dig needs at least three arguments".to_string());
    };
    let Some((default, path)) = rest.split_last() else {
        return Err("dig needs at least three arguments".to_string());
    };
    let mut current = interface_map(map)?;
    for (i, key) in path.iter().enumerate() {
        let key = match key {
            Value::String(s) => s.as_ref(),
            other => {
                return Err(format!(
                    "interface conversion: interface {{}} is {}, not string",
                    other.type_name()
                ));
            }
        };
        let Some(step) = current.get(key) else {
            return Ok(default.clone());
        };
        if i + 1 == path.len() {
            return Ok(step.clone());
        }
        current = interface_map(step)?;
    }
    Ok(default.clone())
}

fn interface_map(value: &Value) -> Result<&Rc<Map>, String> {
    match value {
        Value::Map(map) => Ok(map),
        Value::Nil => Err(
            "interface conversion: interface {} is nil, not map[string]interface {}".to_string(),
        ),
        other => Err(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            other.type_name()
        )),
    }
}
