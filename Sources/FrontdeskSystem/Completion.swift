import Dispatch
import Synchronization

/// A value one thread hands to another once. Shared state lives in a `Mutex`; a thread that
/// must wait for another thread's result waits here, with or without a deadline.
///
/// The waiter may give up (``abandon()``) at a deadline; the thread that later completes then
/// learns that nobody takes its value, and disposes of it itself.
package final class Completion<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, abandoned: Bool)>((nil, false))
    private let ready = DispatchSemaphore(value: 0)

    package init() {}

    /// Hands over `value` and wakes the waiter. False when the waiter has abandoned the wait
    /// (the value is then the caller's to dispose of) or a value was handed over before.
    @discardableResult
    package func complete(_ value: Value) -> Bool {
        let taken = state.withLock { s -> Bool in
            guard !s.abandoned, s.value == nil else { return false }
            s.value = value
            return true
        }
        if taken { ready.signal() }
        return taken
    }

    /// The value, once it is there; nil when `timeout` seconds pass first (nil waits for ever).
    /// Any number of waits may follow the first that returns it.
    package func wait(timeout: Double? = nil) -> Value? {
        if let v = state.withLock({ $0.value }) { return v }
        if let timeout {
            guard ready.wait(timeout: .now() + max(0, timeout)) == .success else { return state.withLock { $0.value } }
        } else {
            ready.wait()
        }
        ready.signal() // the next wait returns at once too
        return state.withLock { $0.value }
    }

    /// Gives up waiting unless the value is already there: then it is returned, and the wait
    /// counts as done. After an abandon that returns nil, ``complete(_:)`` returns false.
    package func abandon() -> Value? {
        state.withLock { s -> Value? in
            if let v = s.value { return v }
            s.abandoned = true
            return nil
        }
    }

    /// Whether the value is there (a wait returns at once).
    package var isComplete: Bool { state.withLock { $0.value != nil } }
}
