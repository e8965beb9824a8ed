import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore
import PostgresNIO

/// A PostgreSQL store's outbox as its deliverers share it (``SharedOutbox``), on a connection
/// of its own: a claim is a transaction that stays open while its jobs are attempted, beside
/// the storage's connection, which the sweep writes through.
///
/// Queueing runs under a transaction-scoped advisory lock, so events become jobs in outbox
/// order and a claim never sees a later event's job before an earlier one's. A claim is
/// `SELECT … FOR UPDATE OF j SKIP LOCKED`: deliverers claiming at once get disjoint jobs, and
/// a job stays locked until its claim commits, or until the claiming connection ends (a killed
/// deliverer), when another deliverer may claim it.
public final class PostgresOutbox: SharedOutbox {
    let session: PostgresSession
    /// Whether a claim's transaction is open.
    var claiming = false
    /// The advisory lock queueing takes ("FDOUTBOX" as a number).
    static let queueLock: Int64 = 0x4644_4F55_5442_4F58

    /// Connects to the database `storage` reads.
    ///
    /// - Throws: ``PostgresStoreError/connect(url:message:)`` when the connection cannot be made.
    public init(sameDatabaseAs storage: PostgresBookingStorage) throws(PostgresStoreError) {
        session = try PostgresSession(url: storage.session.url, password: storage.password)
    }

    /// Closes the connection (an open claim is rolled back by the server).
    public func close() { session.close() }

    public func queueEvents(limit: Int, now: Instant, targets: (DomainEvent) throws -> [DeliveryTarget]) throws -> (events: Int, jobs: Int) {
        try session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        var done = false
        defer { if !done { _ = try? session.execute("ROLLBACK") } }
        guard let locked = try session.query("SELECT pg_try_advisory_xact_lock(\(Self.queueLock))").first,
              try locked.decode(Bool.self) else { return (0, 0) }
        // Writers take turns on the change row and insert their events before they commit, so
        // every row below the newest committed one is committed too: oldest first is outbox order.
        let rows = try session.query("SELECT seq, payload::text FROM outbox WHERE queued_at IS NULL ORDER BY seq LIMIT \(limit)")
        var jobs = 0
        var queued: [Int64] = []
        for row in rows {
            let (seq, payload) = try row.decode((Int64, String).self)
            let event = try Self.event(payload, seq: seq)
            for target in try targets(event) {
                let key = DeliveryJob(sequence: UInt64(seq), index: 0, event: event, target: target, attempts: 0, notBefore: now, lastError: nil).orderingKey
                try session.query("""
                    INSERT INTO outbox_jobs (event, target, ordering_key, not_before)
                    VALUES (\(seq), \(target.description), \(key), to_timestamp(\(Double(now.seconds)))) ON CONFLICT DO NOTHING
                    """)
                jobs += 1
            }
            queued.append(seq)
        }
        if !queued.isEmpty {
            try session.query("UPDATE outbox SET queued_at = to_timestamp(\(Double(now.seconds))) WHERE seq = ANY(\(queued))")
        }
        try session.execute("COMMIT")
        done = true
        return (rows.count, jobs)
    }

    public func claimDue(limit: Int, now: Instant) throws -> [DeliveryJob] {
        try session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        claiming = true
        do {
            // A job whose earlier job (same target and ordering key) is still owed waits for
            // it, whoever holds it: one booking's events reach a receiver in order.
            let rows = try session.query("""
                SELECT j.event, j.target, j.attempts, extract(epoch FROM j.not_before)::bigint, j.last_error, o.payload::text
                FROM outbox_jobs j JOIN outbox o ON o.seq = j.event
                WHERE j.delivered_at IS NULL AND j.dead_at IS NULL AND j.not_before <= to_timestamp(\(Double(now.seconds)))
                AND NOT EXISTS (SELECT 1 FROM outbox_jobs e WHERE e.target = j.target AND e.ordering_key = j.ordering_key
                                AND e.event < j.event AND e.delivered_at IS NULL AND e.dead_at IS NULL)
                ORDER BY j.event, j.target
                LIMIT \(limit)
                FOR UPDATE OF j SKIP LOCKED
                """)
            var jobs: [DeliveryJob] = []
            for row in rows {
                let (seq, targetText, attempts, notBefore, lastError, payload) = try row.decode((Int64, String, Int, Int64, String?, String).self)
                guard let target = DeliveryTarget(text: targetText) else {
                    throw PostgresStoreError.damagedDocument(message: "outbox job \(seq) has target \"\(targetText)\"")
                }
                jobs.append(DeliveryJob(sequence: UInt64(seq), index: 0, event: try Self.event(payload, seq: seq), target: target,
                                        attempts: attempts, notBefore: Instant(seconds: notBefore), lastError: lastError))
            }
            if jobs.isEmpty { try finishClaim() }
            return jobs
        } catch {
            abandonClaim()
            throw error
        }
    }

    public func settle(_ job: DeliveryJob, _ settlement: JobSettlement) throws {
        let seq = Int64(job.sequence), target = job.target.description
        switch settlement {
        case .delivered(let at):
            try session.query("""
                UPDATE outbox_jobs SET attempts = \(job.attempts), delivered_at = to_timestamp(\(Double(at.seconds)))
                WHERE event = \(seq) AND target = \(target)
                """)
        case .retry:
            try session.query("""
                UPDATE outbox_jobs SET attempts = \(job.attempts), not_before = to_timestamp(\(Double(job.notBefore.seconds))), last_error = \(job.lastError)
                WHERE event = \(seq) AND target = \(target)
                """)
        case .dead(let at):
            try session.query("""
                UPDATE outbox_jobs SET attempts = \(job.attempts), last_error = \(job.lastError), dead_at = to_timestamp(\(Double(at.seconds)))
                WHERE event = \(seq) AND target = \(target)
                """)
        case .dropped:
            try session.query("DELETE FROM outbox_jobs WHERE event = \(seq) AND target = \(target)")
        }
    }

    public func finishClaim() throws {
        guard claiming else { return }
        claiming = false
        try session.execute("COMMIT")
    }

    public func abandonClaim() {
        guard claiming else { return }
        claiming = false
        _ = try? session.execute("ROLLBACK")
    }

    public func nextDue(now: Instant) throws -> Instant? {
        if let row = try session.execute("SELECT EXISTS (SELECT 1 FROM outbox WHERE queued_at IS NULL)").first, try row.decode(Bool.self) {
            return now
        }
        guard let row = try session.execute("""
            SELECT extract(epoch FROM min(not_before))::bigint FROM outbox_jobs WHERE delivered_at IS NULL AND dead_at IS NULL
            """).first, let seconds = try row.decode(Int64?.self) else { return nil }
        return Instant(seconds: seconds)
    }

    /// The event an outbox row's payload holds.
    static func event(_ payload: String, seq: Int64) throws -> DomainEvent {
        do {
            return try EventSchema.read(try SchemaValue.root(parsingHandEdited: Array(payload.utf8)))
        } catch {
            throw PostgresStoreError.damagedDocument(message: "outbox event \(seq): \(error)")
        }
    }
}
