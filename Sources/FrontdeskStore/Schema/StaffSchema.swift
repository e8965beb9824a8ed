import FrontdeskCore
import FrontdeskJSON

/// The staff schema: `staff.json` and a record's `{"staff":…}` mutation (see docs/STORAGE.md,
/// "Schema").
///
/// `{"user"|"group":NAME,"role":ROLE|null,"contactDetails":BOOL,"version":N,"at":T,"by":A}` in
/// that order: exactly one of `user` and `group`; `role` is `viewer`, `desk`, `manager` or
/// `admin`, null for a removed grant.
package enum StaffSchema {
    /// The generation file that holds every grant.
    static let file = "staff.json"

    /// Appends `g` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ g: StaffGrant, to out: inout JSONWriter) throws {
        switch g.subject {
        case .user(let n): out.raw(#"{"user":"#); out.string(n)
        case .group(let n): out.raw(#"{"group":"#); out.string(n)
        }
        out.raw(#","role":"#)
        if let r = g.role { out.string(r.name) } else { out.null() }
        out.raw(#","contactDetails":"#); out.bool(g.contactDetails)
        out.raw(#","version":"#); out.signed(Int64(g.version))
        out.raw(#","at":"#); try BookingSchema.instant(g.at, to: &out)
        out.raw(#","by":"#); BookingSchema.actor(g.by, to: &out)
        out.byte(0x7D)
    }

    /// The grant at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> StaffGrant {
        let o = try v.object()
        let subject: StaffSubject
        switch (o.optional("user"), o.optional("group")) {
        case (let u?, nil): subject = .user(try u.string())
        case (nil, let g?): subject = .group(try g.string())
        default: throw v.error("a staff grant names exactly one of \"user\" and \"group\"")
        }
        guard !subject.name.isEmpty else { throw v.error("a staff grant's user or group is empty") }
        let roleValue = try o.value("role")
        var role: Role?
        if roleValue.token.kind != .null {
            let text = try roleValue.string()
            guard let r = Role(name: text) else {
                throw roleValue.error("\"\(text)\" is not a role (viewer, desk, manager, admin)")
            }
            role = r
        }
        let version = try o.value("version").integer(Int.self)
        guard version >= 1 else { throw v.error("a staff grant's version starts at 1") }
        return StaffGrant(subject: subject, role: role, contactDetails: try o.value("contactDetails").bool(), version: version,
                          at: try o.value("at").instant(), by: try o.value("by").actor())
    }
}
