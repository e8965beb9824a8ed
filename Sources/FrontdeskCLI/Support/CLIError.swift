import ArgumentParser
import FrontdeskCore

/// Failures the command line reports itself (before or besides the core and the store).
enum CLIError: Error, CustomStringConvertible {
    /// A flag or argument is missing or malformed in a way that makes the command meaningless (exit 64).
    case usage(String)
    /// A value has the wrong form; names the field and the expected form (exit 65).
    case invalidInput(field: String, message: String)
    /// A file could not be read or written (exit 74).
    case io(path: String, message: String)
    /// The setgid installation does not allow this (exit 77): a store it does not list, an
    /// unsafe list file, hooks, the demo, `init` by someone outside the store's group, or a file
    /// named on the command line.
    case notPermitted(String)

    var description: String {
        switch self {
        case .usage(let m): m
        case .invalidInput(let field, let m): "\(field): \(m)"
        case .io(let path, let m): "\(path): \(m)"
        case .notPermitted(let m): m
        }
    }
}

/// Documented exit codes (README "Exit codes").
enum ExitStatus {
    static let success: Int32 = 0
    static let internalError: Int32 = 1
    static let conflict: Int32 = 3
    static let staleVersion: Int32 = 4
    static let policy: Int32 = 5
    static let notFound: Int32 = 6
    static let idempotency: Int32 = 7
    /// `import` stored some rows but not all (each row's outcome line says why): a script
    /// that checks only the exit status must not take a half import for a whole one.
    static let rowsNotStored: Int32 = 8
    /// `status` found something that needs attention (failed deliveries, a lagging deliverer,
    /// a journal far past compaction, little disk space, an unreadable pin); each reason is
    /// listed. A damaged store is 74 instead.
    static let needsAttention: Int32 = 9
    /// Not permitted: the account's role does not allow the command (or it has no role), or the
    /// setgid installation does not allow it: sysexits' `EX_NOPERM`.
    static let notPermitted: Int32 = 77
    static let usage: Int32 = 64
    static let invalidInput: Int32 = 65
    /// No terminal (or `TERM=dumb`) for the booking screen: sysexits' `EX_UNAVAILABLE`.
    static let unavailable: Int32 = 69
    static let ioError: Int32 = 74
    static let busy: Int32 = 75

    static func code(for category: CoreError.Category) -> Int32 {
        switch category {
        case .invalidInput: invalidInput
        case .notFound: notFound
        case .conflict: conflict
        case .staleVersion: staleVersion
        case .policy: policy
        case .idempotency: idempotency
        case .notPermitted: notPermitted
        }
    }
}
