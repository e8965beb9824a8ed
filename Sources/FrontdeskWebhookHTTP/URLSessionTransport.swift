import Foundation
import FrontdeskDelivery
import FrontdeskSystem
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over Foundation's URLSession (FoundationNetworking on Linux), one blocking
/// request at a time.
public final class URLSessionTransport: HTTPTransport, Sendable {
    private let session: URLSession

    public init() {
        let config = URLSessionConfiguration.ephemeral
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpShouldSetCookies = false
        session = URLSession(configuration: config)
    }

    public func post(url: String, headers: [String: String], body: [UInt8], timeout: Double) -> HTTPOutcome {
        guard let u = URL(string: url) else { return .failure("invalid URL \(url)") }
        var req = URLRequest(url: u, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        req.httpMethod = "POST"
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        req.httpBody = Data(body)
        let outcome = Completion<HTTPOutcome>()
        let task = session.dataTask(with: req) { _, response, error in
            if let http = response as? HTTPURLResponse { outcome.complete(.response(status: http.statusCode)) }
            else { outcome.complete(.failure(error.map { "\($0.localizedDescription)" } ?? "no HTTP response")) }
        }
        task.resume()
        // The documented limit is the whole attempt: no slack beyond `timeout`.
        guard let result = outcome.wait(timeout: timeout) else {
            task.cancel()
            return .failure("timed out after \(timeout) s")
        }
        return result
    }
}
