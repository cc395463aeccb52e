//! Terraform's built-in functions that can be computed before `apply`.
//! `try` and `can` are lazy and live with the expressions; functions that
//! read the clock, the filesystem or randomness are not here, so they stay
//! unknown.

use std::collections::BTreeMap;

use super::expr::{MAX_ELEMENTS, key_string};
use super::value::{number_to_string, type_name};
use crate::model::TfValue;

/// What calling a function gave.
#[derive(Debug)]
pub enum Outcome {
    Value(TfValue),
    /// Terraform would stop with this error.
    Error(String),
    /// A function Vigie does not evaluate: the value is unknown.
    NotSupported,
}

type Result<T> = std::result::Result<T, String>;

/// Calls a function on evaluated arguments.
pub fn call(name: &str, args: Vec<TfValue>) -> Outcome {
    // Most functions are unknown when an argument is wholly unknown; these
    // handle unknown arguments themselves.
    let handles_unknown = matches!(
        name,
        "merge"
            | "concat"
            | "length"
            | "keys"
            | "coalesce"
            | "coalescelist"
            | "tolist"
            | "tomap"
            | "flatten"
            | "element"
            | "one"
            | "compact"
            | "values"
            | "zipmap"
            | "alltrue"
            | "anytrue"
    );
    if !handles_unknown && args.iter().any(TfValue::is_unknown) {
        return Outcome::Value(TfValue::Unknown);
    }
    let result = match name {
        "merge" => merge(args),
        "lookup" => lookup(args),
        "coalesce" => coalesce(args),
        "coalescelist" => coalescelist(args),
        "concat" => concat(args),
        "contains" => contains(args),
        "length" => length(args),
        "lower" => string_map(args, |s| s.to_lowercase()),
        "upper" => string_map(args, |s| s.to_uppercase()),
        "trimspace" => string_map(args, |s| s.trim().to_string()),
        "title" => string_map(args, title),
        "format" => format_call(args),
        "join" => join(args),
        "split" => split(args),
        "tobool" => to_bool(args),
        "tostring" => to_string(args),
        "tonumber" => to_number(args),
        "tolist" => one_arg(args).and_then(|v| match v {
            TfValue::List(_) | TfValue::Null | TfValue::Unknown => Ok(v),
            other => Err(format!("cannot convert {} to a list", type_name(&other))),
        }),
        "toset" => to_set(args),
        "tomap" => one_arg(args).and_then(|v| match v {
            TfValue::Map(_) | TfValue::Null | TfValue::Unknown => Ok(v),
            other => Err(format!("cannot convert {} to a map", type_name(&other))),
        }),
        "keys" => keys(args),
        "values" => values(args),
        "flatten" => flatten(args),
        "distinct" => distinct(args),
        "element" => element(args),
        "compact" => compact(args),
        "replace" => replace(args),
        "startswith" => string_test(args, |s, p| s.starts_with(p)),
        "endswith" => string_test(args, |s, p| s.ends_with(p)),
        "min" => numbers(args).and_then(|n| extreme(n, f64::min)),
        "max" => numbers(args).and_then(|n| extreme(n, f64::max)),
        "abs" => numbers(args).and_then(|n| match n.as_slice() {
            [x] => Ok(TfValue::Number(x.abs())),
            _ => Err("takes one number".to_string()),
        }),
        "range" => range(args),
        "zipmap" => zipmap(args),
        "jsonencode" => one_arg(args).and_then(|v| json(&v).map(TfValue::String)),
        "one" => one(args),
        "alltrue" => decisive_bool(args, false),
        "anytrue" => decisive_bool(args, true),
        "setunion" => setunion(args),
        "substr" => substr(args),
        "sort" => sort(args),
        "reverse" => one_arg(args).and_then(|v| {
            let mut items = list_arg(v, "the argument")?;
            items.reverse();
            Ok(TfValue::List(items))
        }),
        "slice" => slice(args),
        "index" => index(args),
        "sum" => sum(args),
        "floor" => numbers(args).and_then(|n| match n.as_slice() {
            [x] => Ok(TfValue::Number(x.floor())),
            _ => Err("takes one number".to_string()),
        }),
        "ceil" => numbers(args).and_then(|n| match n.as_slice() {
            [x] => Ok(TfValue::Number(x.ceil())),
            _ => Err("takes one number".to_string()),
        }),
        "trimprefix" => string_pair(args, |s, p| s.strip_prefix(p).unwrap_or(s).to_string()),
        "trimsuffix" => string_pair(args, |s, p| s.strip_suffix(p).unwrap_or(s).to_string()),
        "trim" => string_pair(args, |s, chars| {
            s.trim_matches(|c| chars.contains(c)).to_string()
        }),
        "chomp" => string_map(args, |s| s.trim_end_matches(['\n', '\r']).to_string()),
        "strrev" => string_map(args, |s| s.chars().rev().collect()),
        "setintersection" => set_combine(args, |item, others| {
            others.iter().all(|other| other.contains(item))
        }),
        "setsubtract" => set_combine(args, |item, others| {
            !others.iter().any(|other| other.contains(item))
        }),
        "sha256" => string_map(args, |s| crate::source::sha256_hex(s.as_bytes())),
        "regex" => regex_call(args, false),
        "regexall" => regex_call(args, true),
        "cidrsubnet" => cidr(args, CidrFunction::Subnet),
        "cidrhost" => cidr(args, CidrFunction::Host),
        _ => return Outcome::NotSupported,
    };
    match result {
        Ok(value) => Outcome::Value(value),
        Err(message) => Outcome::Error(message),
    }
}

fn one_arg(args: Vec<TfValue>) -> Result<TfValue> {
    let mut args = args.into_iter();
    match (args.next(), args.next()) {
        (Some(value), None) => Ok(value),
        _ => Err("takes one argument".to_string()),
    }
}

fn string_arg(value: &TfValue, what: &str) -> Result<String> {
    match value {
        TfValue::String(s) => Ok(s.clone()),
        TfValue::Number(n) => Ok(number_to_string(*n)),
        TfValue::Bool(b) => Ok(b.to_string()),
        other => Err(format!("{what} must be a string, not {}", type_name(other))),
    }
}

fn list_arg(value: TfValue, what: &str) -> Result<Vec<TfValue>> {
    match value {
        TfValue::List(items) => Ok(items),
        other => Err(format!("{what} must be a list, not {}", type_name(&other))),
    }
}

fn string_map(args: Vec<TfValue>, f: impl Fn(&str) -> String) -> Result<TfValue> {
    let value = one_arg(args)?;
    Ok(TfValue::String(f(&string_arg(&value, "the argument")?)))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn string_test(args: Vec<TfValue>, f: impl Fn(&str, &str) -> bool) -> Result<TfValue> {
    let [s, p] = <[TfValue; 2]>::try_from(args).map_err(|_| "takes two strings".to_string())?;
    Ok(TfValue::Bool(f(
        &string_arg(&s, "the string")?,
        &string_arg(&p, "the prefix")?,
    )))
}

fn string_pair(args: Vec<TfValue>, f: impl Fn(&str, &str) -> String) -> Result<TfValue> {
    let [text, other] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes two strings".to_string())?;
    Ok(TfValue::String(f(
        &string_arg(&text, "the string")?,
        &string_arg(&other, "the second argument")?,
    )))
}

/// Strings in lexical order (numbers are compared as their text, as
/// Terraform's `sort` converts them).
fn sort(args: Vec<TfValue>) -> Result<TfValue> {
    let items = list_arg(one_arg(args)?, "the argument")?;
    if items.iter().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    let mut strings = items
        .iter()
        .map(|v| string_arg(v, "each element"))
        .collect::<Result<Vec<_>>>()?;
    strings.sort();
    Ok(TfValue::List(
        strings.into_iter().map(TfValue::String).collect(),
    ))
}

fn slice(args: Vec<TfValue>) -> Result<TfValue> {
    let [list, start, end] = <[TfValue; 3]>::try_from(args)
        .map_err(|_| "takes a list, a start and an end index".to_string())?;
    let items = list_arg(list, "the first argument")?;
    let (Some(start), Some(end)) = (start.as_number(), end.as_number()) else {
        return Err("the indexes must be numbers".to_string());
    };
    if start < 0.0 || end < start || end as usize > items.len() {
        return Err(format!(
            "invalid range [{start}, {end}) for a list of {}",
            items.len()
        ));
    }
    Ok(TfValue::List(items[start as usize..end as usize].to_vec()))
}

fn index(args: Vec<TfValue>) -> Result<TfValue> {
    let [list, value] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes a list and a value".to_string())?;
    let items = list_arg(list, "the first argument")?;
    if let Some(position) = items.iter().position(|item| item == &value) {
        return Ok(TfValue::Number(position as f64));
    }
    if value.contains_unknown() || items.iter().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    Err("the value is not in the list".to_string())
}

fn sum(args: Vec<TfValue>) -> Result<TfValue> {
    let items = list_arg(one_arg(args)?, "the argument")?;
    if items.is_empty() {
        return Err("cannot sum an empty list".to_string());
    }
    numbers(items).map(|n| TfValue::Number(n.iter().sum()))
}

/// The elements of the first set kept by `keep` given the other sets.
fn set_combine(args: Vec<TfValue>, keep: fn(&TfValue, &[Vec<TfValue>]) -> bool) -> Result<TfValue> {
    let mut sets = args
        .into_iter()
        .map(|arg| list_arg(arg, "each argument"))
        .collect::<Result<Vec<_>>>()?;
    if sets.is_empty() {
        return Err("needs at least one set".to_string());
    }
    if sets.iter().flatten().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    let first = sets.remove(0);
    let kept = first.into_iter().filter(|item| keep(item, &sets)).collect();
    Ok(set_of(kept))
}

fn merge(args: Vec<TfValue>) -> Result<TfValue> {
    let mut out = BTreeMap::new();
    for arg in args {
        match arg {
            TfValue::Null => {}
            TfValue::Map(entries) => out.extend(entries),
            TfValue::Unknown => return Ok(TfValue::Unknown),
            other => return Err(format!("arguments must be maps, not {}", type_name(&other))),
        }
    }
    Ok(TfValue::Map(out))
}

fn lookup(args: Vec<TfValue>) -> Result<TfValue> {
    let mut args = args.into_iter();
    let (Some(map), Some(key)) = (args.next(), args.next()) else {
        return Err("takes a map, a key and an optional default".to_string());
    };
    let default = args.next();
    if key.is_unknown() {
        return Ok(TfValue::Unknown);
    }
    let key = string_arg(&key, "the key")?;
    match map {
        TfValue::Unknown => Ok(TfValue::Unknown),
        TfValue::Map(mut entries) => match (entries.remove(&key), default) {
            (Some(value), _) => Ok(value),
            (None, Some(default)) => Ok(default),
            (None, None) => Err(format!("no key {key:?} and no default")),
        },
        other => Err(format!(
            "the first argument must be a map, not {}",
            type_name(&other)
        )),
    }
}

fn coalesce(args: Vec<TfValue>) -> Result<TfValue> {
    for arg in args {
        match arg {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            TfValue::Null => {}
            TfValue::String(s) if s.is_empty() => {}
            other => return Ok(other),
        }
    }
    Err("all arguments are null or empty".to_string())
}

fn coalescelist(args: Vec<TfValue>) -> Result<TfValue> {
    for arg in args {
        match arg {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            TfValue::List(items) if items.is_empty() => {}
            TfValue::List(items) => return Ok(TfValue::List(items)),
            other => {
                return Err(format!(
                    "arguments must be lists, not {}",
                    type_name(&other)
                ));
            }
        }
    }
    Ok(TfValue::List(Vec::new()))
}

fn concat(args: Vec<TfValue>) -> Result<TfValue> {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            other => out.extend(list_arg(other, "each argument")?),
        }
    }
    Ok(TfValue::List(out))
}

fn contains(args: Vec<TfValue>) -> Result<TfValue> {
    let [list, value] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes a list and a value".to_string())?;
    let items = list_arg(list, "the first argument")?;
    if items.contains(&value) {
        return Ok(TfValue::Bool(true));
    }
    if value.contains_unknown() || items.iter().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    Ok(TfValue::Bool(false))
}

fn length(args: Vec<TfValue>) -> Result<TfValue> {
    Ok(match one_arg(args)? {
        TfValue::Unknown => TfValue::Unknown,
        TfValue::List(items) => TfValue::Number(items.len() as f64),
        TfValue::Map(entries) => TfValue::Number(entries.len() as f64),
        TfValue::String(s) => TfValue::Number(s.chars().count() as f64),
        other => return Err(format!("cannot take the length of {}", type_name(&other))),
    })
}

fn join(args: Vec<TfValue>) -> Result<TfValue> {
    let mut args = args.into_iter();
    let separator = string_arg(
        &args.next().ok_or("takes a separator and lists")?,
        "the separator",
    )?;
    let mut parts = Vec::new();
    for list in args {
        for item in list_arg(list, "each list")? {
            if item.is_unknown() {
                return Ok(TfValue::Unknown);
            }
            parts.push(string_arg(&item, "each element")?);
        }
    }
    Ok(TfValue::String(parts.join(&separator)))
}

fn split(args: Vec<TfValue>) -> Result<TfValue> {
    let [separator, text] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes a separator and a string".to_string())?;
    let separator = string_arg(&separator, "the separator")?;
    let text = string_arg(&text, "the string")?;
    if text.is_empty() {
        return Ok(TfValue::List(vec![TfValue::String(String::new())]));
    }
    let parts: Vec<TfValue> = if separator.is_empty() {
        text.chars()
            .map(|c| TfValue::String(c.to_string()))
            .collect()
    } else {
        text.split(separator.as_str())
            .map(|s| TfValue::String(s.to_string()))
            .collect()
    };
    Ok(TfValue::List(parts))
}

fn to_bool(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Null => Ok(TfValue::Null),
        v => v
            .as_bool()
            .map(TfValue::Bool)
            .ok_or_else(|| format!("cannot convert {v} to bool")),
    }
}

fn to_string(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Null => Ok(TfValue::Null),
        v => string_arg(&v, "the argument").map(TfValue::String),
    }
}

fn to_number(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Null => Ok(TfValue::Null),
        TfValue::Number(n) => Ok(TfValue::Number(n)),
        TfValue::String(s) => s
            .trim()
            .parse()
            .map(TfValue::Number)
            .map_err(|_| format!("cannot convert {s:?} to number")),
        other => Err(format!("cannot convert {} to number", type_name(&other))),
    }
}

/// Unique elements; a set of strings is in lexical order, as Terraform
/// orders sets of strings.
fn set_of(items: Vec<TfValue>) -> TfValue {
    let mut unique: Vec<TfValue> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    if unique.iter().all(|v| matches!(v, TfValue::String(_))) {
        unique.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    TfValue::List(unique)
}

fn to_set(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Null => Ok(TfValue::Null),
        TfValue::List(items) if items.iter().any(TfValue::contains_unknown) => Ok(TfValue::Unknown),
        TfValue::List(items) => Ok(set_of(items)),
        other => Err(format!("cannot convert {} to a set", type_name(&other))),
    }
}

fn setunion(args: Vec<TfValue>) -> Result<TfValue> {
    let mut all = Vec::new();
    for arg in args {
        all.extend(list_arg(arg, "each argument")?);
    }
    if all.iter().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    Ok(set_of(all))
}

fn keys(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Unknown => Ok(TfValue::Unknown),
        TfValue::Map(entries) => Ok(TfValue::List(
            entries.into_keys().map(TfValue::String).collect(),
        )),
        other => Err(format!(
            "the argument must be a map, not {}",
            type_name(&other)
        )),
    }
}

fn values(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Unknown => Ok(TfValue::Unknown),
        TfValue::Map(entries) => Ok(TfValue::List(entries.into_values().collect())),
        other => Err(format!(
            "the argument must be a map, not {}",
            type_name(&other)
        )),
    }
}

fn flatten(args: Vec<TfValue>) -> Result<TfValue> {
    fn walk(items: Vec<TfValue>, out: &mut Vec<TfValue>) -> bool {
        for item in items {
            match item {
                TfValue::List(inner) => {
                    if !walk(inner, out) {
                        return false;
                    }
                }
                TfValue::Unknown => return false,
                other => out.push(other),
            }
        }
        true
    }
    let items = match one_arg(args)? {
        TfValue::Unknown => return Ok(TfValue::Unknown),
        other => list_arg(other, "the argument")?,
    };
    let mut out = Vec::new();
    Ok(if walk(items, &mut out) {
        TfValue::List(out)
    } else {
        TfValue::Unknown
    })
}

fn distinct(args: Vec<TfValue>) -> Result<TfValue> {
    let items = list_arg(one_arg(args)?, "the argument")?;
    if items.iter().any(TfValue::contains_unknown) {
        return Ok(TfValue::Unknown);
    }
    let mut unique: Vec<TfValue> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    Ok(TfValue::List(unique))
}

fn element(args: Vec<TfValue>) -> Result<TfValue> {
    let [list, index] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes a list and an index".to_string())?;
    if list.is_unknown() || index.is_unknown() {
        return Ok(TfValue::Unknown);
    }
    let items = list_arg(list, "the first argument")?;
    let index = index
        .as_number()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0)
        .ok_or("the index must be a whole number")?;
    if items.is_empty() {
        return Err("cannot use element() on an empty list".to_string());
    }
    // element() wraps around.
    Ok(items[(index as usize) % items.len()].clone())
}

fn compact(args: Vec<TfValue>) -> Result<TfValue> {
    let items = match one_arg(args)? {
        TfValue::Unknown => return Ok(TfValue::Unknown),
        other => list_arg(other, "the argument")?,
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            TfValue::Null => {}
            TfValue::String(s) if s.is_empty() => {}
            other => out.push(TfValue::String(string_arg(&other, "each element")?)),
        }
    }
    Ok(TfValue::List(out))
}

fn replace(args: Vec<TfValue>) -> Result<TfValue> {
    let [text, search, with] = <[TfValue; 3]>::try_from(args)
        .map_err(|_| "takes a string, a substring and a replacement".to_string())?;
    let text = string_arg(&text, "the string")?;
    let search = string_arg(&search, "the substring")?;
    let with = string_arg(&with, "the replacement")?;
    if search.len() > 2 && search.starts_with('/') && search.ends_with('/') {
        let pattern = compile(&search[1..search.len() - 1])?;
        return Ok(TfValue::String(
            pattern.replace_all(&text, with.as_str()).into_owned(),
        ));
    }
    if search.is_empty() {
        return Ok(TfValue::String(text));
    }
    Ok(TfValue::String(text.replace(&search, &with)))
}

/// Patterns larger than this are refused (the regex crate bounds matching
/// time; this bounds compilation).
const MAX_PATTERN: usize = 10_000;

fn compile(pattern: &str) -> Result<regex::Regex> {
    if pattern.len() > MAX_PATTERN {
        return Err("pattern too long".to_string());
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("invalid pattern: {e}"))
}

/// `regex` (the first match; an error when none) and `regexall` (every
/// match). A match is the matched text without capture groups, the list
/// of groups when they are unnamed, the map of groups when they are named.
fn regex_call(args: Vec<TfValue>, all: bool) -> Result<TfValue> {
    let [pattern, text] =
        <[TfValue; 2]>::try_from(args).map_err(|_| "takes a pattern and a string".to_string())?;
    let pattern = compile(&string_arg(&pattern, "the pattern")?)?;
    let text = string_arg(&text, "the string")?;
    let named = pattern.capture_names().flatten().count() > 0;
    let groups = pattern.captures_len() - 1;
    let one = |captures: regex::Captures<'_>| -> TfValue {
        let group = |m: Option<regex::Match<'_>>| {
            m.map_or(TfValue::Null, |m| TfValue::String(m.as_str().to_string()))
        };
        if named {
            TfValue::Map(
                pattern
                    .capture_names()
                    .flatten()
                    .map(|name| (name.to_string(), group(captures.name(name))))
                    .collect(),
            )
        } else if groups > 0 {
            TfValue::List((1..=groups).map(|i| group(captures.get(i))).collect())
        } else {
            group(captures.get(0))
        }
    };
    if all {
        let matches: Vec<TfValue> = pattern
            .captures_iter(&text)
            .take(MAX_ELEMENTS)
            .map(one)
            .collect();
        return Ok(TfValue::List(matches));
    }
    pattern
        .captures(&text)
        .map(one)
        .ok_or_else(|| "the pattern did not match".to_string())
}

fn substr(args: Vec<TfValue>) -> Result<TfValue> {
    let [text, offset, length] = <[TfValue; 3]>::try_from(args)
        .map_err(|_| "takes a string, an offset and a length".to_string())?;
    let chars: Vec<char> = string_arg(&text, "the string")?.chars().collect();
    let offset = offset.as_number().ok_or("the offset must be a number")?;
    let length = length.as_number().ok_or("the length must be a number")?;
    let start = if offset < 0.0 {
        chars.len().saturating_sub((-offset) as usize)
    } else {
        (offset as usize).min(chars.len())
    };
    let end = if length < 0.0 {
        chars.len()
    } else {
        (start + length as usize).min(chars.len())
    };
    Ok(TfValue::String(chars[start..end].iter().collect()))
}

#[derive(Clone, Copy)]
enum CidrFunction {
    Subnet,
    Host,
}

/// `cidrsubnet(prefix, newbits, netnum)` and `cidrhost(prefix, hostnum)`
/// for IPv4 (IPv6 prefixes are left unknown).
fn cidr(args: Vec<TfValue>, function: CidrFunction) -> Result<TfValue> {
    let mut args = args.into_iter();
    let prefix = string_arg(&args.next().ok_or("needs a prefix")?, "the prefix")?;
    let numbers = numbers(args.collect())?;
    let Some((address, length)) = prefix.split_once('/') else {
        return Err(format!("invalid CIDR prefix {prefix:?}"));
    };
    let Ok(address) = address.parse::<std::net::Ipv4Addr>() else {
        if address.contains(':') {
            return Ok(TfValue::Unknown);
        }
        return Err(format!("invalid CIDR prefix {prefix:?}"));
    };
    let length: u32 = length
        .parse()
        .ok()
        .filter(|l| *l <= 32)
        .ok_or_else(|| format!("invalid CIDR prefix {prefix:?}"))?;
    let whole = |n: f64| (n.fract() == 0.0).then_some(n as i64);
    let base = u64::from(u32::from(address)) & network_mask(length);
    match (function, numbers.as_slice()) {
        (CidrFunction::Subnet, [newbits, netnum]) => {
            let (Some(newbits), Some(netnum)) = (whole(*newbits), whole(*netnum)) else {
                return Err("newbits and netnum must be whole numbers".to_string());
            };
            let new_length = length as i64 + newbits;
            if !(0..=32).contains(&new_length) || newbits < 0 {
                return Err(format!("cannot extend /{length} by {newbits} bits"));
            }
            if netnum < 0 || netnum >= 1i64 << newbits {
                return Err(format!("netnum {netnum} does not fit in {newbits} bits"));
            }
            let subnet = base | ((netnum as u64) << (32 - new_length));
            Ok(TfValue::String(format!(
                "{}/{new_length}",
                std::net::Ipv4Addr::from(subnet as u32)
            )))
        }
        (CidrFunction::Host, [hostnum]) => {
            let Some(hostnum) = whole(*hostnum) else {
                return Err("hostnum must be a whole number".to_string());
            };
            let size = 1i64 << (32 - length);
            let offset = if hostnum < 0 { size + hostnum } else { hostnum };
            if !(0..size).contains(&offset) {
                return Err(format!("host number {hostnum} is outside /{length}"));
            }
            Ok(TfValue::String(
                std::net::Ipv4Addr::from((base + offset as u64) as u32).to_string(),
            ))
        }
        _ => Err("wrong number of arguments".to_string()),
    }
}

fn network_mask(length: u32) -> u64 {
    if length == 0 {
        0
    } else {
        (u64::from(u32::MAX) << (32 - length)) & u64::from(u32::MAX)
    }
}

fn numbers(args: Vec<TfValue>) -> Result<Vec<f64>> {
    args.iter()
        .map(|v| {
            v.as_number()
                .ok_or_else(|| format!("arguments must be numbers, not {}", type_name(v)))
        })
        .collect()
}

fn extreme(numbers: Vec<f64>, pick: fn(f64, f64) -> f64) -> Result<TfValue> {
    numbers
        .into_iter()
        .reduce(pick)
        .map(TfValue::Number)
        .ok_or_else(|| "needs at least one number".to_string())
}

/// `anytrue` (`decisive` true) and `alltrue` (false): a known decisive
/// element settles the result even when others are unknown.
fn decisive_bool(args: Vec<TfValue>, decisive: bool) -> Result<TfValue> {
    let items = match one_arg(args)? {
        TfValue::Unknown => return Ok(TfValue::Unknown),
        other => list_arg(other, "the argument")?,
    };
    let mut unknown = false;
    for item in &items {
        match item {
            TfValue::Unknown => unknown = true,
            other => match other.as_bool() {
                Some(b) if b == decisive => return Ok(TfValue::Bool(decisive)),
                Some(_) => {}
                None => return Err(format!("elements must be bools, not {}", type_name(other))),
            },
        }
    }
    Ok(if unknown {
        TfValue::Unknown
    } else {
        TfValue::Bool(!decisive)
    })
}

fn range(args: Vec<TfValue>) -> Result<TfValue> {
    let numbers = numbers(args)?;
    let (start, end, step) = match numbers.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, if start <= end { 1.0 } else { -1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err("takes one to three numbers".to_string()),
    };
    if step == 0.0 {
        return Err("the step cannot be zero".to_string());
    }
    let count = ((end - start) / step).ceil();
    if count > MAX_ELEMENTS as f64 {
        return Err(format!("more than {MAX_ELEMENTS} elements"));
    }
    let count = count.max(0.0) as usize;
    Ok(TfValue::List(
        (0..count)
            .map(|i| TfValue::Number(start + step * i as f64))
            .collect(),
    ))
}

fn zipmap(args: Vec<TfValue>) -> Result<TfValue> {
    let [keys, values] = <[TfValue; 2]>::try_from(args)
        .map_err(|_| "takes a list of keys and a list of values".to_string())?;
    if keys.is_unknown() || values.is_unknown() {
        return Ok(TfValue::Unknown);
    }
    let keys = list_arg(keys, "the keys")?;
    let values = list_arg(values, "the values")?;
    if keys.len() != values.len() {
        return Err("the lists of keys and values differ in length".to_string());
    }
    let mut out = BTreeMap::new();
    for (key, value) in keys.into_iter().zip(values) {
        if key.is_unknown() {
            return Ok(TfValue::Unknown);
        }
        out.insert(key_string(&key).ok_or("keys must be strings")?, value);
    }
    Ok(TfValue::Map(out))
}

fn one(args: Vec<TfValue>) -> Result<TfValue> {
    match one_arg(args)? {
        TfValue::Unknown => Ok(TfValue::Unknown),
        TfValue::List(mut items) => match items.len() {
            0 => Ok(TfValue::Null),
            1 => Ok(items.remove(0)),
            n => Err(format!(
                "the list has {n} elements; one() needs at most one"
            )),
        },
        other => Err(format!(
            "the argument must be a list, not {}",
            type_name(&other)
        )),
    }
}

/// Terraform's JSON: numbers without a fractional part as integers, keys sorted.
fn json(value: &TfValue) -> Result<String> {
    Ok(match value {
        TfValue::Null => "null".to_string(),
        TfValue::Bool(b) => b.to_string(),
        TfValue::Number(n) => number_to_string(*n),
        TfValue::String(s) => json_string(s)?,
        TfValue::List(items) => {
            let parts: Result<Vec<String>> = items.iter().map(json).collect();
            format!("[{}]", parts?.join(","))
        }
        TfValue::Map(entries) => {
            let mut parts = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let key = json_string(key)?;
                parts.push(format!("{key}:{}", json(value)?));
            }
            format!("{{{}}}", parts.join(","))
        }
        TfValue::Unknown => return Err("unknown value".to_string()),
    })
}

/// A JSON string as Go writes it: `<`, `>`, `&` and the line and paragraph
/// separators escaped.
fn json_string(text: &str) -> Result<String> {
    let quoted = serde_json::to_string(text).map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(quoted.len());
    for c in quoted.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `format(spec, args…)` with Terraform's verbs: `%s %q %d %f %e %g %t %v %x
/// %X %o %b %%`, flags `-+ 0#`, width, precision and `%[n]` indexes.
fn format_call(args: Vec<TfValue>) -> Result<TfValue> {
    let mut args = args.into_iter();
    let spec = string_arg(&args.next().ok_or("takes a format string")?, "the format")?;
    let args: Vec<TfValue> = args.collect();
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ 0#".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            let n: usize = digits.parse().map_err(|_| "invalid argument index")?;
            next = n.checked_sub(1).ok_or("argument indexes start at 1")?;
        }
        let width: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
        let precision = if chars.next_if_eq(&'.').is_some() {
            let digits: String =
                std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
            Some(digits.parse::<usize>().unwrap_or(0))
        } else {
            None
        };
        let verb = chars.next().ok_or("the format ends inside a verb")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args
            .get(next)
            .ok_or_else(|| format!("not enough arguments for %{verb}"))?;
        next += 1;
        let text = format_verb(verb, arg, &flags, precision)?;
        let width: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < width {
            let pad = width - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if flags.contains('0') && matches!(verb, 'd' | 'f' | 'e' | 'g') {
                let (sign, digits) = match text.strip_prefix(['-', '+']) {
                    Some(rest) => (&text[..1], rest),
                    None => ("", text.as_str()),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
        if out.len() > MAX_ELEMENTS * 16 {
            return Err("result too long".to_string());
        }
    }
    if next < args.len() && !spec.contains("%[") {
        return Err(format!(
            "too many arguments; {next} used, {} given",
            args.len()
        ));
    }
    Ok(TfValue::String(out))
}

fn format_verb(verb: char, arg: &TfValue, flags: &str, precision: Option<usize>) -> Result<String> {
    let number = || {
        arg.as_number()
            .ok_or_else(|| format!("%{verb} needs a number, not {}", type_name(arg)))
    };
    let signed = |text: String, n: f64| {
        if n >= 0.0 && flags.contains('+') {
            format!("+{text}")
        } else if n >= 0.0 && flags.contains(' ') {
            format!(" {text}")
        } else {
            text
        }
    };
    Ok(match verb {
        's' => {
            let text = string_arg(arg, "%s argument")?;
            match precision {
                Some(p) => text.chars().take(p).collect(),
                None => text,
            }
        }
        'q' => {
            serde_json::to_string(&string_arg(arg, "%q argument")?).map_err(|e| e.to_string())?
        }
        'v' => match arg {
            TfValue::String(s) => s.clone(),
            TfValue::Number(n) => number_to_string(*n),
            TfValue::Bool(b) => b.to_string(),
            other => json(other)?,
        },
        't' => arg.as_bool().ok_or("%t needs a bool")?.to_string(),
        'd' => {
            let n = number()?;
            if n.fract() != 0.0 {
                return Err(format!(
                    "%d needs a whole number, not {}",
                    number_to_string(n)
                ));
            }
            signed(format!("{}", n as i64), n)
        }
        'f' | 'F' => {
            let n = number()?;
            signed(format!("{:.*}", precision.unwrap_or(6), n), n)
        }
        'e' | 'E' => {
            let n = number()?;
            let text = format!("{:.*e}", precision.unwrap_or(6), n);
            // Go writes the exponent with a sign and two digits: 1.5e+03.
            let text = match text.split_once('e') {
                Some((m, e)) => {
                    let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
                    format!("{m}e{sign}{digits:0>2}")
                }
                None => text,
            };
            signed(
                if verb == 'E' {
                    text.to_uppercase()
                } else {
                    text
                },
                n,
            )
        }
        'g' | 'G' => signed(number_to_string(number()?), number()?),
        'x' | 'X' | 'o' | 'b' => {
            let n = number()?;
            if n.fract() != 0.0 {
                return Err(format!("%{verb} needs a whole number"));
            }
            let i = n as i64;
            let text = match verb {
                'x' => format!("{i:x}"),
                'X' => format!("{i:X}"),
                'o' => format!("{i:o}"),
                _ => format!("{i:b}"),
            };
            signed(text, n)
        }
        other => return Err(format!("unsupported verb %{other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> TfValue {
        TfValue::String(text.to_string())
    }

    fn value(name: &str, args: Vec<TfValue>) -> TfValue {
        match call(name, args) {
            Outcome::Value(v) => v,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn format_follows_terraform_verbs() {
        let n = TfValue::Number;
        assert_eq!(
            value("format", vec![s("%s-%03d"), s("aks"), n(7.0)]),
            s("aks-007")
        );
        assert_eq!(
            value(
                "format",
                vec![s("%.2f|%5s|%-4s|"), n(1.23456), s("ab"), s("c")]
            ),
            s("1.23|   ab|c   |")
        );
        assert_eq!(
            value(
                "format",
                vec![s("%q %t %%"), s("a\"b"), TfValue::Bool(true)]
            ),
            s("\"a\\\"b\" true %")
        );
        assert_eq!(
            value("format", vec![s("%[2]s %[1]s"), s("a"), s("b")]),
            s("b a")
        );
        assert_eq!(
            value("format", vec![s("%v"), TfValue::List(vec![n(1.0), s("x")])]),
            s("[1,\"x\"]")
        );
        assert!(matches!(
            call("format", vec![s("%d"), n(1.5)]),
            Outcome::Error(_)
        ));
    }

    #[test]
    fn collections() {
        let list = |items: &[&str]| TfValue::List(items.iter().map(|i| s(i)).collect());
        assert_eq!(
            value("toset", vec![list(&["b", "a", "b"])]),
            list(&["a", "b"])
        );
        assert_eq!(
            value("distinct", vec![list(&["b", "a", "b"])]),
            list(&["b", "a"])
        );
        assert_eq!(
            value("compact", vec![list(&["a", "", "b"])]),
            list(&["a", "b"])
        );
        assert_eq!(
            value("element", vec![list(&["a", "b"]), TfValue::Number(3.0)]),
            s("b")
        );
        assert_eq!(
            value("concat", vec![list(&["a"]), TfValue::Unknown]),
            TfValue::Unknown
        );
        assert_eq!(
            value("length", vec![TfValue::List(vec![TfValue::Unknown])]),
            TfValue::Number(1.0)
        );
        assert_eq!(
            value("range", vec![TfValue::Number(3.0)]),
            TfValue::List(vec![
                TfValue::Number(0.0),
                TfValue::Number(1.0),
                TfValue::Number(2.0)
            ])
        );
        assert!(matches!(
            call("range", vec![TfValue::Number(1e9)]),
            Outcome::Error(_)
        ));
        assert_eq!(value("split", vec![s(","), s("a,b")]), list(&["a", "b"]));
        assert_eq!(value("join", vec![s("-"), list(&["a", "b"])]), s("a-b"));
        assert_eq!(
            value(
                "jsonencode",
                vec![TfValue::Map(BTreeMap::from([(
                    "k".to_string(),
                    TfValue::Number(1.0)
                )]))]
            ),
            s("{\"k\":1}")
        );
        assert!(matches!(call("timestamp", vec![]), Outcome::NotSupported));
        let t = TfValue::Bool(true);
        let f = TfValue::Bool(false);
        assert_eq!(
            value(
                "anytrue",
                vec![TfValue::List(vec![TfValue::Unknown, t.clone()])]
            ),
            t
        );
        assert_eq!(
            value(
                "anytrue",
                vec![TfValue::List(vec![TfValue::Unknown, f.clone()])]
            ),
            TfValue::Unknown
        );
        assert_eq!(
            value(
                "alltrue",
                vec![TfValue::List(vec![TfValue::Unknown, f.clone()])]
            ),
            f
        );
        assert_eq!(value("alltrue", vec![TfValue::List(vec![])]), t);
        // Functions that take partly known values stay unknown on unknown input.
        for name in [
            "merge",
            "concat",
            "length",
            "keys",
            "coalesce",
            "coalescelist",
            "tolist",
            "tomap",
            "flatten",
            "one",
            "compact",
            "values",
            "alltrue",
            "anytrue",
        ] {
            assert_eq!(
                value(name, vec![TfValue::Unknown]),
                TfValue::Unknown,
                "{name}"
            );
        }
        assert_eq!(
            value("sort", vec![list(&["b", "c", "a"])]),
            list(&["a", "b", "c"])
        );
        assert_eq!(value("reverse", vec![list(&["a", "b"])]), list(&["b", "a"]));
        assert_eq!(
            value(
                "slice",
                vec![
                    list(&["a", "b", "c"]),
                    TfValue::Number(1.0),
                    TfValue::Number(3.0)
                ]
            ),
            list(&["b", "c"])
        );
        assert_eq!(
            value("index", vec![list(&["a", "b"]), s("b")]),
            TfValue::Number(1.0)
        );
        assert_eq!(
            value(
                "sum",
                vec![TfValue::List(vec![
                    TfValue::Number(1.5),
                    TfValue::Number(2.0)
                ])]
            ),
            TfValue::Number(3.5)
        );
        assert_eq!(value("trimprefix", vec![s("rg-main"), s("rg-")]), s("main"));
        assert_eq!(value("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(
            value("setsubtract", vec![list(&["a", "b", "c"]), list(&["b"])]),
            list(&["a", "c"])
        );
        assert_eq!(
            value(
                "setintersection",
                vec![list(&["c", "a", "b"]), list(&["b", "c"])]
            ),
            list(&["b", "c"])
        );
        assert_eq!(
            value("sha256", vec![s("hello world")]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        let n = TfValue::Number;
        assert_eq!(
            value("cidrsubnet", vec![s("10.1.0.0/16"), n(4.0), n(2.0)]),
            s("10.1.32.0/20")
        );
        assert_eq!(
            value("cidrsubnet", vec![s("10.1.2.3/16"), n(8.0), n(255.0)]),
            s("10.1.255.0/24")
        );
        assert_eq!(
            value("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            value("cidrhost", vec![s("10.12.112.0/20"), n(-2.0)]),
            s("10.12.127.254")
        );
        assert!(matches!(
            call("cidrsubnet", vec![s("10.1.0.0/16"), n(4.0), n(16.0)]),
            Outcome::Error(_)
        ));
    }
}
