//! Defaults and emptiness (`default`, `empty`, `coalesce`, `ternary`,
//! `all`, `any`) and type inspection (`typeOf`, `kindIs`, `deepEqual`, …).

use super::super::value::Value;
use super::arguments::{self, at_least, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("default", default),
    def("empty", empty),
    def("coalesce", coalesce),
    def("all", all),
    def("any", any),
    def("ternary", ternary),
    def("typeOf", type_of),
    def("typeIs", type_is),
    def("typeIsLike", type_is_like),
    def("kindOf", kind_of),
    def("kindIs", kind_is),
    def("deepEqual", deep_equal),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// Sprig's `empty`: nil, zero numbers, false, and empty strings, lists and
/// maps; structs (objects) are never empty.
pub fn is_empty(value: &Value) -> bool {
    match value {
        // Sprig's `empty`: a struct never is; a map or slice type when it has
        // no elements.
        Value::Object(object) => object.collection().is_some_and(|c| !c.is_true()),
        other => !other.is_true(),
    }
}

fn default(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("default", args, 1)?;
    match args.get(1) {
        Some(given) if !is_empty(given) => Ok(given.clone()),
        _ => Ok(args[0].clone()),
    }
}

fn empty(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("empty", args, 1)?;
    Ok(Value::Bool(is_empty(&args[0])))
}

fn coalesce(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::Nil))
}

fn all(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().all(|v| !is_empty(v))))
}

fn any(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().any(|v| !is_empty(v))))
}

fn ternary(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("ternary", args, 3)?;
    let condition = arguments::boolean(&args[2])?;
    Ok(if condition { &args[0] } else { &args[1] }.clone())
}

fn type_of(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("typeOf", args, 1)?;
    Ok(Value::string(args[0].type_name()))
}

fn type_is(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("typeIs", args, 2)?;
    let target = arguments::string(&args[0])?;
    Ok(Value::Bool(target == args[1].type_name()))
}

fn type_is_like(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("typeIsLike", args, 2)?;
    let target = arguments::string(&args[0])?;
    let actual = args[1].type_name();
    Ok(Value::Bool(
        target == actual || actual.strip_prefix('*') == Some(target),
    ))
}

fn kind_of(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("kindOf", args, 1)?;
    Ok(Value::string(arguments::kind_name(&args[0])))
}

fn kind_is(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("kindIs", args, 2)?;
    let target = arguments::string(&args[0])?;
    Ok(Value::Bool(target == arguments::kind_name(&args[1])))
}

fn deep_equal(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("deepEqual", args, 2)?;
    Ok(Value::Bool(args[0] == args[1]))
}
