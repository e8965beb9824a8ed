import FrontdeskDelivery
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The API tokens as the server checks them: `api-tokens.json` is read again whenever its
/// inode, size or modification time changed (one `lstat` a request), so a token added or
/// revoked with `frontdesk token` counts from the next request on.
final class TokenBook: Sendable {
    private let registry: APITokenRegistry
    private let path: String
    /// The tokens read, and what `lstat` said of the file then (nil: no file).
    private let cache: Mutex<(tokens: [APIToken], stamp: [Int]?)>

    init(directory: String) throws {
        registry = APITokenRegistry(directory: directory)
        path = directory + "/api-tokens.json"
        let stamp = TokenBook.stamp(path)
        cache = Mutex((try registry.load(), stamp))
    }

    /// The active token whose secret is `secret`.
    ///
    /// - Throws: ``ServerError/unauthenticated(_:)`` when none is; the registry's
    ///   `DeliveryError` when the file changed and cannot be read.
    func authenticate(_ secret: String) throws -> APIToken {
        let list: [APIToken] = try cache.withLock { c in
            let now = TokenBook.stamp(path)
            if now != c.stamp {
                c.tokens = try registry.load()
                c.stamp = now
            }
            return c.tokens
        }
        guard let t = APITokenRegistry.match(secret, in: list) else {
            throw ServerError.unauthenticated("the bearer token is not valid (unknown or revoked); create one with 'frontdesk token add'")
        }
        return t
    }

    /// Inode, size and modification time of `path` (not following a symlink); nil when missing.
    static func stamp(_ path: String) -> [Int]? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return [Int(st.st_ino), Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
