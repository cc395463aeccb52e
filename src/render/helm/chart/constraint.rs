//! Semantic version constraints, checked like Helm (Masterminds semver v3)
//! for Chart.yaml's `kubeVersion` and dependency `version`s: `||` alternatives of constraints joined by `,` or blanks;
//! `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`, wildcards (`1.2.x`, `1.2`) and
//! hyphen ranges. A version with a pre-release (`v1.29.3-gke.1`) satisfies
//! only constraints that carry a pre-release themselves (`>=1.25.0-0`).

use std::cmp::Ordering;

/// A semantic version.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    core: [u64; 3],
    prerelease: Vec<String>,
}

impl Version {
    /// Parses `v1.2.3-pre+build`; missing parts are 0 and counted in
    /// `wildcard_from` (the index of the first missing or `x` part).
    fn parse(text: &str) -> Option<(Version, usize)> {
        let text = text.trim().trim_start_matches('v');
        let (text, _build) = text.split_once('+').unwrap_or((text, ""));
        let (core_text, prerelease) = match text.split_once('-') {
            Some((core, pre)) => (core, pre.split('.').map(str::to_string).collect()),
            None => (text, Vec::new()),
        };
        let parts: Vec<&str> = core_text.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut core = [0u64; 3];
        let mut wildcard_from = 3;
        for (i, part) in parts.iter().enumerate() {
            if matches!(*part, "x" | "X" | "*") {
                wildcard_from = wildcard_from.min(i);
                continue;
            }
            if wildcard_from < 3 {
                return None;
            }
            core[i] = part.parse().ok()?;
        }
        wildcard_from = wildcard_from.min(parts.len());
        Some((Version { core, prerelease }, wildcard_from))
    }

    fn compare(&self, other: &Version) -> Ordering {
        self.core.cmp(&other.core).then_with(|| {
            match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.prerelease, &other.prerelease),
            }
        })
    }
}

fn compare_prerelease(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
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
    a.len().cmp(&b.len())
}

/// The version just above a wildcard: `1.2.x` → `1.3.0`, `1.x` → `2.0.0`.
fn bump(version: &Version, wildcard_from: usize) -> Version {
    let mut core = version.core;
    let index = wildcard_from.saturating_sub(1).min(2);
    if wildcard_from == 0 {
        core = [u64::MAX, 0, 0];
    } else {
        core[index] = core[index].saturating_add(1);
        for part in core.iter_mut().skip(index + 1) {
            *part = 0;
        }
    }
    Version {
        core,
        prerelease: Vec::new(),
    }
}

/// Whether `version` satisfies one constraint (`>=1.25.0-0`, `~1.2`).
fn satisfies(constraint: &str, version: &Version) -> Option<bool> {
    let constraint = constraint.trim();
    let operator_len = constraint
        .find(|c: char| c.is_ascii_digit() || c == 'v' || c == 'x' || c == 'X' || c == '*')
        .unwrap_or(constraint.len());
    let (operator, rest) = constraint.split_at(operator_len);
    let (bound, wildcard_from) = Version::parse(rest)?;
    // A pre-release version only matches constraints that have one.
    if !version.prerelease.is_empty() && bound.prerelease.is_empty() && operator.trim() != "!=" {
        return Some(false);
    }
    let order = version.compare(&bound);
    let upper = bump(&bound, wildcard_from);
    let below_upper = version.compare(&upper) == Ordering::Less;
    let at_least = order != Ordering::Less;
    Some(match operator.trim() {
        "" | "=" => {
            if wildcard_from < 3 {
                at_least && below_upper
            } else {
                order == Ordering::Equal
            }
        }
        "!=" => {
            if wildcard_from < 3 {
                !(at_least && below_upper)
            } else {
                order != Ordering::Equal
            }
        }
        ">" => {
            if wildcard_from < 3 {
                version.compare(&upper) != Ordering::Less
            } else {
                order == Ordering::Greater
            }
        }
        ">=" | "=>" => at_least,
        "<" => order == Ordering::Less,
        "<=" | "=<" => {
            if wildcard_from < 3 {
                below_upper
            } else {
                order != Ordering::Greater
            }
        }
        "~" | "~>" => {
            let upper = if wildcard_from <= 1 {
                bump(&bound, 1)
            } else {
                bump(&bound, 2)
            };
            at_least && version.compare(&upper) == Ordering::Less
        }
        "^" => {
            let significant = if bound.core[0] > 0 || wildcard_from <= 1 {
                1
            } else if bound.core[1] > 0 || wildcard_from == 2 {
                2
            } else {
                3
            };
            at_least && version.compare(&bump(&bound, significant)) == Ordering::Less
        }
        _ => return None,
    })
}

/// Whether `version` satisfies `constraint` (a chart's `kubeVersion`, a
/// dependency's `version`); `Err` when either cannot be read.
pub fn is_compatible(constraint: &str, version: &str) -> Result<bool, String> {
    let (version, _) =
        Version::parse(version).ok_or_else(|| format!("invalid version {version:?}"))?;
    let invalid = || format!("improper constraint: {constraint}");
    for alternative in constraint.split("||") {
        let alternative = alternative.trim();
        let mut all = true;
        // Hyphen ranges first: `1.2 - 1.4.5`.
        let terms: Vec<String> = if let Some((low, high)) = alternative.split_once(" - ") {
            vec![format!(">={}", low.trim()), format!("<={}", high.trim())]
        } else {
            normalize_terms(alternative)
        };
        if terms.is_empty() {
            return Err(invalid());
        }
        for term in terms {
            if !satisfies(&term, &version).ok_or_else(invalid)? {
                all = false;
            }
        }
        if all {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Splits `>= 1.2, < 2` into `[">=1.2", "<2"]`: an operator written apart
/// from its version is joined to it.
fn normalize_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut pending = String::new();
    for word in text.split([',', ' ']).filter(|w| !w.is_empty()) {
        if word.chars().all(|c| "<>=!~^".contains(c)) {
            pending.push_str(word);
            continue;
        }
        terms.push(format!("{pending}{word}"));
        pending.clear();
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_like_masterminds_semver() {
        let cases = [
            (">=1.25.0-0", "v1.32.0", true),
            (">=1.25.0-0", "v1.29.3-gke.1", true),
            (">=1.25.0", "v1.29.3-gke.1", false),
            (">= 1.19.0 < 1.30.0", "v1.32.0", false),
            (">=1.19, <1.33", "v1.32.0", true),
            ("~1.32.0", "v1.32.5", true),
            ("~1.32", "v1.33.0", false),
            ("^1.20", "v1.32.0", true),
            ("^0.2.3", "v0.3.0", false),
            ("1.32.x", "v1.32.7", true),
            ("1.31.x || 1.32.x", "v1.32.0", true),
            ("<1.20", "v1.32.0", false),
            ("!=1.32.0", "v1.32.0", false),
            ("1.20 - 1.32.0", "v1.32.0", true),
            ("1.20 - 1.31", "v1.32.0", false),
            (">1.31.x", "v1.32.0", true),
        ];
        for (constraint, version, expected) in cases {
            assert_eq!(
                is_compatible(constraint, version),
                Ok(expected),
                "{constraint} on {version}"
            );
        }
        assert!(is_compatible(">>1", "v1.32.0").is_err());
        assert!(is_compatible("banana", "v1.32.0").is_err());
        assert_eq!(
            is_compatible("18446744073709551615.x", "v1.32.0"),
            Ok(false)
        );
    }
}
