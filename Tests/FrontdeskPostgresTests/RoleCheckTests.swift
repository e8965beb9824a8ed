import Foundation
@testable import FrontdeskCLI
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// Roles on a PostgreSQL store, change by change: the storage a command opens is wrapped so
/// that each planned change is checked against the role before anything is stored
/// (`StorageSession.roleChecked`), as a file store checks its own.
@Suite("roles on PostgreSQL, each change checked")
struct RoleCheckTests {
    static func sql(_ cluster: PostgresTestCluster, _ database: String, _ query: String) throws -> String {
        try cluster.psql(database: database, query).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a viewer's booking and a desk's booking with an override are refused with nothing stored; the desk's plain booking is stored")
    func eachPlannedChangeIsChecked() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        #expect(try SchemaCommandTests.frontdesk(["init", "--data", url]).status == 0)
        #expect(try SchemaCommandTests.frontdesk(["resource", "add", "--name", "Room 1", "--tz", "UTC", "--data", url]).status == 0)
        let storage = try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: SystemClock()))
        defer { storage.close() }
        let room = try #require(storage.state.resources.values.first).id
        let hour = (Int64(Date().timeIntervalSince1970) / 3600 + 24 * 30) * 3600
        let range = TimeRange(start: Instant(seconds: hour), end: Instant(seconds: hour + 3600))
        let counts = "SELECT (SELECT seq FROM store_changes) || ' ' || (SELECT count(*) FROM bookings) || ' ' || (SELECT count(*) FROM audit)"
        let before = try Self.sql(cluster, database, counts)

        func refusal(_ storage: any BookingStorage, _ request: BookingRequest, _ actor: Author) -> CoreError? {
            do {
                _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: actor) }
                return nil
            } catch let e as CoreError {
                return e
            } catch {
                Issue.record("not a refusal: \(error)")
                return nil
            }
        }

        let vera = Author(user: "vera", origin: "local", source: .cli)
        let viewer = StorageSession.roleChecked(storage, actor: vera, access: Access(user: "vera", role: .viewer, admins: ["root"]))
        let blocked = BookingRequest(resource: room, range: range, notes: "Blocked: painting")
        guard case .notPermitted(_, .viewer?, .book, .desk, _) = refusal(viewer, blocked, vera) else {
            Issue.record("a viewer's booking was not refused as needing a desk")
            return
        }
        #expect(try Self.sql(cluster, database, counts) == before)

        let dora = Author(user: "dora", origin: "local", source: .cli)
        let desk = StorageSession.roleChecked(storage, actor: dora, access: Access(user: "dora", role: .desk, admins: ["root"]))
        let overridden = BookingRequest(resource: room, range: range, notes: "Blocked: painting", overrideReason: "the manager said so")
        guard case .notPermitted(_, .desk?, .overridePolicy, .manager, _) = refusal(desk, overridden, dora) else {
            Issue.record("a desk's override was not refused as needing a manager")
            return
        }
        #expect(try Self.sql(cluster, database, counts) == before)

        #expect(refusal(desk, blocked, dora) == nil)
        #expect(try Self.sql(cluster, database, "SELECT count(*) FROM bookings") == "1")
    }
}
