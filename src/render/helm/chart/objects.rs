//! The built-in objects templates see: `.Release`, `.Chart`,
//! `.Capabilities`, `.Template`, `.Files` and `.Subcharts`, with Helm's
//! field names and defaults of `helm template` 3.17.3.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::load::{Dependency, ImportValue, Maintainer, Metadata};
use crate::render::helm::value::{GoObject, Map, Value};
use crate::source::base64::encode as base64;
use crate::source::yaml::{self, resolve_plain};

/// The Kubernetes version `helm template` assumes without `--kube-version`.
pub const DEFAULT_KUBE_VERSION: &str = "v1.32.0";

/// The API versions `helm template` 3.17.3 reports (client-go's scheme), in
/// its order; see `.Capabilities.APIVersions`.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `.Release` (a map in Helm): an install (or upgrade), revision 1, service "Helm".
pub fn release(name: &str, namespace: &str, is_upgrade: bool) -> Value {
    let mut release = Map::new();
    release.insert("Name".into(), Value::string(name));
    release.insert("Namespace".into(), Value::string(namespace));
    release.insert("IsInstall".into(), Value::Bool(!is_upgrade));
    release.insert("IsUpgrade".into(), Value::Bool(is_upgrade));
    release.insert("Revision".into(), Value::Int(1));
    release.insert("Service".into(), Value::string("Helm"));
    Value::map(release)
}

/// `.Template` (a map): the template's name and its chart's `templates`
/// directory (`mychart/templates`, also for templates in subdirectories).
pub fn template(name: &str, base_path: &str) -> Value {
    let base = base_path;
    let mut template = Map::new();
    template.insert("Name".into(), Value::string(name));
    template.insert("BasePath".into(), Value::string(base));
    Value::map(template)
}

fn strings(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::string(s.as_str())).collect())
}

/// A Go struct with fields only, printed by `%v` as `{v1 v2 …}`.
struct Record {
    type_name: &'static str,
    fields: Vec<(&'static str, Value)>,
}

impl GoObject for Record {
    fn type_name(&self) -> &str {
        self.type_name
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
    fn method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    fn display(&self) -> String {
        let parts: Vec<String> = self.fields.iter().map(|(_, v)| v.to_string()).collect();
        format!("{{{}}}", parts.join(" "))
    }
}

fn record(type_name: &'static str, fields: Vec<(&'static str, Value)>) -> Value {
    Value::Object(Rc::new(Record { type_name, fields }))
}

fn maintainer(m: &Maintainer) -> Value {
    record(
        "*chart.Maintainer",
        vec![
            ("Name", Value::string(m.name.as_str())),
            ("Email", Value::string(m.email.as_str())),
            ("URL", Value::string(m.url.as_str())),
        ],
    )
}

fn dependency(d: &Dependency) -> Value {
    let imports = d
        .import_values
        .iter()
        .map(|iv| match iv {
            ImportValue::Export(name) => Value::string(name.as_str()),
            ImportValue::Path { child, parent } => {
                let mut m = Map::new();
                m.insert("child".into(), Value::string(child.as_str()));
                m.insert("parent".into(), Value::string(parent.as_str()));
                Value::map(m)
            }
        })
        .collect();
    record(
        "*chart.Dependency",
        vec![
            ("Name", Value::string(d.name.as_str())),
            ("Version", Value::string(d.version.as_str())),
            ("Repository", Value::string(d.repository.as_str())),
            ("Condition", Value::string(d.condition.as_str())),
            ("Tags", strings(&d.tags)),
            ("Enabled", Value::Bool(d.enabled)),
            ("ImportValues", Value::list(imports)),
            ("Alias", Value::string(d.alias.as_str())),
        ],
    )
}

/// `.Chart`: the chart's metadata with Helm's Go field names, and `IsRoot`.
pub fn chart(metadata: &Metadata, is_root: bool) -> Value {
    let annotations: Map = metadata
        .annotations
        .iter()
        .map(|(k, v)| (k.clone(), Value::string(v.as_str())))
        .collect();
    let metadata_record = Record {
        type_name: "chart.Metadata",
        fields: vec![
            ("Name", Value::string(metadata.name.as_str())),
            ("Home", Value::string(metadata.home.as_str())),
            ("Sources", strings(&metadata.sources)),
            ("Version", Value::string(metadata.version.as_str())),
            ("Description", Value::string(metadata.description.as_str())),
            ("Keywords", strings(&metadata.keywords)),
            (
                "Maintainers",
                Value::list(metadata.maintainers.iter().map(maintainer).collect()),
            ),
            ("Icon", Value::string(metadata.icon.as_str())),
            ("APIVersion", Value::string(metadata.api_version.as_str())),
            ("Condition", Value::string(metadata.condition.as_str())),
            ("Tags", Value::string(metadata.tags.as_str())),
            ("AppVersion", Value::string(metadata.app_version.as_str())),
            ("Deprecated", Value::Bool(metadata.deprecated)),
            ("Annotations", Value::map(annotations)),
            ("KubeVersion", Value::string(metadata.kube_version.as_str())),
            (
                "Dependencies",
                Value::list(metadata.dependencies.iter().map(dependency).collect()),
            ),
            ("Type", Value::string(metadata.chart_type.as_str())),
        ],
    };
    Value::Object(Rc::new(ChartObject {
        metadata: metadata_record,
        is_root,
    }))
}

/// `.Chart`: Helm passes `struct { chart.Metadata; IsRoot bool }`, so the
/// metadata's fields are promoted and `{{ .Chart }}` prints `{{…} true}`.
struct ChartObject {
    metadata: Record,
    is_root: bool,
}

impl GoObject for ChartObject {
    fn type_name(&self) -> &str {
        "struct { chart.Metadata; IsRoot bool }"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "IsRoot" => Some(Value::Bool(self.is_root)),
            "Metadata" => Some(Value::Object(Rc::new(Record {
                type_name: self.metadata.type_name,
                fields: self.metadata.fields.clone(),
            }))),
            _ => self.metadata.field(name),
        }
    }
    fn method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    fn display(&self) -> String {
        format!("{{{} {}}}", self.metadata.display(), self.is_root)
    }
}

/// `.Capabilities.KubeVersion`.
struct KubeVersion {
    version: String,
    major: String,
    minor: String,
}

impl GoObject for KubeVersion {
    fn type_name(&self) -> &str {
        "chartutil.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" | "GitVersion" | "String" => Some(Value::string(self.version.as_str())),
            "Major" => Some(Value::string(self.major.as_str())),
            "Minor" => Some(Value::string(self.minor.as_str())),
            _ => None,
        }
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            ("String" | "GitVersion", []) => self.field(name).map(Ok),
            _ => None,
        }
    }
    fn display(&self) -> String {
        self.version.clone()
    }
}

/// `.Capabilities.APIVersions`: a list with `Has`.
struct ApiVersions(Vec<String>);

impl GoObject for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::String(wanted)] => {
                Ok(Value::Bool(self.0.iter().any(|v| v.as_str() == &**wanted)))
            }
            _ => Err("wrong number or type of args for Has: want 1 string".to_string()),
        })
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    /// A `chartutil.VersionSet` is a `[]string`.
    fn collection(&self) -> Option<Value> {
        Some(Value::list(
            self.0.iter().map(|v| Value::string(v.as_str())).collect(),
        ))
    }
}

/// Parses `--kube-version` like Helm (`1.30`, `v1.30.2`): the normalized
/// version (`v1.30.0`), major and minor.
pub fn parse_kube_version(text: &str) -> Result<(String, String, String), String> {
    let bare = text.strip_prefix('v').unwrap_or(text);
    let core = bare.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    let valid = !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return Err(format!(
            "invalid kube version '{text}': Invalid Semantic Version"
        ));
    }
    let number = |i: usize| parts.get(i).map_or(0, |p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (number(0), number(1), number(2));
    let suffix = &bare[core.len()..];
    Ok((
        format!("v{major}.{minor}.{patch}{suffix}"),
        major.to_string(),
        minor.to_string(),
    ))
}

/// `.Capabilities` for a Kubernetes version (`None`: Helm's default), with
/// `--api-versions` added to Helm's default API versions.
pub fn capabilities(
    kube_version: Option<&str>,
    extra_api_versions: &[String],
) -> Result<Value, String> {
    let (version, major, minor) = parse_kube_version(kube_version.unwrap_or(DEFAULT_KUBE_VERSION))?;
    let helm = record(
        "version.BuildInfo",
        vec![
            ("Version", Value::string("v3.17.3")),
            (
                "GitCommit",
                Value::string("e4da49785aa6e6ee2b86efd5dd9e43400318262b"),
            ),
            ("GitTreeState", Value::string("clean")),
            ("GoVersion", Value::string("go1.23.7")),
        ],
    );
    let mut api: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
    api.extend(extra_api_versions.iter().cloned());
    let api = ApiVersions(api);
    Ok(record(
        "*chartutil.Capabilities",
        vec![
            (
                "KubeVersion",
                Value::Object(Rc::new(KubeVersion {
                    version,
                    major,
                    minor,
                })),
            ),
            ("APIVersions", Value::Object(Rc::new(api))),
            ("HelmVersion", helm),
        ],
    ))
}

/// `.Files`: a chart's files other than Chart.yaml, values, templates and
/// subcharts (Helm's `engine.files`).
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: Rc<BTreeMap<String, Vec<u8>>>,
}

impl Files {
    /// The files of one chart, by path relative to the chart.
    pub fn new(files: BTreeMap<String, Vec<u8>>) -> Files {
        Files {
            files: Rc::new(files),
        }
    }

    /// `.Files.Get`: the file's text, empty when missing.
    pub fn get(&self, name: &str) -> String {
        self.files
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// `.Files.Glob`: the files whose path matches, with the glob syntax
    /// Helm uses (gobwas/glob): `*` and `?` within a directory, `**` across
    /// directories, `[…]`/`[!…]` classes, `{a,b}` alternatives.
    pub fn glob(&self, pattern: &str) -> Result<Files, String> {
        let matcher = regex::Regex::new(&glob_regex(pattern)?).map_err(|e| e.to_string())?;
        let selected = self
            .files
            .iter()
            .filter(|(path, _)| matcher.is_match(path))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        Ok(Files::new(selected))
    }

    /// `.Files.Lines`: the file's lines, without a final empty one.
    pub fn lines(&self, name: &str) -> Vec<String> {
        let Some(bytes) = self.files.get(name) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.split('\n').map(str::to_string).collect()
    }

    /// `.AsConfig`: a YAML map from base name to text, as go-yaml writes it.
    pub fn as_config(&self) -> String {
        // Helm's files are never nil here: an empty set prints an empty map.
        if self.files.is_empty() {
            return "{}".to_string();
        }
        let entries: BTreeMap<&str, String> = self
            .files
            .iter()
            .map(|(path, bytes)| (base_name(path), String::from_utf8_lossy(bytes).into_owned()))
            .collect();
        let mut out = String::new();
        for (key, text) in entries {
            out.push_str(&yaml_scalar(key));
            out.push(':');
            out.push_str(&yaml_value(&text));
        }
        out.strip_suffix('\n').unwrap_or(&out).to_string()
    }

    /// `.AsSecrets`: a YAML map from base name to base64 of the bytes.
    pub fn as_secrets(&self) -> String {
        if self.files.is_empty() {
            return "{}".to_string();
        }
        let entries: BTreeMap<&str, String> = self
            .files
            .iter()
            .map(|(path, bytes)| (base_name(path), base64(bytes)))
            .collect();
        let lines: Vec<String> = entries
            .into_iter()
            .map(|(k, v)| format!("{}: {}", yaml_scalar(k), yaml_scalar(&v)))
            .collect();
        lines.join("\n")
    }
}

/// Translates a gobwas-style glob into an anchored regular expression.
fn glob_regex(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from("^");
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                out.push_str(".*");
                i += 1;
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '[' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .ok_or_else(|| format!("unexpected end of input in glob {pattern:?}"))?;
                let body: String = chars[i + 1..i + 1 + close].iter().collect();
                let (negated, body) = match body.strip_prefix('!') {
                    Some(rest) => (true, rest.to_string()),
                    None => (false, body),
                };
                let escaped: String = body
                    .chars()
                    .map(|c| {
                        if matches!(c, '\\' | '[' | ']' | '^' | '&' | '~') {
                            format!("\\{c}")
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
                out.push_str(if negated { "[^" } else { "[" });
                out.push_str(&escaped);
                out.push(']');
                i += close + 1;
            }
            '{' => {
                depth += 1;
                out.push_str("(?:");
            }
            '}' if depth > 0 => {
                depth -= 1;
                out.push(')');
            }
            ',' if depth > 0 => out.push('|'),
            '\\' if i + 1 < chars.len() => {
                i += 1;
                out.push_str(&regex::escape(&chars[i].to_string()));
            }
            c => out.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    if depth > 0 {
        return Err(format!("unexpected end of input in glob {pattern:?}"));
    }
    out.push('$');
    Ok(out)
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A value after `key:` the way go-yaml v2 writes a string: a literal
/// block for multi-line text (with `-`/`+` chomping and an indentation
/// indicator when the text starts with a blank), a scalar otherwise.
fn yaml_value(text: &str) -> String {
    if !text.contains('\n') {
        return format!(" {}\n", yaml_scalar(text));
    }
    let indicator = if text.starts_with(' ') { "2" } else { "" };
    let chomping = if !text.ends_with('\n') {
        "-"
    } else if text.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let mut out = format!(" |{indicator}{chomping}\n");
    let body = text.strip_suffix('\n').unwrap_or(text);
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A one-line string as go-yaml v2 writes it: plain when it reads back as
/// the same string, double-quoted when it would read as another type,
/// single-quoted when plain syntax cannot hold it.
fn yaml_scalar(text: &str) -> String {
    if text.is_empty() || !matches!(resolve_plain(text), yaml::Value::Str(_)) {
        return format!("{text:?}");
    }
    let first = text.chars().next().unwrap_or(' ');
    let plain_unsafe = "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control());
    if plain_unsafe {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        text.to_string()
    }
}

impl GoObject for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        match _name {
            "AsConfig" => Some(Value::string(self.as_config())),
            "AsSecrets" => Some(Value::string(self.as_secrets())),
            _ => None,
        }
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let text_arg = || match args {
            [Value::String(s)] => Ok(s.to_string()),
            _ => Err(format!(
                "wrong number or type of args for {name}: want 1 string"
            )),
        };
        Some(match name {
            "Get" => text_arg().map(|p| Value::string(self.get(&p))),
            "GetBytes" => text_arg()
                .map(|p| Value::Bytes(Rc::from(self.files.get(&p).cloned().unwrap_or_default()))),
            "Glob" => text_arg()
                .and_then(|p| self.glob(&p))
                .map(|f| Value::Object(Rc::new(f))),
            "Lines" => text_arg()
                .map(|p| Value::list(self.lines(&p).into_iter().map(Value::string).collect())),
            "AsConfig" | "AsSecrets" if args.is_empty() => Ok(self.field(name).unwrap_or_default()),
            _ => return None,
        })
    }
    fn display(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| {
                let bytes: Vec<String> = v.iter().map(|b| b.to_string()).collect();
                format!("{k}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", parts.join(" "))
    }
    /// `engine.files` is a `map[string][]byte`.
    fn collection(&self) -> Option<Value> {
        Some(Value::map(
            self.files
                .iter()
                .map(|(path, bytes)| (path.clone(), Value::Bytes(Rc::from(bytes.as_slice()))))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        Files::new(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// Expected text from `helm template` 3.17.3 on the same files.
    #[test]
    fn as_config_and_lines_like_helm() {
        let f = files(&[
            ("f/plain.txt", "x: 1\n"),
            ("f/noend.txt", "line1\nline2"),
            ("f/two.txt", "two\n\n"),
            ("f/lead.txt", "  lead\n"),
            ("f/true.txt", "true"),
            ("f/empty.txt", ""),
            ("other/x.txt", "x"),
        ]);
        let selected = f.glob("f/*").unwrap();
        assert_eq!(
            selected.as_config(),
            "empty.txt: \"\"\nlead.txt: |2\n    lead\nnoend.txt: |-\n  line1\n  line2\nplain.txt: |\n  x: 1\ntrue.txt: \"true\"\ntwo.txt: |+\n  two\n"
        );
        // `helm template` 3.17.3 prints `{}` for an empty glob's
        // AsConfig and AsSecrets.
        let none = f.glob("none/*").unwrap();
        assert_eq!(
            (none.as_config(), none.as_secrets()),
            ("{}".into(), "{}".into())
        );
        assert_eq!(f.lines("f/noend.txt"), ["line1", "line2"]);
        assert!(f.lines("missing").is_empty());
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.glob("**").unwrap().files.len(), 7);
        assert_eq!(f.glob("{f,other}/x*").unwrap().files.len(), 1);
        assert!(f.glob("{f").is_err());
    }

    /// What `helm template` 3.17.3 selected with the same globs and files.
    #[test]
    fn glob_like_helm() {
        let f = files(&[
            ("f/deep/d.txt", ""),
            ("f/empty.txt", ""),
            ("f/plain.txt", ""),
            ("f/true.txt", ""),
            ("f/two.txt", ""),
        ]);
        let cases = [
            (
                "**.txt",
                "f/deep/d.txt f/empty.txt f/plain.txt f/true.txt f/two.txt",
            ),
            (
                "f/**",
                "f/deep/d.txt f/empty.txt f/plain.txt f/true.txt f/two.txt",
            ),
            ("f*/*.txt", "f/empty.txt f/plain.txt f/true.txt f/two.txt"),
            ("*", ""),
            ("f/*/*.txt", "f/deep/d.txt"),
            ("**/d.txt", "f/deep/d.txt"),
            ("f/{plain,two}.txt", "f/plain.txt f/two.txt"),
            ("f/[pt]*.txt", "f/plain.txt f/true.txt f/two.txt"),
            ("f/[!pt]*.txt", "f/empty.txt"),
            ("f/?lain.txt", "f/plain.txt"),
        ];
        for (pattern, expected) in cases {
            let selected = f.glob(pattern).unwrap();
            let paths: Vec<&str> = selected.files.keys().map(String::as_str).collect();
            assert_eq!(paths.join(" "), expected, "{pattern}");
        }
    }

    /// `helm template` 3.17.3 printed these for `AsSecrets` on the shop chart.
    #[test]
    fn as_secrets_like_helm() {
        let f = files(&[
            ("config/app.properties", "colour=blue\nsize=3\n"),
            ("config/extra.conf", "extra: true\n"),
        ]);
        assert_eq!(
            f.as_secrets(),
            "app.properties: Y29sb3VyPWJsdWUKc2l6ZT0zCg==\nextra.conf: ZXh0cmE6IHRydWUK"
        );
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn files_methods_through_the_object() {
        let f = files(&[("a.txt", "hi\n")]);
        assert_eq!(
            f.method("Get", &[Value::string("a.txt")]).unwrap().unwrap(),
            Value::string("hi\n")
        );
        assert!(
            matches!(f.method("GetBytes", &[Value::string("a.txt")]), Some(Ok(Value::Bytes(b))) if &*b == b"hi\n")
        );
        assert!(f.method("Get", &[]).unwrap().is_err());
        assert!(f.method("Nope", &[]).is_none());
    }

    #[test]
    fn capabilities_default_to_helm_template() {
        let caps = capabilities(None, &[]).unwrap();
        let Value::Object(caps) = caps else { panic!() };
        let Some(Value::Object(kube)) = caps.field("KubeVersion") else {
            panic!()
        };
        assert_eq!(kube.display(), "v1.32.0");
        assert_eq!(kube.field("Major"), Some(Value::string("1")));
        assert_eq!(kube.field("Minor"), Some(Value::string("32")));
        let Some(Value::Object(api)) = caps.field("APIVersions") else {
            panic!()
        };
        assert_eq!(
            api.method("Has", &[Value::string("apps/v1")])
                .unwrap()
                .unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            api.method("Has", &[Value::string("apps/v2")])
                .unwrap()
                .unwrap(),
            Value::Bool(false)
        );
        let Some(helm) = caps.field("HelmVersion") else {
            panic!()
        };
        assert_eq!(
            helm.to_string(),
            "{v3.17.3 e4da49785aa6e6ee2b86efd5dd9e43400318262b clean go1.23.7}"
        );
        assert_eq!(
            parse_kube_version("1.30").unwrap(),
            ("v1.30.0".into(), "1".into(), "30".into())
        );
        assert_eq!(
            parse_kube_version("banana").unwrap_err(),
            "invalid kube version 'banana': Invalid Semantic Version"
        );
        assert_eq!(
            parse_kube_version("v1.29.3-gke.1").unwrap().0,
            "v1.29.3-gke.1"
        );
        let Value::Object(caps) = capabilities(Some("1.30"), &["x/v1".to_string()]).unwrap() else {
            panic!()
        };
        let Some(Value::Object(api)) = caps.field("APIVersions") else {
            panic!()
        };
        assert_eq!(
            api.method("Has", &[Value::string("x/v1")])
                .unwrap()
                .unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            api.method("Has", &[Value::string("v1/Pod")])
                .unwrap()
                .unwrap(),
            Value::Bool(false)
        );
    }

    #[test]
    fn chart_object_like_helm() {
        let metadata = Metadata {
            name: "c".to_string(),
            version: "0.1.0".to_string(),
            api_version: "v2".to_string(),
            ..Metadata::default()
        };
        let Value::Object(chart) = chart(&metadata, true) else {
            panic!()
        };
        assert_eq!(chart.type_name(), "struct { chart.Metadata; IsRoot bool }");
        // What `{{ .Chart }}` printed in helm 3.17.3 for the same Chart.yaml.
        assert_eq!(
            chart.display(),
            "{{c  [] 0.1.0  [] []  v2    false map[]  [] } true}"
        );
        assert_eq!(chart.field("Name"), Some(Value::string("c")));
        assert_eq!(chart.field("IsRoot"), Some(Value::Bool(true)));
    }

    #[test]
    fn release_and_template() {
        let Value::Map(r) = release("web", "prod", false) else {
            panic!()
        };
        assert_eq!(r.borrow()["Revision"], Value::Int(1));
        assert_eq!(r.borrow()["Service"], Value::string("Helm"));
        let Value::Map(t) = template(
            "shop/charts/cache/templates/a/svc.yaml",
            "shop/charts/cache/templates",
        ) else {
            panic!()
        };
        assert_eq!(
            t.borrow()["BasePath"],
            Value::string("shop/charts/cache/templates")
        );
    }
}
