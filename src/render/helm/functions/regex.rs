//! Sprig's regular expression functions. Go's RE2 syntax is close to the
//! `regex` crate's; the differences that matter are bridged: Go's `\d`,
//! `\w`, `\s` and `\b` are ASCII-only, so they are rewritten to ASCII
//! classes. Go's `\Q…\E` quoting is not supported, and syntax error texts
//! name Go's error code but always quote the whole expression.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use super::super::value::Value;
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("regexMatch", regex_match),
    def("mustRegexMatch", must_regex_match),
    def("regexFindAll", regex_find_all),
    def("mustRegexFindAll", must_regex_find_all),
    def("regexFind", regex_find),
    def("mustRegexFind", must_regex_find),
    def("regexReplaceAll", regex_replace_all),
    def("mustRegexReplaceAll", must_regex_replace_all),
    def("regexReplaceAllLiteral", regex_replace_all_literal),
    def("mustRegexReplaceAllLiteral", must_regex_replace_all_literal),
    def("regexSplit", regex_split),
    def("mustRegexSplit", must_regex_split),
    def("regexQuoteMeta", regex_quote_meta),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// Rewrites Go's ASCII-only Perl classes for the Unicode-aware `regex` crate.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('s') => out.push_str("[\\t\\n\\f\\r ]"),
            Some('S') => out.push_str("[^\\t\\n\\f\\r ]"),
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The expressions a render has compiled, by pattern: charts call
/// `regexReplaceAll` with the same few patterns thousands of times, and
/// compiling costs far more than matching.
#[derive(Default)]
pub struct CompiledRegexes(RefCell<HashMap<String, Regex>>);

impl CompiledRegexes {
    /// How many patterns are kept.
    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.0.borrow().len()
    }
}

/// `regexp.Compile`, with Go's error text; compiled once per render.
fn compile(env: &Env, pattern: &str) -> Result<Regex, String> {
    if let Some(regex) = env.regexes.0.borrow().get(pattern) {
        // A clone shares the compiled program.
        return Ok(regex.clone());
    }
    let regex = compile_new(pattern)?;
    env.regexes
        .0
        .borrow_mut()
        .insert(pattern.to_owned(), regex.clone());
    Ok(regex)
}

fn compile_new(pattern: &str) -> Result<Regex, String> {
    Regex::new(&translate(pattern)).map_err(|error| {
        let detail = error.to_string();
        let code = if detail.contains("unclosed group") {
            "missing closing )"
        } else if detail.contains("unopened group") {
            "unexpected )"
        } else if detail.contains("repetition operator missing expression") {
            if pattern.contains("**") || pattern.contains("++") || pattern.contains("?*") {
                "invalid nested repetition operator"
            } else {
                "missing argument to repetition operator"
            }
        } else if detail.contains("unclosed character class") {
            "missing closing ]"
        } else if detail.contains("invalid character class range") {
            "invalid character class range"
        } else if detail.contains("escape") {
            "invalid escape sequence"
        } else if detail.contains("repetition") || detail.contains("counted") {
            "invalid repeat count"
        } else {
            "invalid or unsupported Perl syntax"
        };
        format!("error parsing regexp: {code}: `{pattern}`")
    })
}

/// `regexp.MustCompile`'s panic text.
fn must_compile(env: &Env, pattern: &str) -> Result<Regex, String> {
    compile(env, pattern).map_err(|message| format!("regexp: Compile(`{pattern}`): {message}"))
}

/// Go's `FindAllStringIndex`: an empty match right after a match is skipped.
fn find_all(regex: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut matches = Vec::new();
    let mut previous_end: Option<usize> = None;
    for found in regex.find_iter(s) {
        if n >= 0 && matches.len() as i64 >= n {
            break;
        }
        if found.start() == found.end() && previous_end == Some(found.start()) {
            continue;
        }
        previous_end = Some(found.end());
        matches.push((found.start(), found.end()));
    }
    matches
}

fn strings(items: Vec<&str>) -> Value {
    Value::list(items.into_iter().map(Value::string).collect())
}

fn two_strings<'a>(name: &str, args: &'a [Value]) -> Result<(&'a str, &'a str), String> {
    count(name, args, 2)?;
    Ok((arguments::string(&args[0])?, arguments::string(&args[1])?))
}

fn regex_match(env: &Env, args: &[Value]) -> Result<Value, String> {
    let (pattern, s) = two_strings("regexMatch", args)?;
    Ok(Value::Bool(
        compile(env, pattern).is_ok_and(|r| r.is_match(s)),
    ))
}

fn must_regex_match(env: &Env, args: &[Value]) -> Result<Value, String> {
    let (pattern, s) = two_strings("mustRegexMatch", args)?;
    Ok(Value::Bool(compile(env, pattern)?.is_match(s)))
}

fn find_all_with(env: &Env, name: &str, args: &[Value], must: bool) -> Result<Value, String> {
    count(name, args, 3)?;
    let pattern = arguments::string(&args[0])?;
    let s = arguments::string(&args[1])?;
    let n = arguments::int(&args[2])?;
    let regex = if must {
        compile(env, pattern)?
    } else {
        must_compile(env, pattern)?
    };
    let found = find_all(&regex, s, n);
    Ok(strings(found.iter().map(|&(a, b)| &s[a..b]).collect()))
}

fn regex_find_all(env: &Env, args: &[Value]) -> Result<Value, String> {
    find_all_with(env, "regexFindAll", args, false)
}

fn must_regex_find_all(env: &Env, args: &[Value]) -> Result<Value, String> {
    find_all_with(env, "mustRegexFindAll", args, true)
}

fn find_with(env: &Env, name: &str, args: &[Value], must: bool) -> Result<Value, String> {
    let (pattern, s) = two_strings(name, args)?;
    let regex = if must {
        compile(env, pattern)?
    } else {
        must_compile(env, pattern)?
    };
    Ok(Value::string(regex.find(s).map_or("", |m| m.as_str())))
}

fn regex_find(env: &Env, args: &[Value]) -> Result<Value, String> {
    find_with(env, "regexFind", args, false)
}

fn must_regex_find(env: &Env, args: &[Value]) -> Result<Value, String> {
    find_with(env, "mustRegexFind", args, true)
}

fn replace_with(
    env: &Env,
    name: &str,
    args: &[Value],
    must: bool,
    literal: bool,
) -> Result<Value, String> {
    count(name, args, 3)?;
    let pattern = arguments::string(&args[0])?;
    let s = arguments::string(&args[1])?;
    let replacement = arguments::string(&args[2])?;
    let regex = if must {
        compile(env, pattern)?
    } else {
        must_compile(env, pattern)?
    };
    let replaced = if literal {
        regex.replace_all(s, regex::NoExpand(replacement))
    } else {
        regex.replace_all(s, replacement)
    };
    Ok(Value::string(replaced.into_owned()))
}

fn regex_replace_all(env: &Env, args: &[Value]) -> Result<Value, String> {
    replace_with(env, "regexReplaceAll", args, false, false)
}

fn must_regex_replace_all(env: &Env, args: &[Value]) -> Result<Value, String> {
    replace_with(env, "mustRegexReplaceAll", args, true, false)
}

fn regex_replace_all_literal(env: &Env, args: &[Value]) -> Result<Value, String> {
    replace_with(env, "regexReplaceAllLiteral", args, false, true)
}

fn must_regex_replace_all_literal(env: &Env, args: &[Value]) -> Result<Value, String> {
    replace_with(env, "mustRegexReplaceAllLiteral", args, true, true)
}

/// Go's `Regexp.Split`.
fn split_with(env: &Env, name: &str, args: &[Value], must: bool) -> Result<Value, String> {
    count(name, args, 3)?;
    let pattern = arguments::string(&args[0])?;
    let s = arguments::string(&args[1])?;
    let n = arguments::int(&args[2])?;
    let regex = if must {
        compile(env, pattern)?
    } else {
        must_compile(env, pattern)?
    };
    if n == 0 {
        return Ok(Value::list(Vec::new()));
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(strings(vec![""]));
    }
    let mut pieces = Vec::new();
    let (mut begin, mut end) = (0, 0);
    for (start, stop) in find_all(&regex, s, n) {
        if n > 0 && pieces.len() as i64 == n - 1 {
            break;
        }
        end = start;
        if stop != 0 {
            pieces.push(&s[begin..end]);
        }
        begin = stop;
    }
    if end != s.len() {
        pieces.push(&s[begin..]);
    }
    Ok(strings(pieces))
}

fn regex_split(env: &Env, args: &[Value]) -> Result<Value, String> {
    split_with(env, "regexSplit", args, false)
}

fn must_regex_split(env: &Env, args: &[Value]) -> Result<Value, String> {
    split_with(env, "mustRegexSplit", args, true)
}

fn regex_quote_meta(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("regexQuoteMeta", args, 1)?;
    let s = arguments::string(&args[0])?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::string(out))
}
