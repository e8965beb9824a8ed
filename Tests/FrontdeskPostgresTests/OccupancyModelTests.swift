import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import PostgresNIO
import Testing

/// The occupancy table against a simple model: random bookings, cancellations, moves and second
/// resources written with plain SQL (the triggers and the exclusion constraint decide), each
/// refused exactly when the model finds an overlap of buffer-widened blocking ranges; after a
/// reconnect the occupancy rows are exactly the model's.
@Suite("PostgreSQL occupancy model")
struct OccupancyModelTests {
    /// A deterministic generator (SplitMix64), so a failure repeats with its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A booking as the model keeps it: minutes from 2026-01-31T20:00Z.
    struct Entry {
        var id: String
        var resources: [String]
        var start: Int
        var end: Int
        var bufferAfter: Int
        var blocking: Bool
    }

    static let base = "2026-01-31T20:00:00Z"

    /// Whether `entries` (the model after a change) have two blocking ranges overlapping on a resource.
    static func overlaps(_ entries: [Entry]) -> Bool {
        let blocking = entries.filter(\.blocking)
        for (i, a) in blocking.enumerated() {
            for b in blocking[(i + 1)...] where Set(a.resources).intersection(b.resources).isEmpty == false {
                if a.start < b.end + b.bufferAfter && b.start < a.end + a.bufferAfter { return true }
            }
        }
        return false
    }

    /// Runs `statements` in one transaction; false when the exclusion constraint refused them.
    static func write(_ session: PostgresSession, _ statements: [PostgresQuery]) throws -> Bool {
        do {
            try session.execute("BEGIN")
            for s in statements { try session.query(s) }
            // The constraint is deferred: a refusal comes from COMMIT.
            try session.execute("COMMIT")
            return true
        } catch {
            _ = try? session.execute("ROLLBACK")
            guard case .server(let state, _, _, let constraint) = error, state == "23P01" else { throw error }
            #expect(constraint == "occupancy_no_overlap")
            return false
        }
    }

    @Test("random writes across a month boundary: refused exactly when the model overlaps; occupancy equals the model", arguments: [1, 2, 3])
    func randomWrites(seed: UInt64) throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        var session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        try SchemaMigrator(session: session).migrate()
        try session.execute("""
            INSERT INTO resources (id, ref, name, kind, zone, slot_length, version) VALUES
              ('res_a', 'R-1', 'A', 'chair', 'UTC', '15 minutes', 1),
              ('res_b', 'R-2', 'B', 'chair', 'UTC', '15 minutes', 1),
              ('res_c', 'R-3', 'C', 'room', 'UTC', '15 minutes', 1)
            """)
        try session.execute("SELECT frontdesk_ensure_month('2026-01-31T00:00Z'), frontdesk_ensure_month('2026-02-01T00:00Z')")
        var rng = Generator(state: seed)
        var model: [Entry] = []
        var refused = 0, stored = 0
        let resources = ["res_a", "res_b", "res_c"]
        for n in 0..<150 {
            let op = model.isEmpty ? 0 : Int.random(in: 0..<4, using: &rng)
            var next = model
            var statements: [PostgresQuery] = []
            switch op {
            case 0:
                // A new booking somewhere in the eight hours around midnight of 31 January.
                let start = Int.random(in: 0..<480, using: &rng) / 15 * 15
                let e = Entry(id: "bk_\(n)", resources: [resources.randomElement(using: &rng)!], start: start,
                              end: start + [15, 30, 60, 90].randomElement(using: &rng)!,
                              bufferAfter: [0, 0, 10].randomElement(using: &rng)!, blocking: Int.random(in: 0..<5, using: &rng) > 0)
                next.append(e)
                let status = e.blocking ? "confirmed" : "cancelled"
                let cancelled = e.blocking ? "NULL" : "now()"
                let cancellation = e.blocking ? "NULL" : "'{}'::jsonb"
                statements = [
                    "INSERT INTO booking_keys (id, ref) VALUES (\(e.id), \("B-" + e.id))",
                    PostgresQuery(unsafeSQL: """
                        INSERT INTO bookings (id, ref, resource, start_at, end_at, buffer_after, status, cancelled_at, cancellation,
                                              created_by, updated_by, created_at, updated_at, version)
                        VALUES ('\(e.id)', 'B-\(e.id)', '\(e.resources[0])', timestamptz '\(Self.base)' + interval '\(e.start) minutes',
                                timestamptz '\(Self.base)' + interval '\(e.end) minutes', interval '\(e.bufferAfter) minutes',
                                '\(status)', \(cancelled), \(cancellation), '{}', '{}', now(), now(), 1)
                        """),
                ]
            case 1:
                // Cancel or bring back.
                let i = Int.random(in: 0..<next.count, using: &rng)
                next[i].blocking.toggle()
                statements = [next[i].blocking
                    ? "UPDATE bookings SET status = 'confirmed', cancelled_at = NULL, cancellation = NULL WHERE id = \(next[i].id)"
                    : "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancellation = '{}' WHERE id = \(next[i].id)"]
            case 2:
                // Move, possibly across midnight into the other month's partition.
                let i = Int.random(in: 0..<next.count, using: &rng)
                let length = next[i].end - next[i].start
                next[i].start = Int.random(in: 0..<480, using: &rng) / 15 * 15
                next[i].end = next[i].start + length
                statements = [PostgresQuery(unsafeSQL: """
                    UPDATE bookings SET start_at = timestamptz '\(Self.base)' + interval '\(next[i].start) minutes',
                                        end_at = timestamptz '\(Self.base)' + interval '\(next[i].end) minutes'
                    WHERE id = '\(next[i].id)'
                    """)]
            default:
                // Hold one more resource.
                let i = Int.random(in: 0..<next.count, using: &rng)
                guard let extra = resources.first(where: { !next[i].resources.contains($0) }) else { continue }
                next[i].resources.append(extra)
                let position = next[i].resources.count - 1
                statements = ["INSERT INTO booking_resources (booking, resource, position) VALUES (\(next[i].id), \(extra), \(position))"]
            }
            let expectRefusal = OccupancyModelTests.overlaps(next)
            let ok = try OccupancyModelTests.write(session, statements)
            #expect(ok == !expectRefusal, "seed \(seed), step \(n), op \(op)")
            if ok { model = next; stored += 1 } else { refused += 1 }
        }
        // Both outcomes happened, or the run proved little.
        #expect(refused > 0 && stored > 0)
        session.close()
        session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        defer { session.close() }
        let rows = try session.execute("""
            SELECT booking, resource, (extract(epoch FROM lower(span) - timestamptz '\(Self.base)') / 60)::bigint,
                   (extract(epoch FROM upper(span) - timestamptz '\(Self.base)') / 60)::bigint
            FROM occupancy ORDER BY booking, resource
            """)
        var actual: [String] = []
        for row in rows {
            let (b, r, lo, hi) = try row.decode((String, String, Int64, Int64).self)
            actual.append("\(b) \(r) \(lo) \(hi)")
        }
        let expected = model.filter(\.blocking).flatMap { e in e.resources.map { "\(e.id) \($0) \(e.start) \(e.end + e.bufferAfter)" } }.sorted()
        #expect(actual == expected)
    }
}
