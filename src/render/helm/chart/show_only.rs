//! `helm template --show-only`: the printed manifest cut back into documents,
//! and the documents whose template path (`templates/x.yaml`, relative to
//! the top chart) matches a pattern printed again, pattern by pattern.

use std::sync::LazyLock;

use regex::Regex;

/// Helm's document separator for this step (`releaseutil.SplitManifests`);
/// `\s` is spelt out because Go's is ASCII-only.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").unwrap_or_else(|_| unreachable!())
});

/// The template path Helm matches against: what follows the chart name in
/// the `# Source:` line.
static SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"# Source: [^/]+/(.+)").unwrap_or_else(|_| unreachable!()));

/// The documents of `manifest` that `patterns` select, printed as Helm prints
/// them; Helm's error when a pattern selects nothing.
pub fn show_only(manifest: &str, patterns: &[String]) -> Result<String, String> {
    let documents: Vec<&str> = SEPARATOR
        .split(manifest.trim())
        .filter(|d| !d.is_empty())
        .map(str::trim)
        .collect();
    let mut out = String::new();
    for pattern in patterns {
        let pattern = pattern.replace('\\', "/");
        let mut found = false;
        for document in &documents {
            let Some(path) = SOURCE.captures(document).and_then(|c| c.get(1)) else {
                continue;
            };
            if glob_matches(&pattern, path.as_str()) {
                out.push_str("---\n");
                out.push_str(document);
                out.push('\n');
                found = true;
            }
        }
        if !found {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok(out)
}

/// Go's `filepath.Match` on `/`-separated paths: `*` and `?` stop at `/`,
/// `[a-z]`/`[^a-z]` classes, `\` escapes. A malformed pattern matches
/// nothing (Helm ignores the error).
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    matches_at(&pattern, &name).unwrap_or(false)
}

/// `None` for a malformed pattern.
fn matches_at(pattern: &[char], name: &[char]) -> Option<bool> {
    let Some((&first, rest)) = pattern.split_first() else {
        return Some(name.is_empty());
    };
    match first {
        '*' => {
            // Every split of the non-separator prefix, shortest first.
            let mut end = 0;
            loop {
                if matches_at(rest, &name[end..])? {
                    return Some(true);
                }
                if end == name.len() || name[end] == '/' {
                    // Go still checks the rest of the pattern is well formed.
                    return check_pattern(rest).map(|()| false);
                }
                end += 1;
            }
        }
        '?' => match name.split_first() {
            Some((&c, tail)) if c != '/' => matches_at(rest, tail),
            _ => check_pattern(rest).map(|()| false),
        },
        '[' => {
            let (matched, after) = class(rest, name.first().copied())?;
            match name.split_first() {
                Some((&c, tail)) if matched && c != '/' => matches_at(after, tail),
                _ => check_pattern(after).map(|()| false),
            }
        }
        '\\' => {
            let (&escaped, after) = rest.split_first()?;
            match name.split_first() {
                Some((&c, tail)) if c == escaped => matches_at(after, tail),
                _ => check_pattern(after).map(|()| false),
            }
        }
        literal => match name.split_first() {
            Some((&c, tail)) if c == literal => matches_at(rest, tail),
            _ => check_pattern(rest).map(|()| false),
        },
    }
}

/// A character class after its `[`: whether `c` is in it and the pattern
/// after its `]`.
fn class(pattern: &[char], c: Option<char>) -> Option<(bool, &[char])> {
    let (negated, mut rest) = match pattern.split_first() {
        Some(('^', rest)) => (true, rest),
        _ => (false, pattern),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        let (&next, after) = rest.split_first()?;
        if next == ']' && !first {
            rest = after;
            break;
        }
        first = false;
        let (low, after) = class_char(rest)?;
        rest = after;
        let mut high = low;
        if let Some(('-', after)) = rest.split_first() {
            let (end, after) = class_char(after)?;
            high = end;
            rest = after;
        }
        if c.is_some_and(|c| low <= c && c <= high) {
            matched = true;
        }
    }
    Some((matched != negated, rest))
}

/// One character of a class, unescaped; `None` where Go reports a bad pattern.
fn class_char(pattern: &[char]) -> Option<(char, &[char])> {
    match pattern.split_first()? {
        ('-' | ']', _) => None,
        ('\\', rest) => rest.split_first().map(|(&c, rest)| (c, rest)),
        (&c, rest) => Some((c, rest)),
    }
}

/// `None` when the pattern is malformed (an unclosed class, a trailing `\`).
fn check_pattern(pattern: &[char]) -> Option<()> {
    let mut rest = pattern;
    while let Some((&c, after)) = rest.split_first() {
        rest = match c {
            '[' => class(after, None)?.1,
            '\\' => after.split_first()?.1,
            _ => after,
        };
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_like_go_filepath_match() {
        assert!(glob_matches("templates/svc.yaml", "templates/svc.yaml"));
        assert!(glob_matches("templates/*.yaml", "templates/svc.yaml"));
        assert!(!glob_matches("templates/*", "templates/a/svc.yaml"));
        assert!(glob_matches(
            "charts/*/templates/*",
            "charts/sub/templates/sa.yaml"
        ));
        assert!(glob_matches("templates/s?c.yaml", "templates/svc.yaml"));
        assert!(glob_matches("templates/[r-t]vc.yaml", "templates/svc.yaml"));
        assert!(!glob_matches("templates/[^s]vc.yaml", "templates/svc.yaml"));
        assert!(glob_matches(r"templates/\svc.yaml", "templates/svc.yaml"));
        assert!(!glob_matches("templates", "templates/svc.yaml"));
        assert!(!glob_matches("templates/[", "templates/["));
        assert!(!glob_matches("templates/*[", "templates/x"));
    }

    #[test]
    fn shows_the_selected_documents_pattern_by_pattern() {
        let manifest = "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n---\n# Source: c/templates/b.yaml\nkind: B2\n";
        assert_eq!(
            show_only(manifest, &["templates/b.yaml".into(), "templates/a.yaml".into()]),
            Ok("---\n# Source: c/templates/b.yaml\nkind: B\n---\n# Source: c/templates/b.yaml\nkind: B2\n---\n# Source: c/templates/a.yaml\nkind: A\n".to_string())
        );
        assert_eq!(
            show_only(manifest, &["c/templates/a.yaml".into()]),
            Err("could not find template c/templates/a.yaml in chart".to_string())
        );
    }
}
