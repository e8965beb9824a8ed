import Foundation
import FrontdeskCore

/// The JSON every hook (on stdin) and webhook (as the POST body) receives:
/// `{"created_at","data","id","type"}`, keys sorted, no insignificant whitespace.
public enum EventEnvelope {
    /// Renders an event's `data` object as JSON bytes. The command line passes one that prints
    /// bookings exactly as `frontdesk show --json` does.
    public typealias DataRenderer = (DomainEvent) -> [UInt8]

    /// The envelope for `event`, with `data` from `render`.
    static func body(_ event: DomainEvent, render: DataRenderer) -> [UInt8] {
        let dataBytes = render(event)
        let data = (try? JSONSerialization.jsonObject(with: Data(dataBytes), options: [.fragmentsAllowed])) ?? [String: Any]()
        let obj: [String: Any] = ["id": event.id, "type": event.type.rawValue, "created_at": event.at.iso8601, "data": data]
        let out = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(out)
    }

    /// A renderer that needs no state: the core's own encoding of the booking, plus the
    /// waitlist entry and slot for `waitlist.slot_opened`.
    public static func coreData(_ e: DomainEvent) -> [UInt8] {
        struct Plain: Encodable {
            var booking: Booking?
            var waitlist_entry: WaitlistEntry?
            var slot: Slot?
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? enc.encode(Plain(booking: e.booking, waitlist_entry: e.waitlistEntry, slot: e.slot))) ?? Data("{}".utf8))
    }
}
