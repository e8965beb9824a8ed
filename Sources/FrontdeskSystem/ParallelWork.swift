import Dispatch
import Synchronization

/// Work split into independent tasks that run on every core at once.
package enum ParallelWork {
    /// `body(i)` for every `i` in `0..<count`, run in parallel; the results in order, or the
    /// first error by index. Each task's result is kept in a slot only it writes.
    package static func map<T: Sendable, E: Error>(count: Int, _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        let slots = Mutex<[Result<T, E>?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let r: Result<T, E>
            do throws(E) { r = .success(try body(i)) } catch { r = .failure(error) }
            slots.withLock { $0[i] = r }
        }
        return try slots.withLock { s throws(E) -> [T] in
            var out: [T] = []
            out.reserveCapacity(count)
            for r in s { out.append(try r!.get()) }
            return out
        }
    }
}
