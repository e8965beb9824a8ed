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
/// A key in flight holds `flock(LOCK_EX)` on its claim file, `<data>/api-inflight/<SHA-256 of
/// the stored key>.lock`, for as long as its request runs; another process's `LOCK_NB` attempt
/// is refused at once, and the kernel drops the lock of a process that dies, so a killed
/// server leaves no stale claim. The file is unlinked (still locked) when the request ends; a
/// claimant that locked a file unlinked meanwhile sees the name no longer lead to it and
/// starts over. Names inside are opened confined like every store file (`ConfinedDirectory`:
/// `O_NOFOLLOW`, a regular file of the store's group), the directory itself `O_NOFOLLOW`.
final class InFlightKeys: Sendable {
    /// The directory's path, for messages.
    private let path: String
    /// `api-inflight/`, open for the life of the server.
    private let directory: ConfinedDirectory
    /// This process's claims: stored key → the claim file's descriptor.
    private let claims = Mutex<[String: Int32]>([:])

    /// The claim directory of the store at `data`, created with the store's access if missing.
    ///
    /// - Throws: `StoreError` naming the path when it cannot be created or opened, or when
    ///   something other than a directory of the store stands there.
    init(data: String) throws(StoreError) {
        path = data + "/api-inflight"
        let root = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .io(op: "open", path: data, errno: errno) }
        defer { close(root) }
        var st = stat()
        guard fstat(root, &st) == 0 else { throw .io(op: "stat", path: data, errno: errno) }
        let store = ConfinedDirectory(fd: root, group: st.st_gid, shared: st.st_mode & 0o070 != 0)
        if mkdirat(root, "api-inflight", mode_t(store.mode(0o2770))) != 0 && errno != EEXIST {
            throw .io(op: "mkdir", path: path, errno: errno)
        }
        let fd = try store.open("api-inflight", path: path, flags: O_RDONLY | O_DIRECTORY, mode: 0, op: "open")
        do throws(StoreError) { try store.adopt(fd, path: path, mode: 0o2770) } catch {
            close(fd)
            throw error
        }
        directory = ConfinedDirectory(fd: fd, group: store.group, shared: store.shared)
    }

    deinit { close(directory.fd) }

    /// Marks `key` in flight in this process and on the store.
    ///
    /// - Throws: ``ServerError/keyInFlight(_:)`` (naming `shown`) when a request with it is
    ///   running here or in another process; a `StoreError` when its claim file cannot be made.
    func begin(_ key: String, shown: String) throws {
        let fresh = claims.withLock { c -> Bool in
            if c[key] != nil { return false }
            c[key] = -1
            return true
        }
        if !fresh { throw ServerError.keyInFlight(shown) }
        do {
            let fd = try claim(Self.fileName(key), shown: shown)
            claims.withLock { $0[key] = fd }
        } catch {
            _ = claims.withLock { $0.removeValue(forKey: key) }
            throw error
        }
    }

    /// Ends `key`'s claim: its file is unlinked, then unlocked.
    func end(_ key: String) {
        guard let fd = claims.withLock({ $0.removeValue(forKey: key) }), fd >= 0 else { return }
        _ = unlinkat(directory.fd, Self.fileName(key), 0)
        close(fd)
    }

    /// The claim file's name for a stored key: hex SHA-256, so any key makes a safe name.
    static func fileName(_ key: String) -> String { APIToken.hash(ofSecret: key) + ".lock" }

    /// Opens (or creates) `name` and locks it without waiting; the locked descriptor.
    private func claim(_ name: String, shown: String) throws -> Int32 {
        let full = path + "/" + name
        while true {
            var fd: Int32
            do throws(StoreError) {
                fd = try directory.create(name, path: full, flags: O_RDWR, mode: 0o660, op: "create")
            } catch {
                guard case .io(_, _, EEXIST) = error else { throw error }
                do throws(StoreError) {
                    fd = try directory.open(name, path: full, flags: O_RDWR, mode: 0o660, op: "open")
                } catch {
                    // Unlinked between the two calls by the request that held it: try again.
                    if case .io(_, _, ENOENT) = error { continue }
                    throw error
                }
            }
            var r: Int32
            repeat { r = flock(fd, LOCK_EX | LOCK_NB) } while r != 0 && errno == EINTR
            if r != 0 {
                let e = errno
                close(fd)
                if e == EWOULDBLOCK { throw ServerError.keyInFlight(shown) }
                throw StoreError.io(op: "flock", path: full, errno: e)
            }
            // Locked; still the file the name leads to? (Its holder may have unlinked it
            // after this process opened it.)
            var mine = stat(), named = stat()
            if fstat(fd, &mine) == 0 && fstatat(directory.fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0
                && mine.st_ino == named.st_ino && mine.st_dev == named.st_dev {
                return fd
            }
            close(fd)
        }
    }
}
