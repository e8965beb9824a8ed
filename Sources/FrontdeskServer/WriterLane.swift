import Dispatch
import Synchronization
import FrontdeskCore
import FrontdeskStore

/// One open `Store` that writes, and the one thread that may touch it, group-committing the
/// requests that queue while it works: it takes every request waiting, runs each one's
/// preparation (outside the write lock), then plans and journals all their changes under one
/// hold of the store's write lock with one `fdatasync` (``Store/beginGroup(_:_:)``), and
/// answers them once that flush returned (``Store/finishGroup(_:)``). While a group's flush
/// runs, the next group is prepared and journaled. Requests never wait for a timer: a lone
/// request is a group of one.
final class WriterLane: @unchecked Sendable {
    /// What a write request does on the lane's thread before the group's lock is taken.
    enum Step {
        /// Answered already (a refusal, or a change written on its own).
        case answered(APIReply)
        /// A change to commit with the group; its plan renders the answer.
        case grouped(GroupedWrite<APIReply>)
    }

    /// A queued request: its preparation, the role the store checks, and its waiter.
    private struct Job: Sendable {
        var access: Access
        var prepare: @Sendable (Store) throws -> Step
        var resume: @Sendable (APIReply) -> Void
    }

    private let store: Store
    private let queue: DispatchQueue
    /// Requests waiting, and whether a drain is scheduled or running.
    private let waiting = Mutex<(jobs: [Job], draining: Bool)>(([], false))
    /// The most requests one group commits, so a flood's first requests are not held back
    /// behind the planning of all the others.
    private let groupLimit: Int
    /// Requests queued or running here, for ``StorePool`` to pick the least busy lane.
    private let pending = Atomic(0)

    init(label: String, store: Store, groupLimit: Int = 128) {
        self.store = store
        queue = DispatchQueue(label: label)
        self.groupLimit = groupLimit
    }

    var load: Int { pending.load(ordering: .relaxed) }

    /// Runs `prepare` on the lane's thread with `access` set on the store, commits the change
    /// it returns with the group, and answers.
    func submit(_ access: Access, _ prepare: @escaping @Sendable (Store) throws -> Step) async -> APIReply {
        pending.wrappingAdd(1, ordering: .relaxed)
        defer { pending.wrappingSubtract(1, ordering: .relaxed) }
        return await withCheckedContinuation { (c: CheckedContinuation<APIReply, Never>) in
            let job = Job(access: access, prepare: prepare, resume: { c.resume(returning: $0) })
            let start = waiting.withLock { w -> Bool in
                w.jobs.append(job)
                if w.draining { return false }
                w.draining = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// A group journaled and not answered yet: its requests, the answers already known (those
    /// answered before the group, refusals), and the store's pending flush.
    private struct InFlight {
        var jobs: [Job]
        var replies: [APIReply?]
        var members: [Int]
        var pending: PendingGroup<APIReply>
    }

    /// Commits groups until no request waits, one group ahead: group N+1 is prepared, planned
    /// and journaled while group N's flush runs (``Store/beginGroup(_:_:)``), and group N is
    /// answered once that flush has returned (``Store/finishGroup(_:)``), never before.
    private func drain() {
        var inFlight: InFlight?
        while true {
            let holding = inFlight != nil
            let jobs: [Job] = waiting.withLock { w in
                if w.jobs.isEmpty {
                    // The drain ends only with nothing in flight: a request that comes while
                    // the last group is answered is taken by this loop.
                    if !holding { w.draining = false }
                    return []
                }
                let n = min(w.jobs.count, groupLimit)
                let taken = Array(w.jobs.prefix(n))
                w.jobs.removeFirst(n)
                return taken
            }
            if jobs.isEmpty {
                guard let done = inFlight else { return }
                answer(done)
                inFlight = nil
                continue
            }
            let next = begin(jobs)
            if let done = inFlight { answer(done) }
            inFlight = next
        }
    }

    /// Prepares every job and journals the grouped ones together; the flush may still run.
    private func begin(_ jobs: [Job]) -> InFlight {
        var replies = [APIReply?](repeating: nil, count: jobs.count)
        var group: [GroupedWrite<APIReply>] = []
        var members: [Int] = []
        for (i, job) in jobs.enumerated() {
            store.access = job.access
            do {
                switch try job.prepare(store) {
                case .answered(let reply): replies[i] = reply
                case .grouped(let write):
                    group.append(write)
                    members.append(i)
                }
            } catch {
                replies[i] = APIReply.problem(for: error, state: store.state)
            }
        }
        store.access = nil
        return InFlight(jobs: jobs, replies: replies, members: members, pending: store.beginGroup("api book", group))
    }

    /// Waits for the group's flush and answers all its requests.
    private func answer(_ flight: InFlight) {
        var replies = flight.replies
        for (k, result) in store.finishGroup(flight.pending).enumerated() {
            switch result {
            case .success(let reply): replies[flight.members[k]] = reply
            case .failure(let error): replies[flight.members[k]] = APIReply.problem(for: error, state: store.state)
            }
        }
        for (i, job) in flight.jobs.enumerated() { job.resume(replies[i]!) }
    }

    /// Waits for this process's background compaction, if one is running (at shutdown).
    func finish() {
        queue.sync { store.waitForBackgroundWork() }
    }
}
