import FrontdeskCore

/// A queue of lifecycle events that several deliverers share: PostgreSQL's `outbox` and
/// `outbox_jobs` tables (docs/POSTGRES.md, "The outbox and its deliverers").
///
/// Writers put each change's events in the outbox in the change's own transaction. A
/// deliverer turns new events into one job per target (``queueEvents(limit:now:targets:)``),
/// then claims due jobs (``claimDue(limit:now:)``): a claim holds its jobs until
/// ``finishClaim()`` or ``abandonClaim()`` (or until the deliverer's connection ends), and no
/// other deliverer is given them meanwhile. A job is due when its time has come and no earlier
/// job of the same target and ordering key (``DeliveryJob/orderingKey``) is still owed, so a
/// receiver sees one booking's events in order whichever deliverer sends them.
public protocol SharedOutbox: AnyObject {
    /// Queues up to `limit` events not queued yet, oldest first: one job per target that
    /// `targets` names, due at `now`. One deliverer queues at a time; while another does, this
    /// returns zero at once.
    ///
    /// - Returns: how many events were taken and how many jobs they made.
    func queueEvents(limit: Int, now: Instant, targets: (DomainEvent) throws -> [DeliveryTarget]) throws -> (events: Int, jobs: Int)

    /// Claims up to `limit` due jobs, oldest first, skipping jobs another deliverer holds. The
    /// claim stays open until ``finishClaim()``; ``settle(_:_:)`` records each job's attempt in it.
    func claimDue(limit: Int, now: Instant) throws -> [DeliveryJob]

    /// Records how a claimed job's attempt ended; `job` carries its new attempt count, next
    /// attempt time and last error.
    func settle(_ job: DeliveryJob, _ settlement: JobSettlement) throws

    /// Makes the claim's settlements durable and releases its jobs.
    func finishClaim() throws

    /// Releases the claim's jobs with nothing recorded (they are tried again).
    func abandonClaim()

    /// When the next owed job becomes due (now when events wait to be queued), nil when nothing
    /// is owed.
    func nextDue(now: Instant) throws -> Instant?
}

/// How an attempt of a claimed job ended, as the outbox records it.
public enum JobSettlement: Sendable, Equatable {
    /// Delivered at this instant: the job is done.
    case delivered(at: Instant)
    /// Failed; tried again at the job's `notBefore`.
    case retry
    /// Given up on at this instant (attempts exhausted, 410 Gone, endpoint disabled): a dead letter.
    case dead(at: Instant)
    /// Its target was removed: the job is dropped.
    case dropped
}
