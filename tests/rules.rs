//! Runs every rule on its fixtures in `testdata/rules/<ID>/`, and on the examples
//! of its documentation.
//!
//! A fixture named `fail*` must produce exactly the findings its comments announce:
//! `# expect: PSS001` on a line means one finding of that rule starting on that
//! line (list an ID twice for two findings). A fixture named `pass*` must produce
//! none. Only the rule under test runs.
//!
//! Fixtures are Kubernetes manifests (`.yaml`), Terraform files (`.tf`, one
//! file = one module), or directories (`fail-x/`, `pass-x/`: a Terraform root
//! module with its `terraform.tfvars` and `modules/`, or any tree Vigie scans),
//! whose `# expect:` comments may sit in any of their files; findings are
//! compared per file and line.
//!
//! A Terraform plan fixture (`fail*.tfplan.json`, `pass*.tfplan.json`: JSON
//! holds no comments) lists its expected findings in a sidecar file named after
//! it, `fail-x.expect` for `fail-x.tfplan.json`: one `ID line` pair per line,
//! `#` starting a comment.
//!
//! A fixture or a documentation example whose first line is
//! `# vigie-params: {"allowed_registries": ["contoso.azurecr.io"]}` (JSON) runs
//! the rule with those parameters, the way `.vigie.yaml` would set them; the
//! others run with the defaults.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use vigie::config::{Config, RuleSetting};
use vigie::diagnostic::DiagnosticLevel;
use vigie::rules::{ParamDefault, ParamValue, Rule};
use vigie::{ScanOptions, rules};

/// (file, line, rule ID) → count; the file relative to the fixture (empty
/// for a single-file fixture).
type Expected = BTreeMap<(String, u32, String), usize>;

fn expectations(text: &str) -> Expected {
    expectations_in("", text)
}

fn expectations_in(file: &str, text: &str) -> Expected {
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
                .entry((file.to_string(), index as u32 + 1, id.to_string()))
                .or_default() += 1;
        }
    }
    expected
}

/// The suffix of Terraform plan fixtures.
const PLAN_SUFFIX: &str = ".tfplan.json";

/// The expectations of a plan fixture, from its `.expect` sidecar (none when
/// there is no sidecar).
fn plan_expectations(fixture: &Path) -> Expected {
    let name = fixture
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let sidecar = fixture.with_file_name(format!(
        "{}.expect",
        name.strip_suffix(PLAN_SUFFIX).unwrap_or(name)
    ));
    let Ok(text) = fs::read_to_string(&sidecar) else {
        return Expected::new();
    };
    let mut expected = Expected::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let (id, number) = line
            .split_once(' ')
            .and_then(|(id, n)| Some((id, n.trim().parse::<u32>().ok()?)))
            .unwrap_or_else(|| panic!("{}: expected `ID line`, found {line:?}", sidecar.display()));
        *expected
            .entry((String::new(), number, id.to_string()))
            .or_default() += 1;
    }
    expected
}

const PARAMS_PREFIX: &str = "# vigie-params:";

/// The configuration a fixture asks for with a `# vigie-params:` first line:
/// a setting of the rule under test holding those parameters. Unknown names and
/// values of the wrong type are errors, so a typo cannot make a test pass.
fn fixture_config(rule: &Rule, text: &str) -> Result<Config, String> {
    let Some(json) = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix(PARAMS_PREFIX))
    else {
        return Ok(Config::default());
    };
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| format!("{PARAMS_PREFIX} is not a JSON object: {e}"))?;
    let mut parameters = Vec::new();
    for (name, value) in object {
        let declared = rule
            .parameters
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| format!("{} has no parameter {name:?}", rule.id))?;
        let value = match (&declared.default, &value) {
            (ParamDefault::List(_), serde_json::Value::Array(items)) => ParamValue::List(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_string))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("{name}: expected a list of strings"))?,
            ),
            (ParamDefault::Bool(_), serde_json::Value::Bool(b)) => ParamValue::Bool(*b),
            (ParamDefault::Int(_), serde_json::Value::Number(n)) if n.is_i64() => {
                ParamValue::Int(n.as_i64().unwrap_or_default())
            }
            (default, _) => {
                return Err(format!(
                    "{name}: expected a {}, found {value}",
                    default.type_name()
                ));
            }
        };
        parameters.push((name, value));
    }
    Ok(Config {
        rules: vec![RuleSetting {
            selector: rule.id.to_string(),
            enabled: None,
            severity: None,
            parameters,
        }],
        ..Config::default()
    })
}

fn run_rule(path: &Path, rule: &str, config: Config) -> (Expected, Vec<String>) {
    let options = ScanOptions {
        paths: vec![path.to_path_buf()],
        rules: vec![rule.to_string()],
        config,
        ..ScanOptions::default()
    };
    let scan = vigie::scan(&options).expect("scan runs");
    let mut found = Expected::new();
    let root = path.canonicalize().expect("fixture exists");
    for finding in &scan.findings {
        let file = &scan.sources.get(finding.span.file).path;
        let file = file.canonicalize().unwrap_or_else(|_| file.clone());
        let relative = file
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        *found
            .entry((
                relative,
                finding.span.start.line,
                finding.rule.id.to_string(),
            ))
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

/// The fixtures of a rule: files and directories.
fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    files
}

/// Every file under a directory fixture, sorted, relative to it.
fn files_under(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let relative = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            files_under(&path, &relative, out);
        } else {
            out.push((relative, path));
        }
    }
}

/// A fixture's text (its first file's for a directory: where
/// `# vigie-params:` goes) and the findings its comments announce.
fn fixture_expectations(path: &Path) -> (String, Expected) {
    if path.is_dir() {
        let mut files = Vec::new();
        files_under(path, "", &mut files);
        let mut expected = Expected::new();
        let mut first = None;
        for (relative, file) in files {
            let Ok(text) = fs::read_to_string(&file) else {
                continue;
            };
            expected.extend(expectations_in(&relative, &text));
            first.get_or_insert(text);
        }
        (first.unwrap_or_default(), expected)
    } else {
        let text = fs::read_to_string(path).expect("fixture is text");
        let expected = if path.to_string_lossy().ends_with(PLAN_SUFFIX) {
            plan_expectations(path)
        } else {
            expectations(&text)
        };
        (text, expected)
    }
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
            if name.ends_with(".expect") {
                continue;
            }
            let (text, expected) = fixture_expectations(&path);
            let config = match fixture_config(rule, &text) {
                Ok(config) => config,
                Err(e) => {
                    errors.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            let (found, problems) = run_rule(&path, rule.id, config);
            if !problems.is_empty() {
                errors.push(format!("{}: input problems: {problems:?}", path.display()));
            }
            if let Some(((file, line, id), _)) =
                expected.iter().find(|((_, _, id), _)| id != rule.id)
            {
                errors.push(format!(
                    "{}/{file}:{line}: expects {id}, but this is {}'s fixture",
                    path.display(),
                    rule.id
                ));
            }
            if name.starts_with("fail") {
                fails += 1;
                if expected.is_empty() {
                    errors.push(format!(
                        "{}: a fail fixture needs `# expect:` comments (or an .expect sidecar)",
                        path.display()
                    ));
                }
                if found != expected {
                    errors.push(format!(
                        "{}: expected findings (file, line, rule) {expected:?}, found {found:?}",
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

/// The YAML and HCL blocks of one `## Section` of a rule's documentation,
/// with the file extension each is scanned as.
fn example_blocks(documentation: &str, section: &str) -> Vec<(&'static str, String)> {
    let mut blocks = Vec::new();
    let mut in_section = false;
    let mut block: Option<(&'static str, String)> = None;
    for line in documentation.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.trim() == section;
            continue;
        }
        match (&mut block, line.trim()) {
            (None, "```yaml") if in_section => block = Some(("yaml", String::new())),
            (None, "```hcl" | "```terraform" | "```tf") if in_section => {
                block = Some(("tf", String::new()));
            }
            (Some(_), "```") => blocks.extend(block.take()),
            (Some((_, text)), _) => {
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
            let blocks = example_blocks(&documentation, section);
            if blocks.is_empty() {
                errors.push(format!(
                    "{}: no YAML or HCL block under `## {section}`",
                    rule.id
                ));
            }
            for (i, (extension, block)) in blocks.iter().enumerate() {
                let path = dir
                    .path()
                    .join(format!("{}-{section}-{i}.{extension}", rule.id));
                fs::write(&path, block).expect("write example");
                let config = match fixture_config(rule, block) {
                    Ok(config) => config,
                    Err(e) => {
                        errors.push(format!("{} {section} block {i}: {e}", rule.id));
                        continue;
                    }
                };
                let (found, problems) = run_rule(&path, rule.id, config);
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
        // A rule names the frameworks it belongs to by definition (the Pod
        // Security profiles); benchmark mappings are data, so it may name none.
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

/// What a rule reports on a fixture with its default parameters, what it
/// reports with those of the fixture's `# vigie-params:` line, and the fixture
/// text.
fn with_and_without_params(rule: &str, fixture: &str) -> (Expected, Expected, String) {
    let rule = rules::find(rule).expect("rule exists");
    let path = Path::new("testdata/rules").join(rule.id).join(fixture);
    let text = fs::read_to_string(&path).expect("fixture is text");
    let config = fixture_config(rule, &text).expect("valid parameters");
    assert!(!config.rules.is_empty(), "{fixture} sets parameters");
    let (defaults, _) = run_rule(&path, rule.id, Config::default());
    let (configured, _) = run_rule(&path, rule.id, config);
    assert_eq!(configured, expectations(&text), "{fixture}");
    (defaults, configured, text)
}

/// The 1-based lines of the text that contain `needle`.
fn lines_with(text: &str, needle: &str) -> Vec<u32> {
    (1..)
        .zip(text.lines())
        .filter(|(_, line)| line.contains(needle))
        .map(|(number, _)| number)
        .collect()
}

fn lines(found: &Expected) -> Vec<u32> {
    found.keys().map(|(_, line, _)| *line).collect()
}

#[test]
fn parameters_change_what_rules_report() {
    // An empty allow-list disables the rule; a list turns it on.
    let (defaults, configured, _) = with_and_without_params("K8S003", "fail-team-prefix.yaml");
    assert!(defaults.is_empty(), "{defaults:?}");
    assert!(!configured.is_empty());

    // A custom list replaces the default sensitive paths.
    let (defaults, configured, text) = with_and_without_params("K8S011", "fail-custom-paths.yaml");
    assert_eq!(
        lines(&defaults),
        lines_with(&text, "path: /var/run/docker.sock")
    );
    assert_eq!(configured.len(), 2);

    // require_namespace adds the objects that name no namespace.
    let (defaults, configured, text) =
        with_and_without_params("K8S010", "fail-require-namespace.yaml");
    assert_eq!(lines(&defaults), lines_with(&text, "namespace: default"));
    assert_eq!(configured.len(), 4);
}

#[test]
fn fixture_parameters_are_checked() {
    let rule = rules::find("K8S003").expect("rule exists");
    let config = |line: &str| fixture_config(rule, &format!("{line}\nkind: Pod\n"));
    assert!(config("# vigie-params: {\"allowed_registries\": [\"a.example\"]}").is_ok());
    assert_eq!(config("apiVersion: v1").map(|c| c.rules.len()), Ok(0));
    for wrong in [
        "# vigie-params: {\"allowed_registry\": [\"a.example\"]}",
        "# vigie-params: {\"allowed_registries\": \"a.example\"}",
        "# vigie-params: {\"allowed_registries\": [1]}",
        "# vigie-params: [\"allowed_registries\"]",
    ] {
        assert!(config(wrong).is_err(), "{wrong} is refused");
    }
}
