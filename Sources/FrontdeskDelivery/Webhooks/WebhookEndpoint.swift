#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// One configured webhook: where to POST, which event types, and the signing secret.
public struct WebhookEndpoint: Hashable, Sendable {
    public var id: String
    public var url: String
    /// Event type names (`booking.created`); empty means every type.
    public var events: [String]
    public var secret: String
    public var createdAt: Instant
    /// Set when a receiver answered 410 Gone: nothing more is sent to it.
    public var disabledAt: Instant?
    public var disabledReason: String?
    /// The journal's last sequence when the endpoint was added: events up to it existed
    /// before the endpoint and are never sent to it (nil in files written before this field:
    /// then `createdAt` decides).
    public var afterSequence: UInt64?

    public init(id: String, url: String, events: [String], secret: String, createdAt: Instant,
                disabledAt: Instant? = nil, disabledReason: String? = nil, afterSequence: UInt64? = nil) {
        self.id = id; self.url = url; self.events = events; self.secret = secret; self.createdAt = createdAt
        self.disabledAt = disabledAt; self.disabledReason = disabledReason; self.afterSequence = afterSequence
    }

    /// The endpoint as `webhooks.json` holds it; the optional members are left out when not set.
    var json: JSONTree {
        var o: [String: JSONTree] = ["id": .string(id), "url": .string(url), "events": .array(events.map { .string($0) }),
                                     "secret": .string(secret), "createdAt": .string(createdAt.iso8601)]
        o["disabledAt"] = disabledAt.map { .string($0.iso8601) }
        o["disabledReason"] = disabledReason.map { .string($0) }
        o["afterSequence"] = afterSequence.map { .integer($0) }
        return .object(o)
    }

    /// Reads an endpoint of `webhooks.json`.
    init(_ v: SchemaValue) throws(SchemaError) {
        let f = try v.object()
        self.init(id: try f.string("id"), url: try f.string("url"), events: try f.strings("events"), secret: try f.string("secret"),
                  createdAt: try f.value("createdAt").instant(), disabledAt: try f.optional("disabledAt")?.instant(),
                  disabledReason: try f.optional("disabledReason")?.string(), afterSequence: try f.optional("afterSequence")?.integer(UInt64.self))
    }

    /// True when events of `type` go to this endpoint: every type it names, or with none
    /// named (`all`) every type that is not opt-in (``EventType/isOptIn``).
    public func wants(_ type: EventType) -> Bool { events.isEmpty ? !type.isOptIn : events.contains(type.rawValue) }

    /// True when the event at journal `sequence`, stamped `at`, happened after the endpoint
    /// was added (docs/EVENTS.md: events from before a webhook existed are not sent), however
    /// far behind the deliverer was when it first saw the endpoint.
    public func existed(before sequence: UInt64, at: Instant) -> Bool {
        if let afterSequence { return sequence > afterSequence }
        return at >= createdAt
    }

    /// Checks that `text` is an absolute http(s) URL with a host; returns it trimmed.
    public static func validatedURL(_ text: String) throws(DeliveryError) -> String {
        let t = text.trimming(.whitespaces)
        guard let c = URLComponents(string: t), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = c.host, !host.isEmpty, !t.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .invalidURL(text)
        }
        return t
    }

    /// Parses `booking.created,booking.cancelled` (or `all`) into known type names.
    public static func eventList(_ text: String) throws(DeliveryError) -> [String] {
        let names = text.split(separator: ",").map { $0.trimming(.whitespaces) }.filter { !$0.isEmpty }
        if names.isEmpty || names == ["all"] { return [] }
        for n in names where EventType(rawValue: n) == nil {
            throw .invalidInput(field: "events", message: "unknown event type \"\(n)\"; known: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Array(Set(names)).sorted()
    }
}
