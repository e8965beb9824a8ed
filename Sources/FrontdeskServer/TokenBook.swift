import FrontdeskDelivery
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The API tokens as the server checks them: `api-tokens.json` is read again whenever its
/// inode, size or modification time changed (one `lstat` a request), so a token added or
/// revoked with `frontdesk token` counts from the next request on. A secret once verified is
/// remembered (no SHA-256 on its later requests) until the file changes, which forgets them
/// all, so a revocation counts from the next request on too.
final class TokenBook: Sendable {
    private let registry: APITokenRegistry
    private let path: String
    /// The tokens read, what `lstat` said of the file then (nil: no file), and the secrets
    /// verified since against those tokens.
    private let cache: Mutex<(tokens: [APIToken], stamp: [Int]?, verified: [String: APIToken])>
    /// The most verified secrets remembered; past it the memory starts again (secrets sent by
    /// a client that tries many are not kept: only valid ones are).
    private static let verifiedLimit = 4096

    init(directory: String) throws {
        registry = APITokenRegistry(directory: directory)
        path = directory + "/api-tokens.json"
        let stamp = TokenBook.stamp(path)
        cache = Mutex((try registry.load(), stamp, [:]))
    }

    /// The active token whose secret is `secret`.
    ///
    /// - Throws: ``ServerError/unauthenticated(_:)`` when none is; the registry's
    ///   `DeliveryError` when the file changed and cannot be read.
    /// - Complexity: one `lstat`; a SHA-256 and O(tokens) only for a secret not verified since
    ///   the file last changed.
    func authenticate(_ secret: String) throws -> APIToken {
        let (known, list, stamp): (APIToken?, [APIToken], [Int]?) = try cache.withLock { c in
            let now = TokenBook.stamp(path)
            if now != c.stamp {
                c.tokens = try registry.load()
                c.stamp = now
                c.verified = [:]
            }
            return (c.verified[secret], c.tokens, c.stamp)
        }
        if let known { return known }
        guard let t = APITokenRegistry.match(secret, in: list) else {
            throw ServerError.unauthenticated("the bearer token is not valid (unknown or revoked); create one with 'frontdesk token add'")
        }
        cache.withLock { c in
            // Only against the tokens it was checked with: a file that changed meanwhile
            // forgets nothing it should.
            guard c.stamp == stamp else { return }
            if c.verified.count >= Self.verifiedLimit { c.verified = [:] }
            c.verified[secret] = t
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
