import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON

/// What a handler needs of one authenticated request: who, from where, with which role, and
/// its query, headers and JSON body, already read.
struct APIRequest: Sendable {
    let token: APIToken
    let origin: String
    let query: [String: String]
    /// Header values by lowercase name.
    let headers: [String: String]
    let body: JSONTree?

    /// The actor history records: the token's name, the client's address, source `api`.
    var actor: Author { Author(user: token.name, origin: origin, source: .api) }
    /// The token's role, as the store checks every planned change against it.
    var access: Access { Access(user: token.name, role: token.role, sources: ["API token \(token.name): \(token.role.name)"]) }

    /// Checks `action` against the token's role.
    func authorize(_ action: AccessAction) throws {
        try Access.authorize(actor, access, action)
    }

    /// The body's members; only `allowed` names are accepted.
    ///
    /// - Throws: ``ServerError/malformedJSON(_:)`` when there is no object body, or
    ///   ``ServerError/invalidField(field:message:)`` naming an unknown member.
    func members(allowed: Set<String>, required: Bool = true) throws -> [String: JSONTree] {
        guard let body else {
            if required { throw ServerError.malformedJSON("the body is empty; send a JSON object") }
            return [:]
        }
        guard case .object(let o) = body else { throw ServerError.malformedJSON("the body must be a JSON object, not \(body.kindDescription)") }
        for k in o.keys.sorted() where !allowed.contains(k) {
            throw ServerError.invalidField(field: k, message: "unknown member; this endpoint takes \(allowed.sorted().joined(separator: ", "))")
        }
        return o
    }

    /// A string member, or nil when absent or null.
    static func string(_ o: [String: JSONTree], _ key: String) throws -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let v?: throw ServerError.invalidField(field: key, message: "must be a string, not \(v.kindDescription)")
        }
    }

    /// The version `If-Match` names (`"3"`, `W/"3"` or `3`).
    ///
    /// - Throws: ``ServerError/preconditionRequired`` when absent; `.invalidField` when not a version.
    func ifMatchVersion() throws -> Int {
        guard let raw = headers["if-match"] else { throw ServerError.preconditionRequired }
        var t = Substring(raw.trimmingSpacesAPI)
        if t.hasPrefix("W/") { t = t.dropFirst(2) }
        if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = t.dropFirst().dropLast() }
        guard let v = Int(t), v >= 1 else { throw ServerError.invalidField(field: "If-Match", message: "must be a booking's ETag, e.g. \"3\"") }
        return v
    }
}


extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesAPI: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
