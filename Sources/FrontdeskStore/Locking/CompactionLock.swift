#if canImport(Glibc)
import Glibc
#endif

/// The compaction lock: `flock(LOCK_EX)` on `<dir>/COMPACT`, a file created on first use and
/// never renamed or deleted, opened `O_CLOEXEC`. Whoever holds it is the only process writing a
/// snapshot generation, moving folded segments to `events/`, pruning `events/`, deleting old
/// generations or removing compaction leftovers (`tmp/compact-*`). It is independent of the write
/// lock (`LOCK`): a compaction holds only this one, so writers never wait for it. It may be taken
/// while holding the write lock, never the other way round.
package final class CompactionLock {
    let file: OpenFile
    let fs: any FileSystem
    private var held = true

    private init(file: OpenFile, fs: any FileSystem) { self.file = file; self.fs = fs }

    deinit { release() }

    /// Takes the lock on `path`: one `LOCK_NB` try when `timeout` is nil (nil if another process
    /// holds it), else retries every millisecond for up to `timeout` seconds (nil at the deadline).
    package static func acquire(_ path: String, fs: any FileSystem, timeout: Double?) throws(StoreError) -> CompactionLock? {
        let f: OpenFile
        if fs.stat(path) == nil {
            f = try fs.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
            do { try fs.chmod(path, mode: 0o660) } catch { fs.close(f); throw error }
        } else {
            // flock works on a read-only descriptor; the file's content is never used.
            f = try fs.open(path, flags: O_RDONLY | O_CLOEXEC, mode: 0)
        }
        let deadline = LockFile.monotonic() + (timeout ?? 0)
        while true {
            let got: Bool
            do { got = try fs.flock(f, LOCK_EX | LOCK_NB) } catch { fs.close(f); throw error }
            if got { return CompactionLock(file: f, fs: fs) }
            if timeout == nil || LockFile.monotonic() >= deadline { fs.close(f); return nil }
            usleep(1000)
        }
    }

    package func release() {
        guard held else { return }
        held = false
        _ = try? fs.flock(file, LOCK_UN)
        fs.close(file)
    }
}
