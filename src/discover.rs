//! Finding the files to scan: a gitignore-aware walk of the roots, with
//! `--exclude` globs, that never leaves the scanned directories.
//!
//! Symbolic links are not followed: a link whose target is inside a scanned root
//! is scanned at its real path anyway, and a link that points outside (a secret on
//! the CI runner, `/dev/zero`) must not be read from an untrusted repository. Links
//! that loop or point outside are reported.

use std::path::{Component, Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::{DirEntry, WalkBuilder};

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};

/// How to walk.
#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// Gitignore-style globs of paths to skip, relative to each root.
    pub exclude: Vec<String>,
    /// Honour `.ignore` files, and `.gitignore` and `.git/info/exclude` inside a
    /// git repository (as git and ripgrep do).
    pub respect_ignore_files: bool,
    /// Scan the whole Helm chart or kustomization a named file belongs to,
    /// instead of the file alone (what a pre-commit hook needs: a staged
    /// template or patch means nothing without its chart or overlay).
    pub resolve_roots: bool,
    /// Directories never walked into, as canonical paths (the output
    /// directory of `vigie report`, so a bundle is not read as input).
    pub skip_dirs: Vec<PathBuf>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            exclude: Vec::new(),
            respect_ignore_files: true,
            resolve_roots: false,
            skip_dirs: Vec::new(),
        }
    }
}

/// Files that make their directory the root of a Helm chart or a kustomization.
const ROOT_MARKERS: &[&str] = &[
    "Chart.yaml",
    "kustomization.yaml",
    "kustomization.yml",
    "Kustomization",
];

/// The closest directory above `file`, up to `limit`, that holds a chart or a
/// kustomization.
fn owning_root(file: &Path, limit: &Path) -> Option<PathBuf> {
    let absolute = file.canonicalize().ok()?;
    let mut dir = absolute.parent();
    while let Some(current) = dir {
        if !current.starts_with(limit) {
            return None;
        }
        if ROOT_MARKERS
            .iter()
            .any(|marker| current.join(marker).is_file())
        {
            return Some(current.to_path_buf());
        }
        dir = current.parent();
    }
    None
}

/// Replaces each named file that belongs to a chart or a kustomization by its
/// root directory, keeping the paths relative when they were.
pub fn resolve_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let canonical_cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
    let mut resolved: Vec<PathBuf> = paths
        .iter()
        .map(|path| {
            if !path.is_file() {
                return path.clone();
            }
            match owning_root(path, &canonical_cwd) {
                Some(root) => root
                    .strip_prefix(&canonical_cwd)
                    .map(|relative| {
                        if relative.as_os_str().is_empty() {
                            PathBuf::from(".")
                        } else {
                            relative.to_path_buf()
                        }
                    })
                    .unwrap_or(root),
                None => path.clone(),
            }
        })
        .collect();
    resolved.sort();
    resolved.dedup();
    resolved
}

/// How a file was selected, which decides how loudly its problems are reported.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// YAML or JSON by its extension, or named on the command line.
    Manifest,
    /// Any other file: read only if its content looks like a Kubernetes manifest.
    Sniff,
}

/// A file to read.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub path: PathBuf,
    pub display: String,
    pub kind: FileKind,
    /// Size on disk when walked, used to skip oversized files before reading.
    pub size: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by display path, without duplicates.
    pub files: Vec<Candidate>,
    /// Directories holding a kustomization file, sorted.
    pub kustomizations: Vec<PathBuf>,
    /// Directories holding Terraform `*.tf` files, sorted.
    pub terraform_dirs: Vec<PathBuf>,
    /// `.tf` files named on the command line, each read as a module of its own.
    pub terraform_files: Vec<PathBuf>,
    /// Helm charts (with their display paths), sorted: directories with a
    /// `Chart.yaml` and packaged charts (`.tgz`); charts inside another
    /// chart are rendered through it.
    pub charts: Vec<(PathBuf, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Names of kustomization files (kustomize looks for them in this order).
const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Problems that stop the scan before it starts.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("path not found: {0}")]
    MissingPath(String),
    #[error("invalid --exclude glob {glob:?}: {message}")]
    InvalidGlob { glob: String, message: String },
}

/// Extensions of files that are never Kubernetes manifests; they are not read.
const NEVER_MANIFESTS: &[&str] = &[
    "7z",
    "a",
    "adoc",
    "avi",
    "bash",
    "bat",
    "bmp",
    "bz2",
    "c",
    "cc",
    "cer",
    "cfg",
    "cjs",
    "class",
    "cmd",
    "conf",
    "cpp",
    "crt",
    "cs",
    "css",
    "csv",
    "dll",
    "doc",
    "docx",
    "dylib",
    "ear",
    "env",
    "eot",
    "exe",
    "fish",
    "gif",
    "go",
    "gotmpl",
    "gpg",
    "gradle",
    "gz",
    "h",
    "hcl",
    "hpp",
    "htm",
    "html",
    "ico",
    "ini",
    "j2",
    "jar",
    "java",
    "jinja",
    "jpeg",
    "jpg",
    "js",
    "jsx",
    "key",
    "kt",
    "kts",
    "less",
    "lock",
    "log",
    "m",
    "markdown",
    "md",
    "mjs",
    "mod",
    "mov",
    "mp3",
    "mp4",
    "o",
    "ogg",
    "otf",
    "p12",
    "pdf",
    "pem",
    "pfx",
    "php",
    "pl",
    "png",
    "ppt",
    "pptx",
    "properties",
    "ps1",
    "psd",
    "py",
    "pyc",
    "rar",
    "rb",
    "rs",
    "rst",
    "sass",
    "scala",
    "scss",
    "sh",
    "so",
    "sql",
    "sum",
    "svg",
    "swift",
    "tar",
    "tf",
    "tfvars",
    "tgz",
    "tiff",
    "toml",
    "tpl",
    "ts",
    "tsv",
    "tsx",
    "ttf",
    "war",
    "wasm",
    "wav",
    "webm",
    "webp",
    "woff",
    "woff2",
    "xls",
    "xlsx",
    "xml",
    "xz",
    "zip",
    "zsh",
    "zst",
];

/// The Terraform files Vigie recognises by name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum TerraformFile {
    /// `*.tf`: part of the module of its directory.
    Module,
    /// `*.tfvars`, `*.tfvars.json`: read with the root module of their directory.
    Variables,
    /// `*.tf.json`: Terraform's JSON syntax, which Vigie does not read.
    Json,
}

fn terraform_kind(path: &Path) -> Option<TerraformFile> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tf") {
        Some(TerraformFile::Module)
    } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        Some(TerraformFile::Variables)
    } else if name.ends_with(".tf.json") {
        Some(TerraformFile::Json)
    } else {
        None
    }
}

fn json_not_read(display: String) -> Diagnostic {
    Diagnostic::new(
        DiagnosticLevel::Warning,
        DiagnosticCode::TerraformUnsupported,
        display,
        "Terraform JSON configuration (.tf.json) is not read by this version of Vigie",
    )
}

/// The kind of a file from its name, or `None` when it is never read.
fn classify(path: &Path) -> Option<FileKind> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("yaml" | "yml" | "json") => Some(FileKind::Manifest),
        Some(ext) if NEVER_MANIFESTS.contains(&ext) => None,
        _ => Some(FileKind::Sniff),
    }
}

/// Walks `roots` and returns the files to read.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    let resolved;
    let roots = if options.resolve_roots {
        resolved = resolve_roots(roots);
        &resolved[..]
    } else {
        roots
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let canonical_cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
    let mut canonical_roots = Vec::new();
    for root in roots {
        let canonical = root
            .canonicalize()
            .map_err(|_| DiscoverError::MissingPath(root.display().to_string()))?;
        if canonical.is_dir() {
            canonical_roots.push(canonical);
        } else {
            // A file root: its own directory (not its link target's) is scanned.
            let parent = cwd
                .join(root)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            canonical_roots.push(parent.canonicalize().unwrap_or(parent));
        }
    }
    let mut discovery = Discovery::default();
    let mut charts = Vec::new();
    for root in roots {
        if root.is_file() {
            let excludes = exclude_matcher(&cwd, &options.exclude)?;
            let absolute = cwd.join(root);
            if excludes.matched(&absolute, false).is_ignore() {
                continue;
            }
            let display = display_path(root, &cwd, &canonical_cwd);
            if root.is_symlink()
                && !link_stays_inside(root, &display, &canonical_roots, &mut discovery.diagnostics)
            {
                continue;
            }
            if let Some(name) = root.file_name()
                && KUSTOMIZATION_FILES.iter().any(|k| name == *k)
            {
                let dir = root.parent().filter(|p| !p.as_os_str().is_empty());
                discovery
                    .kustomizations
                    .push(dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf));
                continue;
            }
            if is_packaged_chart(root) {
                charts.push((root.clone(), display));
                continue;
            }
            if let Some(terraform) = terraform_kind(root) {
                let dir = root.parent().filter(|p| !p.as_os_str().is_empty());
                let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                match terraform {
                    TerraformFile::Module if !options.resolve_roots => {
                        discovery.terraform_files.push(root.clone());
                    }
                    TerraformFile::Module | TerraformFile::Variables => {
                        discovery.terraform_dirs.push(dir);
                    }
                    TerraformFile::Json => discovery.diagnostics.push(json_not_read(display)),
                }
                continue;
            }
            let size = root.metadata().map(|m| m.len()).unwrap_or(0);
            let kind = classify(root).unwrap_or(FileKind::Sniff);
            discovery.files.push(Candidate {
                path: root.clone(),
                display,
                kind,
                size,
            });
            continue;
        }
        walk(
            root,
            options,
            &cwd,
            &canonical_cwd,
            &canonical_roots,
            &mut discovery,
            &mut charts,
        )?;
    }
    discovery.files.sort_by(|a, b| a.display.cmp(&b.display));
    discovery.files.dedup_by(|a, b| a.display == b.display);
    discovery.kustomizations.sort();
    discovery.kustomizations.dedup();
    discovery.terraform_dirs.sort();
    discovery.terraform_dirs.dedup();
    discovery.terraform_files.sort();
    discovery.terraform_files.dedup();
    charts.sort();
    charts.dedup();
    for (chart_dir, chart_display) in &charts {
        discovery.files.retain(|f| !f.path.starts_with(chart_dir));
        // The chart's loader follows its links and reports those it cannot.
        let inside = format!("{chart_display}/");
        discovery.diagnostics.retain(|d| {
            !(matches!(
                d.code,
                DiagnosticCode::SymlinkLoop
                    | DiagnosticCode::SymlinkOutsideRoot
                    | DiagnosticCode::Unreadable
            ) && d.path.starts_with(&inside)
                && d.message.contains("symbolic link"))
        });
    }
    let nested = |dir: &Path| {
        charts
            .iter()
            .any(|(other, _)| other != dir && dir.starts_with(other))
    };
    discovery.charts = charts
        .iter()
        .filter(|(dir, _)| !nested(dir))
        .cloned()
        .collect();
    Ok(discovery)
}

/// True for a chart directory (with a `Chart.yaml`) or a packaged chart.
pub fn is_chart(path: &Path) -> bool {
    path.join("Chart.yaml").is_file() || is_packaged_chart(path)
}

/// A `.tgz` file that holds a chart (as `helm package` writes it).
fn is_packaged_chart(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tgz")
        && path.is_file()
        && crate::render::helm::chart::archive::holds_chart(path)
}

fn exclude_matcher(root: &Path, exclude: &[String]) -> Result<Override, DiscoverError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in exclude {
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| DiscoverError::InvalidGlob {
                glob: glob.clone(),
                message: e.to_string(),
            })?;
    }
    builder.build().map_err(|e| DiscoverError::InvalidGlob {
        glob: exclude.join(", "),
        message: e.to_string(),
    })
}

fn walk(
    root: &Path,
    options: &DiscoverOptions,
    cwd: &Path,
    canonical_cwd: &Path,
    canonical_roots: &[PathBuf],
    discovery: &mut Discovery,
    charts: &mut Vec<(PathBuf, String)>,
) -> Result<(), DiscoverError> {
    let respect = options.respect_ignore_files;
    let skip_dirs = options.skip_dirs.clone();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_exclude(respect)
        .git_global(false)
        .require_git(true)
        .follow_links(false)
        .overrides(exclude_matcher(root, &options.exclude)?)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            entry.file_name() != ".git"
                // `.terraform` holds the modules and providers `terraform init`
                // downloaded: third-party code, not the repository's configuration.
                && entry.file_name() != ".terraform"
                && (skip_dirs.is_empty()
                    || !entry.file_type().is_some_and(|t| t.is_dir())
                    || entry
                        .path()
                        .canonicalize()
                        .is_ok_and(|dir| !skip_dirs.contains(&dir)))
        })
        .build();
    for result in walker {
        let entry = match result {
            Ok(entry) => entry,
            Err(error) => {
                let path = error_path(&error).map_or_else(
                    || display_path(root, cwd, canonical_cwd),
                    |p| display_path(&p, cwd, canonical_cwd),
                );
                discovery.diagnostics.push(Diagnostic::new(
                    DiagnosticLevel::Warning,
                    DiagnosticCode::Unreadable,
                    path,
                    format!("not scanned: {}", error_message(&error)),
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let display = display_path(entry.path(), cwd, canonical_cwd);
        if entry.path_is_symlink() {
            link_stays_inside(
                entry.path(),
                &display,
                canonical_roots,
                &mut discovery.diagnostics,
            );
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if entry.file_name() == "Chart.yaml" {
            if let Some(dir) = entry.path().parent() {
                charts.push((dir.to_path_buf(), display_path(dir, cwd, canonical_cwd)));
            }
            continue;
        }
        if is_packaged_chart(entry.path()) {
            charts.push((entry.path().to_path_buf(), display));
            continue;
        }
        if KUSTOMIZATION_FILES
            .iter()
            .any(|name| entry.file_name() == *name)
        {
            if let Some(dir) = entry.path().parent() {
                discovery.kustomizations.push(dir.to_path_buf());
            }
            continue;
        }
        if let Some(terraform) = terraform_kind(entry.path()) {
            match terraform {
                TerraformFile::Module => {
                    if let Some(dir) = entry.path().parent() {
                        discovery.terraform_dirs.push(dir.to_path_buf());
                    }
                }
                // Read with the module of their directory.
                TerraformFile::Variables => {}
                TerraformFile::Json => discovery.diagnostics.push(json_not_read(display)),
            }
            continue;
        }
        let Some(kind) = classify(entry.path()) else {
            continue;
        };
        discovery.files.push(candidate(&entry, display, kind));
    }
    Ok(())
}

fn candidate(entry: &DirEntry, display: String, kind: FileKind) -> Candidate {
    Candidate {
        path: entry.path().to_path_buf(),
        display,
        kind,
        size: entry.metadata().map(|m| m.len()).unwrap_or(0),
    }
}

/// `ELOOP`, "too many levels of symbolic links".
const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };

/// Whether a symbolic link resolves inside one of the scanned roots; reports
/// links that loop, dangle or lead outside.
fn link_stays_inside(
    link: &Path,
    display: &str,
    canonical_roots: &[PathBuf],
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let report = |diagnostics: &mut Vec<Diagnostic>, code, message: String| {
        diagnostics.push(Diagnostic::new(
            DiagnosticLevel::Warning,
            code,
            display,
            message,
        ));
    };
    match link.canonicalize() {
        Err(error) if error.raw_os_error() == Some(ELOOP) => {
            report(
                diagnostics,
                DiagnosticCode::SymlinkLoop,
                "symbolic link loop: not followed".to_string(),
            );
            false
        }
        Err(error) => {
            report(
                diagnostics,
                DiagnosticCode::Unreadable,
                format!("broken symbolic link: {error}"),
            );
            false
        }
        Ok(target) => {
            let parent = link.parent().and_then(|p| p.canonicalize().ok());
            if target.is_dir() && parent.is_some_and(|p| p.starts_with(&target)) {
                report(
                    diagnostics,
                    DiagnosticCode::SymlinkLoop,
                    "symbolic link loop: points to a directory that contains it; not followed"
                        .to_string(),
                );
                false
            } else if !canonical_roots.iter().any(|root| target.starts_with(root)) {
                report(
                    diagnostics,
                    DiagnosticCode::SymlinkOutsideRoot,
                    "symbolic link points outside the scanned directories: not followed"
                        .to_string(),
                );
                false
            } else {
                true
            }
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errors) => errors.first().and_then(error_path),
        _ => None,
    }
}

fn error_message(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        other => other.to_string(),
    }
}

/// The path shown to users: relative to the working directory when it is inside
/// it, with `/` separators and no `./` prefix.
pub fn display_path(path: &Path, cwd: &Path, canonical_cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd)
            .or_else(|_| path.strip_prefix(canonical_cwd))
            .unwrap_or(path)
    } else {
        path
    };
    let mut parts: Vec<String> = Vec::new();
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(prefix) => {
                parts.push(prefix.as_os_str().to_string_lossy().into_owned())
            }
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_paths_relative_to_cwd() {
        let cwd = Path::new("/repo");
        assert_eq!(
            display_path(Path::new("./k8s/a.yaml"), cwd, cwd),
            "k8s/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("/repo/k8s/a.yaml"), cwd, cwd),
            "k8s/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("/other/a.yaml"), cwd, cwd),
            "/other/a.yaml"
        );
        assert_eq!(display_path(Path::new("."), cwd, cwd), ".");
    }

    #[test]
    fn classifies_by_extension() {
        assert_eq!(
            classify(Path::new("a/deploy.YAML")),
            Some(FileKind::Manifest)
        );
        assert_eq!(
            classify(Path::new("a/deploy.json")),
            Some(FileKind::Manifest)
        );
        assert_eq!(classify(Path::new("a/README.md")), None);
        assert_eq!(classify(Path::new("a/manifest")), Some(FileKind::Sniff));
        assert_eq!(classify(Path::new("a/blob.bin")), Some(FileKind::Sniff));
    }
}
