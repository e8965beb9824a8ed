/// Runs a hook executable. Injected so tests can script outcomes.
public protocol ProcessRunner: Sendable {
    /// Runs `executable` directly (no shell) with `arguments`, `environment`, and `stdin`,
    /// killing it (and its process group) after `timeout` seconds.
    func run(executable: String, arguments: [String], environment: [String: String], stdin: [UInt8], timeout: Double) -> ProcessOutcome
}

/// How a hook run ended.
public enum ProcessOutcome: Sendable, Equatable {
    /// It exited with this status; `output` is the tail of what it wrote to stdout/stderr.
    case exited(status: Int32, output: String)
    /// It was killed by a signal it did not get from us.
    case signalled(signal: Int32, output: String)
    /// It ran past its time limit and was killed.
    case timedOut(output: String)
    /// It could not be started (errno text).
    case failedToStart(String)
}
