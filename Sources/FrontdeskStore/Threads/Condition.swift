#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable, whose timed waits use `CLOCK_MONOTONIC` deadlines
/// (what `NSCondition` offers, minus Foundation and the wall clock: setting the system time
/// neither lengthens nor cuts short a wait for the store's lock).
final class Condition: @unchecked Sendable {
    // @unchecked: the pthread objects are made for exactly this sharing.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Wakes one waiter. Call with the mutex held.
    func signal() { pthread_cond_signal(cond) }

    /// Releases the mutex, waits for a signal or until `deadline` (seconds on `CLOCK_MONOTONIC`,
    /// as ``LockFile/monotonic()`` reads it), and takes the mutex again. Returns false when the
    /// deadline passed. Like every condition wait it can also return early: check the state.
    @discardableResult
    func wait(until deadline: Double) -> Bool {
        let whole = deadline.rounded(.down)
        var ts = timespec(tv_sec: Int(whole), tv_nsec: min(999_999_999, Int((deadline - whole) * 1e9)))
        return pthread_cond_timedwait(cond, mutex, &ts) != ETIMEDOUT
    }
}
