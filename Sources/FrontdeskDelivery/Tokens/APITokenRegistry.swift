import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// The HTTP API's bearer tokens, `<data>/api-tokens.json`: hashed, replaced atomically and
/// changed only under `<data>/api-tokens.lock`, like the webhook configuration.
///
/// The file holds each token's name, role and the SHA-256 of its secret; the secret is returned
/// once by ``add(name:role:now:by:)`` and cannot be recovered from the file.
public struct APITokenRegistry: Sendable {
    public static let formatVersion = 1
    public let directory: String
    var path: String { directory + "/api-tokens.json" }

    public init(directory: String) { self.directory = directory }

    /// Every token, revoked ones included, in the order they were added (none: empty).
    public func load() throws(DeliveryError) -> [APIToken] {
        try load(in: DeliveryDirectory(path: directory))
    }

    func load(in dir: DeliveryDirectory) throws(DeliveryError) -> [APIToken] {
        guard let bytes = try AtomicFile.read("api-tokens.json", in: dir) else { return [] }
        do {
            let f = try SchemaValue.root(parsingHandEdited: bytes).object()
            let version = try f.integer("version", as: Int.self)
            guard version <= Self.formatVersion else {
                throw DeliveryError.damaged(path: path, detail: "format version \(version) is newer than this program supports (\(Self.formatVersion))")
            }
            return try f.value("tokens").array { v throws(SchemaError) in try APIToken(v) }
        } catch let e as DeliveryError {
            throw e
        } catch {
            throw .damaged(path: path, detail: "not an API token file (\(error))")
        }
    }

    /// The active token whose secret is `secret`, or nil.
    ///
    /// - Complexity: O(tokens) after one SHA-256 of the secret.
    public static func match(_ secret: String, in tokens: [APIToken]) -> APIToken? {
        let h = APIToken.hash(ofSecret: secret)
        return tokens.first { $0.isActive && $0.hash == h }
    }

    /// Adds a token named `name` with `role` and returns it with its secret (`fd_` and 48 hex
    /// digits from the system's random source), which is not stored.
    ///
    /// - Throws: `.invalidInput` for a name that is not 1–64 letters, digits, `-`, `_` or `.`,
    ///   or that an active token already has.
    public func add(name: String, role: Role, now: Instant, by user: String) throws(DeliveryError) -> (token: APIToken, secret: String) {
        guard (1...64).contains(name.utf8.count),
              name.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 || $0 == 46 })
        else { throw .invalidInput(field: "name", message: "use 1 to 64 letters, digits, '-', '_' or '.'") }
        var rng = SystemRandomNumberGenerator()
        let secret = "fd_" + (0..<24).map { _ in
            let b = UInt8.random(in: 0...255, using: &rng)
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
        let token = APIToken(name: name, role: role, hash: APIToken.hash(ofSecret: secret), createdAt: now, createdBy: user)
        try update { (list: inout [APIToken]) throws(DeliveryError) in
            if list.contains(where: { $0.name == name && $0.isActive }) {
                throw .invalidInput(field: "name", message: "a token named \(name) exists; revoke it first (frontdesk token revoke \(name))")
            }
            list.append(token)
        }
        return (token, secret)
    }

    /// Revokes the active token named `name`.
    ///
    /// - Throws: `.unknownToken` when no active token has that name.
    public func revoke(name: String, now: Instant) throws(DeliveryError) {
        try update { (list: inout [APIToken]) throws(DeliveryError) in
            guard let i = list.firstIndex(where: { $0.name == name && $0.isActive }) else { throw .unknownToken(name: name) }
            list[i].revokedAt = now
        }
    }

    /// Reads, changes and atomically replaces the file under its lock.
    func update(_ change: (inout [APIToken]) throws(DeliveryError) -> Void) throws(DeliveryError) {
        let dir = try DeliveryDirectory(path: directory)
        let lock = try DeliveryLockFile("api-tokens.lock", in: dir)
        try lock.acquire(operation: "api tokens", user: ProcessAccount.name, timeout: 5)
        defer { lock.release() }
        var list = try load(in: dir)
        try change(&list)
        let tree: JSONTree = ["version": .integer(Self.formatVersion), "tokens": .array(list.map(\.json))]
        try AtomicFile.replace("api-tokens.json", in: dir, with: tree.serialized(prettyPrinted: true))
    }
}
