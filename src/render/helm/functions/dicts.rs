//! Sprig's dictionary functions. As in Go, `set`, `unset`, `merge` and
//! `mergeOverwrite` change their first argument in place (maps are shared,
//! see [`MapRef`]) and return it.

use super::super::value::{Map, MapRef, Value};
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

/// Whether the function's parameter at `index` is a Go
/// `map[string]interface{}` (which a nil read from a map field cannot fill:
/// Go rejects it before the call).
pub fn takes_map_at(name: &str, index: usize) -> bool {
    match name {
        "set" | "unset" | "hasKey" | "pick" | "omit" | "values" | "get" | "urlJoin" => index == 0,
        "keys" | "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => true,
        "pluck" => index >= 1,
        _ => false,
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
    let found = map.borrow().get(key).cloned();
    Ok(found.unwrap_or_else(|| Value::string("")))
}

fn set(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("set", args, 3)?;
    let map = arguments::map(&args[0])?;
    let key = arguments::string(&args[1])?;
    if matches!(args[0], Value::Nil) {
        return Err("assignment to entry in nil map".to_string());
    }
    refuse_cycle(&map, &args[2])?;
    map.borrow_mut().insert(key.to_string(), args[2].clone());
    Ok(Value::Map(map))
}

fn unset(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("unset", args, 2)?;
    let map = arguments::map(&args[0])?;
    let key = arguments::string(&args[1])?;
    if matches!(args[0], Value::Nil) {
        return Ok(Value::Nil);
    }
    map.borrow_mut().remove(key);
    Ok(Value::Map(map))
}

/// Go lets a map hold itself, but then printing it never ends (Helm crashes);
/// Vigie refuses to build the cycle so every walk over a value ends.
fn refuse_cycle(map: &MapRef, value: &Value) -> Result<(), String> {
    if value.contains_map(map) {
        return Err(
            "a map cannot contain itself (Vigie does not render cyclic values)".to_string(),
        );
    }
    Ok(())
}

fn has_key(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("hasKey", args, 2)?;
    let map = arguments::map(&args[0])?;
    let key = arguments::string(&args[1])?;
    let found = map.borrow().contains_key(key);
    Ok(Value::Bool(found))
}

fn maps(args: &[Value]) -> Result<Vec<MapRef>, String> {
    args.iter().map(arguments::map).collect()
}

fn pluck(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("pluck", args, 1)?;
    let key = arguments::string(&args[0])?;
    let found = maps(&args[1..])?
        .into_iter()
        .filter_map(|map| map.borrow().get(key).cloned())
        .collect();
    Ok(Value::list(found))
}

/// Go lists a map's keys in random order; Vigie lists each map's keys
/// sorted, maps in argument order (duplicates kept, as Sprig does).
fn keys(_: &Env, args: &[Value]) -> Result<Value, String> {
    let keys = maps(args)?
        .into_iter()
        .flat_map(|map| {
            map.borrow()
                .keys()
                .map(|k| Value::string(k.as_str()))
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(Value::list(keys))
}

fn pick(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("pick", args, 1)?;
    let map = arguments::map(&args[0])?.entries();
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
    let mut map = arguments::map(&args[0])?.entries();
    for key in &args[1..] {
        map.remove(arguments::string(key)?);
    }
    Ok(Value::map(map))
}

/// Go returns a map's values in random order; Vigie in key order.
fn values(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("values", args, 1)?;
    let map = arguments::map(&args[0])?;
    let values = map.borrow().values().cloned().collect();
    Ok(Value::list(values))
}

/// mergo's `Merge` of `map[string]interface{}`: maps on both sides merge
/// deeply; otherwise a source value replaces a missing or empty destination
/// value (mergo's quirk: `false`, `0` and `""` count as missing), or any
/// destination value when overwriting. Like mergo, it changes the
/// destination's maps in place and stores the source's own values (maps
/// included, so they become shared).
fn merge_into(destination: &MapRef, source: &MapRef, overwrite: bool) -> Result<(), String> {
    if destination.same(source) {
        return Ok(());
    }
    // A copy of the source's entries: no borrow of it is held while the
    // destination changes, even when a nested map is in both.
    for (key, value) in source.entries() {
        let existing = destination.borrow().get(&key).cloned();
        match (existing, &value) {
            (Some(Value::Map(inner)), Value::Map(source_inner)) => {
                merge_into(&inner, source_inner, overwrite)?;
            }
            (Some(existing), _) if !overwrite && !is_empty(&existing) => {}
            _ => {
                refuse_cycle(destination, &value)?;
                destination.borrow_mut().insert(key, value);
            }
        }
    }
    Ok(())
}

fn merge_all(name: &str, args: &[Value], overwrite: bool) -> Result<Value, String> {
    at_least(name, args, 1)?;
    let destination = arguments::map(&args[0])?;
    for source in &args[1..] {
        merge_into(&destination, &arguments::map(source)?, overwrite)?;
    }
    Ok(Value::Map(destination))
}

fn merge(_: &Env, args: &[Value]) -> Result<Value, String> {
    merge_all("merge", args, false)
}

fn merge_overwrite(_: &Env, args: &[Value]) -> Result<Value, String> {
    merge_all("mergeOverwrite", args, true)
}

fn deep_copy(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("deepCopy", args, 1)?;
    Ok(args[0].deep_copy())
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
    let mut current = interface_map(map)?.clone();
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
        let Some(step) = current.borrow().get(key).cloned() else {
            return Ok(default.clone());
        };
        if i + 1 == path.len() {
            return Ok(step);
        }
        current = interface_map(&step)?.clone();
    }
    Ok(default.clone())
}

fn interface_map(value: &Value) -> Result<&MapRef, String> {
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
