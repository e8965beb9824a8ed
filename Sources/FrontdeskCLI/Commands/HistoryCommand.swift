import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk history`: every recorded change (bookings, resources, schedules, blackouts,
/// customers, staff, webhooks, settings), oldest first, filtered.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List recorded changes to every kind of entity (who, when, what changed, why).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this kind: \(AuditEntity.allCases.map(\.rawValue).joined(separator: "|")).") var entity: String?
    @Option(help: "Only this entity: id or reference (a resource or customer also by name, a booking by reference).") var id: String?
    @Option(help: "Only changes by this OS user.") var actor: String?
    @Option(help: "From (local to the display zone, or ISO-8601).") var since: String?
    @Option(help: "Until (exclusive).") var until: String?
    @Option(help: "At most this many, the newest.") var limit: Int?

    func run() throws {
        let session = try StorageSession.open(global, for: .readHistory)
        let entries = try Self.entries(try query(store: session.store), bookingText: bookingID, store: session.store)
        if global.json { Console.out(Format.json(HistoryJSON(entries))); return }
        if entries.isEmpty { Console.out("No changes recorded."); return }
        Console.out(Self.table(entries, zone: Session.displayZone))
    }

    /// A booking asked for by id: its own history is complete (the audit log holds only the
    /// changes made since the log existed).
    private var bookingID: String? {
        guard let id else { return nil }
        let looksLikeBooking = id.hasPrefix("B-") || id.hasPrefix("bk_")
        guard entity?.lowercased() == AuditEntity.booking.rawValue || (entity == nil && looksLikeBooking) else { return nil }
        return id
    }

    /// The filters, checked: a bad value names the flag (exit 65).
    func query(store: any BookingStorage) throws -> AuditQuery {
        var q = AuditQuery()
        if let entity {
            guard let e = AuditEntity(rawValue: entity.trimming(.whitespaces).lowercased()) else {
                throw CLIError.invalidInput(field: "entity", message: "unknown kind \"\(entity)\"; expected one of \(AuditEntity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            q.entity = e
        }
        if let limit {
            guard limit >= 1 else { throw CLIError.invalidInput(field: "limit", message: "must be at least 1, found \(limit)") }
            q.limit = limit
        }
        if let actor {
            q.actor = try TextRules.name(actor, field: "actor", maxLength: 64)
        }
        let zone = Session.displayZone
        q.since = try since.map { try InputParsing.instant($0, field: "since", zone: zone) }
        q.until = try until.map { try InputParsing.instant($0, field: "until", zone: zone) }
        if let s = q.since, let u = q.until, u <= s { throw CLIError.invalidInput(field: "until", message: "must be after --since") }
        if let id {
            let text = try TextRules.name(id, field: "id", maxLength: 200)
            switch q.entity {
            case .resource?: q.id = try Resolver.resource(text, in: store.state).id.rawValue
            case .customer?: q.id = try Resolver.customer(text, in: store).id.rawValue
            case .service?: q.id = try store.state.service(named: text).id.rawValue
            default: q.id = text
            }
        }
        return q
    }

    /// The entries `query` selects; for one booking (`bookingText`), its own history.
    static func entries(_ query: AuditQuery, bookingText: String?, store: any BookingStorage) throws -> [AuditEntry] {
        guard let bookingText else {
            try (store as? Store)?.requireComplete()
            return try store.auditEntries(query)
        }
        let b = try findBooking(bookingText, in: store)
        var q = query
        q.id = nil
        q.entity = nil
        return q.select(b.history.map { h in
            AuditEntry(at: h.at, actor: h.actor, entity: .booking, id: b.id.rawValue, ref: b.ref, version: h.version,
                       action: h.action, changes: h.changes,
                       reason: AuditEntry.reason(inHistoryChanges: h.changes))
        })
    }

    /// The entries as a table (times in `zone`), every cell made safe for the terminal and
    /// padded by display width.
    static func table(_ entries: [AuditEntry], zone: Zone) -> String {
        let rows = entries.map { e -> [String] in
            [Format.local(e.at, zone), e.actor.user + "@" + e.actor.origin + " (" + e.actor.source.rawValue + ")", e.entity.rawValue,
             e.ref.isEmpty ? e.id : e.ref, e.version > 0 ? "v\(e.version)" : "", e.action,
             e.changes.joined(separator: "; ") + (e.reason.map { r in e.changes.contains { $0.hasSuffix(r) } ? "" : " — reason: \(r)" } ?? "")]
        }
        return Format.table(["WHEN", "ACTOR", "ENTITY", "REF", "VER", "ACTION", "CHANGES"], rows)
    }
}

/// `history --json`: a list of entries, every member present (`reason` null when none).
struct HistoryJSON: JSONRepresentable {
    let json: JSONTree

    init(_ entries: [AuditEntry]) { json = .array(entries.map(Self.object)) }

    /// One entry: `at`, `user`, `origin`, `source`, `entity`, `id`, `ref`, `version`, `action`,
    /// `changes`, `reason`.
    static func object(_ e: AuditEntry) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["at"] = .string(e.at.iso8601)
        o["user"] = .string(e.actor.user)
        o["origin"] = .string(e.actor.origin)
        o["source"] = .string(e.actor.source.rawValue)
        o["entity"] = .string(e.entity.rawValue)
        o["id"] = .string(e.id)
        o["ref"] = .string(e.ref)
        o["version"] = .integer(e.version)
        o["action"] = .string(e.action)
        o["changes"] = .array(e.changes.map { .string($0) })
        o["reason"] = e.reason.map { .string($0) } ?? .null
        return .object(o)
    }
}
