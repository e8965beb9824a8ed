import FrontdeskCore
import FrontdeskStore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a delivery lock file (`deliver.lock`, `webhooks.lock`), opened
/// relative to the data directory without following a symlink, created with the directory's
/// access (0660 in the store's group, or 0600 in a private store) whatever the umask.
///
/// The holder writes "user pid unix-time operation" into the file for "who holds it" messages.
/// The kernel drops the lock when the holder dies, so there are no stale locks.
final class DeliveryLockFile {
    let path: String
    private let fd: Int32
    private var held = false

    init(_ name: String, in dir: DeliveryDirectory) throws(DeliveryError) {
        path = dir.path(of: name)
        fd = try dir.openForWriting(name)
    }

    deinit {
        release()
        close(fd)
    }

    /// Tries once without blocking; true if the lock is now held.
    func tryAcquire(operation: String, user: String) throws(DeliveryError) -> Bool {
        if SystemCall.retryingEINTR({ flock(fd, LOCK_EX | LOCK_NB) }) != 0 {
            if errno == EWOULDBLOCK { return false }
            throw .io(op: "lock", path: path, errno: errno)
        }
        held = true
        let text = LockHolderNote.bytes(prefix: Array("\(user) \(getpid()) ".utf8), time: time(nil), operation: operation)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return true
    }

    /// Takes the lock, retrying every 20 ms for up to `timeout` seconds; throws `.busy` with
    /// the holder when it stays busy.
    func acquire(operation: String, user: String, timeout: Double) throws(DeliveryError) {
        var waited = 0.0
        while true {
            if try tryAcquire(operation: operation, user: user) { return }
            if waited >= timeout { throw .busy(path: path, holder: holderDescription()) }
            usleep(20_000)
            waited += 0.02
        }
    }

    func release() {
        guard held else { return }
        held = false
        _ = flock(fd, LOCK_UN)
    }

    /// "held by alice (pid 42, deliver) since 2027-03-01T09:00:00Z", from the file's text.
    func holderDescription() -> String {
        var buf = [UInt8](repeating: 0, count: LockHolderNote.size)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return "held by another process" }
        return LockHolderNote.describe(Array(buf[0..<n]))
    }
}
