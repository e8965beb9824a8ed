import FrontdeskCore

/// One line of `<data>/deliveries.jsonl`: one attempt (or a dead letter, a requeue) of one
/// event to one target.
public struct DeliveryRecord: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
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
}
