import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// One deliverer per data directory: an exclusive `flock` on `<data>/deliver.lock`, which holds
/// "user pid start-time deliver" as text for the "who is delivering" message. The kernel drops
/// it when the process dies, so a killed deliverer never leaves a stale lock.
public final class DelivererLock {
    let lock: LockFile
    public let path: String

    public init(directory: String) throws(DeliveryError) {
        path = directory + "/deliver.lock"
        do { lock = try LockFile(path: path, fs: RealFileSystem()) } catch { throw .store(error) }
    }

    /// Takes the lock without waiting; throws `.alreadyRunning` naming the holder.
    public func acquire(user: String) throws(DeliveryError) {
        let got: Bool
        do { got = try lock.tryAcquire(operation: "deliver", user: user) } catch { throw .store(error) }
        if !got { throw .alreadyRunning(holder: lock.holderDescription()) }
    }

    /// Waits for the lock, calling `waiting` once with the holder's description first.
    public func wait(user: String, waiting: (String) -> Void) throws(DeliveryError) {
        var told = false
        while true {
            do { if try lock.tryAcquire(operation: "deliver", user: user) { return } } catch { throw .store(error) }
            if !told { waiting(lock.holderDescription()); told = true }
            usleep(200_000)
        }
    }

    public func release() { lock.release() }
}
