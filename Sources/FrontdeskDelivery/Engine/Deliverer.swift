import FrontdeskCore
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Reads lifecycle events from the journal after its durable cursor and hands each to every
/// matching hook and webhook, at least once, in journal order per booking and target.
///
/// One pass (`runOnce`): sweep time-driven events into the journal (reminders, lapsed holds),
/// take in `redeliver` requests, queue the events of new journal records, then try every job
/// that is due. A job waiting for a retry holds back later jobs of the same booking for the
/// same target, so a failing endpoint never sees a booking's events out of order. The state
/// (`DeliveryState`) is saved after every change. Hold the `DelivererLock` while using one.
public final class Deliverer {
    public let directory: String
    let store: Store
    let clock: any WallClock
    let transport: any HTTPTransport
    let runner: any ProcessRunner
    let render: EventEnvelope.DataRenderer
    public var options: DeliveryOptions
    /// The durable state as last saved.
    public private(set) var state: DeliveryState
    let log: DeliveryLog
    let registry: WebhookRegistry
    let hooks: HookDirectory
    let requests: RedeliveryRequests
    /// When this deliverer last pruned its attempt log (nil: not yet; the first pass does).
    var logPrunedAt: Instant?
    /// Told at each `DeliveryCheckpoint` of a pass; nil (the shipped deliverer): nobody.
    package var checkpointObserver: (any DeliveryCheckpointObserver)?

    public init(directory: String, store: Store, clock: any WallClock, transport: any HTTPTransport,
                runner: any ProcessRunner = SpawnProcessRunner(), render: @escaping EventEnvelope.DataRenderer = EventEnvelope.coreData,
                options: DeliveryOptions = DeliveryOptions()) throws(DeliveryError) {
        self.directory = directory; self.store = store; self.clock = clock; self.transport = transport
        self.runner = runner; self.render = render; self.options = options
        state = try DeliveryState.load(directory: directory)
        log = DeliveryLog(directory: directory)
        registry = WebhookRegistry(directory: directory)
        hooks = HookDirectory(path: directory + "/hooks")
        requests = RedeliveryRequests(directory: directory)
    }

    /// The earliest instant a queued job becomes due (nil: nothing queued).
    public var nextDue: Instant? { state.queue.map(\.notBefore).min() }

    /// One full pass; see the type's description.
    @discardableResult
    public func runOnce() throws(DeliveryError) -> PassReport {
        var report = PassReport()
        if options.sweepTimeDriven { sweep(&report) }
        do { _ = try store.refresh() } catch { throw .store(error) }
        try takeRedeliveryRequests(&report)
        try enqueueNewEvents(&report)
        try processDueJobs(&report)
        pruneLogIfDue(&report)
        return report
    }

    /// Deletes attempt log records older than `logRetention` (``DeliveryLog/prune(before:)``)
    /// at the first pass and then once every `logPruneInterval`. A failure is noted and
    /// retried at the next interval: the log is a record of attempts, not state.
    func pruneLogIfDue(_ report: inout PassReport) {
        let now = clock.now()
        if let last = logPrunedAt, now - last < options.logPruneInterval { return }
        logPrunedAt = now
        do { report.prunedLogRecords = try log.prune(before: now - options.logRetention) } catch {
            report.lines.append("attempt log not pruned: \(error)")
        }
        if report.prunedLogRecords > 0 {
            report.lines.append("pruned \(report.prunedLogRecords) attempt log records older than \(options.logRetention.seconds / 86_400) days")
        }
    }

    // MARK: Time-driven events

    /// Writes `reminder.due` and `booking.hold_expired` events through the store. A busy or
    /// read-only store is noted and skipped: the next pass tries again.
    func sweep(_ report: inout PassReport) {
        do {
            report.sweptEvents = try TimeDrivenSweep.run(reading: store, writingThrough: store, now: clock.now(), holdHorizon: options.holdHorizon)
        } catch {
            report.lines.append("time-driven sweep skipped: \(error)")
        }
    }

    // MARK: Queueing

    func takeRedeliveryRequests(_ report: inout PassReport) throws(DeliveryError) {
        for id in requests.pending() {
            let now = clock.now()
            let back = state.deadLetters.filter { $0.event.id == id }
            if !back.isEmpty {
                state.deadLetters.removeAll { $0.event.id == id }
                for var job in back {
                    job.attempts = 0
                    job.notBefore = now
                    job.lastError = nil
                    state.queue.append(job)
                    try log.append(record(job, outcome: .requeued, attempt: 0, status: nil, duration: nil, error: nil))
                    report.requeued += 1
                    report.lines.append("requeued \(id) for \(job.target)")
                }
                state.sortQueue()
                try state.save(directory: directory)
            }
            requests.done(id)
        }
    }

    /// Queues one job per matching target for each event after the cursor, then saves the
    /// cursor and the queue together.
    func enqueueNewEvents(_ report: inout PassReport) throws(DeliveryError) {
        // Nothing new in the journal: skip reading it.
        guard store.lastSequence > state.cursor else { return }
        let events: [(sequence: UInt64, event: DomainEvent)]
        do { events = try store.events(after: state.cursor, changes: true) } catch { throw .store(error) }
        let last = store.lastSequence
        let config = try registry.load()
        let now = clock.now()
        var index = 0
        var previous: UInt64 = 0
        for (seq, e) in events {
            index = seq == previous ? index + 1 : 0
            previous = seq
            var targets = hooks.hooks(for: e.type).map(DeliveryTarget.hook)
            targets += config.endpoints.filter { $0.disabledAt == nil && $0.wants(e.type) && $0.existed(before: seq, at: e.at) }
                .map { DeliveryTarget.webhook($0.id) }
            for t in targets {
                state.queue.append(DeliveryJob(sequence: seq, index: index, event: e, target: t, attempts: 0, notBefore: now, lastError: nil))
                report.queued += 1
            }
        }
        state.cursor = max(last, events.last?.sequence ?? 0)
        state.sortQueue()
        try state.save(directory: directory)
    }

    // MARK: Attempts

    /// How one attempt ended (``DeliveryAttempts/Result``).
    typealias Result = DeliveryAttempts.Result

    func processDueJobs(_ report: inout PassReport) throws(DeliveryError) {
        var held: Set<String> = []
        var bodies: [String: [UInt8]] = [:]
        var i = 0
        while i < state.queue.count {
            var job = state.queue[i]
            let key = job.target.description + "|" + job.orderingKey
            let now = clock.now()
            if held.contains(key) || job.notBefore > now {
                held.insert(key)
                i += 1
                continue
            }
            let body = bodies[job.event.id] ?? EventEnvelope.body(job.event, render: render)
            bodies[job.event.id] = body
            var started = timespec(); clock_gettime(CLOCK_MONOTONIC, &started)
            let result = try attempt(job, body: body)
            var ended = timespec(); clock_gettime(CLOCK_MONOTONIC, &ended)
            let ms = Int((ended.tv_sec - started.tv_sec) * 1000) + Int((ended.tv_nsec - started.tv_nsec) / 1_000_000)
            checkpointObserver?.reached(.afterAttemptBeforeSave)
            let attempt = job.attempts + 1
            let label = "\(job.event.type.rawValue) \(job.event.id) → \(job.target)"
            switch result {
            case .delivered(let status):
                state.queue.remove(at: i)
                try log.append(record(job, outcome: .delivered, attempt: attempt, status: status, duration: ms, error: nil))
                report.delivered += 1
                report.lines.append("delivered \(label)")
            case .dropped(let why):
                state.queue.remove(at: i)
                try log.append(record(job, outcome: .dropped, attempt: attempt, status: nil, duration: ms, error: why))
                report.dropped += 1
                report.lines.append("dropped \(label): \(why)")
            case .failed(let status, let error):
                job.attempts = attempt
                job.lastError = error
                if let wait = options.retry.delay(afterAttempts: attempt) {
                    job.notBefore = now + wait
                    state.queue[i] = job
                    held.insert(key)
                    i += 1
                    try log.append(record(job, outcome: .failed, attempt: attempt, status: status, duration: ms, error: error))
                    report.failed += 1
                    report.lines.append("failed \(label) (attempt \(attempt), retry at \(job.notBefore.iso8601)): \(error)")
                } else {
                    state.queue.remove(at: i)
                    state.deadLetters.append(job)
                    try log.append(record(job, outcome: .deadLettered, attempt: attempt, status: status, duration: ms, error: error))
                    report.deadLettered += 1
                    report.lines.append("dead letter \(label) after \(attempt) attempts: \(error)")
                }
            case .giveUp(let status, let error):
                job.attempts = attempt
                job.lastError = error
                state.queue.remove(at: i)
                state.deadLetters.append(job)
                try log.append(record(job, outcome: .deadLettered, attempt: attempt, status: status, duration: ms, error: error))
                report.deadLettered += 1
                report.lines.append("dead letter \(label): \(error)")
            }
            try state.save(directory: directory)
        }
    }

    func attempt(_ job: DeliveryJob, body: [UInt8]) throws(DeliveryError) -> Result {
        try DeliveryAttempts(data: directory, clock: clock, transport: transport, runner: runner, registry: registry, hooks: hooks,
                             options: options).attempt(job, body: body)
    }

    func record(_ job: DeliveryJob, outcome: DeliveryRecord.Outcome, attempt: Int, status: Int?, duration: Int?, error: String?) -> DeliveryRecord {
        DeliveryRecord(event_id: job.event.id, event_type: job.event.type.rawValue, target: job.target.description, attempt: attempt,
                       time: clock.now().iso8601, outcome: outcome, status: status, duration_ms: duration, error: error)
    }
}
