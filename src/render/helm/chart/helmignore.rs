//! `.helmignore`, read with Helm's rules (not `.gitignore`'s): a pattern
//! without `/` matches a base name, one with `/` the whole path relative to
//! the chart (a leading `/` is dropped), a trailing `/` matches directories
//! only, `!` negates, `**` is not supported; `templates/.?*` is always
//! ignored.

/// One line of a `.helmignore`.
#[derive(Clone, Debug)]
struct Pattern {
    /// The glob's characters, split once: every file of the chart is
    /// matched against every pattern.
    glob: Vec<char>,
    negate: bool,
    directory_only: bool,
    whole_path: bool,
}

/// The rules of a chart's `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct IgnoreRules {
    patterns: Vec<Pattern>,
}

impl IgnoreRules {
    /// Parses a `.helmignore`; lines Helm rejects (`**`) are returned as errors.
    pub fn parse(text: &str) -> Result<IgnoreRules, String> {
        let mut rules = IgnoreRules::default();
        for line in text.lines() {
            rules.add(line)?;
        }
        rules.add("templates/.?*")?;
        Ok(rules)
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        let mut rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".to_string());
        }
        let negate = rule.starts_with('!');
        if negate {
            rule = &rule[1..];
        }
        let directory_only = rule.ends_with('/');
        let rule = rule.trim_end_matches('/');
        let rule = rule.strip_prefix('/').unwrap_or(rule);
        // Helm checks the pattern once, with a path it cannot match.
        if glob_match(rule, "abc").is_none() {
            return Err(format!("syntax error in pattern {rule:?}"));
        }
        self.patterns.push(Pattern {
            glob: rule.chars().collect(),
            negate,
            directory_only,
            whole_path: rule.contains('/'),
        });
        Ok(())
    }

    /// Whether `path` (relative to the chart, `/`-separated) is ignored.
    /// Helm's negation is peculiar: a `!pattern` that does not match ignores
    /// the path outright.
    pub fn ignores(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        let path: Vec<char> = path.chars().collect();
        let base = match path.iter().rposition(|&c| c == '/') {
            Some(slash) => &path[slash + 1..],
            None => &path[..],
        };
        for pattern in &self.patterns {
            let subject = if pattern.whole_path { &path[..] } else { base };
            let matched = match_from(&pattern.glob, subject).unwrap_or(false);
            if pattern.negate {
                if pattern.directory_only && !is_dir {
                    return true;
                }
                if !matched {
                    return true;
                }
                continue;
            }
            if pattern.directory_only && !is_dir {
                continue;
            }
            if matched {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Match` on `/` paths: `*` and `?` stop at `/`, `[...]`
/// classes (with `^` negation and ranges), `\` escapes. `None` for a
/// malformed pattern.
pub fn glob_match(pattern: &str, name: &str) -> Option<bool> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    match_from(&pattern, &name)
}

fn match_from(pattern: &[char], name: &[char]) -> Option<bool> {
    let Some((&first, rest)) = pattern.split_first() else {
        return Some(name.is_empty());
    };
    match first {
        '*' => {
            // Validate the rest of the pattern even when the name runs out.
            let mut any = match_from(rest, name)?;
            let mut i = 0;
            while !any && i < name.len() && name[i] != '/' {
                i += 1;
                any = match_from(rest, &name[i..])?;
            }
            Some(any)
        }
        '?' => match name.first() {
            Some(&c) if c != '/' => match_from(rest, &name[1..]),
            _ => check(rest).map(|()| false),
        },
        '[' => {
            let (matched, after) = match_class(rest, name.first().copied())?;
            if matched && !name.is_empty() {
                match_from(after, &name[1..])
            } else {
                check(after).map(|()| false)
            }
        }
        '\\' => {
            let (&escaped, after) = rest.split_first()?;
            if name.first() == Some(&escaped) {
                match_from(after, &name[1..])
            } else {
                check(after).map(|()| false)
            }
        }
        literal => {
            if name.first() == Some(&literal) {
                match_from(rest, &name[1..])
            } else {
                check(rest).map(|()| false)
            }
        }
    }
}

/// Checks that the rest of a pattern is well-formed.
fn check(pattern: &[char]) -> Option<()> {
    match_from(pattern, &[]).map(|_| ())
}

/// Reads a `[...]` class (after `[`): whether `c` is in it, and the pattern after `]`.
fn match_class(pattern: &[char], c: Option<char>) -> Option<(bool, &[char])> {
    let mut rest = pattern;
    let negated = rest.first() == Some(&'^');
    if negated {
        rest = &rest[1..];
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let (&lo, after) = rest.split_first()?;
        if lo == ']' && !first {
            rest = after;
            break;
        }
        first = false;
        let (lo, after) = if lo == '\\' {
            let (&escaped, after) = after.split_first()?;
            (escaped, after)
        } else {
            (lo, after)
        };
        rest = after;
        let mut hi = lo;
        if rest.first() == Some(&'-') && rest.get(1).is_some_and(|&h| h != ']') {
            let (&h, after) = rest[1..].split_first()?;
            let (h, after) = if h == '\\' {
                let (&escaped, after) = after.split_first()?;
                (escaped, after)
            } else {
                (h, after)
            };
            hi = h;
            rest = after;
        }
        if let Some(c) = c
            && lo <= c
            && c <= hi
        {
            matched = true;
        }
    }
    let in_class = matched != negated && c.is_some_and(|c| c != '/');
    Some((in_class, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_filepath_match() {
        assert_eq!(glob_match("*.txt", "a.txt"), Some(true));
        assert_eq!(glob_match("*.txt", "d/a.txt"), Some(false));
        assert_eq!(glob_match("a?c", "abc"), Some(true));
        assert_eq!(glob_match("[a-c]x", "bx"), Some(true));
        assert_eq!(glob_match("[^a-c]x", "bx"), Some(false));
        assert_eq!(glob_match(r"\*", "*"), Some(true));
        assert_eq!(glob_match("[", "a"), None);
        assert_eq!(glob_match("d/*", "d/e"), Some(true));
    }

    #[test]
    fn helm_ignore_rules() {
        let rules = IgnoreRules::parse("# comment\n*.bak\n/docs/\nsecret/*.key\ntmp/\n").unwrap();
        assert!(rules.ignores("x.bak", false));
        assert!(rules.ignores("templates/deep/x.bak", false));
        assert!(rules.ignores("docs", true));
        assert!(!rules.ignores("docs", false));
        assert!(rules.ignores("secret/a.key", false));
        assert!(!rules.ignores("other/secret/a.key", false));
        assert!(rules.ignores("templates/.hidden", false));
        assert!(!rules.ignores("templates/deployment.yaml", false));
        assert!(!rules.ignores("values.yaml", false));
        assert!(IgnoreRules::parse("**/x\n").is_err());
    }

    #[test]
    fn negation_follows_helm() {
        let rules = IgnoreRules::parse("!keep.txt\n").unwrap();
        // A negated pattern that does not match ignores the file.
        assert!(rules.ignores("other.txt", false));
        assert!(!rules.ignores("keep.txt", false));
    }
}
