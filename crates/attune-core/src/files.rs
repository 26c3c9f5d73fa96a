//! Reading the files people hand Attune — scenarios, results, portraits — and finding scenario
//! files in folders, without ever hanging, running out of memory or looping.
//!
//! Files come from USB sticks, shared folders and downloads, so anything may sit where a file is
//! expected: a named pipe (reading blocks forever), a link to `/dev/zero` (never ends), a 1 GB
//! file, a folder that links back to itself. Only regular files are read, each at most its limit
//! from [`crate::limits`]; the limit is checked before reading and enforced while reading.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::limits::human_bytes;

pub const SCENARIO_EXTENSION: &str = ".scenario.ron";

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// Something other than a regular file: a folder, a named pipe, a device, a socket.
    NotAFile {
        what: &'static str,
    },
    /// Larger than the limit for its kind; `size` where the file said how large it is.
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(err) => write!(f, "{err}"),
            ReadError::NotAFile { what } => {
                write!(
                    f,
                    "it is {what}, not a file; Attune reads only ordinary files"
                )
            }
            ReadError::TooLarge {
                size: Some(size),
                limit,
            } => write!(
                f,
                "it is {}, and Attune reads files of this kind up to {}; is it the right file?",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            ReadError::TooLarge { size: None, limit } => write!(
                f,
                "it is larger than {}, the most Attune reads for a file of this kind; is it the right file?",
                human_bytes(*limit)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        ReadError::Io(err)
    }
}

impl From<ReadError> for io::Error {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Io(err) => err,
            ReadError::NotAFile { .. } => {
                io::Error::new(io::ErrorKind::InvalidInput, err.to_string())
            }
            ReadError::TooLarge { .. } => {
                io::Error::new(io::ErrorKind::FileTooLarge, err.to_string())
            }
        }
    }
}

/// What a path is when it is not a regular file, in words.
fn not_a_file(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not an ordinary file")
}

/// Whether `path` (following links) is a regular file no larger than `limit`, without opening it.
pub fn check_regular(path: &Path, limit: u64) -> Result<u64, ReadError> {
    let meta = std::fs::metadata(path)?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ReadError::NotAFile { what });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    Ok(meta.len())
}

/// Opens without waiting: opening a named pipe for reading otherwise blocks until a writer comes.
fn open_without_blocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes of the regular file at `path`, if it holds at most `limit` of them. Anything else
/// (a folder, a pipe, a device, a larger file) is refused before more than `limit + 1` bytes are
/// read, and the check is made again on the opened file, so swapping the file in between
/// changes nothing.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    check_regular(path, limit)?;
    let file = open_without_blocking(path)?;
    let meta = file.metadata()?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ReadError::NotAFile { what });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// A path a folder search passed over, and why.
#[derive(Debug)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: String,
}

/// What a folder search found.
#[derive(Debug, Default)]
pub struct Found {
    /// Regular files whose names end in the extension, in path order within each folder.
    pub files: Vec<PathBuf>,
    /// Entries with the extension that are not readable files, and folders that cannot be read:
    /// reported, and the search goes on.
    pub skipped: Vec<Skipped>,
}

/// The regular files under `dir` (and its sub-folders) whose names end in `extension`.
///
/// Links are followed, but each real folder is searched once, so a folder that links to itself
/// or to a parent ends the search rather than multiplying it. Err only if `dir` itself cannot be
/// read.
pub fn files_under(dir: &Path, extension: &str) -> io::Result<Found> {
    let mut found = Found::default();
    let mut visited = HashSet::new();
    visited.insert(std::fs::canonicalize(dir)?);
    // Folders still being listed, deepest last: each holds its remaining entries in order.
    let mut pending = vec![sorted_entries(dir)?.into_iter()];
    while let Some(entries) = pending.last_mut() {
        let Some(path) = entries.next() else {
            pending.pop();
            continue;
        };
        let has_extension = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(extension));
        // Following links: a link to a folder is searched, a link to a file is read.
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(err) => {
                if has_extension {
                    found.skipped.push(Skipped {
                        why: match std::fs::symlink_metadata(&path) {
                            Ok(m) if m.file_type().is_symlink() => {
                                "it is a link to something that does not exist".to_owned()
                            }
                            _ => err.to_string(),
                        },
                        path,
                    });
                }
                continue;
            }
        };
        if meta.is_dir() {
            let listed = std::fs::canonicalize(&path).and_then(|real| {
                // Already searched: a loop, or a second way into the same folder.
                if visited.insert(real) {
                    sorted_entries(&path).map(Some)
                } else {
                    Ok(None)
                }
            });
            match listed {
                Ok(Some(entries)) => pending.push(entries.into_iter()),
                Ok(None) => {}
                Err(err) => found.skipped.push(Skipped {
                    path,
                    why: format!("this folder cannot be read: {err}"),
                }),
            }
        } else if has_extension {
            match not_a_file(&meta) {
                None => found.files.push(path),
                Some(what) => found.skipped.push(Skipped {
                    path,
                    why: ReadError::NotAFile { what }.to_string(),
                }),
            }
        }
    }
    Ok(found)
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    // An entry that vanished or cannot be read while listing is passed over.
    for entry in std::fs::read_dir(dir)?.flatten() {
        entries.push(entry.path());
    }
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_up_to_its_limit_and_refuses_one_byte_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"12345");
        let err = read_limited(&path, 4).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: Some(5),
                    limit: 4
                }
            ),
            "{err:?}"
        );
        assert_eq!(io::Error::from(err).kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn a_folder_is_not_read_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_limited(dir.path(), 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a folder, not a file; Attune reads only ordinary files"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.scenario.ron");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        for path in [Path::new("/dev/zero"), &link] {
            let err = read_limited(path, 1024).unwrap_err();
            assert!(
                matches!(err, ReadError::NotAFile { what: "a device" }),
                "{err:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn folder_links_are_searched_once_and_loops_end() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/one.scenario.ron"), "x").unwrap();
        std::fs::write(root.join("two.scenario.ron"), "x").unwrap();
        std::fs::write(root.join("notes.txt"), "x").unwrap();
        // Two links back up the tree: without the visited set, 2^depth paths.
        std::os::unix::fs::symlink(root, root.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/again")).unwrap();
        std::os::unix::fs::symlink(root.join("missing"), root.join("gone.scenario.ron")).unwrap();
        let found = files_under(root, SCENARIO_EXTENSION).unwrap();
        let names: Vec<_> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a/b/one.scenario.ron", "two.scenario.ron"]);
        assert_eq!(found.skipped.len(), 1, "{:?}", found.skipped);
        assert!(found.skipped[0].why.contains("does not exist"));
    }
}
