//! Sprig's list functions. Go's slices are shared, but every Sprig list
//! function copies before changing, so plain values are exact here. The
//! `must…` variants return the same errors the plain ones raise as panics,
//! which Go's template engine reports identically.

use super::super::value::Value;
use super::arguments::{self, at_least, count, kind_name};
use super::flow::is_empty;
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("list", list),
    def("tuple", list),
    def("append", push),
    def("push", push),
    def("mustAppend", push),
    def("mustPush", push),
    def("prepend", prepend),
    def("mustPrepend", prepend),
    def("first", first),
    def("mustFirst", first),
    def("rest", rest),
    def("mustRest", rest),
    def("last", last),
    def("mustLast", last),
    def("initial", initial),
    def("mustInitial", initial),
    def("reverse", reverse),
    def("mustReverse", reverse),
    def("uniq", uniq),
    def("mustUniq", uniq),
    def("without", without),
    def("mustWithout", without),
    def("has", has),
    def("mustHas", has),
    def("compact", compact),
    def("mustCompact", compact),
    def("slice", slice),
    def("mustSlice", slice),
    def("concat", concat),
    def("chunk", chunk),
    def("mustChunk", chunk),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// The items of a list argument, or Sprig's `Cannot <verb> on type <kind>`.
fn items(value: &Value, verb: &str) -> Result<Vec<Value>, String> {
    arguments::list_items(value)
        .ok_or_else(|| format!("Cannot {verb} on type {}", kind_name(value)))
}

fn list(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::list(args.to_vec()))
}

fn push(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("append", args, 2)?;
    let mut list = items(&args[0], "push")?;
    list.push(args[1].clone());
    Ok(Value::list(list))
}

fn prepend(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("prepend", args, 2)?;
    let mut list = items(&args[0], "prepend")?;
    list.insert(0, args[1].clone());
    Ok(Value::list(list))
}

fn first(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("first", args, 1)?;
    Ok(items(&args[0], "find first")?
        .into_iter()
        .next()
        .unwrap_or(Value::Nil))
}

fn rest(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("rest", args, 1)?;
    let list = items(&args[0], "find rest")?;
    Ok(Value::list(list.get(1..).unwrap_or_default().to_vec()))
}

fn last(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("last", args, 1)?;
    Ok(items(&args[0], "find last")?.pop().unwrap_or(Value::Nil))
}

fn initial(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("initial", args, 1)?;
    let mut list = items(&args[0], "find initial")?;
    list.pop();
    Ok(Value::list(list))
}

fn reverse(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("reverse", args, 1)?;
    let mut list = items(&args[0], "find reverse")?;
    list.reverse();
    Ok(Value::list(list))
}

fn uniq(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("uniq", args, 1)?;
    let mut unique: Vec<Value> = Vec::new();
    for item in items(&args[0], "find uniq")? {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    Ok(Value::list(unique))
}

fn without(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("without", args, 1)?;
    let omit = &args[1..];
    let kept = items(&args[0], "find without")?
        .into_iter()
        .filter(|item| !omit.contains(item))
        .collect();
    Ok(Value::list(kept))
}

fn has(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("has", args, 2)?;
    if matches!(args[1], Value::Nil) {
        return Ok(Value::Bool(false));
    }
    let list = items(&args[1], "find has")?;
    Ok(Value::Bool(list.contains(&args[0])))
}

fn compact(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("compact", args, 1)?;
    let kept = items(&args[0], "compact")?
        .into_iter()
        .filter(|item| !is_empty(item))
        .collect();
    Ok(Value::list(kept))
}

fn slice(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("slice", args, 1)?;
    let list = items(&args[0], "slice")?;
    if list.is_empty() {
        return Ok(Value::Nil);
    }
    let start = args.get(1).map_or(0, arguments::to_int64);
    let end = args.get(2).map_or(list.len() as i64, arguments::to_int64);
    if start < 0 || end < start || end > list.len() as i64 {
        return Err("reflect.Value.Slice: slice index out of bounds".to_string());
    }
    Ok(Value::list(list[start as usize..end as usize].to_vec()))
}

fn concat(_: &Env, args: &[Value]) -> Result<Value, String> {
    let mut all = Vec::new();
    for arg in args {
        let list = arguments::list_items(arg)
            .ok_or_else(|| format!("Cannot concat type {} as list", kind_name(arg)))?;
        all.extend(list);
    }
    Ok(Value::list(all))
}

fn chunk(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("chunk", args, 2)?;
    let size = arguments::int(&args[0])?;
    let list = items(&args[1], "chunk")?;
    if size <= 0 {
        // Go sizes the result with a float division that goes out of range.
        return Err("runtime error: makeslice: len out of range".to_string());
    }
    let chunks = list
        .chunks(size as usize)
        .map(|piece| Value::list(piece.to_vec()))
        .collect();
    Ok(Value::list(chunks))
}
