import Dispatch
import Synchronization

/// A `Compaction` running on a background thread, so the write that reached the threshold is
/// acknowledged at once and this process goes on writing while the generation is written
/// (the compaction's encoding and its fsyncs run on another core).
final class CompactionJob: Sendable {
    /// The compaction's sequence boundary.
    let boundary: UInt64
    private let outcome = Mutex<Result<Compaction.Outcome, StoreError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ compaction: Compaction) {
        boundary = compaction.boundary
        DispatchQueue.global(qos: .utility).async { [self] in
            let result: Result<Compaction.Outcome, StoreError>
            do throws(StoreError) { result = .success(try compaction.run()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    /// Whether the compaction has ended (then `wait()` returns at once).
    var isFinished: Bool { outcome.withLock { $0 != nil } }

    /// Blocks until the compaction has ended; its outcome.
    func wait() -> Result<Compaction.Outcome, StoreError> {
        if let r = outcome.withLock({ $0 }) { return r }
        done.wait()
        done.signal() // a later wait() returns at once too
        return outcome.withLock { $0! }
    }
}
