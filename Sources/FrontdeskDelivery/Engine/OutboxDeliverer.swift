import FrontdeskCore
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Delivers a shared outbox's events (``SharedOutbox``, PostgreSQL's) to hooks and webhooks;
/// any number of these may run on one store.
///
/// One pass (`runOnce`): sweep time-driven events (reminders, lapsed holds) through a
/// storage's write, queue new events as jobs for the targets configured in `directory`
/// (`hooks/`, `webhooks.json`), then claim due jobs in small batches, attempt each exactly as
/// ``Deliverer`` does (same bodies, signatures, hook environment, retry schedule) and record
/// each outcome in the claim, which commits after the batch. A deliverer killed mid-batch
/// loses its claim with its connection: the batch's jobs are claimed again by another
/// deliverer and sent again (at least once). Attempts are appended to
/// `directory/deliveries.jsonl`.
public final class OutboxDeliverer {
    /// The configuration directory: `hooks/`, `webhooks.json`, `deliveries.jsonl`.
    public let directory: String
    let outbox: any SharedOutbox
    /// What the bodies are rendered from (its reference data and the customers they name).
    let storage: any BookingStorage
    /// What the sweep writes through: a storage of its own, since a sweep loads a year of
    /// bookings into the state it writes from, which `storage` would read again on every refresh.
    let sweeper: any BookingStorage
    let clock: any WallClock
    let render: EventEnvelope.DataRenderer
    let attempts: DeliveryAttempts
    let log: DeliveryLog
    public let options: DeliveryOptions
    /// Jobs claimed at a time: what a deliverer killed mid-batch may send twice.
    public let batchSize: Int
    /// How often the time-driven sweep runs (15 s). Every deliverer of the store wakes on every
    /// commit; the sweep reads a year of bookings and takes the store's change lock, so it runs
    /// on a clock of its own rather than on every pass.
    public var sweepInterval: TimeSpan = TimeSpan(seconds: 15)
    /// When this deliverer last swept (nil: not yet; the first pass does).
    var sweptAt: Instant?

    /// A deliverer of `outbox`, rendering from `storage` and sweeping through `sweeper` (another
    /// storage of the same store); `data` is `FRONTDESK_DATA` for hooks (the store's URL).
    public init(outbox: any SharedOutbox, storage: any BookingStorage, sweeper: any BookingStorage, directory: String, data: String, clock: any WallClock,
                transport: any HTTPTransport, runner: any ProcessRunner = SpawnProcessRunner(),
                render: @escaping EventEnvelope.DataRenderer, options: DeliveryOptions = DeliveryOptions(), batchSize: Int = 10) {
        self.outbox = outbox; self.storage = storage; self.sweeper = sweeper; self.directory = directory; self.clock = clock; self.render = render
        self.options = options; self.batchSize = max(1, batchSize)
        attempts = DeliveryAttempts(data: data, clock: clock, transport: transport, runner: runner, registry: WebhookRegistry(directory: directory),
                                    hooks: HookDirectory(path: directory + "/hooks"), options: options)
        log = DeliveryLog(directory: directory)
    }

    /// When this deliverer has anything to do next (nil: nothing owed).
    ///
    /// - Throws: ``DeliveryError/outbox(_:)`` when the outbox cannot be read.
    public func nextDue() throws(DeliveryError) -> Instant? {
        do { return try outbox.nextDue(now: clock.now()) } catch { throw .outbox("\(error)") }
    }

    /// One full pass; see the type's description (the sweep only when `sweepInterval` has passed).
    ///
    /// - Throws: ``DeliveryError/outbox(_:)`` when the outbox fails (a claim in progress is
    ///   released, its jobs are tried again), or a delivery file error.
    @discardableResult
    public func runOnce() throws(DeliveryError) -> PassReport {
        var report = PassReport()
        if options.sweepTimeDriven, sweptAt.map({ clock.now() - $0 >= sweepInterval }) ?? true {
            sweptAt = clock.now()
            sweep(&report)
        }
        try queueNewEvents(&report)
        // Until nothing is due: a batch's deliveries may free later events of the same bookings
        // (a claim holds those back), and every claimed job is settled, so this ends.
        while try deliverBatch(&report) > 0 {}
        return report
    }

    /// Writes `reminder.due` and `booking.hold_expired` events through the sweeper, whose
    /// write takes the store's change lock and reads what it plans from inside it: deliverers
    /// sweeping at once take turns, and the later one finds nothing left to do. A failure is
    /// noted; the next pass tries again.
    func sweep(_ report: inout PassReport) {
        do {
            // The reminder leads are the resources': reference data, which `storage` keeps current.
            report.sweptEvents = try TimeDrivenSweep.run(reading: storage, writingThrough: sweeper, now: clock.now(), holdHorizon: options.holdHorizon)
        } catch {
            report.lines.append("time-driven sweep skipped: \(error)")
        }
    }

    /// Queues the events not queued yet, a few hundred at a time, for the hooks and webhooks
    /// configured now. A webhook gets the events made at or after its `createdAt`.
    func queueNewEvents(_ report: inout PassReport) throws(DeliveryError) {
        let config = try attempts.registry.load()
        while true {
            let taken: (events: Int, jobs: Int)
            do {
                taken = try outbox.queueEvents(limit: 500, now: clock.now()) { e in
                    self.attempts.hooks.hooks(for: e.type).map(DeliveryTarget.hook)
                        + config.endpoints.filter { $0.disabledAt == nil && $0.wants(e.type) && e.at >= $0.createdAt }.map { DeliveryTarget.webhook($0.id) }
                }
            } catch { throw .outbox("\(error)") }
            report.queued += taken.jobs
            if taken.events < 500 { return }
        }
    }

    /// Claims one batch of due jobs, attempts each, records the outcomes and commits them.
    /// Returns how many jobs the batch held.
    func deliverBatch(_ report: inout PassReport) throws(DeliveryError) -> Int {
        let jobs: [DeliveryJob]
        do { jobs = try outbox.claimDue(limit: batchSize, now: clock.now()) } catch { throw .outbox("\(error)") }
        guard !jobs.isEmpty else { return 0 }
        var settled = false
        defer { if !settled { outbox.abandonClaim() } }
        var bodies: [String: [UInt8]] = [:]
        // Names in the bodies (resources, customers) as they are now; a failed read keeps the last.
        _ = try? storage.refresh()
        for var job in jobs {
            let body = bodies[job.event.id] ?? EventEnvelope.body(job.event, render: render)
            bodies[job.event.id] = body
            var started = timespec(); clock_gettime(CLOCK_MONOTONIC, &started)
            let result = try attempts.attempt(job, body: body)
            var ended = timespec(); clock_gettime(CLOCK_MONOTONIC, &ended)
            let ms = Int((ended.tv_sec - started.tv_sec) * 1000) + Int((ended.tv_nsec - started.tv_nsec) / 1_000_000)
            let now = clock.now()
            let attempt = job.attempts + 1
            let label = "\(job.event.type.rawValue) \(job.event.id) → \(job.target)"
            let settlement: JobSettlement
            let line: String
            let outcome: DeliveryRecord.Outcome
            var status: Int?
            var error: String?
            job.attempts = attempt
            switch result {
            case .delivered(let s):
                settlement = .delivered(at: now); outcome = .delivered; status = s
                report.delivered += 1
                line = "delivered \(label)"
            case .dropped(let why):
                settlement = .dropped; outcome = .dropped; error = why
                report.dropped += 1
                line = "dropped \(label): \(why)"
            case .failed(let s, let why):
                job.lastError = why; status = s; error = why
                if let wait = options.retry.delay(afterAttempts: attempt) {
                    job.notBefore = now + wait
                    settlement = .retry; outcome = .failed
                    report.failed += 1
                    line = "failed \(label) (attempt \(attempt), retry at \(job.notBefore.iso8601)): \(why)"
                } else {
                    settlement = .dead(at: now); outcome = .deadLettered
                    report.deadLettered += 1
                    line = "dead letter \(label) after \(attempt) attempts: \(why)"
                }
            case .giveUp(let s, let why):
                job.lastError = why; status = s; error = why
                settlement = .dead(at: now); outcome = .deadLettered
                report.deadLettered += 1
                line = "dead letter \(label): \(why)"
            }
            do { try outbox.settle(job, settlement) } catch { throw .outbox("\(error)") }
            try log.append(DeliveryRecord(event_id: job.event.id, event_type: job.event.type.rawValue, target: job.target.description,
                                          attempt: attempt, time: now.iso8601, outcome: outcome, status: status, duration_ms: ms, error: error))
            report.lines.append(line)
        }
        do { try outbox.finishClaim() } catch { throw .outbox("\(error)") }
        settled = true
        return jobs.count
    }
}
