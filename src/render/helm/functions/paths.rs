//! Go's `path` functions (`base`, `dir`, `ext`, `clean`, `isAbs`) and their
//! `filepath` twins (`osBase`, …), which on the Linux hosts Helm renders
//! for behave the same.

use super::super::value::Value;
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("base", base),
    def("osBase", base),
    def("dir", dir),
    def("osDir", dir),
    def("ext", ext),
    def("osExt", ext),
    def("clean", clean),
    def("osClean", clean),
    def("isAbs", is_abs),
    def("osIsAbs", is_abs),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// Go's `path.Clean`: lexical, `.` for nothing.
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn one_path<'a>(name: &str, args: &'a [Value]) -> Result<&'a str, String> {
    count(name, args, 1)?;
    arguments::string(&args[0])
}

fn base(_: &Env, args: &[Value]) -> Result<Value, String> {
    let path = one_path("base", args)?;
    if path.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    Ok(Value::string(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

fn dir(_: &Env, args: &[Value]) -> Result<Value, String> {
    let path = one_path("dir", args)?;
    let parent = match path.rfind('/') {
        Some(at) => &path[..=at],
        None => "",
    };
    Ok(Value::string(clean_path(parent)))
}

fn ext(_: &Env, args: &[Value]) -> Result<Value, String> {
    let path = one_path("ext", args)?;
    for (i, c) in path.char_indices().rev() {
        match c {
            '/' => break,
            '.' => return Ok(Value::string(&path[i..])),
            _ => {}
        }
    }
    Ok(Value::string(""))
}

fn clean(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(clean_path(one_path("clean", args)?)))
}

fn is_abs(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(one_path("isAbs", args)?.starts_with('/')))
}
