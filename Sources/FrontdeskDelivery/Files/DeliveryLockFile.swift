import FrontdeskCore
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
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw .io(op: "lock", path: path, errno: errno)
        }
        held = true
        var text = Array("\(user) \(getpid()) \(time(nil)) ".utf8)
        for b in operation.utf8 { text.append(b == 0x0A ? 0x20 : b) }
        text = Array(text.prefix(159))
        text += [UInt8](repeating: 0x20, count: 159 - text.count) + [0x0A]
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
        var buf = [UInt8](repeating: 0, count: 160)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return "held by another process" }
        let text = String(decoding: buf[0..<n], as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 4, let t = Int64(parts[2]), t >= 0, t < 1 << 40 else { return "held by another process" }
        let op = parts[3].filter { $0 != "\n" }.trimmingSpaces()
        let printable = { (s: String) in String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)) }
        return "held by \(printable(parts[0])) (pid \(printable(parts[1])), \(printable(op))) since \(Instant(seconds: t).iso8601)"
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
