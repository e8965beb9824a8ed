import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// A bearer token of the HTTP API (`frontdesk token add`): a name, the role it acts with, and
/// the SHA-256 of its secret. The secret itself is shown once and never stored.
public struct APIToken: Sendable, Equatable {
    /// The name history records as the actor of the token's changes (`website`).
    public var name: String
    /// The role the token's requests are checked against (``Access/authorize(_:_:_:)``).
    public var role: Role
    /// Lowercase hex SHA-256 of the secret.
    public var hash: String
    public var createdAt: Instant
    /// The account that created it.
    public var createdBy: String
    /// Set when revoked: the token then authenticates nothing.
    public var revokedAt: Instant?

    public init(name: String, role: Role, hash: String, createdAt: Instant, createdBy: String, revokedAt: Instant? = nil) {
        self.name = name; self.role = role; self.hash = hash; self.createdAt = createdAt; self.createdBy = createdBy; self.revokedAt = revokedAt
    }

    /// Whether requests with this token are accepted.
    public var isActive: Bool { revokedAt == nil }

    /// The hex SHA-256 of `secret`, as stored.
    public static func hash(ofSecret secret: String) -> String {
        SHA256.hash(Array(secret.utf8)).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }

    /// The file's member for this token.
    var json: JSONTree {
        var o: [String: JSONTree] = ["name": .string(name), "role": .string(role.name), "sha256": .string(hash),
                                     "created_at": .string(createdAt.iso8601), "created_by": .string(createdBy)]
        if let revokedAt { o["revoked_at"] = .string(revokedAt.iso8601) }
        return .object(o)
    }

    /// Reads one member of the file.
    init(_ v: SchemaValue) throws(SchemaError) {
        let f = try v.object()
        let roleName = try f.string("role")
        guard let role = Role(name: roleName) else { throw try f.value("role").error("unknown role \"\(roleName)\"") }
        let hash = try f.string("sha256")
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw try f.value("sha256").error("expected 64 lowercase hex digits")
        }
        self.init(name: try f.string("name"), role: role, hash: hash, createdAt: try f.value("created_at").instant(),
                  createdBy: try f.string("created_by"), revokedAt: try f.optional("revoked_at")?.instant())
    }
}
