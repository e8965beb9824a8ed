import Dispatch
import FrontdeskSystem

/// Runs a group commit's journal `fdatasync` on a thread of its own, one after another in the
/// order they were started, so the writer plans and journals the next group meanwhile
/// (``Store/beginGroup(_:_:)``).
///
/// The segment's descriptor stays open until the flush has returned: the store waits for every
/// started flush (``Store/settleFlushes()``) before it closes a segment.
final class JournalFlusher: Sendable {
    private let queue = DispatchQueue(label: "frontdesk.journal-flush")

    /// Starts `fs.fdatasync(segment)` after the flushes started before it; its outcome.
    func start(_ segment: OpenFile, fs: any FileSystem) -> Completion<Result<Void, StoreError>> {
        let done = Completion<Result<Void, StoreError>>()
        queue.async {
            do throws(StoreError) {
                try fs.fdatasync(segment)
                done.complete(.success(()))
            } catch {
                done.complete(.failure(error))
            }
        }
        return done
    }
}
