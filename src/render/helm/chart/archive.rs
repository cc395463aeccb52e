//! Packaged subcharts (`charts/*.tgz`), unpacked in memory with the bounds
//! Helm applies and more: no entry outside the chart's directory, no links,
//! at most 5 MiB a file and 100 MiB in all.

use std::io::Read;

use flate2::read::GzDecoder;

/// Largest file accepted in an archive (Helm's `MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Largest total unpacked size (Helm's `MaxDecompressedChartSize`).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// One file of a chart: its path relative to the chart root and its bytes.
#[derive(Clone, Debug)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Unpacks a gzipped chart archive: the files under its top directory
/// (`mychart/…`), with that directory stripped as Helm does. `budget` is
/// what may still be unpacked, shared by every archive of a chart tree so
/// that archives nested in archives cannot multiply the limit.
pub fn unpack(archive: &[u8], budget: &mut u64) -> Result<Vec<Entry>, String> {
    let mut tar = tar::Archive::new(GzDecoder::new(archive));
    let entries = tar
        .entries()
        .map_err(|e| format!("cannot read the archive: {e}"))?;
    let mut files: Vec<Entry> = Vec::new();
    let mut total: u64 = 0;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("cannot read the archive: {e}"))?;
        let kind = entry.header().entry_type();
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            return Err(format!(
                "the archive holds a link, which Vigie refuses: {raw_path}"
            ));
        }
        if !kind.is_file() {
            continue;
        }
        let path = inner_path(&raw_path)?;
        if path.is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_FILE_SIZE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {raw_path} in the archive: {e}"))?;
        if bytes.len() as u64 > MAX_FILE_SIZE {
            return Err(format!(
                "decompressed chart file {raw_path} is larger than the maximum file size {MAX_FILE_SIZE}"
            ));
        }
        total += bytes.len() as u64;
        if total > MAX_CHART_SIZE || total > *budget {
            return Err(format!(
                "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
            ));
        }
        // A later entry with the same path replaces the earlier one.
        files.retain(|f| f.path != path);
        files.push(Entry { path, bytes });
    }
    if files.is_empty() {
        return Err("no files in chart archive".to_string());
    }
    *budget -= total;
    Ok(files)
}

/// True when `path` is a gzipped tar archive whose top directory holds a
/// `Chart.yaml`: a packaged chart (`helm package`). Only entry headers are
/// read, and at most the first thousand.
pub fn holds_chart(path: &std::path::Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map_or(true, |m| m.len() > MAX_CHART_SIZE) {
        return false;
    }
    let mut tar = tar::Archive::new(GzDecoder::new(std::io::BufReader::new(file)));
    let Ok(entries) = tar.entries() else {
        return false;
    };
    for entry in entries.take(1000) {
        let Ok(entry) = entry else {
            return false;
        };
        let raw = String::from_utf8_lossy(&entry.path_bytes()).replace('\\', "/");
        let parts: Vec<&str> = raw
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        if entry.header().entry_type().is_file() && parts.len() == 2 && parts[1] == "Chart.yaml" {
            return true;
        }
    }
    false
}

/// The path of an entry below the archive's top directory; refuses absolute
/// paths and `..` like Helm ("illegally contains content outside the base
/// directory").
fn inner_path(raw: &str) -> Result<String, String> {
    let normalized = raw.replace('\\', "/");
    if normalized.starts_with('/') || normalized.contains(':') && normalized.find(':') == Some(1) {
        return Err(format!("chart illegally contains absolute paths: {raw}"));
    }
    let parts: Vec<&str> = normalized
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err(format!(
            "chart illegally contains content outside the base directory: {raw}"
        ));
    }
    if parts.len() == 1 && parts[0] == "Chart.yaml" {
        return Err("chart yaml not in base directory".to_string());
    }
    Ok(parts.get(1..).unwrap_or_default().join("/"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a .tgz in memory from (path, content) pairs; `link` adds a symlink.
    pub(crate) fn tgz(files: &[(&str, &[u8])], link: Option<(&str, &str)>) -> Vec<u8> {
        let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(encoder);
        for (path, content) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            // Written raw so that hostile paths (`..`) reach the archive.
            let name = header.as_old_mut().name.as_mut();
            name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            builder.append(&header, *content).unwrap();
        }
        if let Some((path, target)) = link {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            builder.append_link(&mut header, path, target).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn recognises_packaged_charts() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("web-1.0.0.tgz");
        std::fs::write(
            &chart,
            tgz(
                &[("web/values.yaml", b""), ("web/Chart.yaml", b"name: web\n")],
                None,
            ),
        )
        .unwrap();
        assert!(holds_chart(&chart));
        let other = dir.path().join("logs.tgz");
        std::fs::write(&other, tgz(&[("logs/a/Chart.yaml", b"x")], None)).unwrap();
        assert!(!holds_chart(&other));
        std::fs::write(&other, b"not gzip").unwrap();
        assert!(!holds_chart(&other));
    }

    #[test]
    fn unpacks_below_the_top_directory() {
        let archive = tgz(
            &[
                ("sub/Chart.yaml", b"name: sub\n"),
                ("sub/templates/a.yaml", b"a: 1\n"),
            ],
            None,
        );
        let files = unpack(&archive, &mut MAX_CHART_SIZE.clone()).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Chart.yaml", "templates/a.yaml"]);
    }

    #[test]
    fn refuses_hostile_archives() {
        let traversal = tgz(&[("sub/../../etc/passwd", b"x")], None);
        assert!(
            unpack(&traversal, &mut MAX_CHART_SIZE.clone())
                .unwrap_err()
                .contains("outside the base directory")
        );
        let absolute = tgz(&[("/etc/passwd", b"x")], None);
        assert!(
            unpack(&absolute, &mut MAX_CHART_SIZE.clone())
                .unwrap_err()
                .contains("absolute")
        );
        let link = tgz(
            &[("sub/Chart.yaml", b"name: sub\n")],
            Some(("sub/evil", "/etc/passwd")),
        );
        assert!(
            unpack(&link, &mut MAX_CHART_SIZE.clone())
                .unwrap_err()
                .contains("link")
        );
        let big = vec![b'a'; (MAX_FILE_SIZE + 1) as usize];
        let bomb = tgz(&[("sub/big.txt", &big)], None);
        assert!(
            unpack(&bomb, &mut MAX_CHART_SIZE.clone())
                .unwrap_err()
                .contains("larger than the maximum file size")
        );
        assert!(unpack(b"not gzip", &mut MAX_CHART_SIZE.clone()).is_err());
        let ok = tgz(&[("sub/a.txt", b"0123456789")], None);
        let mut budget = 15;
        assert!(unpack(&ok, &mut budget).is_ok());
        assert_eq!(budget, 5);
        assert!(
            unpack(&ok, &mut budget)
                .unwrap_err()
                .contains("maximum size")
        );
    }
}
