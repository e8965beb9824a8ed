import FrontdeskSystem

/// A group commit journaled under the write lock whose flush may still be running
/// (``Store/beginGroup(_:_:)``): what each change came to, and the flush its journaled
/// changes wait for. ``Store/finishGroup(_:)`` turns it into the answers.
public struct PendingGroup<Value> {
    /// Each change's result as planned; the journaled ones hold until the flush has returned.
    var results: [Result<Value, StoreError>]
    /// The indices of the changes that journaled a record.
    var journaled: [Int]
    /// The flush running on the store's flusher, when there is one.
    var flush: Completion<Result<Void, StoreError>>?
    /// The segment it flushes (for the read-only reason, should it fail).
    var segment: OpenFile?
}
