/// The audit entries that describe a reference record's new version against its old one: what
/// a plan records next to every resource, schedule and customer it writes.
///
/// Contact details (phone, e-mail, notes) are named as changed, never quoted: the audit log is
/// read by staff who may not see them.
enum AuditDiff {
    /// The entry for a resource's new version (`created`, `archived`, `restored` or
    /// `updated`), or nil when nothing recorded changed.
    static func resource(old: Resource?, new r: Resource, at: Instant, actor: Author) -> AuditEntry? {
        var changes: [String] = []
        var action = "updated"
        if let old {
            field("name", old.name, r.name, into: &changes)
            field("kind", old.kind.description, r.kind.description, into: &changes)
            field("parent", old.parent?.rawValue, r.parent?.rawValue, into: &changes)
            field("time zone", old.zone.identifier, r.zone.identifier, into: &changes)
            field("slot", old.slotLength.text, r.slotLength.text, into: &changes)
            field("schedule", old.schedule?.rawValue, r.schedule?.rawValue, into: &changes)
            span("buffer before", old.policy.bufferBefore, r.policy.bufferBefore, into: &changes)
            span("buffer after", old.policy.bufferAfter, r.policy.bufferAfter, into: &changes)
            span("minimum notice", old.policy.minimumNotice, r.policy.minimumNotice, into: &changes)
            span("maximum advance", old.policy.maximumAdvance, r.policy.maximumAdvance, into: &changes)
            span("cancellation notice", old.policy.cancellationNotice, r.policy.cancellationNotice, into: &changes)
            span("reminder", old.policy.reminderLead, r.policy.reminderLead, into: &changes)
            if old.tags != r.tags { changes.append("tags \(tagsText(old.tags)) → \(tagsText(r.tags))") }
            if old.archived != r.archived {
                action = r.archived ? "archived" : "restored"
                changes.append(r.archived ? "archived" : "taken out of the archive")
            }
            guard !changes.isEmpty else { return nil }
        } else {
            action = "created"
            changes = ["name \(quoted(r.name))", "kind \(r.kind)", "time zone \(r.zone.identifier)"]
            if let p = r.parent { changes.append("parent \(p.rawValue)") }
            if let s = r.schedule { changes.append("schedule \(s.rawValue)") }
            if !r.tags.isEmpty { changes.append("tags \(tagsText(r.tags))") }
        }
        return AuditEntry(at: at, actor: actor, entity: .resource, id: r.id.rawValue, ref: r.ref, version: r.version,
                          action: action, changes: changes)
    }

    /// The entries for a schedule's new version: one `schedule` entry for its rules, and one
    /// `blackout` entry for each blackout added or removed (its reason as the entry's reason).
    static func schedule(old: Schedule?, new s: Schedule, at: Instant, actor: Author) -> [AuditEntry] {
        var out: [AuditEntry] = []
        var changes: [String] = []
        if let old {
            field("name", old.name, s.name, into: &changes)
            for day in Weekday.allCases {
                field("hours \(day.shortName)", hoursText(old.weekly[day]), hoursText(s.weekly[day]), into: &changes)
            }
            let dates = Set(old.overrides.keys).union(s.overrides.keys).sorted()
            for d in dates {
                field("hours on \(d)", old.overrides[d].map(overrideText), s.overrides[d].map(overrideText), into: &changes)
            }
            span("buffer before", old.bufferBefore, s.bufferBefore, into: &changes)
            span("buffer after", old.bufferAfter, s.bufferAfter, into: &changes)
            span("minimum notice", old.minimumNotice, s.minimumNotice, into: &changes)
            span("maximum advance", old.maximumAdvance, s.maximumAdvance, into: &changes)
            span("cancellation notice", old.cancellationNotice, s.cancellationNotice, into: &changes)
            if !changes.isEmpty {
                out.append(AuditEntry(at: at, actor: actor, entity: .schedule, id: s.id.rawValue, ref: s.name, version: s.version,
                                      action: "updated", changes: changes))
            }
        } else {
            changes = ["name \(quoted(s.name))"]
            for day in Weekday.allCases { if let h = hoursText(s.weekly[day]) { changes.append("hours \(day.shortName) \(h)") } }
            out.append(AuditEntry(at: at, actor: actor, entity: .schedule, id: s.id.rawValue, ref: s.name, version: s.version,
                                  action: "created", changes: changes))
        }
        let before = old?.blackouts ?? []
        for b in s.blackouts where !before.contains(b) {
            out.append(AuditEntry(at: at, actor: actor, entity: .blackout, id: s.id.rawValue, ref: s.name, version: s.version,
                                  action: "blackout added", changes: ["\(b.range.start.iso8601) – \(b.range.end.iso8601)"], reason: b.reason))
        }
        for b in before where !s.blackouts.contains(b) {
            out.append(AuditEntry(at: at, actor: actor, entity: .blackout, id: s.id.rawValue, ref: s.name, version: s.version,
                                  action: "blackout removed", changes: ["\(b.range.start.iso8601) – \(b.range.end.iso8601)"], reason: b.reason))
        }
        return out
    }

    /// The entry for a service's new version (`created`, `archived`, `restored` or `updated`),
    /// or nil when nothing recorded changed.
    static func service(old: Service?, new s: Service, at: Instant, actor: Author) -> AuditEntry? {
        var changes: [String] = []
        var action = "updated"
        func amount(_ a: Int64?) -> String? { a.map(String.init) }
        if let old {
            field("name", old.name, s.name, into: &changes)
            span("duration", old.duration, s.duration, into: &changes)
            span("buffer before", old.bufferBefore, s.bufferBefore, into: &changes)
            span("buffer after", old.bufferAfter, s.bufferAfter, into: &changes)
            field("needs", needsText(old.requirements), needsText(s.requirements), into: &changes)
            field("price", amount(old.price), amount(s.price), into: &changes)
            field("deposit", amount(old.deposit), amount(s.deposit), into: &changes)
            field("late-cancellation fee", amount(old.lateCancellationFee), amount(s.lateCancellationFee), into: &changes)
            field("no-show fee", amount(old.noShowFee), amount(s.noShowFee), into: &changes)
            if old.archived != s.archived {
                action = s.archived ? "archived" : "restored"
                changes.append(s.archived ? "archived" : "taken out of the archive")
            }
            guard !changes.isEmpty else { return nil }
        } else {
            action = "created"
            changes = ["name \(quoted(s.name))", "duration \(s.duration.text)", "needs \(needsText(s.requirements))"]
            if let p = s.price { changes.append("price \(p)") }
        }
        return AuditEntry(at: at, actor: actor, entity: .service, id: s.id.rawValue, ref: s.name, version: s.version,
                          action: action, changes: changes)
    }

    private static func needsText(_ r: [ServiceRequirement]) -> String { r.map(\.description).joined(separator: ", ") }

    private static func tagsText(_ t: [String]) -> String { t.isEmpty ? "none" : t.joined(separator: ",") }

    /// The entry for a customer's new version, or nil when nothing recorded changed.
    static func customer(old: Customer?, new c: Customer, at: Instant, actor: Author) -> AuditEntry? {
        var changes: [String] = []
        var action = "updated"
        if let old, c.erased && !old.erased {
            // The entry names what went, never what it was: the log outlives the erasure.
            action = "erased"
            changes = ["name, phone, e-mail, notes and tags erased"]
        } else if let old, let target = c.mergedInto, old.mergedInto == nil {
            action = "merged"
            changes = ["merged into \(target.rawValue)"]
        } else if let old {
            field("name", old.name, c.name, into: &changes)
            for (label, a, b) in [("phone", old.phone, c.phone), ("e-mail", old.email, c.email), ("notes", old.notes, c.notes)] where a != b {
                changes.append(a == nil ? "\(label) added" : b == nil ? "\(label) removed" : "\(label) changed")
            }
            if old.tags != c.tags { changes.append("tags \(tagsText(old.tags)) → \(tagsText(c.tags))") }
            guard !changes.isEmpty else { return nil }
        } else {
            changes = ["name \(quoted(c.name))"]
            if c.phone != nil { changes.append("phone added") }
            if c.email != nil { changes.append("e-mail added") }
        }
        return AuditEntry(at: at, actor: actor, entity: .customer, id: c.id.rawValue, ref: c.ref, version: c.version,
                          action: old == nil ? "created" : action, changes: changes)
    }

    /// The entries for the history a plan appended to a booking: those after `old`'s
    /// (every one for a new booking). The reason is `reason` (a correction's), else the
    /// override the entry's changes name.
    static func booking(old: Booking?, new b: Booking, reason: String?) -> [AuditEntry] {
        let known = old?.history.count ?? 0
        guard b.history.count > known else { return [] }
        return b.history[known...].map { h in
            AuditEntry(at: h.at, actor: h.actor, entity: .booking, id: b.id.rawValue, ref: b.ref, version: h.version,
                       action: h.action, changes: h.changes, reason: reason ?? overrideReason(in: h.changes))
        }
    }

    /// The text after `override: ` in the first change that has one, else a change's
    /// `reason: ` (a cancellation's).
    ///
    /// A change is searched by characters only when its UTF-8 holds the marker's bytes (no
    /// character other than the marker's own ASCII is canonically equivalent to them), so an
    /// ordinary booking's entries never reach the generic collection search.
    static func overrideReason(in changes: [String]) -> String? {
        for c in changes where containsBytes(c, of: overrideMarker) {
            if let r = c.firstRange(of: "override: ") { return String(c[r.upperBound...]) }
        }
        return changes.first { $0.hasPrefix("reason: ") }.map { String($0.dropFirst("reason: ".count)) }
    }

    /// The marker of an override's reason in a history change, as UTF-8.
    private static let overrideMarker = Array("override: ".utf8)

    /// Whether `text`'s UTF-8 holds `pattern`'s bytes anywhere.
    ///
    /// - Complexity: O(n·m) for n bytes of text and m of pattern, with no allocation.
    static func containsBytes(_ text: String, of pattern: [UInt8]) -> Bool {
        let bytes = text.utf8
        guard let first = pattern.first else { return true }
        guard bytes.count >= pattern.count else { return false }
        var i = bytes.startIndex
        let last = bytes.index(bytes.endIndex, offsetBy: -pattern.count)
        while i <= last {
            if bytes[i] == first {
                var j = bytes.index(after: i), k = 1
                while k < pattern.count && bytes[j] == pattern[k] { j = bytes.index(after: j); k += 1 }
                if k == pattern.count { return true }
            }
            i = bytes.index(after: i)
        }
        return false
    }

    static func quoted(_ s: String) -> String { "\"\(s)\"" }

    private static func field(_ label: String, _ a: String?, _ b: String?, into changes: inout [String]) {
        guard a != b else { return }
        changes.append("\(label) \(a.map(quoted) ?? "none") → \(b.map(quoted) ?? "none")")
    }

    private static func span(_ label: String, _ a: TimeSpan?, _ b: TimeSpan?, into changes: inout [String]) {
        guard a != b else { return }
        changes.append("\(label) \(a?.text ?? "none") → \(b?.text ?? "none")")
    }

    private static func hoursText(_ hours: [DailyHours]?) -> String? {
        guard let hours, !hours.isEmpty else { return nil }
        return hours.sorted { $0.start < $1.start }.map(\.description).joined(separator: ",")
    }

    private static func overrideText(_ hours: [DailyHours]) -> String { hoursText(hours) ?? "closed" }
}
