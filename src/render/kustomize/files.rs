//! The files a build reads: resolved, confined to the repository, read once
//! and registered as sources so that findings can point into them.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::DiagnosticLevel;
use crate::discover::display_path;
use crate::load::read_source;
use crate::source::yaml::{self, Document, Limits};
use crate::source::{FileId, SourceMap, Span};

use super::BuildError;

/// File access for builds.
pub struct Workspace<'a> {
    pub sources: &'a mut SourceMap,
    /// Canonical directory no file may be read outside of (the repository).
    boundary: PathBuf,
    cwd: PathBuf,
    canonical_cwd: PathBuf,
    max_file_size: u64,
    limits: Limits,
    /// Every file a build read, canonical: they are not scanned again as loose
    /// manifests.
    pub consumed: BTreeSet<PathBuf>,
    parsed: HashMap<FileId, Vec<Document>>,
}

impl<'a> Workspace<'a> {
    pub fn new(
        sources: &'a mut SourceMap,
        boundary: PathBuf,
        max_file_size: u64,
        limits: Limits,
    ) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        let canonical_cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
        Workspace {
            sources,
            boundary,
            cwd,
            canonical_cwd,
            max_file_size,
            // What kustomize reads, it types as kyaml does.
            limits: Limits {
                typing: yaml::Typing::Kustomize,
                ..limits
            },
            consumed: BTreeSet::new(),
            parsed: HashMap::new(),
        }
    }

    /// The path shown to users for a file or directory.
    pub fn display(&self, path: &Path) -> String {
        display_path(path, &self.cwd, &self.canonical_cwd)
    }

    /// Resolves a path and checks it stays inside the repository.
    pub fn resolve(&self, path: &Path, at: Option<Span>) -> Result<PathBuf, BuildError> {
        let canonical = path
            .canonicalize()
            .map_err(|e| BuildError::new(format!("cannot read {}: {e}", self.display(path)), at))?;
        if !canonical.starts_with(&self.boundary) {
            return Err(BuildError::new(
                format!(
                    "{} is outside the repository ({}): not read",
                    self.display(path),
                    self.display(&self.boundary)
                ),
                at,
            ));
        }
        Ok(canonical)
    }

    /// Reads a file (once), and registers it as a source.
    pub fn read(&mut self, path: &Path, at: Option<Span>) -> Result<FileId, BuildError> {
        let canonical = self.resolve(path, at)?;
        if !canonical.is_file() {
            return Err(BuildError::new(
                format!("{} is not a file", self.display(path)),
                at,
            ));
        }
        self.consumed.insert(canonical.clone());
        if let Some(id) = self.sources.find(&canonical) {
            return Ok(id);
        }
        let display = self.display(&canonical);
        let size = canonical.metadata().map_or(0, |m| m.len());
        let file = read_source(
            &canonical,
            &display,
            size,
            self.max_file_size,
            DiagnosticLevel::Error,
        )
        .map_err(|d| BuildError::new(format!("{display}: {}", d.message), at))?;
        Ok(self.sources.push(file))
    }

    /// The bytes of a file a generator reads. A text file is registered as a
    /// source (so that findings can point into an env file); a binary one is
    /// not, and `fallback` (the kustomization) stands for it.
    pub fn read_bytes(
        &mut self,
        canonical: &Path,
        fallback: FileId,
    ) -> Result<(FileId, Vec<u8>), BuildError> {
        if !canonical.is_file() {
            return Err(BuildError::new(
                format!("{} is not a file", self.display(canonical)),
                None,
            ));
        }
        let size = canonical.metadata().map_or(0, |m| m.len());
        if size > self.max_file_size {
            return Err(BuildError::new(
                format!("{} is larger than --max-file-size", self.display(canonical)),
                None,
            ));
        }
        let bytes = std::fs::read(canonical).map_err(|e| {
            BuildError::new(
                format!("cannot read {}: {e}", self.display(canonical)),
                None,
            )
        })?;
        self.consumed.insert(canonical.to_path_buf());
        if std::str::from_utf8(&bytes).is_err() || bytes.contains(&0) {
            return Ok((fallback, bytes));
        }
        let id = self.read(canonical, None)?;
        Ok((id, bytes))
    }

    /// The YAML documents of a file read by [`Workspace::read`] (a fresh copy:
    /// builds change them).
    pub fn documents(&mut self, id: FileId) -> Result<Vec<Document>, BuildError> {
        if !self.parsed.contains_key(&id) {
            let file = self.sources.get(id);
            let loaded = yaml::load(id, &file.display, &file.text, self.limits);
            if let Some(problem) = loaded
                .diagnostics
                .iter()
                .find(|d| d.level == DiagnosticLevel::Error)
            {
                let at = problem.position.map(|p| Span::new(id, p, p));
                return Err(BuildError::new(
                    format!("{}: {}", file.display, problem.message),
                    at,
                ));
            }
            self.parsed.insert(id, loaded.documents);
        }
        Ok(self.parsed.get(&id).cloned().unwrap_or_default())
    }
}

/// The directory builds may read in (the repository root): the git
/// repository holding `path`; else the working directory, when it holds
/// `path`; else the outermost of the `scanned` paths that holds it. With none
/// of these (`vigie render` of a directory elsewhere), only kustomize's own
/// rule applies: a kustomization may use kustomization directories anywhere
/// but reads files only in or below its own directory (the builder checks
/// that everywhere).
pub fn repository_root(path: &Path, scanned: &[PathBuf]) -> PathBuf {
    let start = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut dir = Some(start.as_path());
    while let Some(current) = dir {
        if current.join(".git").exists() {
            return current.to_path_buf();
        }
        dir = current.parent();
    }
    let holds = |d: &PathBuf| start.starts_with(d);
    if let Some(cwd) = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok())
        .filter(holds)
    {
        return cwd;
    }
    scanned
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .filter(holds)
        .min_by_key(|d| d.components().count())
        .unwrap_or_else(|| {
            start
                .ancestors()
                .last()
                .map_or_else(|| start.clone(), Path::to_path_buf)
        })
}
