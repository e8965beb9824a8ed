import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import PostgresNIO

extension PostgresBookingStorage {
    /// The events change number `change` carries, as the deliverers send them: the planned
    /// events, then one for each change to another entity (``DomainEvent/change(_:sequence:index:)``),
    /// whose id is `evt_d<change>c<n>` (a data directory's are `evt_r…`: a store moved from one
    /// to the other never reuses an id a receiver has seen).
    static func outboxEvents(of tx: Transaction, change: Int64) -> [DomainEvent] {
        var events = tx.events
        for (i, entry) in tx.auditEntries.enumerated() {
            guard var e = DomainEvent.change(entry, sequence: UInt64(change), index: i) else { continue }
            e.id = "evt_d\(change)c\(i)"
            events.append(e)
        }
        return events
    }

    /// Puts the events of `tx` in the outbox, inside the write's transaction: an event is
    /// stored exactly when its change commits. The payload is the event as the file store's
    /// journal holds it (``EventSchema``).
    func storeEvents(of tx: Transaction, change: Int64) throws {
        for e in Self.outboxEvents(of: tx, change: change) {
            let payload = try EventSchema.tree(e).text
            try session.query("""
                INSERT INTO outbox (at, kind, booking, payload, change, event_id)
                VALUES (to_timestamp(\(Double(e.at.seconds))), \(e.type.rawValue), \(e.booking?.id.rawValue), \(payload)::jsonb, \(change), \(e.id))
                """)
        }
    }
}
