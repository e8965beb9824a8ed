import Dispatch
import FrontdeskCLI
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk-server`: the HTTP JSON API over one data directory.
public enum APIServer {
    /// Runs the server until SIGTERM or SIGINT, then stops accepting, lets requests in flight
    /// finish (every write is a whole journal record or nothing) and returns. Prints
    /// `frontdesk-server: listening on HOST:PORT` once it accepts connections.
    public static func run(_ launch: ServerLaunch) throws {
        let pool = try StorePool(directory: launch.dataDirectory, writers: launch.writers, readers: 2, user: launch.processUser)
        let tokens = try TokenBook(directory: launch.dataDirectory)
        let responder = APIResponder(handlers: APIHandlers(pool: pool, inFlight: try InFlightKeys(data: launch.dataDirectory)), tokens: tokens,
                                     rate: RateLimiter(rate: launch.rateLimit, burst: launch.rateBurst), maxBodyBytes: launch.maxBodyBytes)
        let readTimeout = TimeAmount.nanoseconds(Int64(launch.readTimeout * 1e9))
        let idleTimeout = TimeAmount.nanoseconds(Int64(launch.idleTimeout * 1e9))
        var http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(readTimeout: readTimeout, idleTimeout: idleTimeout)],
            idleTimeout: idleTimeout)
        http1.httpDecoder = .init(maxHeaderFieldSize: launch.maxHeaderBytes, maxHeaderListSize: launch.maxHeaderBytes, maxHeaderFieldCount: 100)
        var logger = Logger(label: "frontdesk-server")
        logger.logLevel = .warning
        let app = Application(
            responder: responder, server: .http1(configuration: http1),
            configuration: .init(address: .hostname(launch.host, port: launch.port), serverName: "frontdesk-server"),
            onServerRunning: { channel in
                let address = channel.localAddress
                let line = "frontdesk-server: listening on \(address?.ipAddress ?? launch.host):\(address?.port ?? launch.port)\n"
                let bytes = Array(line.utf8)
                _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            },
            logger: logger)
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do { try await app.runService() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        pool.finish()
        if let e = failure.error { throw e }
    }
}

/// The server task's error, handed to the waiting thread.
final class ErrorBox: Sendable {
    private let value = Mutex<Error?>(nil)
    var error: Error? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
