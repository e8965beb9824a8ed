import Dispatch
import Synchronization

/// A nudge one thread gives another that sleeps between rounds of work (a `--follow` loop
/// woken by a store subscription): ``signal()`` any number of times, ``wait(timeout:)`` returns
/// at the first nudge since the previous wait, or at the timeout.
///
/// Nudges given while nobody waits are merged into one: the waiter does one round of work for
/// a burst of changes, not one per change. The waiting thread blocks (no task, no run loop),
/// like ``Completion``, whose one-value hand-over this repeats.
package final class Wakeup: Sendable {
    /// Whether a nudge is waiting to be taken (the semaphore then holds one signal for it).
    private let pending = Mutex(false)
    private let ready = DispatchSemaphore(value: 0)

    package init() {}

    /// Wakes the waiter, or the next wait if nobody waits now. Callable from any thread.
    package func signal() {
        let first = pending.withLock { p -> Bool in
            defer { p = true }
            return !p
        }
        if first { ready.signal() }
    }

    /// Blocks until a nudge or until `timeout` seconds have passed; whether a nudge came.
    @discardableResult
    package func wait(timeout: Double) -> Bool {
        guard ready.wait(timeout: .now() + max(0, timeout)) == .success else { return false }
        // A nudge given between the semaphore and this reset is dropped: its change happened
        // before the round of work the caller starts on return, so that round sees it.
        pending.withLock { $0 = false }
        return true
    }
}
