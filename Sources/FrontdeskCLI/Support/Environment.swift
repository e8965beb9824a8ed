#if canImport(Glibc)
import Glibc
#endif

/// One environment variable at a time, read with getenv(3).
///
/// Only user settings that affect the user's own process are read (`FRONTDESK_DATA`,
/// `FRONTDESK_LOCK_TIMEOUT`, `FRONTDESK_THEMES`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME`, `HOME`, `TZ`,
/// and `SSH_CLIENT` as a claim only); no test or tuning knob, which only test hosts read.
/// `ProcessInfo.processInfo.environment` would copy the whole environment on every call.
enum Environment {
    /// The variable's value, or nil if it is not set.
    static subscript(name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
