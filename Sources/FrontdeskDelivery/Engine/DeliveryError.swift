import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Every way delivery and its configuration refuse or fail. Each case names what and where.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another deliverer holds `<data>/deliver.lock`; `holder` names its user, pid and start time.
    case alreadyRunning(holder: String)
    /// A webhook URL is not an absolute http:// or https:// URL with a host.
    case invalidURL(String)
    /// A command-line value has the wrong form (`field`: what is expected).
    case invalidInput(field: String, message: String)
    /// No webhook endpoint has this id.
    case unknownWebhook(id: String)
    /// No active API token has this name (`frontdesk token revoke`).
    case unknownToken(name: String)
    /// No dead letter has this event id.
    case noDeadLetter(eventID: String)
    /// A delivery file (cursor, webhook config, log) is not what this program writes.
    case damaged(path: String, detail: String)
    /// A delivery file's place holds something else (a symlink, a directory, a fifo, a file of
    /// another group): refused, never followed or changed. `problem` says what was found.
    case unsafeFile(path: String, problem: String)
    /// A delivery lock (`webhooks.lock`) stayed busy past the wait; `holder` names who holds it.
    case busy(path: String, holder: String)
    /// The webhook secret was given on the command line, where every user can read it.
    case secretOnCommandLine
    /// A system call on a delivery file failed: operation, path, errno.
    case io(op: String, path: String, errno: Int32)
    /// The store refused or failed (busy, damaged, not found).
    case store(StoreError)
    /// A shared outbox (a PostgreSQL store's) could not be read or written; the message is the
    /// database's.
    case outbox(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let h): return "another deliverer is running for this data directory: deliver.lock is \(h)"
        case .invalidURL(let u): return "\"\(u)\" is not a webhook URL: use an absolute http:// or https:// URL with a host"
        case .invalidInput(let f, let m): return "\(f): \(m)"
        case .unknownWebhook(let id): return "no webhook with id \(id); see 'frontdesk webhook list'"
        case .unknownToken(let n): return "no active API token named \(n); see 'frontdesk token list'"
        case .noDeadLetter(let id): return "no dead letter for event \(id); see 'frontdesk deliveries --failed'"
        case .damaged(let p, let d): return "damaged delivery file \(p): \(d)"
        case .unsafeFile(let p, let problem): return "refusing \(p): \(problem)"
        case .busy(let p, let h): return "\(p) is busy: \(h); try again"
        case .secretOnCommandLine:
            return "--secret on the command line is readable by every user of this host (ps, /proc/PID/cmdline); "
                + "give it with --secret-file PATH (a file only you can read) or --secret-stdin"
        case .io(let op, let p, let e): return "\(op) \(p) failed: \(String(cString: strerror(e))) (errno \(e))"
        case .store(let e): return e.description
        case .outbox(let m): return "the store's outbox: \(m)"
        }
    }
}
