//! Kubernetes label selectors: which pods a Service, a NetworkPolicy or a
//! workload selects.

use crate::source::yaml::Node;

/// A set of labels (`metadata.labels` of a pod template).
#[derive(Clone, Debug, Default)]
pub struct Labels<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Labels<'a> {
    /// Reads a `labels` mapping; values that are not strings are skipped (the API
    /// server would refuse them).
    pub fn of(node: Option<&'a Node>) -> Self {
        let pairs = node
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| Some((e.key.text.as_str(), e.value.as_str()?)))
            .collect();
        Labels { pairs }
    }

    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// One `matchExpressions` requirement.
#[derive(Clone, Debug)]
enum Requirement<'a> {
    In(&'a str, Vec<&'a str>),
    NotIn(&'a str, Vec<&'a str>),
    Exists(&'a str),
    DoesNotExist(&'a str),
}

/// A `metav1.LabelSelector` (`matchLabels` and `matchExpressions`), or the plain
/// map a Service uses.
#[derive(Clone, Debug)]
pub struct Selector<'a> {
    labels: Vec<(&'a str, &'a str)>,
    requirements: Vec<Requirement<'a>>,
    /// A selector that cannot be read selects nothing rather than everything.
    invalid: bool,
}

impl<'a> Selector<'a> {
    /// A label selector (`podSelector`, `spec.selector` of a workload). An empty
    /// selector selects every pod.
    pub fn label_selector(node: &'a Node) -> Self {
        let mut selector = Selector {
            labels: Vec::new(),
            requirements: Vec::new(),
            invalid: node.as_map().is_none() && !node.is_null(),
        };
        if let Some(labels) = node.get("matchLabels") {
            selector.add_labels(labels);
        }
        for expression in node.get("matchExpressions").map_or(&[][..], Node::items) {
            let key = expression.get("key").and_then(Node::as_str);
            let operator = expression.get("operator").and_then(Node::as_str);
            let values: Vec<&str> = expression
                .get("values")
                .map_or(&[][..], Node::items)
                .iter()
                .filter_map(Node::as_str)
                .collect();
            let requirement = match (key, operator) {
                (Some(k), Some("In")) => Requirement::In(k, values),
                (Some(k), Some("NotIn")) => Requirement::NotIn(k, values),
                (Some(k), Some("Exists")) => Requirement::Exists(k),
                (Some(k), Some("DoesNotExist")) => Requirement::DoesNotExist(k),
                _ => {
                    selector.invalid = true;
                    continue;
                }
            };
            selector.requirements.push(requirement);
        }
        selector
    }

    /// Parses the string form of a label selector (`app=web,tier in (a,b),
    /// !canary`), as used by `kubectl -l` and Kustomize patch targets.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let mut selector = Selector {
            labels: Vec::new(),
            requirements: Vec::new(),
            invalid: false,
        };
        let mut rest = text.trim();
        while !rest.is_empty() {
            // A requirement ends at the next comma outside parentheses.
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    c == ',' && depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let part = rest[..end].trim();
            rest = rest[end..].trim_start_matches(',').trim_start();
            if part.is_empty() {
                continue;
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                Requirement::DoesNotExist(key.trim())
            } else if let Some((key, value)) = part.split_once("!=") {
                Requirement::NotIn(key.trim(), vec![value.trim()])
            } else if let Some((key, value)) =
                part.split_once("==").or_else(|| part.split_once('='))
            {
                Requirement::In(key.trim(), vec![value.trim()])
            } else if let Some((key, values)) = split_set(part, " notin ") {
                Requirement::NotIn(key, values)
            } else if let Some((key, values)) = split_set(part, " in ") {
                Requirement::In(key, values)
            } else if part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            {
                Requirement::Exists(part)
            } else {
                return Err(format!(
                    "invalid label selector {text:?}: cannot read {part:?}"
                ));
            };
            selector.requirements.push(requirement);
        }
        Ok(selector)
    }

    /// A Service's `spec.selector`: a plain map. A Service without a selector
    /// selects no pod.
    pub fn service_selector(node: Option<&'a Node>) -> Self {
        let mut selector = Selector {
            labels: Vec::new(),
            requirements: Vec::new(),
            invalid: false,
        };
        match node {
            Some(map) if map.as_map().is_some_and(|m| !m.is_empty()) => selector.add_labels(map),
            _ => selector.invalid = true,
        }
        selector
    }

    fn add_labels(&mut self, node: &'a Node) {
        for entry in node.as_map().unwrap_or(&[]) {
            match entry.value.as_str() {
                Some(value) => self.labels.push((entry.key.text.as_str(), value)),
                None => self.invalid = true,
            }
        }
    }

    /// Whether pods with these labels are selected.
    pub fn matches(&self, labels: &Labels<'_>) -> bool {
        if self.invalid {
            return false;
        }
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.requirements.iter().all(|r| match r {
                Requirement::In(k, values) => labels.get(k).is_some_and(|v| values.contains(&v)),
                Requirement::NotIn(k, values) => labels.get(k).is_none_or(|v| !values.contains(&v)),
                Requirement::Exists(k) => labels.get(k).is_some(),
                Requirement::DoesNotExist(k) => labels.get(k).is_none(),
            })
    }
}

/// `key in (a, b)` → (`key`, [`a`, `b`]).
fn split_set<'a>(part: &'a str, operator: &str) -> Option<(&'a str, Vec<&'a str>)> {
    let (key, values) = part.split_once(operator)?;
    let values = values.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some((
        key.trim(),
        values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    fn node(text: &str) -> Node {
        load(FileId(0), "t.yaml", text, Limits::default())
            .documents
            .remove(0)
            .root
    }

    #[test]
    fn label_selectors_match_like_kubernetes() {
        let pod = node("app: web\ntier: front\n");
        let labels = Labels::of(Some(&pod));
        let cases = [
            ("{}", true),
            ("matchLabels: {app: web}", true),
            ("matchLabels: {app: db}", false),
            (
                "matchExpressions: [{key: tier, operator: In, values: [front, back]}]",
                true,
            ),
            (
                "matchExpressions: [{key: tier, operator: NotIn, values: [front]}]",
                false,
            ),
            (
                "matchExpressions: [{key: team, operator: DoesNotExist}]",
                true,
            ),
            ("matchExpressions: [{key: team, operator: Exists}]", false),
            (
                "matchExpressions: [{key: team, operator: Sometimes}]",
                false,
            ),
        ];
        for (text, expected) in cases {
            let selector = node(text);
            assert_eq!(
                Selector::label_selector(&selector).matches(&labels),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn parses_string_selectors() {
        let pod = node("app: web\ntier: front\n");
        let labels = Labels::of(Some(&pod));
        for (text, expected) in [
            ("app=web", true),
            ("app==web,tier!=back", true),
            ("tier in (front, back),!canary", true),
            ("app notin (web)", false),
            ("canary", false),
            ("", true),
        ] {
            assert_eq!(
                Selector::parse(text).unwrap().matches(&labels),
                expected,
                "{text}"
            );
        }
        assert!(Selector::parse("app=(").is_ok());
        assert!(Selector::parse("a b c").is_err());
    }

    #[test]
    fn services_without_selector_select_nothing() {
        let pod = node("app: web\n");
        let labels = Labels::of(Some(&pod));
        assert!(!Selector::service_selector(None).matches(&labels));
        let selector = node("app: web\n");
        assert!(Selector::service_selector(Some(&selector)).matches(&labels));
    }
}
