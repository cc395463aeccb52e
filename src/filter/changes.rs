//! The lines changed since a git revision, for `--changed-since`.
//!
//! Git is run with the settings that could make it execute programs named by a
//! repository's own configuration turned off (external diff drivers, text
//! conversion filters, file system monitors, pagers): the scanned repository is
//! untrusted input.

use std::collections::HashMap;
use std::process::Command;

/// Lines added or modified, by file (paths relative to the working directory,
/// as Vigie displays them).
#[derive(Clone, Debug, Default)]
pub struct ChangedLines {
    /// Inclusive line ranges per file.
    ranges: HashMap<String, Vec<(u32, u32)>>,
    /// Files that are new and not yet committed: every line is new.
    untracked: Vec<String>,
}

impl ChangedLines {
    /// Whether a line of a file is new or modified.
    pub fn contains(&self, path: &str, line: u32) -> bool {
        self.untracked.iter().any(|p| p == path)
            || self.ranges.get(path).is_some_and(|ranges| {
                ranges
                    .iter()
                    .any(|(start, end)| (*start..=*end).contains(&line))
            })
    }

    /// Reads a unified diff with zero lines of context (`git diff -U0`).
    pub fn from_diff(diff: &str) -> Self {
        let mut changed = ChangedLines::default();
        let mut current: Option<String> = None;
        for line in diff.lines() {
            if let Some(path) = line.strip_prefix("+++ ") {
                current = match path {
                    "/dev/null" => None,
                    _ => Some(unquote(path.strip_prefix("b/").unwrap_or(path))),
                };
            } else if let Some(hunk) = line.strip_prefix("@@ ") {
                let Some(path) = &current else { continue };
                // @@ -a,b +c,d @@: d lines from line c are new (d defaults to 1).
                let Some(added) = hunk.split(' ').find_map(|part| part.strip_prefix('+')) else {
                    continue;
                };
                let (start, count) = match added.split_once(',') {
                    Some((start, count)) => {
                        (start.parse().unwrap_or(0), count.parse().unwrap_or(0))
                    }
                    None => (added.parse().unwrap_or(0), 1),
                };
                if count > 0 {
                    changed
                        .ranges
                        .entry(path.clone())
                        .or_default()
                        .push((start, start + count - 1));
                }
            }
        }
        changed
    }
}

/// Git quotes paths with unusual characters: `"dir/a\"b.yaml"`.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.quotepath=off",
            "-c",
            "diff.external=",
        ])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The lines changed in the working tree since `revision`, including files not
/// committed yet.
pub fn since(revision: &str) -> Result<ChangedLines, String> {
    if revision.starts_with('-') {
        return Err(format!("invalid revision {revision:?}"));
    }
    let diff = git(&[
        "diff",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--unified=0",
        "--relative",
        revision,
        "--",
    ])?;
    let mut changed = ChangedLines::from_diff(&diff);
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "-z"])?;
    changed.untracked = untracked
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_added_lines_from_a_diff() {
        let diff = "diff --git a/k8s/a.yaml b/k8s/a.yaml\n--- a/k8s/a.yaml\n+++ b/k8s/a.yaml\n@@ -3,0 +4,2 @@\n+x\n+y\n@@ -10 +12 @@\n-a\n+b\n@@ -20,3 +21,0 @@\n-gone\ndiff --git a/old.yaml b/old.yaml\n--- a/old.yaml\n+++ /dev/null\n@@ -1,2 +0,0 @@\n";
        let changed = ChangedLines::from_diff(diff);
        assert!(changed.contains("k8s/a.yaml", 4));
        assert!(changed.contains("k8s/a.yaml", 5));
        assert!(!changed.contains("k8s/a.yaml", 6));
        assert!(changed.contains("k8s/a.yaml", 12));
        assert!(!changed.contains("k8s/a.yaml", 21));
        assert!(!changed.contains("old.yaml", 1));
        assert_eq!(unquote("\"a\\\"b.yaml\""), "a\"b.yaml");
    }
}
