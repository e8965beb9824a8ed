#if canImport(Glibc)
import Glibc
#endif

/// One environment variable at a time, read with getenv(3).
///
/// `ProcessInfo.processInfo.environment` copies the whole environment into a new dictionary
/// on every call, and the clock asks for `FRONTDESK_NOW` at every reading.
enum Environment {
    /// The variable's value, or nil if it is not set.
    static subscript(name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
