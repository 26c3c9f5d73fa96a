//! Atomic file writes that also work where hard links don't: FAT/exFAT sticks and many SMB shares,
//! exactly where a class keeps a shared results folder.
//!
//! Every write goes to a hidden temporary `.{name}.partial` in the destination folder, is flushed
//! to disk, and only then moved to its name. Readers see no file or the whole file, a crash leaves
//! at most a `.partial` leftover (readers skip those), and on every error the temporary is removed.

use std::ffi::{OsStr, OsString};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use tempfile::{PathPersistError, TempPath};

/// Writes `bytes` as a new file `dir/name`, atomically (readers see no file or the whole file) and
/// never replacing an existing file: Err with io::ErrorKind::AlreadyExists if `name` is taken.
///
/// `name` must be a plain file name (no folders); `dir` must exist. Where the filesystem has
/// neither no-clobber renames nor hard links, readers may briefly see an empty file at the name
/// (see `move_noclobber`).
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let mut parts = Path::new(name).components();
    if !matches!((parts.next(), parts.next()), (Some(Component::Normal(n)), None) if n == name) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a plain file name: {name:?}"),
        ));
    }
    let final_path = dir.join(name);
    let temp = write_temp(dir, name.as_ref(), bytes)?;
    move_noclobber(temp, &final_path)?;
    sync_dir(dir);
    Ok(final_path)
}

/// Replaces (or creates) the file at `path` atomically: a temp file in the same folder, fsynced,
/// renamed over it.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a file path: {}", path.display()),
        ));
    };
    let dir = match path.parent() {
        Some(dir) if dir != Path::new("") => dir,
        _ => Path::new("."),
    };
    let temp = write_temp(dir, name, bytes)?;
    // On failure the returned temporary is dropped, which removes it.
    temp.persist(path).map_err(|err| err.error)?;
    sync_dir(dir);
    Ok(())
}

/// Moves `temp` to `final_path` unless something is already there, trying in order:
/// 1. `tempfile`'s `persist_noclobber`: `renameat2(RENAME_NOREPLACE)` on Linux (`renamex_np` on
///    macOS, a non-replacing `MoveFileEx` on Windows), else a hard link and unlink.
/// 2. If the filesystem refuses both (FAT/exFAT, many SMB shares: EINVAL, ENOTSUP, EPERM...), we
///    reserve the final name with `create_new` (an empty file that only we can have created) and
///    rename the temporary over that reservation. Because the name is ours before the rename,
///    the rename can only ever replace our own empty file, never someone else's. The cost: until
///    the rename, readers can see an empty file at the name (and a crash right there leaves one).
fn move_noclobber(temp: TempPath, final_path: &Path) -> io::Result<()> {
    let temp = match persist_noclobber(temp, final_path) {
        Ok(()) => return Ok(()),
        // Dropping `err.path` removes the temporary.
        Err(err) if err.error.kind() == io::ErrorKind::AlreadyExists => return Err(err.error),
        Err(err) => err.path,
    };
    #[cfg(test)]
    FALLBACKS.with(|n| n.set(n.get() + 1));
    // AlreadyExists if the name is taken; `temp` is dropped (removed) on this early return.
    drop(
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(final_path)?,
    );
    temp.persist(final_path).map_err(|err| {
        // Only our own empty reservation is at the name: give it back (`err.path` goes too).
        let _ = std::fs::remove_file(final_path);
        err.error
    })
}

fn persist_noclobber(temp: TempPath, final_path: &Path) -> Result<(), PathPersistError> {
    if links_refused() {
        return Err(PathPersistError {
            error: io::Error::new(
                io::ErrorKind::Unsupported,
                "test hook: no-clobber rename and hard links refused",
            ),
            path: temp,
        });
    }
    temp.persist_noclobber(final_path)
}

/// Test hook: act as if the filesystem refused both no-clobber renames and hard links.
fn links_refused() -> bool {
    #[cfg(test)]
    if REFUSE_LINKS.with(std::cell::Cell::get) {
        return true;
    }
    #[cfg(feature = "test-hooks")]
    if std::env::var_os("ATTUNE_TEST_NO_LINKS").is_some() {
        return true;
    }
    false
}

#[cfg(test)]
thread_local! {
    static REFUSE_LINKS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static FALLBACKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Creates `.{name}.partial` in `dir` (new, never an existing file), writes and fsyncs `bytes`.
/// The returned path removes the file when dropped, so every error path cleans up. If that name
/// is taken (a crashed write's leftover, or another writer of the same name right now), it is left
/// alone and `.{name}.{n}.partial` used instead.
fn write_temp(dir: &Path, name: &OsStr, bytes: &[u8]) -> io::Result<TempPath> {
    let mut attempt = 0u32;
    let (file, path) = loop {
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        if attempt > 0 {
            temp_name.push(format!(".{attempt}"));
        }
        temp_name.push(".partial");
        let path = dir.join(temp_name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => break (file, path),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    };
    let temp = match TempPath::try_from_path(&path) {
        Ok(temp) => temp,
        Err(err) => {
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(err);
        }
    };
    // On error `temp` is dropped here, which removes the partial file.
    fill(file, bytes, dir)?;
    Ok(temp)
}

/// Writes and flushes to disk; the file is closed on return (before any rename or removal).
fn fill(mut file: File, bytes: &[u8], dir: &Path) -> io::Result<()> {
    if disk_full(dir) {
        // Test hook: this folder's disk fills up half-way through the write.
        file.write_all(&bytes[..bytes.len() / 2])?;
        return Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "No space left on device (test hook)",
        ));
    }
    #[cfg(feature = "test-hooks")]
    if std::env::var_os("ATTUNE_TEST_CRASH_DURING_SAVE").is_some() {
        // Test hook: die half-way through the write, as a power cut or kill would.
        file.write_all(&bytes[..bytes.len() / 2])?;
        file.sync_all()?;
        std::process::abort();
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Test hook: whether `ATTUNE_TEST_DISK_FULL` names this folder.
#[cfg(feature = "test-hooks")]
fn disk_full(dir: &Path) -> bool {
    let Some(full) = std::env::var_os("ATTUNE_TEST_DISK_FULL") else {
        return false;
    };
    let full = Path::new(&full);
    match (std::fs::canonicalize(dir), std::fs::canonicalize(full)) {
        (Ok(a), Ok(b)) => a == b,
        _ => dir == full,
    }
}

#[cfg(not(feature = "test-hooks"))]
fn disk_full(_dir: &Path) -> bool {
    false
}

/// Removes the leftovers of writes into `dir` that never finished (a crash or power cut during
/// [`write_new`] or [`replace`]): hidden `.{name}.partial` and `.{name}.{n}.partial` files whose
/// `name` ends in `suffix`, last modified more than `older_than` ago. A recent one may belong to
/// a write still under way, and files of other names are not ours: both are left alone.
/// Returns how many were removed; problems (a file that vanished, no permission) are passed over.
pub fn remove_stale_partials(dir: &Path, suffix: &str, older_than: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if !is_partial_of(name, suffix) {
            continue;
        }
        // Only plain files: never follow a link or touch a folder of that name.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > older_than);
        if meta.file_type().is_file() && stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `file_name` is one of [`write_temp`]'s names for a final name ending in `suffix`.
fn is_partial_of(file_name: &str, suffix: &str) -> bool {
    let Some(inner) = file_name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".partial"))
    else {
        return false;
    };
    // `.{name}.{n}.partial`: a second writer of the same name.
    let inner = match inner.rsplit_once('.') {
        Some((name, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => inner,
    };
    inner.len() > suffix.len() && inner.ends_with(suffix)
}

fn sync_dir(dir: &Path) {
    // Makes the new name durable on Unix; not possible (or needed) everywhere.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    /// Runs `f` on this thread as if the filesystem refused no-clobber renames and hard links,
    /// and checks that the reservation fallback really ran.
    fn without_links<T>(f: impl FnOnce() -> T) -> T {
        let before = FALLBACKS.with(|n| n.get());
        REFUSE_LINKS.with(|r| r.set(true));
        let out = f();
        REFUSE_LINKS.with(|r| r.set(false));
        assert!(
            FALLBACKS.with(|n| n.get()) > before,
            "the fallback did not run"
        );
        out
    }

    fn with_and_without_links(f: impl Fn()) {
        f();
        without_links(&f);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn content(seed: usize) -> Vec<u8> {
        (0..70_000 + seed).map(|i| (i * 31 + seed) as u8).collect()
    }

    #[test]
    fn writes_a_new_file_with_the_exact_content() {
        with_and_without_links(|| {
            let dir = tempfile::tempdir().unwrap();
            let bytes = content(7);
            let path = write_new(dir.path(), "run.json", &bytes).unwrap();
            assert_eq!(path, dir.path().join("run.json"));
            assert_eq!(std::fs::read(&path).unwrap(), bytes);
            assert_eq!(names(dir.path()), ["run.json"], "no .partial left");
        });
    }

    #[test]
    fn refuses_an_existing_name_and_leaves_that_file_alone() {
        with_and_without_links(|| {
            let dir = tempfile::tempdir().unwrap();
            let existing = dir.path().join("run.json");
            std::fs::write(&existing, b"someone else's result").unwrap();
            let err = write_new(dir.path(), "run.json", &content(1)).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
            assert_eq!(std::fs::read(&existing).unwrap(), b"someone else's result");
            assert_eq!(names(dir.path()), ["run.json"], "no .partial left");
        });
    }

    #[test]
    fn leaves_nothing_behind_when_the_folder_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder");
        let err = write_new(&missing, "run.json", b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let err = replace(&missing.join("run.json"), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_stale_partial_does_not_block_the_name_and_is_left_alone() {
        with_and_without_links(|| {
            let dir = tempfile::tempdir().unwrap();
            let stale = dir.path().join(".run.json.partial");
            std::fs::write(&stale, b"half a resu").unwrap();
            let bytes = content(3);
            write_new(dir.path(), "run.json", &bytes).unwrap();
            assert_eq!(std::fs::read(dir.path().join("run.json")).unwrap(), bytes);
            replace(&dir.path().join("run.json"), b"new").unwrap();
            assert_eq!(std::fs::read(dir.path().join("run.json")).unwrap(), b"new");
            assert_eq!(std::fs::read(&stale).unwrap(), b"half a resu");
            assert_eq!(names(dir.path()), [".run.json.partial", "run.json"]);
        });
    }

    #[test]
    fn only_our_own_stale_partials_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let day_ago = SystemTime::now() - Duration::from_secs(25 * 3600);
        let old = |name: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, b"half").unwrap();
            File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(day_ago)
                .unwrap();
        };
        old(".a_t_1.result.json.partial");
        old(".a_t_2.result.json.3.partial");
        old(".notes.txt.partial"); // not a result's
        old(".result.json.partial"); // no name before the extension: not ours
        old("a.result.json.partial"); // not hidden: not ours
        std::fs::write(dir.path().join(".a_t_3.result.json.partial"), b"now").unwrap(); // recent
        std::fs::create_dir(dir.path().join(".a_t_4.result.json.partial")).unwrap();
        let removed =
            remove_stale_partials(dir.path(), ".result.json", Duration::from_secs(86_400));
        assert_eq!(removed, 2);
        assert_eq!(
            names(dir.path()),
            [
                ".a_t_3.result.json.partial",
                ".a_t_4.result.json.partial",
                ".notes.txt.partial",
                ".result.json.partial",
                "a.result.json.partial"
            ]
        );
    }

    #[test]
    fn rejects_names_that_are_not_plain_file_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in [
            "",
            ".",
            "..",
            "sub/run.json",
            "./run.json",
            "run.json/",
            "/run.json",
        ] {
            let err = write_new(dir.path(), name, b"x").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{name:?}");
        }
        assert_eq!(names(dir.path()), ["sub"]);
        assert!(names(&dir.path().join("sub")).is_empty());
    }

    #[test]
    fn replace_creates_then_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        replace(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        replace(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        replace(&path, b"3").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"3");
        assert_eq!(names(dir.path()), ["settings.ron"], "no .partial left");
    }

    #[test]
    fn readers_never_see_a_partly_replaced_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        let (a, b) = (vec![b'a'; 256 * 1024], vec![b'b'; 256 * 1024]);
        replace(&path, &a).unwrap();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (path, done) = (path.clone(), done.clone());
            let (a, b) = (a.clone(), b.clone());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) || reads < 50 {
                    let seen = std::fs::read(&path).unwrap();
                    assert!(seen == a || seen == b, "saw {} bytes, mixed", seen.len());
                    reads += 1;
                }
            })
        };
        for i in 0..100 {
            replace(&path, if i % 2 == 0 { &b } else { &a }).unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap();
        assert_eq!(names(dir.path()), ["settings.ron"]);
    }

    #[test]
    fn fifty_threads_writing_distinct_names_all_land_intact() {
        with_and_without_links(|| {
            let dir = Arc::new(tempfile::tempdir().unwrap());
            let start = Arc::new(Barrier::new(50));
            let refuse = REFUSE_LINKS.with(std::cell::Cell::get);
            let threads: Vec<_> = (0..50)
                .map(|i| {
                    let (dir, start) = (dir.clone(), start.clone());
                    std::thread::spawn(move || {
                        REFUSE_LINKS.with(|r| r.set(refuse));
                        start.wait();
                        write_new(dir.path(), &format!("run-{i}.json"), &content(i)).unwrap();
                        FALLBACKS.with(|n| n.get())
                    })
                })
                .collect();
            for thread in threads {
                let fallbacks = thread.join().unwrap();
                if refuse {
                    assert_eq!(fallbacks, 1, "the fallback ran on that thread");
                }
            }
            // Let `without_links` see that the fallback ran (it counts on this thread).
            FALLBACKS.with(|n| n.set(n.get() + u32::from(refuse)));
            assert_eq!(names(dir.path()).len(), 50, "no .partial left");
            for i in 0..50 {
                let path = dir.path().join(format!("run-{i}.json"));
                assert_eq!(std::fs::read(path).unwrap(), content(i), "run-{i}");
            }
        });
    }

    #[test]
    fn racing_writers_of_one_name_yield_exactly_one_winner() {
        with_and_without_links(|| {
            let dir = Arc::new(tempfile::tempdir().unwrap());
            let start = Arc::new(Barrier::new(16));
            let refuse = REFUSE_LINKS.with(std::cell::Cell::get);
            let threads: Vec<_> = (0..16)
                .map(|i| {
                    let (dir, start) = (dir.clone(), start.clone());
                    std::thread::spawn(move || {
                        REFUSE_LINKS.with(|r| r.set(refuse));
                        start.wait();
                        (i, write_new(dir.path(), "run.json", &content(i)))
                    })
                })
                .collect();
            let mut winners = Vec::new();
            for thread in threads {
                match thread.join().unwrap() {
                    (i, Ok(_)) => winners.push(i),
                    (_, Err(err)) => assert_eq!(err.kind(), io::ErrorKind::AlreadyExists),
                }
            }
            FALLBACKS.with(|n| n.set(n.get() + u32::from(refuse)));
            assert_eq!(winners.len(), 1, "{winners:?}");
            let path = dir.path().join("run.json");
            assert_eq!(std::fs::read(path).unwrap(), content(winners[0]));
            assert_eq!(names(dir.path()), ["run.json"], "no .partial left");
        });
    }
}
