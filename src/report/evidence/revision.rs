//! The commit a scan read and whether the scanned files differ from it, read
//! from the `.git` directory's files: no git process, so nothing the
//! repository configures (filters, hooks, fsmonitor) can run.
//!
//! "Dirty" compares each scanned file with its entry in the index (the blob
//! hash git would store for it): a scanned file that is modified and not
//! staged, or not tracked at all, makes the tree dirty. Changes already staged
//! but not committed are not seen (that would need the commit's tree objects).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha1::{Digest, Sha1};

/// The git state of the scanned files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// The commit HEAD points at (hex), when there is one.
    pub commit: Option<String>,
    /// The branch HEAD names (`refs/heads/main`), absent for a detached HEAD.
    pub reference: Option<String>,
    /// Whether a scanned file differs from the index or is untracked; absent
    /// when the index cannot be read.
    pub dirty: Option<bool>,
    /// The scanned files that differ (display paths, sorted).
    pub changed_files: Vec<String>,
}

/// Reads the revision of the repository holding `start` (a scanned path);
/// `files` are the scanned files as (path on disk, display path). None outside
/// a git repository.
pub fn read(start: &Path, files: &[(PathBuf, String)]) -> Option<Revision> {
    let start = start.canonicalize().ok()?;
    let (work_tree, git_dir) = start.ancestors().find_map(|dir| {
        let dot_git = dir.join(".git");
        git_dir_of(&dot_git).map(|git_dir| (dir.to_path_buf(), git_dir))
    })?;
    // A linked worktree keeps its HEAD and index in its own directory, and its
    // refs in the main repository (named by `commondir`).
    let common_dir = std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|| git_dir.clone());
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let (reference, commit) = match head.strip_prefix("ref:") {
        Some(name) => {
            let name = name.trim().to_string();
            let commit = resolve_ref(&git_dir, &common_dir, &name);
            (Some(name), commit)
        }
        None => (None, is_object_id(head).then(|| head.to_string())),
    };
    // Repositories with SHA-256 object names have longer index entries,
    // which this reader does not know: their state is left unknown.
    let sha1_objects = commit.as_ref().is_none_or(|c| c.len() == 40);
    let index = std::fs::read(git_dir.join("index"))
        .ok()
        .filter(|_| sha1_objects)
        .and_then(|bytes| parse_index(&bytes));
    let (dirty, changed_files) = match index {
        Some(index) => {
            let mut changed: Vec<String> = files
                .iter()
                .filter(|(path, _)| !matches_index(&index, &work_tree, path))
                .map(|(_, display)| display.clone())
                .collect();
            changed.sort();
            changed.dedup();
            (Some(!changed.is_empty()), changed)
        }
        // A repository without an index has nothing staged: every file is new.
        None if commit.is_none() && !git_dir.join("index").exists() => {
            (Some(!files.is_empty()), Vec::new())
        }
        None => (None, Vec::new()),
    };
    Some(Revision {
        commit,
        reference,
        dirty,
        changed_files,
    })
}

/// The git directory `.git` names: itself, or the `gitdir:` of a `.git` file.
fn git_dir_of(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return dot_git
            .join("HEAD")
            .is_file()
            .then(|| dot_git.to_path_buf());
    }
    let text = std::fs::read_to_string(dot_git).ok()?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    let parent = dot_git.parent()?;
    let dir = parent.join(target);
    dir.join("HEAD").is_file().then_some(dir)
}

fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The commit a reference names: its loose file, else `packed-refs`.
/// Symbolic references are followed a few levels.
fn resolve_ref(git_dir: &Path, common_dir: &Path, name: &str) -> Option<String> {
    let mut name = name.to_string();
    for _ in 0..5 {
        // HEAD is repository content: only names under refs/ are looked up,
        // so it cannot point Vigie at files outside the git directory.
        if !name.starts_with("refs/") || name.split('/').any(|part| part.is_empty() || part == "..")
        {
            return None;
        }
        let loose = [git_dir, common_dir]
            .iter()
            .find_map(|dir| std::fs::read_to_string(dir.join(&name)).ok());
        if let Some(text) = loose {
            let text = text.trim();
            match text.strip_prefix("ref:") {
                Some(target) => {
                    name = target.trim().to_string();
                    continue;
                }
                None => return is_object_id(text).then(|| text.to_string()),
            }
        }
        let packed = std::fs::read_to_string(common_dir.join("packed-refs")).ok()?;
        return packed.lines().find_map(|line| {
            let (id, reference) = line.split_once(' ')?;
            (reference == name && is_object_id(id)).then(|| id.to_string())
        });
    }
    None
}

/// Index entries at stage 0: path (relative to the work tree) → blob hash.
/// Conflicted paths (stages 1–3) map to no hash. None when the file is not an
/// index Vigie can read (versions 2 to 4, SHA-1).
fn parse_index(bytes: &[u8]) -> Option<HashMap<Vec<u8>, Option<[u8; 20]>>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32_at(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = u32_at(8)? as usize;
    let mut entries = HashMap::with_capacity(count.min(1 << 20));
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        let hash: [u8; 20] = bytes.get(start + 40..start + 60)?.try_into().ok()?;
        let flags = u16::from_be_bytes(bytes.get(start + 60..start + 62)?.try_into().ok()?);
        at = start + 62;
        if flags & 0x4000 != 0 {
            at += 2; // extended flags (version 3 and later)
        }
        let stage = (flags >> 12) & 0x3;
        let name = if version == 4 {
            // The name drops N bytes from the end of the previous one and
            // appends the NUL-terminated rest; N is a varint.
            let (strip, used) = read_varint(bytes.get(at..)?)?;
            at += used;
            let rest_len = memchr::memchr(0, bytes.get(at..)?)?;
            let keep = previous.len().checked_sub(strip)?;
            let mut name = previous[..keep].to_vec();
            name.extend_from_slice(&bytes[at..at + rest_len]);
            at += rest_len + 1;
            name
        } else {
            let len = memchr::memchr(0, bytes.get(at..)?)?;
            let name = bytes[at..at + len].to_vec();
            // Entries are padded with NULs to a multiple of 8 bytes.
            let entry_len = at + len - start;
            at = start + (entry_len + 8) / 8 * 8;
            name
        };
        previous.clone_from(&name);
        let value = (stage == 0).then_some(hash);
        entries
            .entry(name)
            .and_modify(|v| *v = None)
            .or_insert(value);
    }
    Some(entries)
}

/// Git's offset varint: 7 bits a byte, high bit set on all but the last, and
/// each continuation adds one before shifting.
fn read_varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: usize = 0;
    for (i, &byte) in bytes.iter().enumerate().take(9) {
        if i > 0 {
            value = value.checked_add(1)?.checked_mul(128)?;
        }
        value |= usize::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Whether a file on disk is tracked with exactly this content.
fn matches_index(
    index: &HashMap<Vec<u8>, Option<[u8; 20]>>,
    work_tree: &Path,
    path: &Path,
) -> bool {
    let Ok(canonical) = path.canonicalize() else {
        return false;
    };
    let Ok(relative) = canonical.strip_prefix(work_tree) else {
        // Outside this repository: not part of the commit.
        return false;
    };
    let key: Vec<u8> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
        .into_bytes();
    let Some(Some(hash)) = index.get(&key) else {
        return false;
    };
    let Ok(bytes) = std::fs::read(&canonical) else {
        return false;
    };
    blob_id(&bytes) == *hash
}

/// The id git gives a file's content: SHA-1 of `blob <size>\0` and the bytes.
fn blob_id(bytes: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            crate::source::hex(&blob_id(b"hello\n")),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn varints_follow_gits_offset_encoding() {
        assert_eq!(read_varint(&[0x05]), Some((5, 1)));
        assert_eq!(read_varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(read_varint(&[0x81, 0x7f]), Some((383, 2)));
        assert_eq!(read_varint(&[0x80]), None);
    }

    #[test]
    fn only_names_under_refs_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path();
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        let id = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(git.join("refs/heads/main"), format!("{id}\n")).unwrap();
        std::fs::write(git.join("outside"), format!("{id}\n")).unwrap();
        assert_eq!(
            resolve_ref(git, git, "refs/heads/main").as_deref(),
            Some(id)
        );
        assert_eq!(resolve_ref(git, git, "outside"), None);
        assert_eq!(resolve_ref(git, git, "refs/../outside"), None);
        let absolute = git.join("outside").display().to_string();
        assert_eq!(resolve_ref(git, git, &absolute), None);
    }

    #[test]
    fn garbage_is_not_an_index() {
        assert_eq!(parse_index(b""), None);
        assert_eq!(parse_index(b"DIRC\0\0\0\x02\0\0\0\x05"), None);
        assert_eq!(parse_index(b"XXXX\0\0\0\x02\0\0\0\0"), None);
    }
}
