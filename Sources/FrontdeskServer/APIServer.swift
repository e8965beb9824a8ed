import Dispatch
import FrontdeskCLI
import FrontdeskCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk-server`: the HTTP JSON API over one data directory or PostgreSQL database.
public enum APIServer {
    /// Opens a PostgreSQL store for one lane; nil unless the `frontdesk-server` main sets it
    /// (it links the database client; this module does not).
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var openDatabase: (@Sendable (_ url: String, _ engine: BookingEngine) throws -> any ServerDatabase)?

    /// Runs the server until SIGTERM or SIGINT, then stops accepting, lets requests in flight
    /// finish (every write is a whole journal record or nothing) and returns. Prints
    /// `frontdesk-server: listening on HOST:PORT` once it accepts connections.
    public static func run(_ launch: ServerLaunch) throws {
        let lanes: any StorageLanes
        let inFlight: InFlightKeys
        if let url = launch.databaseURL {
            guard let opener = openDatabase else { throw StorageRefusal(message: "--data: this frontdesk-server was built without a PostgreSQL client") }
            let clock = APIBridge.clock
            lanes = try DatabasePool(writers: launch.writers, readers: 2) { try opener(url, BookingEngine(clock: clock)) }
            inFlight = InFlightKeys()
        } else {
            lanes = try StorePool(directory: launch.dataDirectory, writers: launch.writers, readers: 2, user: launch.processUser)
            inFlight = try InFlightKeys(data: launch.dataDirectory)
        }
        let tokens = try TokenBook(directory: launch.tokensDirectory)
        let responder = APIResponder(handlers: APIHandlers(lanes: lanes, inFlight: inFlight), tokens: tokens,
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
        lanes.finish()
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
