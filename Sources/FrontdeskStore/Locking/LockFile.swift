import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store's write lock: `flock(LOCK_EX)` on `<dir>/LOCK`, a file that is never renamed or
/// deleted and is opened `O_CLOEXEC`. The kernel drops the lock when the holder dies, so there
/// are no stale locks. The holder writes who it is into the file for "busy" messages.
package final class LockFile {
    let file: OpenFile
    let fs: any FileSystem
    package private(set) var held = false

    package init(path: String, fs: any FileSystem) throws(StoreError) {
        self.fs = fs
        file = try fs.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
    }

    deinit { fs.close(file) }

    /// Tries once without blocking; true if the lock is now held.
    package func tryAcquire(operation: String, user: String) throws(StoreError) -> Bool {
        guard try fs.flock(file, LOCK_EX | LOCK_NB) else { return false }
        held = true
        let text = "\(user) \(getpid()) \(Int(Date().timeIntervalSince1970)) \(operation.replacingOccurrences(of: "\n", with: " "))\n"
        try? fs.writeAll(file, Array(text.utf8), at: 0)
        try? fs.ftruncate(file, to: Int64(text.utf8.count))
        return true
    }

    /// Takes the lock: `LOCK_NB` first, then retries with backoff (0.1 ms doubling to 2 ms) until
    /// `timeout` seconds have passed, then throws `.busy` naming the holder.
    package func acquire(operation: String, user: String, timeout: Double) throws(StoreError) {
        let deadline = Date().addingTimeInterval(timeout)
        var wait: UInt32 = 100
        while true {
            if try tryAcquire(operation: operation, user: user) { return }
            if Date() >= deadline { throw .busy(holder: holderDescription()) }
            usleep(wait)
            wait = min(wait * 2, 2_000)
        }
    }

    package func release() {
        guard held else { return }
        held = false
        _ = try? fs.flock(file, LOCK_UN)
    }

    /// "held by alice (pid 42, book) since 2027-03-01T09:00:00Z", from the lock file's text.
    package func holderDescription() -> String {
        guard let bytes = try? fs.readAll(file, from: 0) else { return "held by another process" }
        let parts = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: " ", maxSplits: 3).map(String.init)
        guard parts.count == 4, let t = Double(parts[2]) else { return "held by another process" }
        let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: t))
        return "held by \(parts[0]) (pid \(parts[1]), \(parts[3])) since \(when)"
    }
}
