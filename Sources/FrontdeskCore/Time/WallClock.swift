import Synchronization

/// Where the core learns the time. Injected everywhere so tests run with a fixed clock.
public protocol WallClock: Sendable {
    func now() -> Instant
}

/// A clock that says whatever it was set to; tests advance it by hand.
public final class FixedClock: WallClock {
    private let current: Mutex<Instant>
    public init(_ instant: Instant) { current = Mutex(instant) }
    public func now() -> Instant { current.withLock { $0 } }
    public func set(_ instant: Instant) { current.withLock { $0 = instant } }
    public func advance(by d: TimeSpan) { current.withLock { $0 = $0 + d } }
}
