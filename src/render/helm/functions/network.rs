//! URLs (`urlParse`, `urlJoin`, with Go's `net/url` rules for the parts
//! charts use) and `getHostByName`, which would query DNS: Vigie never
//! touches the network, so it returns an empty address, marked generated.

use super::super::value::{Map, Value};
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("urlParse", url_parse),
    def("urlJoin", url_join),
    FunctionDef {
        name: "getHostByName",
        function: get_host_by_name,
        generated: true,
    },
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// The parts of a URL as `net/url.URL` holds them.
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    userinfo: Option<String>,
    host: String,
    path: String,
    raw_query: String,
    fragment: String,
}

/// Go's `unescape` for paths and fragments.
fn unescape(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            let value = hex
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match value {
                Some(v) if hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) => {
                    out.push(v);
                    i += 3;
                }
                _ => {
                    let end = (i + 3).min(s.len());
                    return Err(format!(
                        "invalid URL escape {}",
                        super::strings::go_quote(&String::from_utf8_lossy(&bytes[i..end]))
                    ));
                }
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn parse_url(raw: &str) -> Result<Url, String> {
    let fail = |message: String| format!("parse {}: {message}", super::strings::go_quote(raw));
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(fail(
            "net/url: invalid control character in URL".to_string(),
        ));
    }
    let mut url = Url::default();
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    if let Some(fragment) = fragment {
        url.fragment = unescape(fragment).map_err(fail)?;
    }
    let mut rest = rest;
    if let Some(colon) = rest.find(':') {
        let candidate = &rest[..colon];
        let valid = candidate.chars().enumerate().all(|(i, c)| {
            c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
        });
        if colon == 0 {
            return Err(fail("missing protocol scheme".to_string()));
        }
        if valid {
            url.scheme = candidate.to_ascii_lowercase();
            rest = &rest[colon + 1..];
        }
    }
    if let Some((before, query)) = rest.split_once('?') {
        url.raw_query = query.to_string();
        rest = before;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            return Err(fail(
                "first path segment in URL cannot contain colon".to_string(),
            ));
        }
    }
    if rest.starts_with("//") {
        let authority_end = rest[2..].find('/').map_or(rest.len(), |i| i + 2);
        let authority = &rest[2..authority_end];
        rest = &rest[authority_end..];
        let host = match authority.rfind('@') {
            Some(at) => {
                url.userinfo = Some(unescape(&authority[..at]).map_err(fail)?);
                &authority[at + 1..]
            }
            None => authority,
        };
        url.host = unescape(host).map_err(fail)?;
    }
    url.path = unescape(rest).map_err(fail)?;
    Ok(url)
}

fn hostname(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    match host.rfind(':') {
        Some(colon) => &host[..colon],
        None => host,
    }
}

fn url_parse(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("urlParse", args, 1)?;
    let raw = arguments::string(&args[0])?;
    let url = parse_url(raw).map_err(|message| format!("unable to parse url: {message}"))?;
    let mut map = Map::new();
    let mut put = |key: &str, value: &str| {
        map.insert(key.to_string(), Value::string(value));
    };
    put("scheme", &url.scheme);
    put("host", &url.host);
    put("hostname", hostname(&url.host));
    put("path", &url.path);
    put("query", &url.raw_query);
    put("opaque", &url.opaque);
    put("fragment", &url.fragment);
    put("userinfo", url.userinfo.as_deref().unwrap_or(""));
    Ok(Value::map(map))
}

/// Percent-encodes what Go's `EscapedPath`/`EscapedFragment` would.
fn escape(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn url_join(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("urlJoin", args, 1)?;
    let map = arguments::map(&args[0])?;
    let map = map.borrow();
    let part = |key: &str| -> Result<String, String> {
        match map.get(key) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(other) => Err(format!(
                "interface conversion: interface {{}} is {}, not string",
                other.type_name()
            )),
        }
    };
    let url = Url {
        scheme: part("scheme")?,
        opaque: part("opaque")?,
        userinfo: Some(part("userinfo")?).filter(|u| !u.is_empty()),
        host: part("host")?,
        path: part("path")?,
        raw_query: part("query")?,
        fragment: part("fragment")?,
    };
    let mut out = String::new();
    if !url.scheme.is_empty() {
        out.push_str(&url.scheme);
        out.push(':');
    }
    if !url.opaque.is_empty() {
        out.push_str(&url.opaque);
    } else {
        if !url.scheme.is_empty() || !url.host.is_empty() || url.userinfo.is_some() {
            if !url.host.is_empty() || !url.path.is_empty() || url.userinfo.is_some() {
                out.push_str("//");
            }
            if let Some(userinfo) = &url.userinfo {
                out.push_str(userinfo);
                out.push('@');
            }
            out.push_str(&url.host);
        }
        let path = escape(&url.path, "$&+,/:;=@");
        if !path.is_empty() && !path.starts_with('/') && !url.host.is_empty() {
            out.push('/');
        }
        out.push_str(&path);
    }
    if !url.raw_query.is_empty() {
        out.push('?');
        out.push_str(&url.raw_query);
    }
    if !url.fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&url.fragment, "$&+,/:;=@!()*?"));
    }
    Ok(Value::string(out))
}

fn get_host_by_name(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("getHostByName", args, 1)?;
    arguments::string(&args[0])?;
    Ok(Value::string(""))
}
