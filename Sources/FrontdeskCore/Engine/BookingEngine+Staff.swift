extension BookingEngine {
    /// Plans granting `role` to a user or group (replacing its grant, if any), or, with `role`
    /// nil, removing its grant.
    ///
    /// Names are checked against the OS by the front end (the core knows no accounts); here
    /// they are checked as text. A change that leaves no admin grant is refused: someone must
    /// be able to grant roles.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` for a bad name,
    ///   ``CoreError/notFound(kind:id:)`` when removing a grant that does not exist,
    ///   ``CoreError/lastAdmin(subject:)`` when it would leave the store without an admin.
    public func setStaff(_ subject: StaffSubject, role: Role?, contactDetails: Bool = false,
                         in state: BookingState, by actor: Author) throws(CoreError) -> Planned<StaffGrant> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        try Self.checkAccountName(subject)
        let current = state.staff[subject]
        if role == nil && current?.isActive != true {
            throw .notFound(kind: subject.label.hasPrefix("group ") ? "staff grant for group" : "staff grant for", id: subject.name)
        }
        if current?.role == .admin && role != .admin {
            let others = state.staff.values.filter { $0.role == .admin && $0.subject != subject }
            if others.isEmpty { throw .lastAdmin(subject: subject.label) }
        }
        let g = StaffGrant(subject: subject, role: role, contactDetails: role == nil ? false : contactDetails,
                           version: (current?.version ?? 0) + 1, at: plan.now, by: actor)
        plan.record(.staff(g))
        plan.recordAudit(AuditEntry(at: plan.now, actor: actor, entity: .staff, id: subject.label, ref: "", version: g.version,
                                    action: current?.isActive == true ? (role == nil ? "removed" : "changed") : "granted",
                                    changes: Self.staffChanges(from: current, to: g), reason: nil))
        return Planned(transaction: plan.finish(), value: g)
    }

    /// The audit log's words for a grant's change: its role and contact-details flag, old → new.
    static func staffChanges(from old: StaffGrant?, to new: StaffGrant) -> [String] {
        let before = old?.isActive == true ? old?.role?.name ?? "none" : "none"
        let after = new.role?.name ?? "none"
        var out: [String] = []
        if before != after { out.append("role \(before) → \(after)") }
        if (old?.contactDetails ?? false) != new.contactDetails { out.append("contact details \(new.contactDetails ? "granted" : "withdrawn")") }
        return out
    }

    /// An OS user or group name as `useradd` accepts it (letters, digits, `_`, `-`, `.`, a
    /// trailing `$`; not starting with `-`; at most 32 bytes).
    static func checkAccountName(_ subject: StaffSubject) throws(CoreError) {
        let n = subject.name
        let field = subject.label.hasPrefix("group ") ? "group" : "user"
        let ok = !n.isEmpty && n.utf8.count <= 32 && !n.hasPrefix("-") && n.unicodeScalars.enumerated().allSatisfy { i, c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
                || (c == "$" && i == n.unicodeScalars.count - 1)
        }
        guard ok else { throw .invalidInput(field: field, message: "\"\(n)\" is not an account name (letters, digits, _ - .)") }
    }
}
