import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `Compaction` running on a thread of its own, so the write that reached the threshold is
/// acknowledged at once and this process goes on writing while the generation is written.
///
/// The thread runs at a lower scheduling priority (nice +10): on a busy host the compaction
/// takes the CPU that writers leave over instead of stretching their commit latency, and on
/// an idle one it runs at full speed on another core.
final class CompactionJob: Sendable {
    /// The compaction's sequence boundary.
    let boundary: UInt64
    private let outcome = Mutex<Result<Compaction.Outcome, StoreError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ compaction: Compaction) {
        boundary = compaction.boundary
        CompactionJob.detach { [self] in
            // Only this thread: on Linux the nice value is per thread, and `who` 0 is the caller.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
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

    /// Runs `body` on a new detached thread (not a shared pool's: its priority is lowered).
    private static func detach(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            // @unchecked: handed from the creating thread to the new one, used there only.
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: run it here, as a compaction without this class would.
            Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
        }
    }
}
