#if canImport(Glibc)
import Glibc
#endif

/// One deliverer per data directory: an exclusive `flock` on `<data>/deliver.lock`, which holds
/// "user pid start-time deliver" as text for the "who is delivering" message. The kernel drops
/// it when the process dies, so a killed deliverer never leaves a stale lock. The file is
/// opened without following a symlink and created 0660 in the store's group (0600 in a
/// private store), so the next staff member can take it too.
public final class DelivererLock {
    let lock: DeliveryLockFile
    public let path: String

    public init(directory: String) throws(DeliveryError) {
        let dir = try DeliveryDirectory(path: directory)
        lock = try DeliveryLockFile("deliver.lock", in: dir)
        path = lock.path
    }

    /// Takes the lock without waiting; throws `.alreadyRunning` naming the holder.
    public func acquire(user: String) throws(DeliveryError) {
        if !(try lock.tryAcquire(operation: "deliver", user: user)) { throw .alreadyRunning(holder: lock.holderDescription()) }
    }

    /// Waits for the lock, calling `waiting` once with the holder's description first.
    public func wait(user: String, waiting: (String) -> Void) throws(DeliveryError) {
        var told = false
        while true {
            if try lock.tryAcquire(operation: "deliver", user: user) { return }
            if !told { waiting(lock.holderDescription()); told = true }
            usleep(200_000)
        }
    }

    public func release() { lock.release() }
}
