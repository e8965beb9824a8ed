import Logging
import NIOCore
import PostgresNIO

/// One connection to a PostgreSQL store, used from synchronous code: each call blocks the
/// calling thread (never an event loop's) until the server answers.
///
/// The command line and ``BookingStorage`` are synchronous; PostgresNIO runs the connection on
/// its own event loop, and this waits for its futures.
public final class PostgresSession: Sendable {
    /// Where this session is connected.
    public let url: PostgresURL
    private let connection: PostgresConnection
    private let logger: Logger

    /// Connects to `url`, with `password` when the server asks for one.
    ///
    /// - Throws: ``PostgresStoreError/connect(url:message:)`` when the server cannot be reached
    ///   or refuses the login.
    public init(url: PostgresURL, password: String?) throws(PostgresStoreError) {
        self.url = url
        // Quiet: errors reach the caller as thrown values, not log lines.
        var logger = Logger(label: "frontdesk.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        self.logger = logger
        let configuration: PostgresConnection.Configuration
        if url.isUnixSocket {
            configuration = .init(unixSocketPath: url.socketPath, username: url.user, password: password, database: url.database)
        } else {
            configuration = .init(host: url.host, port: url.port, username: url.user, password: password,
                                  database: url.database, tls: try url.connectionTLS())
        }
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                        configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw .connect(url: url.description, message: PostgresSession.describe(error))
        }
    }

    deinit { close() }

    /// Closes the connection; later calls fail. Idempotent.
    public func close() {
        if !connection.isClosed { try? connection.close().wait() }
    }

    /// Runs one statement and returns its rows.
    ///
    /// - Throws: ``PostgresStoreError/server(sqlState:message:detail:constraint:)`` for an
    ///   error the server reports, ``PostgresStoreError/connect(url:message:)`` for a lost
    ///   connection.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresStoreError) -> [PostgresRow] {
        // A connection the server ended (pg_terminate_backend, a restart) is not asked again.
        if connection.isClosed { throw .connect(url: url.description, message: "the connection was closed") }
        do {
            return try connection.query(query, logger: logger).wait().rows
        } catch {
            throw PostgresSession.storeError(error, url: url)
        }
    }

    /// Runs one statement given as text with no parameters.
    @discardableResult
    public func execute(_ sql: String) throws(PostgresStoreError) -> [PostgresRow] {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs `body` in one transaction at `isolation`: committed when it returns, rolled back when
    /// it throws (the error is rethrown).
    public func transaction<T>(_ isolation: String = "READ COMMITTED",
                               _ body: () throws(PostgresStoreError) -> T) throws(PostgresStoreError) -> T {
        try execute("BEGIN ISOLATION LEVEL \(isolation)")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // A broken connection has rolled back already; the original error is what counts.
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Calls `onNotify` (on the connection's event loop) for every notification on `channel`,
    /// after `LISTEN` has been sent; the returned context stops the calls.
    ///
    /// - Throws: as ``execute(_:)`` when `LISTEN` is refused.
    public func listen(channel: String, _ onNotify: @escaping @Sendable () -> Void) throws(PostgresStoreError) -> PostgresListenContext {
        let context = connection.addListener(channel: channel) { _, _ in onNotify() }
        do {
            try execute("LISTEN \"\(channel)\"")
        } catch {
            context.stop()
            throw error
        }
        return context
    }

    /// The error a PostgresNIO failure becomes.
    static func storeError(_ error: any Error, url: PostgresURL) -> PostgresStoreError {
        if let e = error as? PSQLError, let info = e.serverInfo {
            return .server(sqlState: info[.sqlState] ?? "", message: info[.message] ?? "",
                           detail: info[.detail], constraint: info[.constraintName])
        }
        return .connect(url: url.description, message: describe(error))
    }

    /// What went wrong, for a person: the server's own message where there is one.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let m = info[.message] { return m }
            if let u = e.underlying { return String(describing: u) }
            return "\(e.code)"
        }
        return String(describing: error)
    }
}
