#if canImport(Glibc)
import Glibc
#endif

/// The compaction lock: `flock(LOCK_EX)` on the descriptor of the store's `snapshots/`
/// directory, opened `O_RDONLY | O_DIRECTORY | O_CLOEXEC`. Whoever holds it is the only process
/// writing a snapshot generation, moving folded segments to `events/`, pruning `events/`,
/// deleting old generations or removing compaction leftovers (`tmp/compact-*`). It is
/// independent of the write lock (the store's directory): a compaction holds only this one, so
/// writers never wait for it. It may be taken while holding the write lock, never the other
/// way round.
///
/// `snapshots/` always holds a generation, so it cannot be removed, and deleting or replacing
/// a file cannot split this lock. `COMPACT`, the file programs from before this lock flock, is
/// flocked too when it is a regular file (created 0660 if missing; ignored if it cannot be
/// opened, never followed), so both kinds of program exclude each other while it stays.
final class CompactionLock {
    let directory: OpenFile
    let legacy: OpenFile?
    let fs: any FileSystem
    private var held = true

    private init(directory: OpenFile, legacy: OpenFile?, fs: any FileSystem) {
        self.directory = directory; self.legacy = legacy; self.fs = fs
    }

    deinit { release() }

    /// Takes the lock of the store in `storeDirectory`: one `LOCK_NB` try when `timeout` is nil
    /// (nil if another process holds it), else retries every millisecond for up to `timeout`
    /// seconds (nil at the deadline).
    static func acquire(storeDirectory: String, fs: any FileSystem, timeout: Double?) throws(StoreError) -> CompactionLock? {
        let dir = try fs.open(storeDirectory + "/snapshots", flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0)
        let legacy = openLegacy(storeDirectory + "/COMPACT", fs: fs)
        func closeAll() { fs.close(dir); if let legacy { fs.close(legacy) } }
        let deadline = LockFile.monotonic() + (timeout ?? 0)
        while true {
            let got: Bool
            do { got = try fs.flock(dir, LOCK_EX | LOCK_NB) } catch { closeAll(); throw error }
            if got {
                // An unlockable COMPACT is ignored, as a missing one is.
                let gotLegacy = legacy.map { (try? fs.flock($0, LOCK_EX | LOCK_NB)) ?? true } ?? true
                if gotLegacy { return CompactionLock(directory: dir, legacy: legacy, fs: fs) }
                _ = try? fs.flock(dir, LOCK_UN)
            }
            if timeout == nil || LockFile.monotonic() >= deadline { closeAll(); return nil }
            usleep(1000)
        }
    }

    /// `COMPACT` opened without following links (flock works on a read-only descriptor; its
    /// content is never used), created 0660 if missing; nil if it cannot be opened.
    private static func openLegacy(_ path: String, fs: any FileSystem) -> OpenFile? {
        if let f = try? fs.open(path, flags: O_RDONLY | O_CLOEXEC, mode: 0) { return f }
        guard let f = try? fs.open(path, flags: O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o660) else { return nil }
        try? fs.chmod(path, mode: 0o660)
        return f
    }

    func release() {
        guard held else { return }
        held = false
        if let legacy {
            _ = try? fs.flock(legacy, LOCK_UN)
            fs.close(legacy)
        }
        _ = try? fs.flock(directory, LOCK_UN)
        fs.close(directory)
    }
}
