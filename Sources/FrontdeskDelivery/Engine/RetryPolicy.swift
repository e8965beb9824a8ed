import FrontdeskCore

/// When failed deliveries are tried again, and when they are given up on.
public struct RetryPolicy: Sendable, Equatable {
    /// Wait before retry n (1-based) is `delays[n-1]`; after the last one fails the job is
    /// dead-lettered. Default: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 24 h (8 attempts in all).
    public var delays: [TimeSpan]

    public init(delays: [TimeSpan] = RetryPolicy.standardDelays) { self.delays = delays }

    public static let standardDelays: [TimeSpan] = [
        TimeSpan(seconds: 10), .minutes(1), .minutes(5), .minutes(30), .hours(2), .hours(6), .hours(24),
    ]

    /// Total attempts before a dead letter.
    public var maxAttempts: Int { delays.count + 1 }

    /// The wait after `attempts` failed attempts, or nil when the job should be dead-lettered.
    public func delay(afterAttempts attempts: Int) -> TimeSpan? {
        attempts >= 1 && attempts <= delays.count ? delays[attempts - 1] : nil
    }
}
