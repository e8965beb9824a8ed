import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// One line of `<data>/deliveries.jsonl`: one attempt (or a dead letter, a requeue) of one
/// event to one target.
public struct DeliveryRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// The target accepted it (2xx, or exit status 0).
        case delivered
        /// It failed and will be retried.
        case failed
        /// It failed for the last time (or the endpoint is gone/disabled): now a dead letter.
        case deadLettered = "dead_lettered"
        /// The target no longer exists (webhook removed, hook deleted); nothing to retry.
        case dropped
        /// `frontdesk redeliver` moved a dead letter back to the queue.
        case requeued
    }

    public var event_id: String
    public var event_type: String
    public var target: String
    public var attempt: Int
    /// ISO 8601 time of the attempt (deliverer clock).
    public var time: String
    public var outcome: Outcome
    /// HTTP status, or the hook's exit status.
    public var status: Int?
    public var duration_ms: Int?
    public var error: String?

    /// The record as one log line's object (and as `deliveries --json` prints it); the optional
    /// members are left out when not set.
    package var json: JSONTree {
        var o: [String: JSONTree] = ["event_id": .string(event_id), "event_type": .string(event_type), "target": .string(target),
                                     "attempt": .integer(attempt), "time": .string(time), "outcome": .string(outcome.rawValue)]
        o["status"] = status.map { .integer($0) }
        o["duration_ms"] = duration_ms.map { .integer($0) }
        o["error"] = error.map { .string($0) }
        return .object(o)
    }
}

extension DeliveryRecord {
    /// Reads a log line's object.
    init(_ v: SchemaValue) throws(SchemaError) {
        let f = try v.object()
        event_id = try f.string("event_id")
        event_type = try f.string("event_type")
        target = try f.string("target")
        attempt = try f.integer("attempt", as: Int.self)
        time = try f.string("time")
        let outcomeValue = try f.value("outcome")
        let outcomeName = try outcomeValue.string()
        guard let outcome = Outcome(rawValue: outcomeName) else { throw outcomeValue.error("\"\(outcomeName)\" is not a known outcome") }
        self.outcome = outcome
        status = try f.optional("status")?.integer(Int.self)
        duration_ms = try f.optional("duration_ms")?.integer(Int.self)
        error = try f.optional("error")?.string()
    }
}
