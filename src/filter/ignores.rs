//! Ignores written next to the finding: `# vigie:ignore RULE -- reason` comments
//! and the `vigie.dev/ignore` annotation.

use crate::model::Resource;
use crate::rules::Rule;
use crate::source::{Position, SourceFile};

/// The annotation that accepts findings on a Kubernetes object:
/// `vigie.dev/ignore: "PSS001,PSS014: reason; K8S001: other reason"`.
pub const ANNOTATION: &str = "vigie.dev/ignore";

/// One ignore: the rules it names, its reason, and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub position: Position,
}

impl Ignore {
    pub fn covers(&self, rule: &Rule) -> bool {
        self.rules.iter().any(|selector| {
            rule.id.eq_ignore_ascii_case(selector)
                || rule.name == selector
                || rule.family().eq_ignore_ascii_case(selector)
                || selector == "all"
        })
    }
}

/// Splits `PSS001, PSS014 -- reason` (or `PSS001: reason` in annotations) into
/// rules and reason.
fn rules_and_reason(text: &str, separator: &str) -> (Vec<String>, Option<String>) {
    let (rules, reason) = match text.split_once(separator) {
        Some((rules, reason)) => (rules, Some(reason.trim())),
        None => (text, None),
    };
    let rules = rules
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    (rules, reason.filter(|r| !r.is_empty()).map(str::to_string))
}

/// The ignore comment on a line, if there is one: `#` (at the start of the line
/// or after a space, as YAML comments are), then `vigie:ignore`.
pub fn comment(line: &str, line_number: u32) -> Option<Ignore> {
    let mut search = 0;
    while let Some(found) = line[search..].find('#') {
        let hash = search + found;
        search = hash + 1;
        let starts_comment = hash == 0 || line[..hash].ends_with([' ', '\t']);
        let Some(rest) = line[hash + 1..].trim_start().strip_prefix("vigie:ignore") else {
            continue;
        };
        if !starts_comment || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let (rules, reason) = rules_and_reason(rest, "--");
        let column = line[..hash].chars().count() as u32 + 1;
        return Some(Ignore {
            rules,
            reason,
            position: Position::new(line_number, column),
        });
    }
    None
}

/// The ignore comments that apply at a line: on the line itself, and on the
/// comment-only lines right above it.
pub fn comments_at(file: &SourceFile, line: u32) -> Vec<Ignore> {
    let mut found = Vec::new();
    if let Some(ignore) = file.line(line).and_then(|text| comment(text, line)) {
        found.push(ignore);
    }
    let mut above = line.saturating_sub(1);
    while above >= 1 {
        let Some(text) = file.line(above) else { break };
        if !text.trim_start().starts_with('#') {
            break;
        }
        if let Some(ignore) = comment(text, above) {
            found.push(ignore);
        }
        above -= 1;
    }
    found
}

/// The ignores of a resource's `vigie.dev/ignore` annotation. Entries are
/// separated by `;` or new lines; each is `RULES: reason`.
pub fn annotation(resource: &Resource) -> Vec<Ignore> {
    let Some(entry) = resource
        .metadata()
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.entry(ANNOTATION))
    else {
        return Vec::new();
    };
    let Some(text) = entry.value.as_str() else {
        return Vec::new();
    };
    text.split([';', '\n'])
        .filter(|item| !item.trim().is_empty())
        .map(|item| {
            let (rules, reason) = rules_and_reason(item, ":");
            Ignore {
                rules,
                reason,
                position: entry.key.span.start,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ignore_comments() {
        let ignore = comment(
            "    privileged: true # vigie:ignore PSS001, K8S006 -- CSI driver",
            7,
        )
        .unwrap();
        assert_eq!(ignore.rules, ["PSS001", "K8S006"]);
        assert_eq!(ignore.reason.as_deref(), Some("CSI driver"));
        assert_eq!(ignore.position, Position::new(7, 22));
        let bare = comment("# vigie:ignore PSS001", 1).unwrap();
        assert_eq!(bare.reason, None);
        assert!(comment("url: http://x#vigie:ignore PSS001", 1).is_none());
        assert!(comment("# vigie:ignored PSS001", 1).is_none());
        assert!(comment("image: nginx # a comment", 1).is_none());
    }
}
