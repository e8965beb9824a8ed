import FrontdeskCore
import FrontdeskJSON

/// The audit entry schema: a journal record's `{"audit":E}` mutations and the generations'
/// `audit/<YYYY-MM>/<NNNNNN>.json` chunks (`[E…]`), see docs/STORAGE.md, "Audit log".
///
/// `{"at":T,"actor":A,"entity","id","ref","version","action","changes":[…],"reason"?}` in that
/// order; `entity` is one of ``AuditEntity``'s raw values, `reason` left out when absent.
package enum AuditSchema {
    /// Appends `e` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ e: AuditEntry, to out: inout JSONWriter) throws {
        out.raw(#"{"at":"#); try BookingSchema.instant(e.at, to: &out)
        out.raw(#","actor":"#); BookingSchema.actor(e.actor, to: &out)
        out.raw(#","entity":"#); out.string(e.entity.rawValue)
        out.raw(#","id":"#); out.string(e.id)
        out.raw(#","ref":"#); out.string(e.ref)
        out.raw(#","version":"#); out.signed(Int64(e.version))
        out.raw(#","action":"#); out.string(e.action)
        out.raw(#","changes":["#)
        for (i, c) in e.changes.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(c)
        }
        out.byte(0x5D)
        if let r = e.reason { out.raw(#","reason":"#); out.string(r) }
        out.byte(0x7D)
    }

    /// The bytes of a chunk file: `[E…]`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func chunkBytes(_ entries: [AuditEntry]) throws -> [UInt8] {
        try SchemaFile.list(entries) { e, out in try write(e, to: &out) }
    }

    /// The entries of a chunk file.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    static func readChunk(_ bytes: [UInt8]) throws -> [AuditEntry] {
        try SchemaFile.read(from: bytes, fast: { doc in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { entry(r, at: $0) }
        }, general: { v throws(SchemaError) in try v.array(read) })
    }

    /// The entry at `v`, in any spelling.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> AuditEntry {
        let o = try v.object()
        let entityValue = try o.value("entity")
        let entityText = try entityValue.string()
        guard let entity = AuditEntity(rawValue: entityText) else { throw entityValue.error("unknown entity \"\(entityText)\"") }
        return AuditEntry(at: try o.value("at").instant(), actor: try o.value("actor").actor(), entity: entity,
                          id: try o.value("id").string(), ref: try o.value("ref").string(),
                          version: try o.value("version").integer(Int.self), action: try o.value("action").string(),
                          changes: try o.value("changes").array { c throws(SchemaError) in try c.string() },
                          reason: try o.optional("reason")?.string())
    }

    /// The entry whose object is token `index`, as ``write(_:to:)`` gives it, or nil (the
    /// caller then uses ``read(_:)``, which names the problem).
    static func entry(_ r: BookingSchema.Reader, at index: Int) -> AuditEntry? {
        var at: Instant?, actor: Author?, entity: AuditEntity?, id: String?, ref: String?, version: Int?
        var action: String?, changes: [String]?, reason: String??
        let ok = r.members(of: index, keys) { k, v in
            switch k {
            case 0: at = r.instant(v); return at != nil
            case 1: actor = r.actor(v); return actor != nil
            case 2: entity = r.string(v).flatMap(AuditEntity.init(rawValue:)); return entity != nil
            case 3: id = r.string(v); return id != nil
            case 4: ref = r.string(v); return ref != nil
            case 5: version = r.int(v); return version != nil
            case 6: action = r.string(v); return action != nil
            case 7: changes = r.elements(of: v, r.string); return changes != nil
            default: reason = r.optional(v, r.string); return reason != nil
            }
        }
        guard ok, let at, let actor, let entity, let id, let ref, let version, let action, let changes else { return nil }
        return AuditEntry(at: at, actor: actor, entity: entity, id: id, ref: ref, version: version, action: action,
                          changes: changes, reason: reason ?? nil)
    }

    private static let keys = ["at", "actor", "entity", "id", "ref", "version", "action", "changes", "reason"].map { Array($0.utf8) }
    static let mutationKey = Array("audit".utf8)
}
