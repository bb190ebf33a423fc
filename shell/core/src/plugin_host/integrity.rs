//! Checking that a library file is whole before the dynamic loader maps it: a file cut short
//! (a copy interrupted, a disk full) makes the loader touch pages past the end of the file, and
//! the process dies of SIGBUS before any check of ours runs. Every segment the loader maps and
//! every section with contents must lie inside the file; only the headers are read. Files that
//! are not ELF at all are left to the loader, which refuses them by name.

use std::{fs::File, io::Read, path::Path};

use object::{Object, ObjectSection, ObjectSegment, ReadCache};

/// Why a library file cannot be loaded safely.
pub fn check_whole(path: &Path) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let length = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if !file_is_regular(path) {
        return Err("not a regular file".into());
    }
    // Files that are not ELF at all are left to the loader, which refuses them by name.
    let mut magic = [0u8; 4];
    if (&file).read_exact(&mut magic).is_err() || magic != *b"\x7fELF" {
        return Ok(());
    }
    let cache = ReadCache::new(file);
    let parsed = object::File::parse(&cache).map_err(|e| format!("cut short or corrupt ({e})"))?;
    for segment in parsed.segments() {
        let (offset, size) = segment.file_range();
        if offset.checked_add(size).is_none_or(|end| end > length) {
            return Err(format!(
                "the file is cut short: a segment ends at byte {}, the file has {length}",
                offset.saturating_add(size)
            ));
        }
    }
    for section in parsed.sections() {
        if let Some((offset, size)) = section.file_range()
            && offset.checked_add(size).is_none_or(|end| end > length)
        {
            return Err(format!(
                "the file is cut short: section {} ends at byte {}, the file has {length}",
                section.name().unwrap_or("?"),
                offset.saturating_add(size)
            ));
        }
    }
    Ok(())
}

fn file_is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}
