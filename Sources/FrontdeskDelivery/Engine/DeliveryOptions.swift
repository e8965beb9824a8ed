#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore

/// Tuning for a `Deliverer`.
public struct DeliveryOptions: Sendable {
    /// Backoff between attempts and when to give up.
    public var retry = RetryPolicy()
    /// Seconds a hook may run before it is killed (and the attempt counts as failed).
    public var hookTimeout: Double = 10
    /// Seconds to wait for a webhook receiver's response.
    public var webhookTimeout: Double = 10
    /// Emit `reminder.due` and expire lapsed holds on each pass (through the store).
    public var sweepTimeDriven = true
    /// How far ahead the sweep loads bookings to find lapsed holds (reminders load their own lead).
    public var holdHorizon: TimeSpan = .days(366)
    /// How long records stay in the attempt log (`deliveries.jsonl`), 30 days: the deliverer
    /// deletes older ones, as a prefix, at its first pass and then once every `logPruneInterval`.
    public var logRetention: TimeSpan = .days(30)
    /// How often the deliverer looks for attempt log records past `logRetention` (1 day).
    public var logPruneInterval: TimeSpan = .days(1)
    /// The environment hooks start from (the deliverer's by default); event variables are added.
    public var hookEnvironment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}
}
