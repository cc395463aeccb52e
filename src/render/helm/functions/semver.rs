//! `semver` and `semverCompare` with Masterminds/semver v3 semantics:
//! lenient versions (`v` prefix, missing minor or patch), constraints with
//! `= != > < >= <= ~ ^`, wildcards (`x`, `X`, `*`), hyphen ranges, spaces or
//! commas for "and", `||` for "or", and prereleases only matched by
//! constraints that name a prerelease.

use std::cmp::Ordering;
use std::rc::Rc;

use super::super::value::{GoObject, Value};
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] =
    &[def("semver", semver), def("semverCompare", semver_compare)];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

const INVALID_VERSION: &str = "Invalid Semantic Version";

/// A parsed version (`*semver.Version`).
#[derive(Clone, Debug)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    prerelease: String,
    metadata: String,
    original: String,
}

fn identifiers_valid(text: &str) -> bool {
    text.split('.').all(|part| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let body = text.strip_prefix('v').unwrap_or(text);
        let (body, metadata) = match body.split_once('+') {
            Some((b, m)) => (b, m),
            None => (body, ""),
        };
        let (core, prerelease) = match body.split_once('-') {
            Some((c, p)) => (c, p),
            None => (body, ""),
        };
        if (body.contains('+') || text.matches('+').count() > 1)
            || (body.len() != core.len() && !identifiers_valid(prerelease))
            || (text.contains('+') && !identifiers_valid(metadata))
        {
            return Err(INVALID_VERSION.to_string());
        }
        let numbers: Vec<&str> = core.split('.').collect();
        if numbers.is_empty()
            || numbers.len() > 3
            || numbers
                .iter()
                .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(INVALID_VERSION.to_string());
        }
        let number = |i: usize| -> Result<u64, String> {
            numbers.get(i).map_or(Ok(0), |n| {
                n.parse().map_err(|_| INVALID_VERSION.to_string())
            })
        };
        // Numeric prerelease identifiers may not have leading zeros.
        if prerelease.split('.').any(|part| {
            part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit())
        }) {
            return Err("Invalid Prerelease string".to_string());
        }
        Ok(Version {
            major: number(0)?,
            minor: number(1)?,
            patch: number(2)?,
            prerelease: prerelease.to_string(),
            metadata: metadata.to_string(),
            original: text.to_string(),
        })
    }

    /// Precedence, metadata ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_prerelease(&self.prerelease, &other.prerelease))
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.prerelease.is_empty() {
            write!(f, "-{}", self.prerelease)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl GoObject for Version {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn field(&self, name: &str) -> Option<Value> {
        // Go methods without arguments read like fields in templates.
        Some(match name {
            "Major" => Value::Int(self.major as i64),
            "Minor" => Value::Int(self.minor as i64),
            "Patch" => Value::Int(self.patch as i64),
            "Prerelease" => Value::string(self.prerelease.as_str()),
            "Metadata" => Value::string(self.metadata.as_str()),
            "Original" => Value::string(self.original.as_str()),
            "String" => Value::string(self.to_string()),
            "IncMajor" | "IncMinor" | "IncPatch" => {
                let mut next = self.clone();
                next.metadata.clear();
                next.original.clear();
                match name {
                    "IncMajor" => (next.major, next.minor, next.patch) = (self.major + 1, 0, 0),
                    "IncMinor" => (next.minor, next.patch) = (self.minor + 1, 0),
                    _ if self.prerelease.is_empty() => next.patch = self.patch + 1,
                    _ => {}
                }
                next.prerelease.clear();
                next.original = next.to_string();
                Value::Object(Rc::new(next))
            }
            _ => return None,
        })
    }

    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.is_empty() {
            return self.field(name).map(Ok);
        }
        let compare = |args: &[Value]| -> Result<Ordering, String> {
            count(name, args, 1)?;
            match &args[0] {
                Value::Object(object) if object.type_name() == "*semver.Version" => {
                    let other = Version::parse(&object.display())?;
                    Ok(self.compare(&other))
                }
                other => Err(format!(
                    "wrong type for value; expected *semver.Version; got {}",
                    other.type_name()
                )),
            }
        };
        Some(match name {
            "Compare" => compare(args).map(|o| Value::Int(o as i64)),
            "LessThan" => compare(args).map(|o| Value::Bool(o == Ordering::Less)),
            "GreaterThan" => compare(args).map(|o| Value::Bool(o == Ordering::Greater)),
            "Equal" => compare(args).map(|o| Value::Bool(o == Ordering::Equal)),
            _ => return None,
        })
    }

    fn display(&self) -> String {
        self.to_string()
    }
}

fn semver(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("semver", args, 1)?;
    let version = Version::parse(arguments::string(&args[0])?)?;
    Ok(Value::Object(Rc::new(version)))
}

/// One `op version` term of a constraint.
struct Term {
    op: String,
    version: Version,
    /// Which parts were wildcards or missing.
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_wildcard(part: &str) -> bool {
    matches!(part, "x" | "X" | "*")
}

fn parse_term(text: &str, whole: &str) -> Result<Term, String> {
    let improper = || format!("improper constraint: {whole}");
    let op_len = text
        .find(|c: char| !matches!(c, '=' | '!' | '>' | '<' | '~' | '^'))
        .unwrap_or(text.len());
    let op = text[..op_len].to_string();
    if !matches!(
        op.as_str(),
        "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^"
    ) {
        return Err(improper());
    }
    let raw = text[op_len..].trim();
    let raw = raw.strip_prefix('v').unwrap_or(raw);
    let (core, suffix) = match raw.find(['-', '+']) {
        Some(at) => (&raw[..at], &raw[at..]),
        None => (raw, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| !(is_wildcard(p) || (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))))
    {
        return Err(improper());
    }
    let wildcard_at = |i: usize| parts.get(i).is_none_or(|p| is_wildcard(p));
    let major_dirty = is_wildcard(parts[0]);
    let minor_dirty = major_dirty || wildcard_at(1);
    let patch_dirty = minor_dirty || wildcard_at(2);
    let number = |i: usize| -> &str {
        match parts.get(i) {
            Some(p) if !is_wildcard(p) => p,
            _ => "0",
        }
    };
    let normalized = format!("{}.{}.{}{suffix}", number(0), number(1), number(2));
    let version = Version::parse(&normalized).map_err(|_| improper())?;
    Ok(Term {
        op,
        version,
        minor_dirty,
        patch_dirty,
        dirty: patch_dirty,
    })
}

impl Term {
    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        if !v.prerelease.is_empty() && c.prerelease.is_empty() {
            return false;
        }
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            "!=" => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if self.minor_dirty {
                        return false;
                    }
                    if c.minor != v.minor {
                        return true;
                    }
                    return false;
                }
                v.compare(c) != Ordering::Equal
            }
            ">" => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                v.minor > c.minor
            }
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major < c.major;
                }
                self.minor_dirty || v.minor <= c.minor
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.major == 0 && v.minor == c.minor;
                }
                v.major == 0 && v.minor == 0 && v.patch == c.patch
            }
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.minor == 0 && c.patch == 0 && self.minor_dirty {
            return v.major == c.major;
        }
        if self.minor_dirty {
            return v.major == c.major;
        }
        v.major == c.major && v.minor == c.minor
    }
}

/// Alternatives of conjunctions.
fn parse_constraint(text: &str) -> Result<Vec<Vec<Term>>, String> {
    let mut alternatives = Vec::new();
    for alternative in text.split("||") {
        let mut terms = Vec::new();
        // A hyphen range `a - b` is `>= a, <= b`.
        let tokens: Vec<String> = alternative
            .split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let mut merged: Vec<String> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            // `>= 1.2` written with a space after the operator.
            if token
                .chars()
                .all(|c| matches!(c, '=' | '!' | '>' | '<' | '~' | '^'))
                && i + 1 < tokens.len()
            {
                merged.push(format!("{token}{}", tokens[i + 1]));
                i += 2;
                continue;
            }
            if tokens.get(i + 1).map(String::as_str) == Some("-") && i + 2 < tokens.len() {
                merged.push(format!(">={token}"));
                merged.push(format!("<={}", tokens[i + 2]));
                i += 3;
                continue;
            }
            merged.push(token.clone());
            i += 1;
        }
        if merged.is_empty() {
            return Err(format!("improper constraint: {text}"));
        }
        for token in merged {
            terms.push(parse_term(&token, text)?);
        }
        alternatives.push(terms);
    }
    Ok(alternatives)
}

fn semver_compare(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("semverCompare", args, 2)?;
    let constraint = parse_constraint(arguments::string(&args[0])?)?;
    let version = Version::parse(arguments::string(&args[1])?)?;
    let matched = constraint
        .iter()
        .any(|terms| terms.iter().all(|term| term.check(&version)));
    Ok(Value::Bool(matched))
}
