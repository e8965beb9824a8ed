import Dispatch
import Synchronization
import FrontdeskCore
import FrontdeskStore

/// One open `Store` and the one serial queue that may touch it (a `Store` is used from one
/// thread at a time). Requests reach it through ``run(_:)`` and wait without blocking the
/// event loop.
final class StoreLane: @unchecked Sendable {
    private let queue: DispatchQueue
    private let store: Store
    /// Requests queued or running here, for ``StorePool`` to pick the least busy lane.
    private let pending = Mutex(0)

    init(label: String, directory: String, clock: any WallClock, options: StoreOptions) throws {
        queue = DispatchQueue(label: label)
        store = try Store.open(at: directory, clock: clock, options: options)
    }

    /// Runs `body` with the store on this lane's queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        pending.withLock { $0 += 1 }
        defer { pending.withLock { $0 -= 1 } }
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.async { c.resume(with: Result(catching: { try body(self.store) })) }
        }
    }

    /// Waits for this process's background compaction, if one is running (at shutdown).
    func finish() {
        queue.sync { store.waitForBackgroundWork() }
    }

    var load: Int { pending.withLock { $0 } }
}
