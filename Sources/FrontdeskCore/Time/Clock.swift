import Foundation

/// Where the core learns the time. Injected everywhere so tests run with a fixed clock.
public protocol Clock: Sendable {
    func now() -> Instant
}

/// A clock that says whatever it was set to; tests advance it by hand.
public final class FixedClock: Clock, @unchecked Sendable {
    // @unchecked: every access to `current` goes through `lock`.
    private var current: Instant
    private let lock = NSLock()
    public init(_ instant: Instant) { current = instant }
    public func now() -> Instant { lock.withLock { current } }
    public func set(_ instant: Instant) { lock.withLock { current = instant } }
    public func advance(by d: Duration) { lock.withLock { current = current + d } }
}
