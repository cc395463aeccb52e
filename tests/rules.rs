//! Runs every rule on its fixtures in `testdata/rules/<ID>/`, and on the examples
//! of its documentation.
//!
//! A fixture named `fail*` must produce exactly the findings its comments announce:
//! `# expect: PSS001` on a line means one finding of that rule starting on that
//! line (list an ID twice for two findings). A fixture named `pass*` must produce
//! none. Only the rule under test runs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use vigie::diagnostic::DiagnosticLevel;
use vigie::{ScanOptions, rules};

/// (line, rule ID) → count.
type Expected = BTreeMap<(u32, String), usize>;

fn expectations(text: &str) -> Expected {
    let mut expected = Expected::new();
    for (index, line) in text.lines().enumerate() {
        let Some((_, ids)) = line.split_once("# expect:") else {
            continue;
        };
        for id in ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|id| !id.is_empty())
        {
            *expected
                .entry((index as u32 + 1, id.to_string()))
                .or_default() += 1;
        }
    }
    expected
}

fn run_rule(path: &Path, rule: &str) -> (Expected, Vec<String>) {
    let options = ScanOptions {
        paths: vec![path.to_path_buf()],
        rules: vec![rule.to_string()],
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).expect("scan runs");
    let mut found = Expected::new();
    for finding in &scan.findings {
        *found
            .entry((finding.span.start.line, finding.rule.id.to_string()))
            .or_default() += 1;
    }
    let problems = scan
        .diagnostics
        .iter()
        .filter(|d| d.level != DiagnosticLevel::Note)
        .map(|d| format!("{d:?}"))
        .collect();
    (found, problems)
}

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_rule_passes_its_fixtures() {
    let mut errors = Vec::new();
    for rule in rules::all() {
        let dir = Path::new("testdata/rules").join(rule.id);
        if !dir.is_dir() {
            errors.push(format!("{}: no fixtures in {}", rule.id, dir.display()));
            continue;
        }
        let (mut fails, mut passes) = (0, 0);
        for path in fixture_files(&dir) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let text = fs::read_to_string(&path).expect("fixture is text");
            let expected = expectations(&text);
            let (found, problems) = run_rule(&path, rule.id);
            if !problems.is_empty() {
                errors.push(format!("{}: input problems: {problems:?}", path.display()));
            }
            if let Some(((line, id), _)) = expected.iter().find(|((_, id), _)| id != rule.id) {
                errors.push(format!(
                    "{}:{line}: expects {id}, but this is {}'s fixture",
                    path.display(),
                    rule.id
                ));
            }
            if name.starts_with("fail") {
                fails += 1;
                if expected.is_empty() {
                    errors.push(format!(
                        "{}: a fail fixture needs `# expect:` comments",
                        path.display()
                    ));
                }
                if found != expected {
                    errors.push(format!(
                        "{}: expected findings (line, rule) {expected:?}, found {found:?}",
                        path.display()
                    ));
                }
            } else if name.starts_with("pass") {
                passes += 1;
                if !expected.is_empty() || !found.is_empty() {
                    errors.push(format!(
                        "{}: a pass fixture must have no findings, found {found:?}",
                        path.display()
                    ));
                }
            } else {
                errors.push(format!(
                    "{}: fixture names start with fail or pass",
                    path.display()
                ));
            }
        }
        if fails == 0 || passes == 0 {
            errors.push(format!(
                "{}: needs at least one fail and one pass fixture",
                rule.id
            ));
        }
    }
    assert!(errors.is_empty(), "\n{}\n", errors.join("\n"));
}

/// The YAML blocks of one `## Section` of a rule's documentation.
fn yaml_blocks(documentation: &str, section: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut in_section = false;
    let mut block: Option<String> = None;
    for line in documentation.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.trim() == section;
            continue;
        }
        match (&mut block, line.trim()) {
            (None, "```yaml") if in_section => block = Some(String::new()),
            (Some(_), "```") => blocks.extend(block.take()),
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn documentation_examples_fail_and_fixes_pass() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut errors = Vec::new();
    for rule in rules::all() {
        let documentation = rule.documentation();
        for heading in [
            "What it checks",
            "Why it matters",
            "Example",
            "Fix",
            "References",
        ] {
            if !documentation.contains(&format!("## {heading}\n")) {
                errors.push(format!(
                    "{}: documentation lacks a `## {heading}` section",
                    rule.id
                ));
            }
        }
        for (section, should_fail) in [("Example", true), ("Fix", false)] {
            let blocks = yaml_blocks(&documentation, section);
            if blocks.is_empty() {
                errors.push(format!("{}: no YAML block under `## {section}`", rule.id));
            }
            for (i, block) in blocks.iter().enumerate() {
                let path = dir.path().join(format!("{}-{section}-{i}.yaml", rule.id));
                fs::write(&path, block).expect("write example");
                let (found, problems) = run_rule(&path, rule.id);
                if !problems.is_empty() {
                    errors.push(format!(
                        "{} {section}: input problems {problems:?}",
                        rule.id
                    ));
                }
                if should_fail == found.is_empty() {
                    errors.push(format!(
                        "{} {section} block {i}: expected {}, found {found:?}",
                        rule.id,
                        if should_fail { "findings" } else { "none" }
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "\n{}\n", errors.join("\n"));
}

#[test]
fn rule_ids_and_names_are_unique_and_well_formed() {
    let mut ids = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for rule in rules::all() {
        assert!(ids.insert(rule.id), "duplicate ID {}", rule.id);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name {:?} is not kebab-case",
            rule.id,
            rule.name
        );
        // Benchmark mappings are data (see `vigie::frameworks`): a rule may name
        // no framework of its own, but those it names must exist.
        for framework in rule.frameworks {
            assert!(
                vigie::frameworks::find(framework).is_some(),
                "{}: unknown framework {framework}",
                rule.id
            );
        }
    }
    for family in rules::all().chunk_by(|a, b| a.family() == b.family()) {
        let ids: Vec<_> = family.iter().map(|r| r.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(
            ids, sorted,
            "rules are registered in ID order within a family"
        );
    }
}
