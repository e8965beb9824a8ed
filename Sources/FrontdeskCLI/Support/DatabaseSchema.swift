import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// What `frontdesk init` and `frontdesk migrate-schema` ask of a PostgreSQL store, answered by
/// ``FrontdeskMain/databaseSchema`` in `frontdesk-postgres` (the `frontdesk` binary links no
/// database client and re-executes as that binary).
public enum DatabaseSchema {
    /// What to do with the schema.
    public enum Action: Sendable {
        /// Apply the migrations the database lacks (creating the schema in an empty database).
        case migrate
        /// Only report: refuse unless the schema is the newest this program knows.
        case check
    }

    /// The outcome: where, and the schema version before and after.
    public struct Outcome: Sendable {
        /// The store's URL, without any password.
        public var location: String
        /// The version before (0: no schema).
        public var from: Int
        /// The version after.
        public var to: Int

        public init(location: String, from: Int, to: Int) {
            self.location = location; self.from = from; self.to = to
        }
    }

    /// Why it failed: a malformed `--data` URL (`usage`, exit 64), or the database could not be
    /// reached, refused, or holds a schema this program cannot use (`io`, exit 74).
    public struct Failure: Error, Sendable {
        /// Whether the fault is in the command line rather than the database.
        public var isUsage: Bool
        /// One sentence naming the problem.
        public var message: String

        public init(isUsage: Bool, message: String) {
            self.isUsage = isUsage; self.message = message
        }
    }

    /// Whether `data` names a PostgreSQL store (`postgresql:` or `postgres:`) rather than a
    /// directory.
    static func isDatabaseURL(_ data: String?) -> Bool {
        guard let lower = data?.lowercased() else { return false }
        return lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:")
    }

    /// Runs `action` on `url` through the hook, re-executing as `frontdesk-postgres` when this
    /// binary has none; prints the outcome (JSON with `json`).
    static func run(_ action: Action, url: String, json: Bool, verb: String) throws {
        guard let runner = FrontdeskMain.databaseSchema else { try execDatabaseBinary() }
        let outcome: Outcome
        do {
            outcome = try runner(url, action)
        } catch let f as Failure {
            throw f.isUsage ? CLIError.usage("--data: " + f.message) : CLIError.io(path: "--data", message: f.message)
        }
        if json {
            Console.out(Format.json(["data": .string(outcome.location), "schema_from": .integer(outcome.from),
                                     "schema_to": JSONTree.integer(outcome.to)] as [String: JSONTree]))
        } else if outcome.from == outcome.to {
            Console.out("\(outcome.location): schema at version \(outcome.to), the newest this frontdesk knows")
        } else {
            Console.out("\(verb) \(outcome.location): schema version \(outcome.from) -> \(outcome.to)")
        }
    }

    /// Replaces this process with `frontdesk-postgres` installed beside `frontdesk`, same arguments.
    static func execDatabaseBinary() throws -> Never {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let dir = n > 0 ? Path.parent(of: String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) : "."
        let path = dir + "/frontdesk-postgres"
        let argv = [path] + CommandLine.arguments.dropFirst()
        var cargs = argv.map { strdup($0) } + [nil]
        execv(path, &cargs)
        let reason = String(cString: strerror(errno))
        throw CLIError.io(path: path, message: "cannot start the PostgreSQL client (\(reason)); it is built with `swift build -c release --product frontdesk-postgres` and must sit beside frontdesk")
    }
}
