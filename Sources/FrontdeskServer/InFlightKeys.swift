import FrontdeskDelivery
import FrontdeskStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Idempotency keys whose first request is still being processed, by this server process or
/// any other on the same store, so a second request with the same key is answered 409 instead
/// of waiting behind it.
///
/// On a database (``init()``) the claims are this process's only: another server's request
/// with the same key waits for the first one's transaction (every write takes the change row's
/// lock first) and then replays its answer.
///
/// A key in flight holds a write lock on one byte of `<data>/api-inflight/claims`, at an
/// offset taken from the SHA-256 of the stored key, for as long as its request runs: an
/// open-file-description lock (``OpenFileLock``), which another process's attempt meets at
/// once, and which the kernel drops when the process that holds it dies, so a killed server
/// leaves no stale claim. One file for every key: a claim costs two `fcntl` calls, not a file
/// created and unlinked in a directory every request shares. Within this process the claims
/// are told apart by key (one descriptor holds them all). The file is opened confined like
/// every store file (`ConfinedDirectory`: `O_NOFOLLOW`, a regular file of the store's group),
/// the directory itself `O_NOFOLLOW`.
final class InFlightKeys: Sendable {
    /// The claim file's path, for messages.
    private let path: String
    /// `api-inflight/claims`, open for the life of the server; nil on a database.
    private let file: Int32?
    /// This process's claims: stored key → the byte it holds.
    private let claims = Mutex<[String: Int64]>([:])

    /// The claim file of the store at `data`, created with the store's access if missing.
    ///
    /// - Throws: `StoreError` naming the path when it cannot be created or opened, or when
    ///   something other than a directory (a regular file) of the store stands there.
    init(data: String) throws(StoreError) {
        let directoryPath = data + "/api-inflight"
        path = directoryPath + "/claims"
        let root = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .io(op: "open", path: data, errno: errno) }
        defer { close(root) }
        var st = stat()
        guard fstat(root, &st) == 0 else { throw .io(op: "stat", path: data, errno: errno) }
        let store = ConfinedDirectory(fd: root, group: st.st_gid, shared: st.st_mode & 0o070 != 0)
        if mkdirat(root, "api-inflight", mode_t(store.mode(0o2770))) != 0 && errno != EEXIST {
            throw .io(op: "mkdir", path: directoryPath, errno: errno)
        }
        let fd = try store.open("api-inflight", path: directoryPath, flags: O_RDONLY | O_DIRECTORY, mode: 0, op: "open")
        defer { close(fd) }
        try store.adopt(fd, path: directoryPath, mode: 0o2770)
        let directory = ConfinedDirectory(fd: fd, group: store.group, shared: store.shared)
        do throws(StoreError) {
            file = try directory.create("claims", path: path, flags: O_RDWR, mode: 0o660, op: "create")
        } catch {
            guard case .io(_, _, EEXIST) = error else { throw error }
            file = try directory.open("claims", path: path, flags: O_RDWR, mode: 0o660, op: "open")
        }
    }

    /// Claims for this process only (a database store, which has no data directory).
    init() {
        path = "(this process)"
        file = nil
    }

    deinit { if let file { close(file) } }

    /// Marks `key` in flight in this process and on the store.
    ///
    /// - Throws: ``ServerError/keyInFlight(_:)`` (naming `shown`) when a request with it is
    ///   running here or in another process; a `StoreError` when the claim cannot be taken.
    func begin(_ key: String, shown: String) throws {
        let byte = Self.byte(of: key)
        let fresh = claims.withLock { c -> Bool in
            if c[key] != nil { return false }
            c[key] = byte
            return true
        }
        if !fresh { throw ServerError.keyInFlight(shown) }
        guard let file else { return }
        do {
            guard try OpenFileLock.tryLock(file, byte: byte) else { throw ServerError.keyInFlight(shown) }
        } catch let e as OpenFileLock.Failure {
            _ = claims.withLock { $0.removeValue(forKey: key) }
            throw StoreError.io(op: "fcntl", path: path, errno: e.errno)
        } catch {
            _ = claims.withLock { $0.removeValue(forKey: key) }
            throw error
        }
    }

    /// Ends `key`'s claim.
    func end(_ key: String) {
        guard let byte = claims.withLock({ c -> Int64? in
            guard let byte = c.removeValue(forKey: key) else { return nil }
            // Another key of this process on the same byte (two SHA-256 values alike in 60
            // bits) keeps the byte locked.
            return c.values.contains(byte) ? nil : byte
        }), let file else { return }
        OpenFileLock.unlock(file, byte: byte)
    }

    /// The byte of the claim file that stands for a stored key: the first 60 bits of its
    /// SHA-256, so any key makes a valid offset and two keys share one by chance alone.
    static func byte(of key: String) -> Int64 {
        Int64(APIToken.hash(ofSecret: key).prefix(15), radix: 16) ?? 0
    }
}
