import FrontdeskCore

/// The recorded changes of one entity (the booking under the cursor, else the resource of the
/// cursor's column with its schedule and blackouts): who, when, what changed and why, oldest
/// first.
struct HistoryView {
    /// What is shown and how far it is scrolled: the lines are taken when the view opens.
    struct State {
        var title: String
        var lines: [String]
        var scroll = 0
    }

    /// The lines for `entries`, times in `zone`: one line per entry, then its changes and
    /// reason indented. Text from the store is made safe when drawn (``Box``).
    static func lines(_ entries: [AuditEntry], zone: Zone) -> [String] {
        guard !entries.isEmpty else { return ["No changes recorded."] }
        var out: [String] = []
        for e in entries {
            let version = e.version > 0 ? "v\(e.version)  " : ""
            out.append("\(version)\(Format.stamp(e.at, zone))  \(e.actor.user) @ \(e.actor.origin) via \(e.actor.source.rawValue)  \(e.entity.rawValue) \(e.action)")
            for c in e.changes { out.append("        \(c)") }
            if let r = e.reason, !e.changes.contains(where: { $0.hasSuffix(r) }) { out.append("        reason: \(r)") }
        }
        return out
    }

    /// A booking's own history (complete from its creation) as entries.
    static func entries(of b: Booking) -> [AuditEntry] {
        b.history.map { h in
            AuditEntry(at: h.at, actor: h.actor, entity: .booking, id: b.id.rawValue, ref: b.ref, version: h.version,
                       action: h.action, changes: h.changes, reason: AuditEntry.reason(inHistoryChanges: h.changes))
        }
    }

    /// A resource's entries and those of its schedule (hours, overrides, blackouts), oldest first.
    ///
    /// - Throws: what the storage throws reading its log.
    static func entries(of r: Resource, in storage: any BookingStorage) throws -> [AuditEntry] {
        var all = try storage.auditEntries(AuditQuery(entity: .resource, id: r.id.rawValue))
        if let s = r.schedule {
            all += try storage.auditEntries(AuditQuery(entity: .schedule, id: s.rawValue))
            all += try storage.auditEntries(AuditQuery(entity: .blackout, id: s.rawValue))
        }
        return AuditQuery().select(all)
    }

    let state: State

    func draw(into grid: inout CellGrid) {
        Box.page(in: grid).drawScrolling(state.lines, from: state.scroll, title: state.title, hint: "Esc close · j/k scroll", into: &grid)
    }
}
