//! The project configuration file, `.vigie.yaml`: default frameworks and
//! severity, paths to exclude, and per-rule settings (on or off, severity,
//! parameters). Anything unknown or of the wrong type is an error that names its
//! line and column: a setting that is silently ignored is worse than none.
//!
//! ```yaml
//! frameworks: [pss-restricted]
//! severity: medium
//! exclude: ["vendor/**"]
//! rules:
//!   K8S002: {enabled: false}
//!   K8S003:
//!     allowed_registries: [contoso.azurecr.io]
//!   RBAC: {severity: critical}
//! exceptions:
//!   - rules: [PSS003]
//!     resource: {kind: DaemonSet, namespace: monitoring, name: node-exporter}
//!     justification: node-exporter reads the host's network statistics
//!     approved_by: security@example.com
//!     expires: 2027-06-30
//! charts:
//!   - path: charts/web
//!     name: prod
//!     values: [charts/web/values-prod.yaml]
//!     set: [replicaCount=3]
//!     set_file: [config=charts/web/files/app.conf]
//!     kube_version: "1.30"
//!     release_name: web
//!     namespace: shop
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::DiagnosticLevel;
use crate::filter::date::Date;
use crate::rules::{self, ParamDefault, ParamValue, Rule, Severity};
use crate::source::yaml::{self, Entry, Limits, Node, Value};
use crate::source::{FileId, Position};

/// Names the configuration file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = [".vigie.yaml", ".vigie.yml"];

/// A parsed configuration file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Display path of the file, empty for the default configuration.
    pub path: String,
    /// Frameworks to limit rules to when `--framework` is not given.
    pub frameworks: Vec<String>,
    /// Minimum severity reported when `--severity` is not given.
    pub severity: Option<Severity>,
    /// Globs to skip, in addition to `--exclude`.
    pub exclude: Vec<String>,
    /// Settings in file order; later ones win.
    pub rules: Vec<RuleSetting>,
    /// Accepted deviations, in file order.
    pub exceptions: Vec<Exception>,
    /// How to render particular Helm charts.
    pub charts: Vec<ChartSetting>,
}

/// The `helm template` options a scan renders one chart with; paths are
/// relative to the configuration file's directory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartSetting {
    /// The chart's directory.
    pub path: String,
    /// The value set's name: a chart with named entries is rendered once per
    /// name, and what each render yields is labelled with it.
    pub name: Option<String>,
    /// Values files, in order (`--values`).
    pub values: Vec<String>,
    /// `--set` arguments.
    pub set: Vec<String>,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-json` arguments.
    pub set_json: Vec<String>,
    /// `--set-file` arguments (`key=path`, the path relative to the
    /// configuration file's directory and inside the scanned repository).
    pub set_file: Vec<String>,
    /// `--set-literal` arguments.
    pub set_literal: Vec<String>,
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    /// `--kube-version` (`1.30`, `v1.30.2`).
    pub kube_version: Option<String>,
    /// `--api-versions`, added to `.Capabilities.APIVersions`.
    pub api_versions: Vec<String>,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
}

/// An accepted deviation: the findings it covers are reported as suppressed,
/// with its justification, until it expires.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    /// Where the exception is written in the configuration file.
    pub position: Position,
    /// Rule IDs, names or families it covers.
    pub rules: Vec<String>,
    /// Gitignore-style globs of the paths it covers (all paths when empty).
    pub paths: Vec<String>,
    /// The resources it covers, by kind, namespace and name (globs; any when
    /// absent).
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub justification: String,
    pub approved_by: Option<String>,
    pub expires: Option<Date>,
}

impl Exception {
    /// Whether the exception names this rule.
    pub fn covers_rule(&self, rule: &Rule) -> bool {
        self.rules.iter().any(|selector| selects(selector, rule))
    }
}

/// The settings of one entry of `rules:`.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSetting {
    /// A rule ID or name, or a family (`K8S`, `RBAC`).
    pub selector: String,
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub parameters: Vec<(String, ParamValue)>,
}

impl RuleSetting {
    /// Whether the setting applies to a rule.
    pub fn applies_to(&self, rule: &Rule) -> bool {
        selects(&self.selector, rule)
    }
}

fn selects(selector: &str, rule: &Rule) -> bool {
    rule.id.eq_ignore_ascii_case(selector)
        || rule.name == selector
        || rule.family().eq_ignore_ascii_case(selector)
}

/// A configuration problem, with its place in the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub path: String,
    pub position: Option<Position>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.path, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The configuration file in `dir`, if there is one.
pub fn find(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// The configuration file of a scan: at the root of the one directory scanned,
/// or else in the working directory.
pub fn locate(paths: &[PathBuf]) -> Option<PathBuf> {
    match paths {
        [dir] if dir.is_dir() => find(dir),
        _ => find(Path::new(".")),
    }
}

/// Reads and parses a configuration file.
pub fn load(path: &Path, display: &str) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: display.to_string(),
        position: None,
        message: format!("cannot read the configuration file: {e}"),
    })?;
    parse(display, &text)
}

/// Parses the text of a configuration file.
pub fn parse(display: &str, text: &str) -> Result<Config, ConfigError> {
    let error = |position: Position, message: String| ConfigError {
        path: display.to_string(),
        position: Some(position),
        message,
    };
    let loaded = yaml::load(FileId(0), display, text, Limits::default());
    // A repeated key is ambiguous in a configuration file: refuse it too.
    if let Some(problem) = loaded
        .diagnostics
        .iter()
        .find(|d| d.level != DiagnosticLevel::Note)
    {
        return Err(ConfigError {
            path: display.to_string(),
            position: problem.position,
            message: problem.message.clone(),
        });
    }
    let mut config = Config {
        path: display.to_string(),
        ..Config::default()
    };
    let mut documents = loaded.documents.into_iter();
    let Some(document) = documents.next() else {
        return Ok(config);
    };
    if let Some(extra) = documents.next() {
        return Err(error(
            extra.root.span.start,
            "the configuration must be a single YAML document".into(),
        ));
    }
    let root = document.root;
    if root.is_null() {
        return Ok(config);
    }
    let entries = mapping(&root).map_err(|(at, message)| error(at, message))?;
    for entry in entries {
        let parsed = match entry.key.text.as_str() {
            "frameworks" => strings(&entry.value).and_then(|list| {
                for (item, node) in list.iter().zip(entry.value.items()) {
                    if crate::frameworks::find(item).is_none() {
                        return Err((
                            node.span.start,
                            format!(
                                "unknown framework {item:?} (known: {})",
                                crate::frameworks::known_ids().join(", ")
                            ),
                        ));
                    }
                }
                config.frameworks = list;
                Ok(())
            }),
            "severity" => severity(&entry.value).map(|s| config.severity = Some(s)),
            "exclude" => strings(&entry.value).map(|list| config.exclude = list),
            "rules" => rule_settings(&entry.value).map(|settings| config.rules = settings),
            "exceptions" => exceptions(&entry.value).map(|list| config.exceptions = list),
            "charts" => chart_settings(&entry.value).map(|list| config.charts = list),
            other => Err((
                entry.key.span.start,
                format!(
                    "unknown key {other:?} (expected frameworks, severity, exclude, rules, exceptions or charts)"
                ),
            )),
        };
        parsed.map_err(|(at, message)| error(at, message))?;
    }
    Ok(config)
}

type Invalid = (Position, String);

fn mapping(node: &Node) -> Result<&[Entry], Invalid> {
    node.as_map().ok_or_else(|| {
        (
            node.span.start,
            format!("expected a mapping, found {}", describe(node)),
        )
    })
}

fn strings(node: &Node) -> Result<Vec<String>, Invalid> {
    let items = node.as_seq().ok_or_else(|| {
        (
            node.span.start,
            format!("expected a list of strings, found {}", describe(node)),
        )
    })?;
    items
        .iter()
        .map(|item| {
            item.as_str().map(str::to_string).ok_or_else(|| {
                (
                    item.span.start,
                    format!("expected a string, found {}", describe(item)),
                )
            })
        })
        .collect()
}

fn severity(node: &Node) -> Result<Severity, Invalid> {
    node.as_str()
        .ok_or_else(|| format!("expected a severity, found {}", describe(node)))
        .and_then(|s| s.parse())
        .map_err(|message| (node.span.start, message))
}

fn rule_settings(node: &Node) -> Result<Vec<RuleSetting>, Invalid> {
    let mut settings = Vec::new();
    for entry in mapping(node)? {
        let selector = entry.key.text.to_string();
        let selected: Vec<&'static Rule> = rules::all()
            .iter()
            .copied()
            .filter(|r| selects(&selector, r))
            .collect();
        if selected.is_empty() {
            return Err((
                entry.key.span.start,
                format!("unknown rule or family {selector:?} (`vigie rules` lists them)"),
            ));
        }
        let single = (selected.len() == 1).then(|| selected[0]);
        let mut setting = RuleSetting {
            selector,
            enabled: None,
            severity: None,
            parameters: Vec::new(),
        };
        for field in mapping(&entry.value)? {
            let name = field.key.text.as_str();
            match name {
                "enabled" => {
                    setting.enabled = Some(field.value.as_bool().ok_or_else(|| {
                        (
                            field.value.span.start,
                            format!("expected true or false, found {}", describe(&field.value)),
                        )
                    })?);
                }
                "severity" => setting.severity = Some(severity(&field.value)?),
                _ => {
                    let declared =
                        single.and_then(|rule| rule.parameters.iter().find(|p| p.name == name));
                    let Some(parameter) = declared else {
                        let known: Vec<&str> = ["enabled", "severity"]
                            .into_iter()
                            .chain(
                                single
                                    .into_iter()
                                    .flat_map(|r| r.parameters.iter().map(|p| p.name)),
                            )
                            .collect();
                        let hint = if single.is_none() {
                            " (parameters are set on one rule, not on a family)"
                        } else {
                            ""
                        };
                        return Err((
                            field.key.span.start,
                            format!(
                                "unknown setting {name:?} for {}; expected one of: {}{hint}",
                                entry.key.text,
                                known.join(", ")
                            ),
                        ));
                    };
                    let value = match parameter.default {
                        ParamDefault::List(_) => ParamValue::List(strings(&field.value)?),
                        ParamDefault::Bool(_) => {
                            ParamValue::Bool(field.value.as_bool().ok_or_else(|| {
                                (
                                    field.value.span.start,
                                    format!(
                                        "{name} expects a boolean, found {}",
                                        describe(&field.value)
                                    ),
                                )
                            })?)
                        }
                        ParamDefault::Int(_) => {
                            ParamValue::Int(field.value.as_i64().ok_or_else(|| {
                                (
                                    field.value.span.start,
                                    format!(
                                        "{name} expects an integer, found {}",
                                        describe(&field.value)
                                    ),
                                )
                            })?)
                        }
                    };
                    setting.parameters.push((name.to_string(), value));
                }
            }
        }
        settings.push(setting);
    }
    Ok(settings)
}

fn exceptions(node: &Node) -> Result<Vec<Exception>, Invalid> {
    let items = node.as_seq().ok_or_else(|| {
        (
            node.span.start,
            format!("expected a list of exceptions, found {}", describe(node)),
        )
    })?;
    items.iter().map(exception).collect()
}

fn chart_settings(node: &Node) -> Result<Vec<ChartSetting>, Invalid> {
    let items = node.as_seq().ok_or_else(|| {
        (
            node.span.start,
            format!("expected a list of charts, found {}", describe(node)),
        )
    })?;
    let mut settings: Vec<ChartSetting> = Vec::with_capacity(items.len());
    for item in items {
        let setting = chart_setting(item)?;
        if let Some(name) = &setting.name {
            let same_chart =
                |other: &ChartSetting| chart_key(&other.path) == chart_key(&setting.path);
            if settings
                .iter()
                .any(|other| same_chart(other) && other.name.as_ref() == Some(name))
            {
                let at = item
                    .get("name")
                    .map_or(item.span.start, |node| node.span.start);
                return Err((
                    at,
                    format!(
                        "chart {:?} already has a value set named {name:?}",
                        setting.path
                    ),
                ));
            }
        }
        settings.push(setting);
    }
    Ok(settings)
}

/// A chart path as written, without `./` and trailing slashes, to tell two
/// entries for the same chart.
fn chart_key(path: &str) -> &str {
    let mut key = path.trim_end_matches('/');
    while let Some(rest) = key.strip_prefix("./") {
        key = rest.trim_start_matches('/');
    }
    key
}

/// Why a value set name is refused, if it is: names label output and file
/// names, so they are kept to `[A-Za-z0-9._-]`.
fn invalid_set_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a value set name cannot be empty".to_string());
    }
    let bad = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))?;
    Some(format!(
        "invalid value set name {name:?}: {bad:?} is not allowed (use letters, digits, '.', '_' or '-')"
    ))
}

/// The keys of a `charts` entry, for messages.
const CHART_KEYS: &str = "path, name, values, set, set_string, set_json, set_file, set_literal, release_name, namespace, kube_version, api_versions or is_upgrade";

fn chart_setting(node: &Node) -> Result<ChartSetting, Invalid> {
    let mut setting = ChartSetting::default();
    for field in mapping(node)? {
        let value = &field.value;
        match field.key.text.as_str() {
            "path" => setting.path = text(value)?,
            "name" => {
                let name = text(value)?;
                if let Some(message) = invalid_set_name(&name) {
                    return Err((value.span.start, message));
                }
                setting.name = Some(name);
            }
            "values" => setting.values = strings(value)?,
            "set" => setting.set = strings(value)?,
            "set_string" => setting.set_string = strings(value)?,
            "set_json" => setting.set_json = strings(value)?,
            "set_file" => setting.set_file = strings(value)?,
            "set_literal" => setting.set_literal = strings(value)?,
            "release_name" => setting.release_name = Some(text(value)?),
            "namespace" => setting.namespace = Some(text(value)?),
            "kube_version" => {
                // An unquoted 1.30 is the number 1.3 to YAML: refuse it
                // rather than render for the wrong version.
                if matches!(value.value, Value::Int(_) | Value::Float(_)) {
                    return Err((
                        value.span.start,
                        format!(
                            "expected the version as a quoted string (YAML reads 1.30 as the number 1.3), found {}",
                            describe(value)
                        ),
                    ));
                }
                let version = text(value)?;
                crate::render::helm::chart::objects::parse_kube_version(&version)
                    .map_err(|e| (value.span.start, e))?;
                setting.kube_version = Some(version);
            }
            "api_versions" => setting.api_versions = strings(value)?,
            "is_upgrade" => {
                setting.is_upgrade = value.as_bool().ok_or_else(|| {
                    (
                        value.span.start,
                        format!("expected true or false, found {}", describe(value)),
                    )
                })?;
            }
            other => {
                return Err((
                    field.key.span.start,
                    format!("unknown chart setting {other:?} (expected {CHART_KEYS})"),
                ));
            }
        }
    }
    if setting.path.is_empty() {
        return Err((node.span.start, "a chart setting needs a path".to_string()));
    }
    Ok(setting)
}

fn text(node: &Node) -> Result<String, Invalid> {
    node.as_str().map(str::to_string).ok_or_else(|| {
        (
            node.span.start,
            format!("expected a string, found {}", describe(node)),
        )
    })
}

fn exception(node: &Node) -> Result<Exception, Invalid> {
    let mut exception = Exception {
        position: node.span.start,
        rules: Vec::new(),
        paths: Vec::new(),
        kind: None,
        namespace: None,
        name: None,
        justification: String::new(),
        approved_by: None,
        expires: None,
    };
    for field in mapping(node)? {
        let value = &field.value;
        match field.key.text.as_str() {
            "rules" => {
                exception.rules = match value.as_str() {
                    Some(one) => vec![one.to_string()],
                    None => strings(value)?,
                };
                for (i, selector) in exception.rules.iter().enumerate() {
                    if !rules::all().iter().any(|r| selects(selector, r)) {
                        let at = value
                            .items()
                            .get(i)
                            .map_or(value.span.start, |n| n.span.start);
                        return Err((
                            at,
                            format!(
                                "unknown rule or family {selector:?} (`vigie rules` lists them)"
                            ),
                        ));
                    }
                }
            }
            "paths" => {
                exception.paths = strings(value)?;
                for (glob, item) in exception.paths.iter().zip(value.items()) {
                    globset::Glob::new(glob)
                        .map_err(|e| (item.span.start, format!("invalid glob {glob:?}: {e}")))?;
                }
            }
            "resource" => {
                for part in mapping(value)? {
                    let slot = match part.key.text.as_str() {
                        "kind" => &mut exception.kind,
                        "namespace" => &mut exception.namespace,
                        "name" => &mut exception.name,
                        other => {
                            return Err((
                                part.key.span.start,
                                format!(
                                    "unknown resource field {other:?} (expected kind, namespace or name)"
                                ),
                            ));
                        }
                    };
                    *slot = Some(text(&part.value)?);
                }
            }
            "justification" => exception.justification = text(value)?,
            "approved_by" => exception.approved_by = Some(text(value)?),
            "expires" => {
                let date = text(value)?;
                exception.expires = Some(Date::parse(&date).ok_or_else(|| {
                    (
                        value.span.start,
                        format!("expected a date YYYY-MM-DD, found {date:?}"),
                    )
                })?);
            }
            other => {
                return Err((
                    field.key.span.start,
                    format!(
                        "unknown exception field {other:?} (expected rules, paths, resource, justification, approved_by or expires)"
                    ),
                ));
            }
        }
    }
    if exception.rules.is_empty() {
        return Err((
            node.span.start,
            "an exception needs `rules`: the rules or families it covers".into(),
        ));
    }
    if exception.justification.trim().is_empty() {
        return Err((
            node.span.start,
            "an exception needs a `justification`: why the risk is accepted".into(),
        ));
    }
    Ok(exception)
}

/// `a string ("x")`, `a list`, `a number (3)`.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Int(_) | Value::Float(_) => format!("a number ({})", node.display_scalar()),
        Value::Str(s) => format!("a string ({s:?})"),
        Value::Seq(_) => "a list".to_string(),
        Value::Map(_) => "a mapping".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> (u32, u32, String) {
        let e = parse("c.yaml", text).expect_err("an error");
        let p = e.position.expect("a position");
        (p.line, p.column, e.message)
    }

    #[test]
    fn parses_value_set_names() {
        let config = parse(
            "c.yaml",
            "charts:\n  - path: web\n    name: prod\n  - path: web\n    name: staging-2.b_x\n  - path: api\n    name: prod\n  - path: web\n",
        )
        .unwrap();
        let names: Vec<Option<&str>> = config.charts.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(
            names,
            [Some("prod"), Some("staging-2.b_x"), Some("prod"), None]
        );
    }

    #[test]
    fn refuses_bad_value_set_names() {
        assert_eq!(
            error_of("charts:\n  - path: web\n    name: ''\n"),
            (3, 11, "a value set name cannot be empty".to_string())
        );
        let (line, column, message) = error_of("charts:\n  - path: web\n    name: prod env\n");
        assert_eq!((line, column), (3, 11));
        assert!(message.contains("' ' is not allowed"), "{message}");
        assert!(
            error_of("charts:\n  - path: web\n    name: a/b\n")
                .2
                .contains("'/'")
        );
        assert!(
            error_of("charts:\n  - path: web\n    name: 3\n")
                .2
                .contains("expected a string")
        );
    }

    #[test]
    fn refuses_a_repeated_value_set_name_for_one_chart() {
        assert_eq!(
            error_of(
                "charts:\n  - path: web\n    name: prod\n  - path: ./web/\n    values: [v.yaml]\n    name: prod\n"
            ),
            (
                6,
                11,
                "chart \"./web/\" already has a value set named \"prod\"".to_string()
            )
        );
        // The same name on two charts, and two unnamed entries, are fine.
        assert!(parse("c.yaml", "charts:\n  - path: web\n    name: prod\n  - path: api\n    name: prod\n  - path: web\n  - path: web\n").is_ok());
    }

    #[test]
    fn parses_chart_settings() {
        let config = parse(
            "c.yaml",
            "charts:\n  - path: charts/web\n    values: [a.yaml, b.yaml]\n    set: [x=1]\n    set_string: [y=2]\n    release_name: web\n    namespace: shop\n",
        )
        .unwrap();
        assert_eq!(
            config.charts,
            [ChartSetting {
                path: "charts/web".into(),
                values: vec!["a.yaml".into(), "b.yaml".into()],
                set: vec!["x=1".into()],
                set_string: vec!["y=2".into()],
                release_name: Some("web".into()),
                namespace: Some("shop".into()),
                ..ChartSetting::default()
            }]
        );
        assert_eq!(
            error_of("charts:\n  - path: a\n    valuez: []\n"),
            (
                3,
                5,
                format!("unknown chart setting \"valuez\" (expected {CHART_KEYS})")
            )
        );
        let config = parse(
            "c.yaml",
            "charts:\n  - path: web\n    set_json: ['a={\"b\":1}']\n    set_file: [cfg=files/app.conf]\n    set_literal: ['x=1,2']\n    kube_version: '1.30'\n    api_versions: [example.com/v1]\n    is_upgrade: true\n",
        )
        .unwrap();
        assert_eq!(
            config.charts,
            [ChartSetting {
                path: "web".into(),
                set_json: vec![r#"a={"b":1}"#.into()],
                set_file: vec!["cfg=files/app.conf".into()],
                set_literal: vec!["x=1,2".into()],
                kube_version: Some("1.30".into()),
                api_versions: vec!["example.com/v1".into()],
                is_upgrade: true,
                ..ChartSetting::default()
            }]
        );
        assert_eq!(
            error_of("charts:\n  - path: a\n    kube_version: banana\n"),
            (
                3,
                19,
                "invalid kube version 'banana': Invalid Semantic Version".to_string()
            )
        );
        assert_eq!(
            error_of("charts:\n  - path: a\n    kube_version: 1.30\n").2,
            "expected the version as a quoted string (YAML reads 1.30 as the number 1.3), found a number (1.3)"
        );
        assert_eq!(
            error_of("charts:\n  - path: a\n    is_upgrade: yes please\n").0,
            3
        );
        assert_eq!(
            error_of("charts:\n  - path: a\n    set_file: cfg=x\n"),
            (
                3,
                15,
                "expected a list of strings, found a string (\"cfg=x\")".to_string()
            )
        );
        assert_eq!(
            error_of("charts:\n  - values: [a]\n").2,
            "a chart setting needs a path"
        );
    }

    #[test]
    fn parses_a_full_configuration() {
        let config = parse(
            "c.yaml",
            "frameworks: [pss-restricted]\nseverity: Medium\nexclude: [vendor/**]\nrules:\n  PSS: {severity: low}\n  privileged-container:\n    enabled: false\n",
        )
        .unwrap();
        assert_eq!(config.frameworks, ["pss-restricted"]);
        assert_eq!(config.severity, Some(Severity::Medium));
        assert_eq!(config.exclude, ["vendor/**"]);
        assert_eq!(config.rules.len(), 2);
        assert_eq!(config.rules[0].severity, Some(Severity::Low));
        assert_eq!(config.rules[1].enabled, Some(false));
        assert_eq!(
            parse("c.yaml", "").unwrap(),
            Config {
                path: "c.yaml".into(),
                ..Config::default()
            }
        );
    }

    #[test]
    fn reports_errors_where_they_are() {
        assert_eq!(error_of("severity: high\nframewrks: []\n").0, 2);
        let (line, column, _) = error_of("frameworks: [pss-restricted, nist]\n");
        assert_eq!((line, column), (1, 30));
        assert_eq!(error_of("rules:\n  PSS999: {enabled: false}\n").0, 2);
        let (line, column, message) = error_of("rules:\n  PSS001:\n    enabled: maybe\n");
        assert_eq!((line, column), (3, 14));
        assert!(message.contains("true or false"), "{message}");
        let (line, column, _) = error_of("rules:\n  PSS001:\n    allowed: [a]\n");
        assert_eq!((line, column), (3, 5));
        assert_eq!(error_of("severity: urgent\n").0, 1);
        assert_eq!(error_of("exclude: vendor\n").0, 1);
        assert_eq!(error_of("rules: [PSS001]\n").0, 1);
        assert_eq!(error_of("severity: high\nseverity: low\n").0, 2);
        assert_eq!(error_of("rules:\n  PSS001: {enabled: [\n").0, 2);
    }
}
