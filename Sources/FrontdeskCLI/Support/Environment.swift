import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// The one place the command line reads the environment: one variable at a time, with getenv(3).
///
/// Only user settings that affect the user's own process are read (`FRONTDESK_DATA`,
/// `FRONTDESK_LOCK_TIMEOUT`, `FRONTDESK_THEMES`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME`, `HOME`, `TZ`,
/// and `SSH_CLIENT` as a claim only); no test or tuning knob, which only test hosts read.
/// `ProcessInfo.processInfo.environment` would copy the whole environment on every call.
///
/// In a secure execution (``SecureExecution/isActive``: `frontdesk` installed setgid to the
/// store's group) the environment belongs to a user who must not steer a process holding the
/// group's access, so only the terminal's own settings are read (``isTerminalSetting(_:)``)
/// and every other variable reads as unset: the store comes from the installation's list, the
/// lock wait is the default, times show in the machine's zone, themes come from the installed
/// directory, and the origin without a login record is "local".
/// ``keepOnlyTerminalSettings()`` removes the rest from the process itself before anything
/// else runs, so neither ncurses (`TERMINFO`, `TERMINFO_DIRS`, `TERMCAP`) nor a library nor a
/// child process can read them either.
enum Environment {
    /// The variable's value, or nil if it is not set (or not readable in a secure execution).
    static subscript(name: String) -> String? {
        if SecureExecution.isActive && !isTerminalSetting(name) { return nil }
        return getenv(name).map { String(cString: $0) }
    }

    /// True for the variables a secure execution still reads: `TERM`, `LANG`, `LC_*`,
    /// `NO_COLOR`, `COLUMNS` and `LINES`.
    static func isTerminalSetting(_ name: String) -> Bool {
        switch name {
        case "TERM", "LANG", "NO_COLOR", "COLUMNS", "LINES": true
        default: name.hasPrefix("LC_")
        }
    }

    /// In a secure execution, unsets every variable but the terminal settings; otherwise does
    /// nothing. Called first thing, on the one thread, before any library reads the environment.
    ///
    /// - Complexity: O(n) in the number of environment variables.
    static func keepOnlyTerminalSettings() {
        guard SecureExecution.isActive else { return }
        var names: [String] = []
        for text in entries() {
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
            if !isTerminalSetting(name) { names.append(name) }
        }
        // An entry with an empty name ("=value") stays: unsetenv refuses it, and no getenv of
        // a real name can return it.
        for name in names where !name.isEmpty { unsetenv(name) }
    }

    /// The terminal settings that are set, by name: what the terminal UI reads.
    static var terminalSettings: [String: String] {
        var settings: [String: String] = [:]
        for text in entries() {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, isTerminalSetting(String(parts[0])) { settings[String(parts[0])] = String(parts[1]) }
        }
        return settings
    }

    /// Every `NAME=value` entry of this process's environment, in order.
    private static func entries() -> [String] {
        var out: [String] = []
        // Never NULL here: this process does not call clearenv.
        let start: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        var i = 0
        while let pointer = start[i] {
            out.append(String(cString: pointer))
            i += 1
        }
        return out
    }
}
