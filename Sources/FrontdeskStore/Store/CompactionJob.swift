import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// A `Compaction` running on a thread of its own, so the write that reached the threshold is
/// acknowledged at once and this process goes on writing while the generation is written.
///
/// The thread (its own, not a shared pool's) runs at a lower scheduling priority (nice +10):
/// on a busy host the compaction takes the CPU that writers leave over instead of stretching
/// their commit latency, and on an idle one it runs at full speed on another core.
final class CompactionJob: Sendable {
    /// The compaction's sequence boundary.
    let boundary: UInt64
    private let outcome = Completion<Result<Compaction.Outcome, StoreError>>()

    init(_ compaction: Compaction) {
        boundary = compaction.boundary
        let run: @Sendable () -> Void = { [self] in
            let result: Result<Compaction.Outcome, StoreError>
            do throws(StoreError) { result = .success(try compaction.run()) } catch { result = .failure(error) }
            outcome.complete(result)
        }
        let started = DetachedThread.start {
            // Only this thread: on Linux the nice value is per thread, and `who` 0 is the caller.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            run()
        }
        // No thread to be had: compact here, as a store without background compaction would.
        if started != nil { run() }
    }

    /// Whether the compaction has ended (then `wait()` returns at once).
    var isFinished: Bool { outcome.isComplete }

    /// Blocks until the compaction has ended; its outcome.
    func wait() -> Result<Compaction.Outcome, StoreError> {
        outcome.wait()!
    }
}
