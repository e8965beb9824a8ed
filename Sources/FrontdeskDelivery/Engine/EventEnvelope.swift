import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// The JSON every hook (on stdin) and webhook (as the POST body) receives:
/// `{"created_at","data","id","type"}`, keys sorted, no insignificant whitespace.
public enum EventEnvelope {
    /// Renders an event's `data` object as JSON bytes. The command line passes one that prints
    /// bookings exactly as `frontdesk show --json` does.
    public typealias DataRenderer = (DomainEvent) -> [UInt8]

    /// The envelope for `event`, with `data` from `render`.
    ///
    /// The rendered data is read and written again inside the envelope, its keys (at every
    /// level) in `JSONSerialization`'s order, the envelope's documented order: the bytes that
    /// webhooks sign and receivers may have pinned stay stable. Data that is not JSON
    /// becomes `{}`.
    static func body(_ event: DomainEvent, render: DataRenderer) -> [UInt8] {
        let data = (try? JSONTree(parsing: render(event))) ?? .object([:])
        let envelope: JSONTree = ["id": .string(event.id), "type": .string(event.type.rawValue), "created_at": .string(event.at.iso8601), "data": data]
        return envelope.serialized()
    }

    /// A renderer that needs no state: the booking as the store writes it (``EventSchema``),
    /// plus the waitlist entry and slot for `waitlist.slot_opened`, the change for changes to
    /// other entities and the ledger entry for money events, keys sorted. An event whose times
    /// the store cannot write (never one read from the journal) renders as `{}`, as data that
    /// is not JSON does in ``body(_:render:)``.
    public static func coreData(_ e: DomainEvent) -> [UInt8] {
        guard case .object(let event)? = try? EventSchema.tree(e) else { return Array("{}".utf8) }
        var o: [String: JSONTree] = [:]
        o["booking"] = event["booking"]
        o["waitlist_entry"] = event["waitlistEntry"]
        o["slot"] = event["slot"]
        o["change"] = event["change"]
        o["ledger_entry"] = event["ledgerEntry"]
        return JSONTree.object(o).serialized()
    }
}
