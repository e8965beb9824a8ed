/// One result slot per task of a `DispatchQueue.concurrentPerform`, each written by exactly one
/// task and read only after all of them finished.
final class ParallelResults<T>: @unchecked Sendable {
    // @unchecked: slot i is written once, by task i only; reads happen after concurrentPerform
    // returns, which orders them after every write. A raw buffer rather than an array property,
    // so concurrent writes to different slots are not one overlapping access to the array.
    private let slots: UnsafeMutableBufferPointer<Result<T, StoreError>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: Result<T, StoreError>) { slots[i] = value }

    func get(_ i: Int) throws(StoreError) -> T {
        guard let r = slots[i] else { preconditionFailure("task \(i) did not run") }
        return try r.get()
    }
}
