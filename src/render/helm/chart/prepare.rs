//! Everything `helm template` computes before running a template: user
//! values, enabled subcharts (`condition`, `tags`), `import-values`, the
//! coalesced values, schema validation, and each template's data.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::constraint;
use super::load::{Chart, Dependency, ImportValue, Metadata};
use super::manifests::CrdFile;
use super::objects::{self, Files};
use super::strvals::{self, SetStyle};
use super::values::{self, ValueOrigins, ValuesScope};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::render::helm::value::{Map, Value};
use crate::source::{FileId, Position, SourceFile, SourceMap, Span};

/// The options of `helm template` that Vigie supports.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// `--values` files, in order.
    pub values_files: Vec<PathBuf>,
    /// `--set` arguments, in order.
    pub set: Vec<String>,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-file` arguments (`key=path`).
    pub set_file: Vec<String>,
    /// `--set-json` arguments.
    pub set_json: Vec<String>,
    /// `helm template`'s default is `release-name`.
    pub release_name: String,
    /// `helm template`'s default is `default`.
    pub namespace: String,
    /// `--kube-version`; `None` for Helm's default (v1.32.0).
    pub kube_version: Option<String>,
    /// `--api-versions`: added to `.Capabilities.APIVersions`.
    pub api_versions: Vec<String>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--set-literal` arguments.
    pub set_literal: Vec<String>,
    /// `--is-upgrade`: `.Release.IsUpgrade` is true, `.Release.IsInstall` false.
    pub is_upgrade: bool,
    /// `--no-hooks`: hooks are left out of the printed manifest.
    pub no_hooks: bool,
    /// Relative `--values` and `--set-file` paths are read from here
    /// (`None`: the current directory, as Helm does).
    pub base_dir: Option<PathBuf>,
    /// The directory the chart's symbolic links must resolve inside (`None`:
    /// the chart's own directory).
    pub root: Option<PathBuf>,
    /// Values and `--set-file` files must also resolve inside `root`: they
    /// come from a scanned repository's configuration, not from the user.
    pub inputs_within_root: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            values_files: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            set_file: Vec::new(),
            set_json: Vec::new(),
            release_name: "release-name".to_string(),
            namespace: "default".to_string(),
            kube_version: None,
            api_versions: Vec::new(),
            include_crds: false,
            set_literal: Vec::new(),
            is_upgrade: false,
            no_hooks: false,
            base_dir: None,
            root: None,
            inputs_within_root: false,
        }
    }
}

impl RenderOptions {
    /// Where a values or `--set-file` path given as `raw` is read; an error
    /// when the file must stay inside [`RenderOptions::root`] and does not.
    pub fn input_path(&self, raw: &Path) -> Result<PathBuf, String> {
        let path = match &self.base_dir {
            Some(base) => base.join(raw),
            None => raw.to_path_buf(),
        };
        if !self.inputs_within_root {
            return Ok(path);
        }
        let root = self.root.as_deref().unwrap_or(Path::new("."));
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        match path.canonicalize() {
            Ok(real) if real.starts_with(&root) => Ok(path),
            // A missing file is reported by the read, with Helm's words.
            Err(_) if !raw.is_absolute() && !escapes(raw) => Ok(path),
            _ => Err(format!(
                "{} is outside the scanned repository; Vigie reads only files inside it",
                raw.display()
            )),
        }
    }
}

/// True when a relative path climbs above where it starts (`../x`, `a/../../x`).
fn escapes(path: &Path) -> bool {
    let mut depth = 0i32;
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// An I/O error worded as Go's `os` package words it (`no such file or
/// directory`), for Helm's messages.
pub fn go_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

/// A template to hand to the engine.
#[derive(Clone, Debug)]
pub struct PreparedTemplate {
    /// Helm's name: `mychart/templates/x.yaml`, `mychart/charts/sub/templates/y.yaml`.
    pub name: String,
    pub file: FileId,
    /// False for partials (`_*`), `NOTES.txt` and library charts' templates,
    /// which are parsed only.
    pub render: bool,
    /// Its chart's scope (`.Values`, `.Release`, `.Chart`, …), one map that
    /// every template of the chart shares, as in Helm: a template that
    /// changes it (`set . "x" 1`, `set .Values …`) changes it for the
    /// templates rendered after it. See [`PreparedTemplate::dot`].
    pub scope: Value,
    /// Its `.Template` (`Name`, `BasePath`).
    pub template: Value,
    /// Where its `.Values` sits in the root chart's values (`[]` for the
    /// root chart, `["sub"]` for a subchart): prefix it to a path before
    /// looking it up in [`Prepared::origins`].
    pub values_path: Vec<String>,
}

/// What the engine needs to render a chart.
#[derive(Debug)]
pub struct Prepared {
    /// Every template to parse, parents before subcharts, in path order.
    pub templates: Vec<PreparedTemplate>,
    /// The root chart's `.Values`.
    pub values: Value,
    /// Where each path of `.Values` was written.
    pub origins: ValueOrigins,
    /// CRD files to print first (with `include_crds`).
    pub crds: Vec<CrdFile>,
    /// Warnings (dependencies not vendored, values that could not merge).
    pub diagnostics: Vec<Diagnostic>,
}

/// A chart as it takes part in a render: its name (alias), effective
/// defaults and enabled subcharts.
struct Scope<'a> {
    chart: &'a Chart,
    name: String,
    metadata: Metadata,
    values: Map,
    subcharts: Vec<Scope<'a>>,
}

impl ValuesScope for Scope<'_> {
    fn scope_name(&self) -> &str {
        &self.name
    }
    fn default_values(&self) -> &Map {
        &self.values
    }
    fn scopes(&self) -> Vec<&dyn ValuesScope> {
        self.subcharts
            .iter()
            .map(|s| s as &dyn ValuesScope)
            .collect()
    }
}

fn values_error(path: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        DiagnosticLevel::Error,
        DiagnosticCode::HelmValues,
        path,
        message,
    )
}

/// Computes values, enabled subcharts and template data for `chart`.
pub fn prepare(
    chart: &Chart,
    options: &RenderOptions,
    sources: &mut SourceMap,
) -> Result<Prepared, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let (user, mut origins) = user_values(options, sources).map_err(|d| vec![d])?;
    let mut scope = build_scope(chart, chart.metadata.name.clone(), &mut diagnostics);
    let mut warnings = Vec::new();
    let all_values = values::coalesce(&scope, &user, &mut warnings);
    apply_enabled(&mut scope, &all_values, "");
    apply_imports(&mut scope, &mut warnings);
    let final_values = values::coalesce(&scope, &user, &mut warnings);
    for warning in warnings {
        diagnostics.push(Diagnostic::new(
            DiagnosticLevel::Warning,
            DiagnosticCode::HelmValues,
            chart.path.clone(),
            warning,
        ));
    }
    fill_default_origins(&scope, &mut Vec::new(), &mut origins);
    let schema_errors = validate(&scope, &final_values);
    if !schema_errors.is_empty() {
        let mut message = String::from(
            "values don't meet the specifications of the schema(s) in the following chart(s):",
        );
        for (chart_name, errors) in schema_errors {
            message.push_str(&format!("\n{chart_name}:"));
            for error in errors {
                message.push_str(&format!("\n- {error}"));
            }
        }
        diagnostics.push(values_error(&chart.path, message));
        return Err(diagnostics);
    }
    let kube_version = options
        .kube_version
        .as_deref()
        .unwrap_or(objects::DEFAULT_KUBE_VERSION);
    let (kube_version, _, _) = objects::parse_kube_version(kube_version)
        .map_err(|e| vec![values_error(&chart.path, e)])?;
    let constraint = &chart.metadata.kube_version;
    if !constraint.is_empty()
        && !constraint::is_compatible(constraint, &kube_version).unwrap_or(false)
    {
        diagnostics.push(Diagnostic::new(
            DiagnosticLevel::Error,
            DiagnosticCode::HelmChart,
            format!("{}/Chart.yaml", chart.path),
            format!("chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube_version}"),
        ));
        return Err(diagnostics);
    }
    let capabilities =
        objects::capabilities(options.kube_version.as_deref(), &options.api_versions)
            .map_err(|e| vec![values_error(&chart.path, e)])?;
    let release = objects::release(
        &options.release_name,
        &options.namespace,
        options.is_upgrade,
    );
    let mut templates = Vec::new();
    let mut crds = Vec::new();
    let context = Context {
        release,
        capabilities,
        include_crds: options.include_crds,
    };
    collect(
        &scope,
        &Value::map(final_values.clone()),
        &[],
        "",
        &context,
        &mut templates,
        &mut crds,
        sources,
    );
    Ok(Prepared {
        templates,
        values: Value::map(final_values),
        origins,
        crds,
        diagnostics,
    })
}

/// Values from `--values`, `--set-json`, `--set`, `--set-string` and
/// `--set-file`, in Helm's order, with where each path was written.
fn user_values(
    options: &RenderOptions,
    sources: &mut SourceMap,
) -> Result<(Map, ValueOrigins), Diagnostic> {
    let mut user = Map::new();
    let mut origins = ValueOrigins::default();
    for raw in &options.values_files {
        let raw_display = raw.display().to_string();
        let path = options
            .input_path(raw)
            .map_err(|e| values_error(&raw_display, e))?;
        let display = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| values_error(&display, format!("open {display}: {}", go_io_error(&e))))?;
        let file = sources.reuse_or_push(SourceFile::from_text(
            path.clone(),
            display.clone(),
            text.clone(),
        ));
        let read = values::read_values(file, &display, &text)?;
        values::merge_maps(&mut user, &read.values);
        let mut overriding = read.origins;
        overriding.fill_from(&[], &origins);
        origins = overriding;
    }
    let read_file = |raw: &str| {
        let path = options.input_path(Path::new(raw))?;
        std::fs::read_to_string(&path)
            .map(Value::string)
            .map_err(|e| format!("open {raw}: {}", go_io_error(&e)))
    };
    // Helm's order: JSON first, then --set, --set-string, --set-file and
    // --set-literal, each overriding the ones before.
    let groups: [(&str, &[String], SetStyle<'_>); 5] = [
        ("--set-json", &options.set_json, SetStyle::Json),
        ("--set", &options.set, SetStyle::Typed),
        ("--set-string", &options.set_string, SetStyle::Text),
        ("--set-file", &options.set_file, SetStyle::File(&read_file)),
        ("--set-literal", &options.set_literal, SetStyle::Literal),
    ];
    for (flag, arguments, style) in groups {
        for argument in arguments {
            let display = format!("{flag} {argument}");
            strvals::parse_into(argument, &style, &mut user).map_err(|e| {
                // Helm drops the parser's reason for --set-json.
                let message = match style {
                    SetStyle::Json => format!("failed parsing {flag} data {argument}"),
                    _ => format!("failed parsing {flag} data: {e}"),
                };
                values_error(&display, message)
            })?;
            let file = sources.reuse_or_push(SourceFile::from_text(
                PathBuf::from(&display),
                display.clone(),
                argument.clone(),
            ));
            let span = Span::new(
                file,
                Position::new(1, 1),
                Position::new(1, argument.chars().count() as u32 + 1),
            );
            // The paths this argument writes, read on their own.
            let mut alone = Map::new();
            if strvals::parse_into(argument, &style, &mut alone).is_ok() {
                record_paths(&alone, &mut Vec::new(), span, &mut origins);
            }
        }
    }
    Ok((user, origins))
}

fn record_paths(map: &Map, prefix: &mut Vec<String>, span: Span, origins: &mut ValueOrigins) {
    for (key, value) in map {
        prefix.push(key.clone());
        origins.insert(prefix.clone(), span);
        match value {
            Value::Map(inner) => record_paths(&inner.borrow(), prefix, span, origins),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    prefix.push(i.to_string());
                    origins.insert(prefix.clone(), span);
                    if let Value::Map(inner) = item {
                        record_paths(&inner.borrow(), prefix, span, origins);
                    }
                    prefix.pop();
                }
            }
            _ => {}
        }
        prefix.pop();
    }
}

/// The chart tree with aliases applied; dependencies that are not vendored
/// are reported and left out (Helm refuses to render; Vigie renders the rest).
fn build_scope<'a>(chart: &'a Chart, name: String, diagnostics: &mut Vec<Diagnostic>) -> Scope<'a> {
    let mut metadata = chart.metadata.clone();
    metadata.name = name.clone();
    let matches = |sub: &Chart, dependency: &Dependency| {
        sub.metadata.name == dependency.name
            && (dependency.version.is_empty()
                || constraint::is_compatible(&dependency.version, &sub.metadata.version)
                    .unwrap_or(false))
    };
    // As Helm: vendored charts that no dependency names (at a compatible
    // version) come first and are always rendered; then each dependency,
    // in order, under its alias (one chart can serve several aliases).
    let mut subcharts: Vec<Scope<'a>> = chart
        .subcharts
        .iter()
        .filter(|sub| !metadata.dependencies.iter().any(|d| matches(sub, d)))
        .map(|sub| build_scope(sub, sub.metadata.name.clone(), diagnostics))
        .collect();
    let mut missing = Vec::new();
    for dependency in &mut metadata.dependencies {
        let found = chart.subcharts.iter().find(|sub| matches(sub, dependency));
        // Helm only refuses a dependency whose name is not vendored; one
        // vendored at another version is rendered as undeclared above.
        if found.is_none()
            && !chart
                .subcharts
                .iter()
                .any(|sub| sub.metadata.name == dependency.name)
        {
            missing.push(dependency.clone());
        }
        // As Helm, the alias replaces the name whether or not a vendored
        // chart matched: a disabled alias never disables an undeclared chart
        // of the dependency's real name.
        if !dependency.alias.is_empty() {
            dependency.name = dependency.alias.clone();
        }
        if let Some(sub) = found {
            subcharts.push(build_scope(sub, dependency.name.clone(), diagnostics));
        }
    }
    for dependency in &missing {
        let mut diagnostic = Diagnostic::new(
            DiagnosticLevel::Warning,
            DiagnosticCode::HelmDependency,
            format!("{}/Chart.yaml", chart.path),
            format!(
                "found in Chart.yaml, but missing in charts/ directory: {}; Vigie renders the chart without it (helm would refuse; `helm dependency build` vendors it)",
                dependency.name
            ),
        );
        diagnostic.position = dependency.position;
        diagnostics.push(diagnostic);
    }
    metadata.dependencies.retain(|d| {
        !missing
            .iter()
            .any(|m| m.name == d.name && m.position == d.position)
    });
    Scope {
        chart,
        name,
        metadata,
        values: chart.values.clone(),
        subcharts,
    }
}

/// Helm's `processDependencyEnabled`: tags, then conditions (which win),
/// resolved in the coalesced values; disabled subcharts are dropped.
fn apply_enabled(scope: &mut Scope<'_>, all_values: &Map, path: &str) {
    let tags = match all_values.get("tags") {
        Some(Value::Map(tags)) => tags.entries(),
        _ => Map::new(),
    };
    for dependency in &mut scope.metadata.dependencies {
        dependency.enabled = dependency_enabled(dependency, &tags, all_values, path);
    }
    let disabled: Vec<String> = scope
        .metadata
        .dependencies
        .iter()
        .filter(|d| !d.enabled)
        .map(|d| d.name.clone())
        .collect();
    scope.subcharts.retain(|s| !disabled.contains(&s.name));
    for sub in &mut scope.subcharts {
        let sub_path = format!("{path}{}.", sub.name);
        apply_enabled(sub, all_values, &sub_path);
    }
}

fn dependency_enabled(dependency: &Dependency, tags: &Map, all_values: &Map, path: &str) -> bool {
    let mut enabled = true;
    let (mut has_true, mut has_false) = (false, false);
    for tag in &dependency.tags {
        match tags.get(tag) {
            Some(Value::Bool(true)) => has_true = true,
            Some(Value::Bool(false)) => has_false = true,
            _ => {}
        }
    }
    if has_false && !has_true {
        enabled = false;
    } else if has_true {
        enabled = true;
    }
    for condition in dependency.condition.split(',') {
        let condition = condition.trim();
        if condition.is_empty() {
            continue;
        }
        if let Some(Value::Bool(value)) =
            values::path_value(all_values, &format!("{path}{condition}"))
        {
            return value;
        }
    }
    enabled
}

/// Helm's `processDependencyImportValues`, children first: a chart that
/// declares dependencies gets its defaults merged with theirs, under the
/// values it imports.
fn apply_imports(scope: &mut Scope<'_>, warnings: &mut Vec<String>) {
    for sub in &mut scope.subcharts {
        apply_imports(sub, warnings);
    }
    if scope.chart.metadata.dependencies.is_empty() {
        return;
    }
    let merged = values::merge_values(scope, &scope.values, warnings);
    let mut imported = Map::new();
    for dependency in &mut scope.metadata.dependencies {
        if !dependency.enabled {
            continue;
        }
        let mut rewritten = Vec::new();
        for import in &dependency.import_values {
            let (child, parent) = match import {
                ImportValue::Export(name) => (format!("exports.{name}"), ".".to_string()),
                ImportValue::Path { child, parent } => (child.clone(), parent.clone()),
            };
            let source = format!("{}.{child}", dependency.name);
            match values::path_value(&merged, &source) {
                Some(Value::Map(table)) => {
                    let placed = path_to_map(&parent, table.entries());
                    values::coalesce_tables(&mut imported, &placed, true, warnings, "");
                }
                _ => warnings.push(format!(
                    "Warning: ImportValues missing table from chart {}: {source}",
                    dependency.name
                )),
            }
            rewritten.push(ImportValue::Path { child, parent });
        }
        dependency.import_values = rewritten;
    }
    let mut values = merged;
    values::coalesce_tables(&mut values, &imported, true, warnings, "");
    scope.values = values;
}

/// `{a: {b: table}}` for `a.b`; the table itself for `.`.
fn path_to_map(path: &str, table: Map) -> Map {
    if path == "." || path.is_empty() {
        return table;
    }
    let mut value = Value::map(table);
    for part in path.rsplit('.') {
        let mut outer = Map::new();
        outer.insert(part.to_string(), value);
        value = Value::map(outer);
    }
    match value {
        Value::Map(map) => map.into_entries(),
        _ => Map::new(),
    }
}

/// Adds each chart's `values.yaml` positions under its values path, then
/// the origins of the tables it imports from its subcharts.
fn fill_default_origins(scope: &Scope<'_>, prefix: &mut Vec<String>, origins: &mut ValueOrigins) {
    origins.fill_from(prefix, &scope.chart.values_origins);
    for sub in &scope.subcharts {
        prefix.push(sub.name.clone());
        fill_default_origins(sub, prefix, origins);
        prefix.pop();
    }
    let keys = |path: &str| -> Vec<String> {
        path.split('.')
            .filter(|key| !key.is_empty())
            .map(str::to_string)
            .collect()
    };
    for dependency in scope.metadata.dependencies.iter().filter(|d| d.enabled) {
        for import in &dependency.import_values {
            // `apply_imports` rewrote every import as a path pair.
            let ImportValue::Path { child, parent } = import else {
                continue;
            };
            let mut from = prefix.clone();
            from.push(dependency.name.clone());
            from.extend(keys(child));
            let mut to = prefix.clone();
            to.extend(keys(parent));
            origins.copy_subtree(&from, &to);
        }
    }
}

/// JSON for schema validation, as Helm marshals values.
fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                serde_json::Value::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Bytes(b) => serde_json::Value::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => serde_json::Value::Object(
            m.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Value::Object(o) => serde_json::Value::String(o.display()),
    }
}

/// Validates each chart's values against its `values.schema.json`:
/// (chart name, errors) for each chart that fails.
fn validate(scope: &Scope<'_>, values: &Map) -> Vec<(String, Vec<String>)> {
    let mut failures = Vec::new();
    if let Some(schema) = &scope.chart.schema {
        let instance = to_json(&Value::map(values.clone()));
        match jsonschema::validator_for(schema) {
            Ok(validator) => {
                let mut errors: Vec<(SchemaErrorOrder, String)> = validator
                    .iter_errors(&instance)
                    .flat_map(|e| {
                        let order = SchemaErrorOrder::of(&e, schema);
                        schema_messages(&e)
                            .into_iter()
                            .map(move |m| (order.clone(), m))
                    })
                    .collect();
                errors.sort();
                let errors: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
                if !errors.is_empty() {
                    failures.push((scope.name.clone(), errors));
                }
            }
            Err(e) => failures.push((scope.name.clone(), vec![format!("invalid schema: {e}")])),
        }
    }
    for sub in &scope.subcharts {
        let sub_values = match values.get(&sub.name) {
            Some(Value::Map(m)) => m.entries(),
            _ => Map::new(),
        };
        failures.extend(validate(sub, &sub_values));
    }
    failures
}

/// Where Helm (gojsonschema) prints a schema error, as far as its order is
/// fixed: a value's own errors before its properties' (`required` ones in the
/// order the schema lists them), array items in index order. Helm visits
/// sibling properties in Go's random map order; Vigie uses key order.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SchemaErrorOrder {
    /// The instance path: an index sorts by number, a key by text.
    path: Vec<(u64, String)>,
    /// The position in the schema's `required` list; other errors after.
    rank: usize,
}

impl SchemaErrorOrder {
    fn of(error: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> Self {
        let pointer = error.instance_path().as_str().to_string();
        let path = pointer
            .split('/')
            .skip(1)
            .map(|segment| {
                let key = segment.replace("~1", "/").replace("~0", "~");
                (key.parse::<u64>().unwrap_or(u64::MAX), key)
            })
            .collect();
        let rank = match error.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } => schema
                .pointer(error.schema_path().as_str())
                .and_then(serde_json::Value::as_array)
                .and_then(|list| list.iter().position(|p| p == property))
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        SchemaErrorOrder { path, rank }
    }
}

/// One schema error in gojsonschema's words, which Helm prints:
/// `image: repository is required`, `replicaCount: Must be greater than or
/// equal to 1`, `(root)` for the top.
fn schema_messages(error: &jsonschema::ValidationError<'_>) -> Vec<String> {
    use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
    let path = error.instance_path().to_string();
    let location = if path.is_empty() {
        "(root)".to_string()
    } else {
        path.trim_start_matches('/').replace('/', ".")
    };
    let given = match error.instance().as_ref() {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    };
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let message = match error.kind() {
        Kind::Required { property } => format!("{} is required", text(property)),
        Kind::Type {
            kind: TypeKind::Single(expected),
        } => {
            format!("Invalid type. Expected: {expected}, given: {given}")
        }
        Kind::Minimum { limit } => format!("Must be greater than or equal to {limit}"),
        Kind::Maximum { limit } => format!("Must be less than or equal to {limit}"),
        Kind::ExclusiveMinimum { limit } => format!("Must be greater than {limit}"),
        Kind::ExclusiveMaximum { limit } => format!("Must be less than {limit}"),
        Kind::MinLength { limit } => {
            format!("String length must be greater than or equal to {limit}")
        }
        Kind::MaxLength { limit } => format!("String length must be less than or equal to {limit}"),
        Kind::Pattern { pattern } => format!("Does not match pattern '{pattern}'"),
        Kind::Enum { options } => {
            let allowed: Vec<String> = match options.as_ref() {
                serde_json::Value::Array(items) => items.iter().map(|v| v.to_string()).collect(),
                other => vec![other.to_string()],
            };
            let field = location.rsplit('.').next().unwrap_or(&location).to_string();
            format!(
                "{field} must be one of the following: {}",
                allowed.join(", ")
            )
        }
        Kind::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|p| format!("{location}: Additional property {p} is not allowed"))
                .collect();
        }
        _ => error.to_string(),
    };
    vec![format!("{location}: {message}")]
}

/// What every template of a render shares.
struct Context {
    release: Value,
    capabilities: Value,
    include_crds: bool,
}

/// Adds the templates and CRDs of `scope` and its subcharts; returns the
/// chart's render scope (what `.Subcharts.<name>` shows: the same map).
#[allow(clippy::too_many_arguments)]
fn collect(
    scope: &Scope<'_>,
    values: &Value,
    values_path: &[String],
    parent_path: &str,
    context: &Context,
    templates: &mut Vec<PreparedTemplate>,
    crds: &mut Vec<CrdFile>,
    sources: &SourceMap,
) -> Value {
    let full_path = if parent_path.is_empty() {
        scope.name.clone()
    } else {
        format!("{parent_path}/charts/{}", scope.name)
    };
    // Helm names the subcharts of an aliased chart under its real name
    // (`top/charts/mid/charts/leaf/…` while mid's own templates are
    // `top/charts/middle/…`).
    let children_path = if parent_path.is_empty() {
        full_path.clone()
    } else {
        format!("{parent_path}/charts/{}", scope.chart.metadata.name)
    };
    let mut data = Map::new();
    data.insert("Values".into(), values.clone());
    data.insert("Release".into(), context.release.clone());
    data.insert("Capabilities".into(), context.capabilities.clone());
    data.insert(
        "Chart".into(),
        objects::chart(&scope.metadata, parent_path.is_empty()),
    );
    data.insert(
        "Files".into(),
        Value::Object(Rc::new(Files::new(scope.chart.files.clone()))),
    );
    let mut own_templates = Vec::new();
    let library = scope.metadata.is_library();
    for template in &scope.chart.templates {
        let base = template.path.rsplit('/').next().unwrap_or_default();
        let partial = base.starts_with('_');
        if library && !partial {
            continue;
        }
        let name = format!("{full_path}/{}", template.path);
        let render = !partial && !library && !name.ends_with("NOTES.txt");
        own_templates.push((name, template.file, render));
    }
    if context.include_crds {
        for crd in &scope.chart.crds {
            if [".yaml", ".yml", ".json"]
                .iter()
                .any(|ext| crd.path.ends_with(ext))
            {
                crds.push(CrdFile {
                    name: format!("{full_path}/{}", crd.path),
                    file: crd.file,
                    text: sources.get(crd.file).text.clone(),
                });
            }
        }
    }
    // Subcharts are collected first (their scopes feed `.Subcharts`) but
    // listed after the parent's own templates.
    let mut subcharts = Map::new();
    let mut nested = Vec::new();
    for sub in &scope.subcharts {
        // The same map as the parent's `.Values.<sub>`: a change through
        // one is seen through the other.
        let sub_values = match values {
            Value::Map(m) => m.borrow().get(&sub.name).cloned().unwrap_or_default(),
            _ => Value::Nil,
        };
        let mut sub_values_path = values_path.to_vec();
        sub_values_path.push(sub.name.clone());
        let sub_data = collect(
            sub,
            &sub_values,
            &sub_values_path,
            &children_path,
            context,
            &mut nested,
            crds,
            sources,
        );
        subcharts.insert(sub.name.clone(), sub_data);
    }
    data.insert("Subcharts".into(), Value::map(subcharts));
    let scope = Value::map(data);
    for (name, file, render) in own_templates {
        let template = objects::template(&name, &format!("{full_path}/templates"));
        templates.push(PreparedTemplate {
            name,
            file,
            render,
            scope: scope.clone(),
            template,
            values_path: values_path.to_vec(),
        });
    }
    templates.extend(nested);
    scope
}

impl PreparedTemplate {
    /// The template's `.`: its chart's scope with `.Template` set to this
    /// template, which Helm writes into the shared scope before each render.
    pub fn dot(&self) -> Value {
        if let Value::Map(scope) = &self.scope {
            scope
                .borrow_mut()
                .insert("Template".into(), self.template.clone());
        }
        self.scope.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::helm::chart::values::tests_support::to_json_text;

    fn shop() -> (Chart, SourceMap) {
        let mut sources = SourceMap::default();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm/shop");
        (Chart::load(&dir, &mut sources).unwrap(), sources)
    }

    fn field(value: &Value, key: &str) -> Value {
        match value {
            Value::Map(m) => m.borrow().get(key).cloned().unwrap_or_default(),
            Value::Object(o) => o.field(key).unwrap_or_default(),
            _ => Value::Nil,
        }
    }

    /// `.Values` of the shop chart (without its unvendored `metrics`
    /// dependency) as `helm template` 3.17.3 printed it with `toJson`.
    #[test]
    fn shop_values_like_helm() {
        let (chart, mut sources) = shop();
        let prepared = prepare(&chart, &RenderOptions::default(), &mut sources).unwrap();
        assert_eq!(
            to_json_text(&prepared.values),
            r#"{"audit":{"exports":{"defaults":{"logLevel":"info"}},"global":{"region":"eu-west"},"settings":{"format":"json"}},"cache":{"enabled":true,"global":{"region":"eu-west","tier":"cache"},"size":64},"global":{"region":"eu-west"},"image":{"repository":"registry.example.org/shop","tag":"2.1.0"},"imported":{"format":"json"},"logLevel":"info","metrics":{"enabled":false},"replicaCount":2,"tags":{"backend":true}}"#
        );
        let missing = prepared
            .diagnostics
            .iter()
            .find(|d| d.code == DiagnosticCode::HelmDependency)
            .unwrap();
        assert!(
            missing
                .message
                .starts_with("found in Chart.yaml, but missing in charts/ directory: metrics;")
        );
        assert_eq!(missing.position, Some(Position::new(29, 5)));
        let names: Vec<(&str, bool)> = prepared
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.render))
            .collect();
        assert_eq!(
            names,
            [
                ("shop/templates/NOTES.txt", false),
                ("shop/templates/_helpers.tpl", false),
                ("shop/templates/configmap.yaml", true),
                ("shop/templates/deployment.yaml", true),
                ("shop/charts/cache/templates/service.yaml", true),
                ("shop/charts/audit/templates/cm.yaml", true),
            ]
        );
        let audit = &prepared.templates[5].dot();
        assert_eq!(
            to_json_text(&field(audit, "Values")),
            r#"{"exports":{"defaults":{"logLevel":"info"}},"global":{"region":"eu-west"},"settings":{"format":"json"}}"#
        );
        assert_eq!(
            field(&field(audit, "Chart"), "Name"),
            Value::string("audit")
        );
        assert_eq!(prepared.templates[5].values_path, ["audit"]);
        assert!(prepared.templates[2].values_path.is_empty());
        assert_eq!(field(&field(audit, "Chart"), "IsRoot"), Value::Bool(false));
        assert_eq!(
            field(&field(audit, "Template"), "BasePath"),
            Value::string("shop/charts/audit/templates")
        );
        let root = &prepared.templates[2].dot();
        let Value::Map(subcharts) = field(root, "Subcharts") else {
            panic!()
        };
        assert_eq!(
            subcharts.borrow().keys().cloned().collect::<Vec<_>>(),
            ["audit", "cache"]
        );
        assert_eq!(
            field(&field(root, "Release"), "Name"),
            Value::string("release-name")
        );
        let tag = prepared.origins.get(&["image", "tag"]).unwrap();
        assert!(sources.get(tag.file).display.ends_with("shop/values.yaml"));
        assert_eq!(tag.start.line, 4);
        let cache_size = prepared.origins.get(&["cache", "size"]).unwrap();
        assert!(
            sources
                .get(cache_size.file)
                .display
                .ends_with("shop/values.yaml")
        );
    }

    #[test]
    fn conditions_tags_and_set_values() {
        let (chart, mut sources) = shop();
        let options = RenderOptions {
            set: vec!["cache.enabled=false,replicaCount=3".to_string()],
            include_crds: true,
            ..RenderOptions::default()
        };
        let prepared = prepare(&chart, &options, &mut sources).unwrap();
        assert!(
            !prepared
                .templates
                .iter()
                .any(|t| t.name.contains("/cache/"))
        );
        assert_eq!(field(&prepared.values, "replicaCount"), Value::Int(3));
        let origin = prepared.origins.get(&["replicaCount"]).unwrap();
        assert_eq!(
            sources.get(origin.file).display,
            "--set cache.enabled=false,replicaCount=3"
        );
        assert_eq!(prepared.crds[0].name, "shop/crds/widget.yaml");
        // A false tag disables the chart when no condition decides.
        let options = RenderOptions {
            set: vec!["tags.backend=false".to_string()],
            ..RenderOptions::default()
        };
        let prepared = prepare(&chart, &options, &mut sources).unwrap();
        assert!(
            prepared
                .templates
                .iter()
                .any(|t| t.name.contains("/cache/")),
            "the condition wins over the tag"
        );
        let options = RenderOptions {
            set: vec![
                "tags.backend=false".to_string(),
                "cache.enabled=null".to_string(),
            ],
            ..RenderOptions::default()
        };
        let prepared = prepare(&chart, &options, &mut sources).unwrap();
        assert!(
            !prepared
                .templates
                .iter()
                .any(|t| t.name.contains("/cache/"))
        );
    }

    #[test]
    fn schema_errors_fail_like_helm() {
        let (chart, mut sources) = shop();
        let options = RenderOptions {
            set: vec![
                "replicaCount=0".to_string(),
                "image.repository=null".to_string(),
            ],
            ..RenderOptions::default()
        };
        let errors = prepare(&chart, &options, &mut sources).unwrap_err();
        let error = errors
            .iter()
            .find(|d| d.code == DiagnosticCode::HelmValues)
            .unwrap();
        assert!(
            error.message.starts_with("values don't meet the specifications of the schema(s) in the following chart(s):\nshop:\n- "),
            "{}",
            error.message
        );
        // The errors helm 3.17.3 prints for the same values.
        assert!(error.message.ends_with("shop:\n- image: repository is required\n- replicaCount: Must be greater than or equal to 1"), "{}", error.message);
        let bad = RenderOptions {
            set: vec!["a".to_string()],
            ..RenderOptions::default()
        };
        let errors = prepare(&chart, &bad, &mut sources).unwrap_err();
        assert_eq!(
            errors[0].message,
            "failed parsing --set data: key \"a\" has no value"
        );
    }

    /// testdata/helm/nested with `--set middle.leaf.size=3`: each template's
    /// `.Values` as `helm template` 3.17.3 printed it with `toJson`.
    #[test]
    fn nested_aliased_and_library_charts_like_helm() {
        let mut sources = SourceMap::default();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm/nested");
        let chart = Chart::load(&dir, &mut sources).unwrap();
        let options = RenderOptions {
            set: vec!["middle.leaf.size=3".to_string()],
            ..RenderOptions::default()
        };
        let prepared = prepare(&chart, &options, &mut sources).unwrap();
        let seen: Vec<(&str, bool, String)> = prepared
            .templates
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.render,
                    to_json_text(&field(&t.scope, "Values")),
                )
            })
            .collect();
        let leaf = r#"{"colour":"red","global":{"env":"prod","extra":"x","labels":{"team":"a","tier":"mid"}},"size":3}"#;
        let mid = format!(
            r#"{{"global":{{"env":"prod","labels":{{"team":"a","tier":"mid"}}}},"leaf":{leaf},"true":true}}"#
        );
        let lib = r#"{"global":{"env":"prod","labels":{"team":"a"}}}"#;
        let top = format!(
            r#"{{"global":{{"env":"prod","labels":{{"team":"a"}}}},"lib":{lib},"middle":{mid}}}"#
        );
        assert_eq!(
            seen,
            vec![
                ("top/templates/NOTES.txt", false, top.clone()),
                ("top/templates/values.yaml", true, top.clone()),
                ("top/charts/middle/templates/values.yaml", true, mid.clone()),
                (
                    "top/charts/mid/charts/leaf/templates/values.yaml",
                    true,
                    leaf.to_string()
                ),
                ("top/charts/lib/templates/_x.tpl", false, lib.to_string()),
            ]
        );
    }

    #[test]
    fn kube_version_constraint_like_helm() {
        let (chart, mut sources) = shop();
        let old = RenderOptions {
            kube_version: Some("1.24".to_string()),
            ..RenderOptions::default()
        };
        let errors = prepare(&chart, &old, &mut sources).unwrap_err();
        assert_eq!(
            errors.last().unwrap().message,
            "chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.24.0"
        );
        let gke = RenderOptions {
            kube_version: Some("v1.29.3-gke.1".to_string()),
            ..RenderOptions::default()
        };
        assert!(prepare(&chart, &gke, &mut sources).is_ok());
    }

    #[test]
    fn values_files_then_set_flags_in_helm_order() {
        let (chart, mut sources) = shop();
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.yaml");
        let second = dir.path().join("second.yaml");
        let note = dir.path().join("note.txt");
        std::fs::write(&first, "replicaCount: 4\nimage:\n  tag: a\n").unwrap();
        std::fs::write(&second, "image:\n  tag: b\n").unwrap();
        std::fs::write(&note, "hello\n").unwrap();
        let options = RenderOptions {
            values_files: vec![first.clone(), second.clone()],
            set_json: vec![r#"extra={"n":1}"#.to_string()],
            set: vec!["extra.n=2".to_string()],
            set_string: vec!["extra.s=3".to_string()],
            set_file: vec![format!("extra.note={}", note.display())],
            ..RenderOptions::default()
        };
        let prepared = prepare(&chart, &options, &mut sources).unwrap();
        assert_eq!(field(&prepared.values, "replicaCount"), Value::Float(4.0));
        assert_eq!(
            to_json_text(&field(&prepared.values, "extra")),
            r#"{"n":2,"note":"hello\n","s":"3"}"#
        );
        assert_eq!(
            to_json_text(&field(&prepared.values, "image")),
            r#"{"repository":"registry.example.org/shop","tag":"b"}"#
        );
        let tag = prepared.origins.get(&["image", "tag"]).unwrap();
        assert_eq!(sources.get(tag.file).path, second);
        let replicas = prepared.origins.get(&["replicaCount"]).unwrap();
        assert_eq!(sources.get(replicas.file).path, first);
        let missing = RenderOptions {
            values_files: vec![dir.path().join("absent.yaml")],
            ..RenderOptions::default()
        };
        let errors = prepare(&chart, &missing, &mut sources).unwrap_err();
        assert_eq!(
            errors[0].message,
            format!(
                "open {}: no such file or directory",
                dir.path().join("absent.yaml").display()
            )
        );
    }

    /// `helm template` 3.17.3 renders `sub` under its own name when the
    /// declared version does not match the vendored one, and says nothing.
    #[test]
    fn a_dependency_at_another_version_is_rendered_as_undeclared() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("charts/sub/templates")).unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: p3\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 9.0.0\n  alias: other\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("charts/sub/Chart.yaml"),
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("charts/sub/templates/a.yaml"), "a: 1\n").unwrap();
        let mut sources = SourceMap::default();
        let chart = Chart::load(dir.path(), &mut sources).unwrap();
        let prepared = prepare(&chart, &RenderOptions::default(), &mut sources).unwrap();
        let names: Vec<&str> = prepared.templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p3/charts/sub/templates/a.yaml"]);
        assert!(
            prepared.diagnostics.is_empty(),
            "{:?}",
            prepared.diagnostics
        );
    }

    /// `helm template` 3.17.3 still renders the vendored `sub` 8.0.0 when
    /// the only dependency naming it (`7.x.x`, aliased) is disabled: the
    /// condition disables the alias, not the undeclared chart.
    #[test]
    fn a_disabled_alias_does_not_disable_a_chart_at_another_version() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("charts/sub/templates")).unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- name: sub\n  alias: suba\n  condition: suba.enabled\n  version: 7.x.x\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("values.yaml"), "suba: {enabled: false}\n").unwrap();
        std::fs::write(
            dir.path().join("charts/sub/Chart.yaml"),
            "apiVersion: v2\nname: sub\nversion: 8.0.0\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("charts/sub/templates/cm.yaml"), "a: 1\n").unwrap();
        let mut sources = SourceMap::default();
        let chart = Chart::load(dir.path(), &mut sources).unwrap();
        let prepared = prepare(&chart, &RenderOptions::default(), &mut sources).unwrap();
        let names: Vec<&str> = prepared.templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p/charts/sub/templates/cm.yaml"]);
    }

    #[test]
    fn path_to_map_nests() {
        let mut table = Map::new();
        table.insert("k".into(), Value::Int(1));
        assert_eq!(
            to_json_text(&Value::map(path_to_map("a.b", table.clone()))),
            r#"{"a":{"b":{"k":1}}}"#
        );
        assert_eq!(
            to_json_text(&Value::map(path_to_map(".", table))),
            r#"{"k":1}"#
        );
    }
}
