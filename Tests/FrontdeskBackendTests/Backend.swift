import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import FrontdeskStore

/// One storage backend under test: how to make a new empty store, open another handle on it
/// (another desk), and remove it afterwards.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, file, postgres

    var description: String { rawValue }

    /// 2027-01-01T00:00:00Z, the fixed "now" of every case.
    static let now = Instant(seconds: 1_798_761_600)
    static let desk = Author(user: "carol", origin: "local", source: .cli)

    /// A new, empty store of this kind.
    func make() throws -> Fixture {
        // One clock for every handle, so a case can let time pass for all of them.
        let clock = FixedClock(Self.now)
        switch self {
        case .memory:
            let storage = InMemoryBookingStorage(state: BookingState(), engine: BookingEngine(clock: clock))
            return Fixture(storage: storage, other: nil, cleanup: {}, clock: clock)
        case .file:
            let dir = FileManager.default.temporaryDirectory.path + "/frontdesk-backend-\(getpid())-\(UUID().uuidString.prefix(8))"
            var options = StoreOptions(lockTimeout: 10, fileSystem: RealFileSystem(), user: "test", identifiers: RandomIdentifierSource())
            options.preallocateBytes = 4096
            let store = try Store.create(at: dir, clock: clock, options: options)
            return Fixture(storage: store, other: { try Store.open(at: dir, clock: clock, options: options) },
                           cleanup: { try? FileManager.default.removeItem(atPath: dir) }, clock: clock)
        case .postgres:
            let cluster = try PostgresTestCluster.shared
            let url = cluster.url(database: try cluster.createDatabase())
            let session = try PostgresEnvironment.connect(url, environment: [:])
            _ = try SchemaMigrator(session: session).migrate()
            session.close()
            func open() throws -> PostgresBookingStorage {
                try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: clock))
            }
            let storage = try open()
            return Fixture(storage: storage, other: { try open() }, cleanup: { storage.close() }, clock: clock)
        }
    }

    /// The backends that can open a second handle on one store (memory cannot).
    static let shared: [Backend] = [.file, .postgres]
}

/// A store under test and the way to open another handle on it.
struct Fixture {
    let storage: any BookingStorage
    /// Opens another handle on the same store (nil: the backend has none).
    let other: (() throws -> any BookingStorage)?
    let cleanup: () -> Void
    /// The clock of every handle (starts at ``Backend/now``).
    let clock: FixedClock

    /// A resource named `name` (with `bufferAfter` kept clear after each booking).
    func resource(_ name: String, bufferAfter: TimeSpan? = nil) throws -> ResourceID {
        try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: name, zone: .utc, policy: PolicyOverrides(bufferAfter: bufferAfter)), in: s, by: Backend.desk)
        }.id
    }

    func customer(_ name: String, phone: String? = nil) throws -> CustomerID {
        try storage.write("customer add", .directory) { s, e throws(CoreError) in try e.addCustomer(name: name, phone: phone, in: s, by: Backend.desk) }.id
    }

    /// Books `request`; the planner's refusal is thrown as the bare `CoreError` the storage
    /// reports (``BookingStorage/describe(_:)``).
    func book(_ request: BookingRequest) throws -> BookingOutcome {
        do {
            return try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Backend.desk) }
        } catch {
            if let refusal = storage.describe(error).refusal { throw refusal }
            throw error
        }
    }

    /// Runs a write and gives its refusal as the bare `CoreError`.
    func write<T>(_ change: ChangeRequest, _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        do {
            return try storage.write("change", change, plan)
        } catch {
            if let refusal = storage.describe(error).refusal { throw refusal }
            throw error
        }
    }

    /// `hours` after midnight `days` after now, lasting `minutes`.
    static func slot(days: Int64 = 10, hours: Int64, minutes: Int64 = 60) -> TimeRange {
        let start = Backend.now + .days(days) + .hours(hours)
        return TimeRange(start: start, end: start + .minutes(minutes))
    }
}
