#if canImport(Glibc)
import Glibc
#endif

/// Retrying the system calls a signal can interrupt.
package enum SystemCall {
    /// Repeats `call` while it fails (returns a negative value) with EINTR; its last result.
    package static func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let r = call()
            if r >= 0 || errno != EINTR { return r }
        }
    }
}
