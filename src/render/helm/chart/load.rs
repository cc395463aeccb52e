//! Loading a chart like Helm's `loader.Load`: from a directory (honouring
//! `.helmignore`, following symbolic links that stay inside the scanned
//! tree) or from a `.tgz` (a packaged chart, or a subchart in `charts/`);
//! files sorted into metadata, values, schema, templates, CRDs and `.Files`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::archive::{self, Entry, MAX_CHART_SIZE, MAX_FILE_SIZE};
use super::helmignore::IgnoreRules;
use super::values::{self, ValueOrigins};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::render::helm::value::Map;
use crate::source::yaml::{self, Limits, Node};
use crate::source::{FileId, Position, SourceFile, SourceMap, sha256_hex};

/// A loaded chart and its vendored subcharts.
#[derive(Debug)]
pub struct Chart {
    pub metadata: Metadata,
    /// Display path of the chart's directory or archive.
    pub path: String,
    /// `values.yaml`, read like Helm reads it.
    pub values: Map,
    /// Where each default value is written in `values.yaml`.
    pub values_origins: ValueOrigins,
    /// `values.schema.json`, when present.
    pub schema: Option<serde_json::Value>,
    /// Every file under `templates/`, by path relative to the chart.
    pub templates: Vec<ChartFile>,
    /// Files under `crds/`.
    pub crds: Vec<ChartFile>,
    /// What `.Files` sees: every other file (including `crds/`), by path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Vendored subcharts (`charts/<name>/` and `charts/*.tgz`), in path order.
    pub subcharts: Vec<Chart>,
    /// Warnings met while loading (skipped links, undecodable files).
    pub warnings: Vec<Diagnostic>,
}

/// A text file of a chart, added to the [`SourceMap`].
#[derive(Clone, Debug)]
pub struct ChartFile {
    /// Path relative to the chart root (`templates/deployment.yaml`).
    pub path: String,
    pub file: FileId,
}

/// `Chart.yaml` (Helm's `chart.Metadata`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub kube_version: String,
    pub description: String,
    /// `application`, `library` or empty.
    pub chart_type: String,
    pub keywords: Vec<String>,
    pub home: String,
    pub sources: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: BTreeMap<String, String>,
    pub condition: String,
    pub tags: String,
    pub dependencies: Vec<Dependency>,
    /// Where each top-level field starts in Chart.yaml (`""`: the document).
    pub positions: BTreeMap<String, Position>,
}

/// One maintainer of a chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One entry of `dependencies` (Chart.yaml, or requirements.yaml for v1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub import_values: Vec<ImportValue>,
    pub alias: String,
    /// Where the entry starts in Chart.yaml (or requirements.yaml).
    pub position: Option<Position>,
}

/// One `import-values` item.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportValue {
    /// `- data`: the child's `exports.data`, merged at the parent's root.
    Export(String),
    /// `- child: a.b / parent: c`: the child's table `a.b` at the parent's `c`.
    Path { child: String, parent: String },
}

impl Metadata {
    /// True for `type: library` charts, whose templates are never rendered.
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }
}

impl Chart {
    /// Loads the chart in directory `dir`, adding its text files to `sources`;
    /// links must stay inside `dir`.
    pub fn load(dir: &Path, sources: &mut SourceMap) -> Result<Chart, Diagnostic> {
        Chart::load_within(dir, None, sources)
    }

    /// Loads the chart at `path` (a directory, or a packaged `.tgz` whose
    /// files are shown as `path/<file in the chart>`); symbolic links are
    /// followed when they resolve inside `root` (`None`: the chart's
    /// directory).
    pub fn load_within(
        path: &Path,
        root: Option<&Path>,
        sources: &mut SourceMap,
    ) -> Result<Chart, Diagnostic> {
        let display = path.display().to_string().replace('\\', "/");
        let mut budget = MAX_CHART_SIZE;
        if path.is_file() {
            let bytes = std::fs::read(path)
                .map_err(|e| chart_error(&display, format!("cannot read the chart: {e}")))?;
            let entries = archive::unpack(&bytes, &mut budget)
                .map_err(|e| chart_error(&display, format!("cannot unpack the chart: {e}")))?;
            return from_entries(entries, &display, &Origin::Archive, 0, &mut budget, sources);
        }
        let mut skipped = Vec::new();
        let root = root
            .unwrap_or(path)
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf());
        let entries = read_dir_entries(path, &display, &root, &mut skipped)?;
        let origin = Origin::Directory(path.to_path_buf());
        let mut chart = from_entries(entries, &display, &origin, 0, &mut budget, sources)?;
        chart.warnings.extend(skipped);
        Ok(chart)
    }
}

/// Where a chart's files live on disk, for the [`SourceMap`].
enum Origin {
    Directory(PathBuf),
    Archive,
}

fn chart_error(path: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        DiagnosticLevel::Error,
        DiagnosticCode::HelmChart,
        path,
        message,
    )
}

/// Reads a chart directory: every file not ignored by `.helmignore`, in path
/// order. Links are followed as Helm follows them, unless they resolve
/// outside `root` or into a directory being read (skipped, with a warning
/// in `skipped`).
fn read_dir_entries(
    dir: &Path,
    display: &str,
    root: &Path,
    skipped: &mut Vec<Diagnostic>,
) -> Result<Vec<Entry>, Diagnostic> {
    let ignore_text = match std::fs::read_to_string(dir.join(".helmignore")) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(chart_error(
                display,
                format!("cannot read .helmignore: {e}"),
            ));
        }
    };
    let rules = IgnoreRules::parse(&ignore_text)
        .map_err(|e| chart_error(&format!("{display}/.helmignore"), e))?;
    let mut entries = Vec::new();
    let mut total = 0u64;
    let mut walk_state = Walk {
        rules: &rules,
        entries: &mut entries,
        total: &mut total,
        display,
        skipped,
        root,
        open_dirs: dir.canonicalize().into_iter().collect(),
    };
    walk_state.walk(dir, "")?;
    Ok(entries)
}

/// The state of a chart directory walk.
struct Walk<'a> {
    rules: &'a IgnoreRules,
    entries: &'a mut Vec<Entry>,
    total: &'a mut u64,
    display: &'a str,
    skipped: &'a mut Vec<Diagnostic>,
    /// Links must resolve inside this directory (canonical).
    root: &'a Path,
    /// The real paths of the directories being read, to stop link loops.
    open_dirs: Vec<PathBuf>,
}

impl Walk<'_> {
    fn walk(&mut self, dir: &Path, prefix: &str) -> Result<(), Diagnostic> {
        let display = self.display;
        let read = std::fs::read_dir(dir)
            .map_err(|e| chart_error(display, format!("cannot read {}: {e}", dir.display())))?;
        // The entry's own type (from the directory listing on most file
        // systems) saves a stat per file; it never follows a link.
        let mut children: Vec<(String, PathBuf, Option<std::fs::FileType>)> = read
            .filter_map(|e| e.ok())
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, e.path(), e.file_type().ok())
            })
            .collect();
        children.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        for (name, path, file_type) in children {
            let relative = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let Some(mut file_type) = file_type else {
                continue;
            };
            let mut real = None;
            if file_type.is_symlink() {
                match self.follow(&path) {
                    Ok((target, target_meta)) => {
                        file_type = target_meta.file_type();
                        real = Some(target);
                    }
                    Err((code, why)) => {
                        self.skipped.push(Diagnostic::new(
                            DiagnosticLevel::Warning,
                            code,
                            format!("{display}/{relative}"),
                            format!("symbolic link not followed: {why}"),
                        ));
                        continue;
                    }
                }
            }
            if self.rules.ignores(&relative, file_type.is_dir()) {
                continue;
            }
            if file_type.is_dir() {
                let Some(real) = real.or_else(|| path.canonicalize().ok()) else {
                    continue;
                };
                if self.open_dirs.contains(&real) {
                    self.skipped.push(Diagnostic::new(
                        DiagnosticLevel::Warning,
                        DiagnosticCode::SymlinkLoop,
                        format!("{display}/{relative}"),
                        "symbolic link not followed: it leads back into a directory being read (a loop)",
                    ));
                    continue;
                }
                self.open_dirs.push(real);
                let walked = self.walk(&path, &relative);
                self.open_dirs.pop();
                walked?;
                continue;
            }
            // A FIFO, socket or device would block or never end: not read.
            if !file_type.is_file() {
                self.skipped.push(Diagnostic::new(
                    DiagnosticLevel::Warning,
                    DiagnosticCode::HelmChart,
                    format!("{display}/{relative}"),
                    "not a regular file (a FIFO, socket or device): not read",
                ));
                continue;
            }
            let bytes = read_bounded(&path)
                .map_err(|e| chart_error(display, format!("cannot read {relative}: {e}")))?
                .ok_or_else(|| {
                    chart_error(
                        display,
                        format!("{relative} is larger than the maximum file size {MAX_FILE_SIZE}"),
                    )
                })?;
            *self.total += bytes.len() as u64;
            if *self.total > MAX_CHART_SIZE {
                return Err(chart_error(
                    display,
                    format!("chart is larger than the maximum size {MAX_CHART_SIZE}"),
                ));
            }
            self.entries.push(Entry {
                path: relative,
                bytes,
            });
        }
        Ok(())
    }
}

impl Walk<'_> {
    /// The real path and metadata of a link's target, or why it is not read.
    fn follow(
        &self,
        link: &Path,
    ) -> Result<(PathBuf, std::fs::Metadata), (DiagnosticCode, String)> {
        let unreadable = |e: std::io::Error| {
            (
                DiagnosticCode::Unreadable,
                format!("its target cannot be read ({e})"),
            )
        };
        let target = link.canonicalize().map_err(unreadable)?;
        if !target.starts_with(self.root) {
            return Err((
                DiagnosticCode::SymlinkOutsideRoot,
                format!(
                    "it points outside the scanned directory, to {}",
                    target.display()
                ),
            ));
        }
        let meta = std::fs::metadata(&target).map_err(unreadable)?;
        Ok((target, meta))
    }
}

/// A file's bytes; `None` when it is larger than [`MAX_FILE_SIZE`] (the size
/// is read from the open file, so it is not read into memory then).
fn read_bounded(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_FILE_SIZE {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while read stops at the limit plus one byte.
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Adds a chart file's text to the source map.
fn add_source(
    sources: &mut SourceMap,
    origin: &Origin,
    chart_display: &str,
    entry: &Entry,
    warnings: &mut Vec<Diagnostic>,
) -> FileId {
    let display = format!("{chart_display}/{}", entry.path);
    let body = entry
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&entry.bytes);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text.to_string(),
        Err(_) => {
            warnings.push(Diagnostic::new(
                DiagnosticLevel::Warning,
                DiagnosticCode::InvalidEncoding,
                display.clone(),
                "the file is not UTF-8 text; invalid bytes were replaced",
            ));
            String::from_utf8_lossy(body).into_owned()
        }
    };
    let path = match origin {
        Origin::Directory(dir) => dir.join(&entry.path),
        Origin::Archive => PathBuf::from(&display),
    };
    // The text is the bytes read unless a BOM was cut or bytes replaced:
    // only then must the bytes be hashed now.
    let file = if text.as_bytes() == entry.bytes.as_slice() {
        SourceFile::from_text(path, display, text)
    } else {
        let sha256 = sha256_hex(&entry.bytes);
        SourceFile::new(path, display, text, sha256)
    };
    sources.push(file)
}

/// Subcharts nest at most this deep.
const MAX_DEPTH: usize = 16;

/// Builds a chart from its files, like Helm's `loader.LoadFiles`; `depth`
/// counts the charts above it and `budget` is what archives may still unpack.
fn from_entries(
    entries: Vec<Entry>,
    display: &str,
    origin: &Origin,
    depth: usize,
    budget: &mut u64,
    sources: &mut SourceMap,
) -> Result<Chart, Diagnostic> {
    if depth > MAX_DEPTH {
        return Err(chart_error(
            display,
            format!("subcharts nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    let mut warnings = Vec::new();
    let mut metadata = None;
    let mut requirements = None;
    let mut values_file = None;
    let mut schema = None;
    let mut templates = Vec::new();
    let mut crds = Vec::new();
    let mut files = BTreeMap::new();
    let mut subchart_entries: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for entry in entries {
        match entry.path.as_str() {
            "Chart.yaml" => {
                let file = add_source(sources, origin, display, &entry, &mut warnings);
                metadata = Some((file, sources.get(file).text.clone()));
            }
            "requirements.yaml" => {
                let file = add_source(sources, origin, display, &entry, &mut warnings);
                requirements = Some((file, sources.get(file).text.clone()));
            }
            "requirements.lock" | "Chart.lock" => {}
            "values.yaml" => {
                let file = add_source(sources, origin, display, &entry, &mut warnings);
                values_file = Some((file, sources.get(file).text.clone()));
            }
            "values.schema.json" => {
                let parsed = serde_json::from_slice(&entry.bytes).map_err(|e| {
                    chart_error(
                        &format!("{display}/values.schema.json"),
                        format!("invalid JSON: {e}"),
                    )
                })?;
                schema = Some(parsed);
            }
            path if path.starts_with("templates/") => {
                let file = add_source(sources, origin, display, &entry, &mut warnings);
                templates.push(ChartFile {
                    path: entry.path.clone(),
                    file,
                });
            }
            path if path.starts_with("charts/") && !path.ends_with(".prov") => {
                let rest = &path["charts/".len()..];
                let (name, inner) = rest.split_once('/').unwrap_or((rest, ""));
                subchart_entries
                    .entry(name.to_string())
                    .or_default()
                    .push(Entry {
                        path: inner.to_string(),
                        bytes: entry.bytes,
                    });
            }
            path => {
                if path.starts_with("crds/") {
                    let file = add_source(sources, origin, display, &entry, &mut warnings);
                    crds.push(ChartFile {
                        path: entry.path.clone(),
                        file,
                    });
                }
                files.insert(entry.path, entry.bytes);
            }
        }
    }
    let Some((metadata_file, metadata_text)) = metadata else {
        return Err(chart_error(display, "Chart.yaml file is missing"));
    };
    let chart_yaml = format!("{display}/Chart.yaml");
    let mut metadata = parse_metadata(metadata_file, &chart_yaml, &metadata_text)?;
    if metadata.api_version.is_empty() {
        metadata.api_version = "v1".to_string();
    }
    // Helm reads requirements.yaml whatever the apiVersion, with a warning
    // for v2 charts.
    if let Some((file, text)) = requirements {
        let requirements_display = format!("{display}/requirements.yaml");
        let root = first_document(file, &requirements_display, &text)?;
        if let Some(dependencies) = root.as_ref().and_then(|r| r.get("dependencies")) {
            metadata.dependencies = parse_dependencies(Some(dependencies));
        }
        if metadata.api_version != "v1" {
            warnings.push(Diagnostic::new(
                DiagnosticLevel::Warning,
                DiagnosticCode::HelmChart,
                requirements_display,
                "Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
            ));
        }
    }
    validate_metadata(&metadata, &chart_yaml)?;
    let (values, values_origins) = match values_file {
        Some((file, text)) => {
            let read = values::read_values(file, &format!("{display}/values.yaml"), &text)?;
            (read.values, read.origins)
        }
        None => (Map::new(), ValueOrigins::default()),
    };
    let mut subcharts = Vec::new();
    for (name, entries) in subchart_entries {
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let sub_display = format!("{display}/charts/{name}");
        let is_archive = entries.len() == 1 && entries[0].path.is_empty();
        let sub = if is_archive {
            let unpacked = archive::unpack(&entries[0].bytes, budget).map_err(|e| {
                chart_error(
                    &sub_display,
                    format!("error unpacking subchart {name} in {}: {e}", metadata.name),
                )
            })?;
            from_entries(
                unpacked,
                &sub_display,
                &Origin::Archive,
                depth + 1,
                budget,
                sources,
            )?
        } else {
            let sub_origin = match origin {
                Origin::Directory(dir) => Origin::Directory(dir.join("charts").join(&name)),
                Origin::Archive => Origin::Archive,
            };
            from_entries(
                entries,
                &sub_display,
                &sub_origin,
                depth + 1,
                budget,
                sources,
            )?
        };
        subcharts.push(sub);
    }
    Ok(Chart {
        metadata,
        path: display.to_string(),
        values,
        values_origins,
        schema,
        templates,
        crds,
        files,
        subcharts,
        warnings,
    })
}

fn first_document(file: FileId, display: &str, text: &str) -> Result<Option<Node>, Diagnostic> {
    let documents = yaml::load(file, display, text, Limits::default()).documents_or_error()?;
    Ok(documents.into_iter().next().map(|d| d.root))
}

fn text_of(node: Option<&Node>) -> String {
    match node.map(|n| &n.value) {
        Some(yaml::Value::Str(s)) => s.to_string(),
        Some(yaml::Value::Null) | None => String::new(),
        Some(_) => node.map(|n| n.display_scalar()).unwrap_or_default(),
    }
}

fn texts_of(node: Option<&Node>) -> Vec<String> {
    node.map(|n| n.items().iter().map(|item| text_of(Some(item))).collect())
        .unwrap_or_default()
}

fn parse_metadata(file: FileId, display: &str, text: &str) -> Result<Metadata, Diagnostic> {
    let Some(root) = first_document(file, display, text)? else {
        return Err(chart_error(
            display,
            "validation: chart.metadata is required",
        ));
    };
    if root.as_map().is_none() {
        return Err(
            chart_error(display, "cannot load Chart.yaml: not a mapping").at(root.span.start),
        );
    }
    let field = |key: &str| text_of(root.get(key));
    let maintainers = root
        .get("maintainers")
        .map(|m| {
            m.items()
                .iter()
                .map(|item| Maintainer {
                    name: text_of(item.get("name")),
                    email: text_of(item.get("email")),
                    url: text_of(item.get("url")),
                })
                .collect()
        })
        .unwrap_or_default();
    let annotations = root
        .get("annotations")
        .and_then(|a| a.as_map())
        .map(|entries| {
            entries
                .iter()
                .map(|e| (e.key.text.to_string(), text_of(Some(&e.value))))
                .collect()
        })
        .unwrap_or_default();
    Ok(Metadata {
        api_version: field("apiVersion"),
        name: field("name"),
        version: field("version"),
        kube_version: field("kubeVersion"),
        description: field("description"),
        chart_type: field("type"),
        keywords: texts_of(root.get("keywords")),
        home: field("home"),
        sources: texts_of(root.get("sources")),
        maintainers,
        icon: field("icon"),
        app_version: field("appVersion"),
        deprecated: root
            .get("deprecated")
            .and_then(|d| d.as_bool())
            .unwrap_or(false),
        annotations,
        condition: field("condition"),
        tags: field("tags"),
        dependencies: parse_dependencies(root.get("dependencies")),
        positions: std::iter::once((String::new(), root.span.start))
            .chain(
                root.as_map()
                    .unwrap_or_default()
                    .iter()
                    .map(|e| (e.key.text.to_string(), e.key.span.start)),
            )
            .collect(),
    })
}

fn parse_dependencies(node: Option<&Node>) -> Vec<Dependency> {
    let Some(node) = node else {
        return Vec::new();
    };
    node.items()
        .iter()
        .map(|item| Dependency {
            name: text_of(item.get("name")),
            version: text_of(item.get("version")),
            repository: text_of(item.get("repository")),
            condition: text_of(item.get("condition")),
            tags: texts_of(item.get("tags")),
            enabled: item
                .get("enabled")
                .and_then(|e| e.as_bool())
                .unwrap_or(false),
            import_values: item
                .get("import-values")
                .map(|list| list.items().iter().filter_map(parse_import).collect())
                .unwrap_or_default(),
            alias: text_of(item.get("alias")),
            position: Some(item.span.start),
        })
        .collect()
}

fn parse_import(node: &Node) -> Option<ImportValue> {
    match &node.value {
        yaml::Value::Str(s) => Some(ImportValue::Export(s.to_string())),
        yaml::Value::Map(_) => Some(ImportValue::Path {
            child: text_of(node.get("child")),
            parent: text_of(node.get("parent")),
        }),
        _ => None,
    }
}

static SEMVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^v?[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
        .expect("constant regex")
});

static ALIAS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9_-]+$").expect("constant regex"));

/// Helm's `Metadata.Validate`, with its messages.
fn validate_metadata(metadata: &Metadata, display: &str) -> Result<(), Diagnostic> {
    // A missing field is reported at the document's start, a bad one at its key.
    let at = |field: &str| {
        metadata
            .positions
            .get(field)
            .or_else(|| metadata.positions.get(""))
            .copied()
            .unwrap_or_default()
    };
    let fail_at = |field: &str, message: String| {
        Err(chart_error(display, format!("validation: {message}")).at(at(field)))
    };
    if metadata.name.is_empty() {
        return fail_at("name", "chart.metadata.name is required".to_string());
    }
    let fail = |message: String| fail_at("dependencies", message);
    if metadata.name.contains('/') || metadata.name.contains("..") {
        return fail_at(
            "name",
            format!("chart.metadata.name {:?} is invalid", metadata.name),
        );
    }
    if metadata.version.is_empty() {
        return fail_at("version", "chart.metadata.version is required".to_string());
    }
    if !SEMVER.is_match(&metadata.version) {
        return fail_at(
            "version",
            format!("chart.metadata.version {:?} is invalid", metadata.version),
        );
    }
    if !matches!(metadata.chart_type.as_str(), "" | "application" | "library") {
        return fail_at(
            "type",
            "chart.metadata.type must be application or library".to_string(),
        );
    }
    for dependency in &metadata.dependencies {
        if dependency.name.is_empty() {
            return fail("dependencies must have a name".to_string());
        }
        if !dependency.alias.is_empty() && !ALIAS.is_match(&dependency.alias) {
            return fail(format!(
                "dependency {:?} has disallowed characters in the alias",
                dependency.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/helm")
            .join(name)
    }

    #[test]
    fn loads_a_chart_directory() {
        let mut sources = SourceMap::default();
        let chart = Chart::load(&fixture("shop"), &mut sources).unwrap();
        assert_eq!(chart.metadata.name, "shop");
        assert_eq!(chart.metadata.app_version, "2.1.0");
        assert_eq!(chart.metadata.maintainers[0].email, "ops@example.org");
        assert_eq!(chart.metadata.dependencies.len(), 3);
        let cache = &chart.metadata.dependencies[0];
        assert_eq!(
            (cache.name.as_str(), cache.condition.as_str()),
            ("cache", "cache.enabled")
        );
        assert_eq!(chart.metadata.dependencies[1].alias, "audit");
        assert_eq!(
            chart.metadata.dependencies[1].import_values,
            vec![
                ImportValue::Export("defaults".to_string()),
                ImportValue::Path {
                    child: "settings".to_string(),
                    parent: "imported".to_string()
                }
            ]
        );
        let templates: Vec<&str> = chart.templates.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(
            templates,
            [
                "templates/NOTES.txt",
                "templates/_helpers.tpl",
                "templates/configmap.yaml",
                "templates/deployment.yaml"
            ]
        );
        let files: Vec<&str> = chart.files.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            files,
            [
                ".helmignore",
                "config/app.properties",
                "config/extra.conf",
                "crds/widget.yaml"
            ]
        );
        assert_eq!(chart.crds.len(), 1);
        let subs: Vec<&str> = chart
            .subcharts
            .iter()
            .map(|c| c.metadata.name.as_str())
            .collect();
        assert_eq!(subs, ["cache", "logger"]);
        assert!(chart.schema.is_some());
        let tag = chart.values_origins.get(&["image", "tag"]).unwrap();
        assert_eq!(
            sources.get(tag.file).display,
            format!("{}/values.yaml", fixture("shop").display())
        );
    }

    #[test]
    fn loads_packaged_subcharts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("charts")).unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: top\nversion: 1.0.0\n",
        )
        .unwrap();
        let archive = archive::tests::tgz(
            &[
                (
                    "packed/Chart.yaml",
                    b"apiVersion: v2\nname: packed\nversion: 0.2.0\n",
                ),
                ("packed/values.yaml", b"port: 80\n"),
                ("packed/templates/svc.yaml", b"kind: Service\n"),
            ],
            None,
        );
        std::fs::write(dir.path().join("charts/packed-0.2.0.tgz"), archive).unwrap();
        let mut sources = SourceMap::default();
        let chart = Chart::load(dir.path(), &mut sources).unwrap();
        let packed = &chart.subcharts[0];
        assert_eq!(packed.metadata.name, "packed");
        assert_eq!(packed.templates[0].path, "templates/svc.yaml");
        assert!(
            sources
                .get(packed.templates[0].file)
                .display
                .ends_with("charts/packed-0.2.0.tgz/templates/svc.yaml")
        );
        let hostile = archive::tests::tgz(&[("x/../../evil", b"x")], None);
        std::fs::write(dir.path().join("charts/packed-0.2.0.tgz"), hostile).unwrap();
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert!(
            error
                .message
                .contains("error unpacking subchart packed-0.2.0.tgz in top"),
            "{}",
            error.message
        );
    }

    #[test]
    fn subcharts_nest_at_most_16_deep() {
        let dir = tempfile::tempdir().unwrap();
        let mut path = dir.path().to_path_buf();
        for _ in 0..=MAX_DEPTH + 1 {
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(
                path.join("Chart.yaml"),
                "apiVersion: v2\nname: n\nversion: 1.0.0\n",
            )
            .unwrap();
            path = path.join("charts/n");
        }
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert_eq!(error.message, "subcharts nest deeper than 16 levels");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("outside.txt"), "secret").unwrap();
        std::fs::create_dir(dir.path().join("c")).unwrap();
        std::fs::rename(
            dir.path().join("Chart.yaml"),
            dir.path().join("c/Chart.yaml"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("outside.txt"),
            dir.path().join("c/leak.txt"),
        )
        .unwrap();
        let chart = Chart::load(&dir.path().join("c"), &mut SourceMap::default()).unwrap();
        assert!(chart.files.is_empty());
        assert_eq!(
            chart.warnings[0].path,
            format!("{}/leak.txt", dir.path().join("c").display())
        );
        assert!(
            chart.warnings[0]
                .message
                .starts_with("symbolic link not followed: it points outside the scanned directory")
        );
        // Inside the root it is followed, as Helm follows it.
        let chart = Chart::load_within(
            &dir.path().join("c"),
            Some(dir.path()),
            &mut SourceMap::default(),
        )
        .unwrap();
        assert_eq!(chart.files["leak.txt"], b"secret");
        assert!(chart.warnings.is_empty());
    }

    #[test]
    fn linked_directories_are_read_once_without_looping() {
        let dir = tempfile::tempdir().unwrap();
        let chart_dir = dir.path().join("c");
        std::fs::create_dir_all(chart_dir.join("templates")).unwrap();
        std::fs::create_dir_all(dir.path().join("shared")).unwrap();
        std::fs::write(
            chart_dir.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("shared/_common.tpl"),
            "{{ define \"x\" }}{{ end }}",
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("shared"),
            chart_dir.join("templates/shared"),
        )
        .unwrap();
        std::os::unix::fs::symlink(&chart_dir, chart_dir.join("templates/loop")).unwrap();
        let chart =
            Chart::load_within(&chart_dir, Some(dir.path()), &mut SourceMap::default()).unwrap();
        let templates: Vec<&str> = chart.templates.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(templates, ["templates/shared/_common.tpl"]);
        assert_eq!(chart.warnings.len(), 1);
        assert!(
            chart.warnings[0].message.contains("a loop"),
            "{:?}",
            chart.warnings
        );
        assert!(chart.warnings[0].path.ends_with("c/templates/loop"));
    }

    #[test]
    fn a_file_over_the_size_limit_fails_the_load_unread() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        // Sparse: the size is set without writing the bytes.
        let big = std::fs::File::create(dir.path().join("big.bin")).unwrap();
        big.set_len(MAX_FILE_SIZE + 1).unwrap();
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert!(
            error
                .message
                .contains("big.bin is larger than the maximum file size"),
            "{}",
            error.message
        );
        big.set_len(MAX_FILE_SIZE).unwrap();
        assert!(Chart::load(dir.path(), &mut SourceMap::default()).is_ok());
    }

    /// A FIFO in a hostile chart would block the read forever: it is
    /// skipped with a warning and the chart still loads.
    #[cfg(unix)]
    #[test]
    fn a_fifo_in_a_chart_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        )
        .unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("values.yaml"))
            .status()
            .unwrap();
        assert!(made.success());
        let path = dir.path().to_path_buf();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let loaded = Chart::load(&path, &mut SourceMap::default()).map(|chart| chart.warnings);
            let _ = sender
                .send(loaded.map(|w| w.iter().map(|d| d.message.clone()).collect::<Vec<_>>()));
        });
        let warnings = receiver
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the load blocked on the FIFO")
            .unwrap();
        assert!(
            warnings.iter().any(|m| m.contains("not a regular file")),
            "{warnings:?}"
        );
    }

    #[test]
    fn v1_charts_read_requirements_and_validation_fails_like_helm() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Chart.yaml"), "name: old\nversion: 1.0.0\n").unwrap();
        std::fs::write(
            dir.path().join("requirements.yaml"),
            "dependencies:\n- name: db\n  version: 1.x\n",
        )
        .unwrap();
        let chart = Chart::load(dir.path(), &mut SourceMap::default()).unwrap();
        assert_eq!(chart.metadata.api_version, "v1");
        assert_eq!(chart.metadata.dependencies[0].name, "db");
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: bad\nversion: one\n",
        )
        .unwrap();
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert_eq!(
            error.message,
            "validation: chart.metadata.version \"one\" is invalid"
        );
        assert_eq!(error.position, Some(Position::new(3, 1)));
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "# c\napiVersion: v2\nversion: 1.0.0\n",
        )
        .unwrap();
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert_eq!(error.message, "validation: chart.metadata.name is required");
        assert_eq!(error.position, Some(Position::new(2, 1)));
        std::fs::remove_file(dir.path().join("Chart.yaml")).unwrap();
        let error = Chart::load(dir.path(), &mut SourceMap::default()).unwrap_err();
        assert_eq!(error.message, "Chart.yaml file is missing");
    }

    #[test]
    fn files_hash_as_the_bytes_on_disk() {
        // The hash of a file whose text is its bytes is computed late; one
        // with a BOM or invalid UTF-8 must still hash the bytes read.
        let dir = tempfile::tempdir().unwrap();
        let chart = b"apiVersion: v2\nname: h\nversion: 1.0.0\n";
        std::fs::write(dir.path().join("Chart.yaml"), chart).unwrap();
        let bom = b"\xEF\xBB\xBFa: 1\n";
        std::fs::write(dir.path().join("values.yaml"), bom).unwrap();
        let invalid = b"x: \xFF\n";
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/data.yaml"), invalid).unwrap();
        let mut sources = SourceMap::default();
        Chart::load(dir.path(), &mut sources).unwrap();
        for (name, bytes) in [
            ("Chart.yaml", &chart[..]),
            ("values.yaml", &bom[..]),
            ("templates/data.yaml", &invalid[..]),
        ] {
            let id = sources.find(&dir.path().join(name)).unwrap();
            assert_eq!(sources.get(id).sha256(), sha256_hex(bytes), "{name}");
        }
    }
}
