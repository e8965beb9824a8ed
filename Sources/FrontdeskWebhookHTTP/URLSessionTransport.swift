import Foundation
import FrontdeskDelivery
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over Foundation's URLSession (FoundationNetworking on Linux), one blocking
/// request at a time.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe; the class holds nothing else.
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
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = session.dataTask(with: req) { _, response, error in
            if let http = response as? HTTPURLResponse { box.value = .response(status: http.statusCode) }
            else { box.value = .failure(error.map { "\($0.localizedDescription)" } ?? "no HTTP response") }
            done.signal()
        }
        task.resume()
        // The documented limit is the whole attempt: no slack beyond `timeout`.
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            return .failure("timed out after \(timeout) s")
        }
        return box.value
    }

    private final class ResultBox: @unchecked Sendable {
        // @unchecked: written once by the completion handler before the semaphore is signalled.
        var value: HTTPOutcome = .failure("no response")
    }
}
