/// Sends one HTTP POST. Injected so tests can run without a network or with a local receiver.
public protocol HTTPTransport: Sendable {
    /// POSTs `body` with `headers` to `url`, giving up after `timeout` seconds.
    func post(url: String, headers: [String: String], body: [UInt8], timeout: Double) -> HTTPOutcome
}

/// What a POST produced: a status code, or the reason there was none.
public enum HTTPOutcome: Sendable, Equatable {
    case response(status: Int)
    case failure(String)
}
