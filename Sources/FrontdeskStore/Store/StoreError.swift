import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Every way the store refuses or fails. Each case says what happened and where.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process holds the write lock and did not let go within the lock timeout.
    /// `holder` reads like "held by alice (pid 42, book) since 2027-03-01T09:00:00Z".
    case busy(holder: String)
    /// A file's bytes are not what was written (checksum, sequence, syntax). `path` names the
    /// file and `detail` the offset and the check that failed. The store opens read-only.
    case damaged(path: String, detail: String)
    /// The store refuses writes: it found damage on open, or a write/fsync failed and the
    /// process must reopen the store before writing again.
    case readOnly(reason: String)
    /// A system call failed: which operation, on which path, with which errno.
    case io(op: String, path: String, errno: Int32)
    /// Something inside the store is not what the store put there: a symbolic link, a directory
    /// in place of a file (or the reverse), a fifo, a socket, a file whose group is not the
    /// store's, or a `..` component. It was refused: never followed, opened, read or removed
    /// recursively. `problem` says what was found.
    case unsafeFile(path: String, problem: String)
    /// The directory was written by a newer Frontdesk whose format this build does not know.
    case newerFormat(found: Int, supported: Int)
    /// The directory is on a network file system whose locks cannot be trusted (NFS, CIFS, SMB2).
    case unsupportedFileSystem(type: String)
    /// The core refused the planned change (conflict, stale version, policy, ...); nothing was written.
    case core(CoreError)
    /// There is no store at that path (no FORMAT file).
    case notFound(path: String)
    /// `create` was pointed at a directory that holds other files, or a store already exists there.
    case notEmpty(path: String)
    /// A `writeBatch` chunk could not be written: the first `committed` items were judged and
    /// made durable (their outcomes stand); the rest were not written. The store is read-only.
    case batchInterrupted(committed: Int, reason: String)
    /// A read's answer depends on data that failed verification (a damaged partition, shard or
    /// journal record, or records a fallback generation cannot replay): `missing` says what
    /// cannot be read. Nothing is answered rather than an incomplete answer passing for complete.
    case incomplete(missing: String)
    /// A backup continues a previous one (`previous` in its `backup.json`) that is not beside
    /// it: the chain cannot be restored. `missing` names the absent backup, `neededBy` the one
    /// that refers to it.
    case backupLinkMissing(missing: String, neededBy: String)
    /// `restore --at`/`--seq` asked for a point the backup cannot reach: before its oldest
    /// snapshot generation, past its last record, or across records it does not hold.
    case outOfReach(detail: String)

    public var description: String {
        switch self {
        case .busy(let h): return "the store is busy: the write lock is \(h); try again"
        case .damaged(let p, let d): return "damaged file \(p): \(d)"
        case .readOnly(let r): return "the store is read-only: \(r)"
        case .io(let op, let p, let e): return "\(op) \(p) failed: \(String(cString: strerror(e))) (errno \(e))"
        case .unsafeFile(let p, let problem): return "refusing \(p): \(problem)"
        case .newerFormat(let f, let s): return "the store has format \(f), newer than this program supports (\(s)); upgrade Frontdesk"
        case .unsupportedFileSystem(let t): return "the store is on \(t), whose file locks are unreliable; put it on a local disk"
        case .core(let e): return "\(e)"
        case .notFound(let p): return "no store at \(p)"
        case .notEmpty(let p): return "\(p) is not empty and is not a new store"
        case .batchInterrupted(let n, let r): return "the batch stopped after \(n) items were stored: \(r); reopen the store and resume from item \(n + 1)"
        case .backupLinkMissing(let m, let by): return "the backup chain is broken: \(by) continues \(m), which is missing; restore from a complete chain or take a new full backup"
        case .outOfReach(let d): return "cannot restore to that point: \(d)"
        case .incomplete(let m): return "the store is damaged and the answer would be incomplete: \(m); run `frontdesk check` for details and `frontdesk repair` to recover"
        }
    }
}
