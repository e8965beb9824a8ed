import Synchronization

/// A token bucket per API token: `rate` requests a second sustained, `burst` at once.
final class RateLimiter: Sendable {
    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])

    init(rate: Double, burst: Double) { self.rate = rate; self.burst = burst }

    /// Takes one request from `name`'s bucket.
    ///
    /// - Throws: ``ServerError/rateLimited(retryAfter:)`` when the bucket is empty.
    /// - Complexity: O(1).
    func take(_ name: String) throws {
        let now = TokenBook.monotonic()
        let wait: Double? = buckets.withLock { buckets in
            var b = buckets[name] ?? (burst, now)
            b.tokens = min(burst, b.tokens + (now - b.at) * rate)
            b.at = now
            defer { buckets[name] = b }
            if b.tokens >= 1 { b.tokens -= 1; return nil }
            return (1 - b.tokens) / rate
        }
        if let wait { throw ServerError.rateLimited(retryAfter: max(1, Int(wait.rounded(.up)))) }
    }
}
