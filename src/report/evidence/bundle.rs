//! Rendering and writing the bundle: the three reports, the manifest that
//! hashes them and the inputs, and the only writes `vigie report` makes.

use std::path::{Path, PathBuf};

use super::{Evidence, html, json, manifest, markdown};

/// The files of a bundle, in the order they are written.
pub const REPORT_FILES: [&str; 3] = ["report.html", "report.md", "evidence.json"];
/// The manifest's name.
pub const MANIFEST_FILE: &str = "manifest.sha256";

/// Renders the bundle: the three reports, then the manifest of the inputs and
/// the reports.
pub fn render(evidence: &Evidence) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![
        (REPORT_FILES[0], html::render(evidence).into_bytes()),
        (REPORT_FILES[1], markdown::render(evidence).into_bytes()),
        (REPORT_FILES[2], json::render(evidence).into_bytes()),
    ];
    let manifest = manifest::render(&evidence.inputs, &files);
    files.push((MANIFEST_FILE, manifest.into_bytes()));
    files
}

/// Why a bundle could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("refusing to write {path}: it is a scanned input")]
    WouldOverwriteInput { path: String },
    #[error("refusing to write {path}: it is a directory or a link")]
    NotAFile { path: String },
}

/// Writes the bundle into `dir` (created if needed). Only the bundle's own
/// files are written; none of them may be one of `inputs` (paths on disk),
/// nor a symbolic link that would send the write elsewhere.
pub fn write(
    dir: &Path,
    files: &[(&'static str, Vec<u8>)],
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut targets = Vec::with_capacity(files.len());
    for (name, _) in files {
        let path = dir.join(name);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_file()
        {
            return Err(WriteError::NotAFile {
                path: path.display().to_string(),
            });
        }
        if let Ok(canonical) = path.canonicalize()
            && inputs.contains(&canonical)
        {
            return Err(WriteError::WouldOverwriteInput {
                path: path.display().to_string(),
            });
        }
        targets.push(path);
    }
    // Created only once every target is known to be safe to write.
    std::fs::create_dir_all(dir).map_err(|source| WriteError::CreateDir {
        path: dir.display().to_string(),
        source,
    })?;
    for (path, (_, bytes)) in targets.iter().zip(files) {
        std::fs::write(path, bytes).map_err(|source| WriteError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}
