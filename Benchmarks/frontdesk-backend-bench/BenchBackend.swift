import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskStore

/// One storage backend under test: how a client opens its own handle on it.
enum BenchBackend {
    /// A data directory (the file store).
    case file(directory: String)
    /// A PostgreSQL database.
    case postgres(url: String)

    /// The name printed in the first column.
    var name: String {
        switch self {
        case .file: "file store"
        case .postgres: "PostgreSQL"
        }
    }

    /// Options of every file-store handle: 64 clients queue for the store's lock, so the
    /// wait for it is allowed to be long.
    static let storeOptions = StoreOptions(lockTimeout: 120)

    /// A new handle of its own: a `Store` opened again, or a new connection.
    func open(clock: any WallClock) throws -> any BookingStorage {
        switch self {
        case .file(let directory):
            return try Store.open(at: directory, clock: clock, options: Self.storeOptions)
        case .postgres(let url):
            return try PostgresBookingStorage.connect(url, environment: ProcessInfo.processInfo.environment, engine: BookingEngine(clock: clock))
        }
    }
}
