import Synchronization

/// Idempotency keys whose first request is still being processed in this server, so a second
/// request with the same key is answered 409 instead of waiting behind it.
final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<String>>([])

    /// Marks `key` in flight.
    ///
    /// - Throws: ``ServerError/keyInFlight(_:)`` when it already is.
    func begin(_ key: String, shown: String) throws {
        let fresh = keys.withLock { $0.insert(key).inserted }
        if !fresh { throw ServerError.keyInFlight(shown) }
    }

    func end(_ key: String) { _ = keys.withLock { $0.remove(key) } }
}
