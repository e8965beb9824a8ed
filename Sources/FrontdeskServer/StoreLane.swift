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
    private let pending = Atomic(0)

    /// A lane for `store`, which the caller opens. The initializer does not throw and the
    /// counter is an `Atomic`: with a throwing initializer and a `Mutex`, Swift 6.3.1's release
    /// optimizer crashes compiling ``StorePool``'s initializer (CopyPropagation, "Found outside
    /// of lifetime use").
    init(label: String, store: Store) {
        queue = DispatchQueue(label: label)
        self.store = store
    }

    /// Runs `body` with the store on this lane's queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        pending.wrappingAdd(1, ordering: .relaxed)
        defer { pending.wrappingSubtract(1, ordering: .relaxed) }
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.async { c.resume(with: Result(catching: { try body(self.store) })) }
        }
    }

    /// Waits for this process's background compaction, if one is running (at shutdown).
    func finish() {
        queue.sync { store.waitForBackgroundWork() }
    }

    var load: Int { pending.load(ordering: .relaxed) }
}
