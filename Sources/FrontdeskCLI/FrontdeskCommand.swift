import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskDelivery
import FrontdeskStore

/// `frontdesk`: with no subcommand, the terminal front desk; with one, a scriptable action.
public struct FrontdeskCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frontdesk",
        abstract: "Keyboard-only booking scheduler for front desks.",
        discussion: """
        Run with no subcommand to open the terminal front desk; `frontdesk --demo` opens it on a sample \
        store (created on first use, never your real data). Exit codes: 0 success, 1 internal error, \
        3 conflict, 4 stale version, 5 refused by a policy, 6 not found, 7 idempotency key reused, \
        8 import stored some rows but not all, 64 usage, 65 invalid input, 69 no terminal for the front desk, \
        74 I/O error or damaged store, 75 store busy or another deliverer running, 77 not permitted (by your role, \
        or by the setgid installation).
        """,
        subcommands: [
            InitCommand.self, ResourceCommand.self, ScheduleCommand.self, CustomerCommand.self,
            BookCommand.self, CancelCommand.self, RescheduleCommand.self, ConfirmCommand.self, CompleteCommand.self,
            NoShowCommand.self, ShowCommand.self, ListCommand.self, FreeCommand.self, WaitlistCommand.self,
            ImportCommand.self, ExportCommand.self, CheckCommand.self, RepairCommand.self, CompactCommand.self, EventsCommand.self,
            DeliverCommand.self, WebhookCommand.self, DeliveriesCommand.self, RedeliverCommand.self, StaffCommand.self,
            HistoryCommand.self, CorrectCommand.self,
            StatusCommand.self, InstallServiceCommand.self,
            PayCommand.self, RefundCommand.self, PriceCommand.self, SettingsCommand.self,
            ServiceCommand.self,
            AgendaCommand.self,
            TokenCommand.self, ServerCommand.self,
            BackupCommand.self, RestoreCommand.self,
            ReportCommand.self,
            MigrateSchemaCommand.self, MigrateCommand.self,
        ])

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Open the front desk on this date.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("Colour theme (default, light, dark, high-contrast, mono).", valueName: "name"))
    var theme: String?

    /// Shown in `--help` so `--demo` is a documented option; `FrontdeskMain` takes a root-level
    /// `--demo` off the line itself and sets `demo` (ArgumentParser would otherwise hand a parent's
    /// flag every `--demo` on the line, including `init --demo`).
    @Flag(name: .customLong("demo"), help: "Open the front desk on a sample store (created on first use, never your real data).")
    var demoHelp = false

    /// Set by `FrontdeskMain` from a root-level `--demo`.
    var demo = false

    public init() {}

    enum CodingKeys: String, CodingKey { case global, date, theme, demoHelp }

    public func run() throws {
        let code = try TUILauncher.run(global: global, date: date, theme: theme, demo: demo)
        if code != 0 { throw ExitCode(code) }
    }
}

/// Runs the command line and maps every failure to its documented exit code.
public enum FrontdeskMain {
    /// Makes the transport `deliver` POSTs webhooks with; nil in `frontdesk` itself.
    ///
    /// Only `frontdesk-deliver` sets it. FoundationNetworking (URLSession) loads libcurl and
    /// some forty shared libraries, whose loading every command would pay at start-up, so the
    /// `frontdesk` binary leaves it out and `deliver` re-executes as `frontdesk-deliver`.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var webhookTransport: (() -> any HTTPTransport)?

    /// Runs the HTTP API server; nil in `frontdesk` itself, which re-executes as
    /// `frontdesk-server` for `server` so that no other command loads the HTTP stack.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var serverRunner: ((ServerLaunch) throws -> Void)?

    /// Creates, upgrades or checks a PostgreSQL store's schema; nil in `frontdesk` itself, which
    /// re-executes as `frontdesk-postgres` so that no other command loads a database client.
    /// Throws ``DatabaseSchema/Failure``.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var databaseSchema: ((_ url: String, _ action: DatabaseSchema.Action) throws -> DatabaseSchema.Outcome)?

    /// Opens a PostgreSQL store as a `BookingStorage` for the commands that work on one
    /// (``StorageSession``); nil in `frontdesk` itself, which re-executes as
    /// `frontdesk-postgres`. Throws ``DatabaseSchema/Failure`` when the store cannot be opened.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var openDatabase: ((_ url: String, _ engine: BookingEngine) throws -> any BookingStorage)?

    /// Opens a PostgreSQL store for `frontdesk migrate` (``MigrationDatabase``); nil in
    /// `frontdesk` itself, which re-executes as `frontdesk-postgres`. Throws
    /// ``DatabaseSchema/Failure`` when the store cannot be opened.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var openMigrationDatabase: ((_ url: String, _ engine: BookingEngine) throws -> any MigrationDatabase)?

    /// Opens the shared outbox of a PostgreSQL store that `deliver --data postgresql://…`
    /// delivers from, given the storage ``openDatabase`` opened; nil in `frontdesk`, which
    /// re-executes as `frontdesk-deliver-postgres` (the one binary with both a database client
    /// and webhook sending). Throws ``DatabaseSchema/Failure`` when it cannot be opened.
    // nonisolated(unsafe): set once by main before any command runs.
    public nonisolated(unsafe) static var openOutbox: ((_ storage: any BookingStorage) throws -> any SharedOutbox)?

    /// What a test host changed (clock, compaction interval, crash point, first-frame exit);
    /// the shipped mains leave the default.
    // nonisolated(unsafe): set once by `run` before any command runs, on the one thread.
    nonisolated(unsafe) static var seams = FrontdeskSeams()

    /// Runs one command line and returns the process exit status. `seams` is for test hosts;
    /// the shipped binaries pass nothing.
    public static func run(_ arguments: [String], seams: FrontdeskSeams = FrontdeskSeams()) -> Int32 {
        // Before anything reads it: a setgid start keeps only the terminal's settings.
        Environment.keepOnlyTerminalSettings()
        self.seams = seams
        if let directory = seams.zoneInfoDirectory { ZoneDatabase.shared.install(ZoneInfoDirectory(location: directory)) }
        let json = arguments.contains("--json")
        // A write that reached the compaction threshold returned before its generation was
        // written: finish that before `exit`, or every later process replays a longer journal.
        defer { Session.opened?.waitForBackgroundWork() }
        do {
            // `help NAME` with an unknown NAME would print the root help and exit 0.
            if let miss = CommandSuggestion.firstUnknown(in: arguments), miss.afterHelp {
                for line in miss.lines { Console.err(line) }
                return ExitStatus.usage
            }
            try DatabaseCommands.check(arguments)
            var args = arguments
            var demo = false
            if let i = args.firstIndex(of: "--demo"), subcommandIndex(in: args) == nil { args.remove(at: i); demo = true }
            var command = try parseLeaf(args) ?? FrontdeskCommand.parseAsRoot(args)
            if var root = command as? FrontdeskCommand {
                root.demo = demo
                command = root
            }
            // The root's documented `--demo` takes every `--demo` on the line: give
            // `init --demo` its own back.
            if var initCommand = command as? InitCommand, let i = subcommandIndex(in: args), args[(i + 1)...].contains("--demo") {
                initCommand.demo = true
                command = initCommand
            }
            try command.run()
            return 0
        } catch {
            return report(error, arguments: arguments, json: json)
        }
    }

    /// A line that starts with a command path that ends at a command without subcommands
    /// (`book`, `list`, `resource add`, `customer list`, …), parsed by that command's own `parse`:
    /// ArgumentParser's public entry point for one command, over the same declarations. The
    /// root's parse reflects over every command on the path (the root's own options included)
    /// and every subcommand of each, work a one-shot command would pay on every run. Nil when
    /// the line does not start that way or does not parse: the root's parse then takes it and
    /// reports any error with the full usage (`Usage: frontdesk resource add …`).
    ///
    /// The groups on the path (`resource`, `customer`, …) declare no options, arguments or
    /// `validate()` of their own, so the leaf's parse sees every word the root's parse would
    /// give it and accepts exactly the lines the root's parse accepts for it.
    ///
    /// - Complexity: reflects over the leaf command only, not over every command on the path.
    static func parseLeaf(_ arguments: [String]) -> (any ParsableCommand)? {
        var command: any ParsableCommand.Type = FrontdeskCommand.self
        var rest = arguments[...]
        repeat {
            guard let name = rest.first, !name.hasPrefix("-"),
                  let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == name })
            else { return nil }
            command = next
            rest = rest.dropFirst()
        } while !command.configuration.subcommands.isEmpty
        return try? command.parse(Array(rest))
    }

    /// Said after "no store at DIR" by every command and the front desk alike.
    static let noStoreHint = "; create one with 'frontdesk init' (or try 'frontdesk --demo')"

    static func report(_ error: Error, arguments: [String], json: Bool) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        let (code, kind, message, extra) = classify(error)
        if code == ExitStatus.usage, !(error is CLIError), let miss = CommandSuggestion.firstUnknown(in: arguments), miss.suggestion != nil {
            for line in miss.lines { Console.err(line) }
            return code
        }
        if code == ExitStatus.usage, !(error is CLIError) {
            // ArgumentParser's own errors, help and version requests.
            // The parser quotes what was typed: each line through Format.safe, so no escape reaches the terminal.
            let text = FrontdeskCommand.fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
                .map { Format.safe(String($0)) }.joined(separator: "\n")
            let parserCode = FrontdeskCommand.exitCode(for: error).rawValue
            if parserCode == 0 { Console.out(text); return 0 }
            Console.err(text)
            return ExitStatus.usage
        }
        Console.err("frontdesk: \(message)")
        if json { Console.out(errorJSON(kind: kind, message: message, extra: extra)) }
        return code
    }

    /// `{"error":{"code":…,"message":…,…}}`, keys sorted as `JSONSerialization` sorted them.
    static func errorJSON(kind: String, message: String, extra: [String: JSONTree]) -> String {
        var obj: [String: JSONTree] = ["code": .string(kind), "message": .string(message)]
        for (k, v) in extra { obj[k] = v }
        return JSONTree.object(["error": .object(obj)]).text
    }

    /// Exit code, error kind, message and JSON details for any error the commands throw.
    static func classify(_ error: Error) -> (Int32, String, String, [String: JSONTree]) {
        switch error {
        case let e as CoreError:
            var extra: [String: JSONTree] = [:]
            if case .conflict(let list) = e { extra["conflicts_with"] = .array(list.map { .object(conflictJSON($0)) }) }
            if case .seriesConflicts(let map) = e {
                extra["conflicts_with"] = .array(map.keys.sorted().flatMap { d in
                    (map[d] ?? []).map { c -> JSONTree in var o = conflictJSON(c); o["occurrence_date"] = .string(d.description); return .object(o) }
                })
            }
            if case .staleVersion(_, _, let current) = e { extra["current_version"] = .integer(current) }
            let message = e.commandLineMessage(in: Session.opened?.state ?? StorageSession.opened?.state)
            return (ExitStatus.code(for: e.category), kindName(e.category), message, extra)
        case let e as StoreError:
            if case .core(let core) = e { return classify(core) }
            if case .busy = e { return (ExitStatus.busy, "busy", e.description, [:]) }
            if case .notFound = e { return (ExitStatus.ioError, "no_store", e.description + FrontdeskMain.noStoreHint, [:]) }
            return (ExitStatus.ioError, "io", e.description, [:])
        case let e as any StorageBackendFailure:
            // A database that went away, refused a statement or holds an unreadable row.
            return (ExitStatus.ioError, "io", e.description, [:])
        case let e as DeliveryError:
            switch e {
            case .alreadyRunning, .busy: return (ExitStatus.busy, "busy", e.description, [:])
            case .secretOnCommandLine: return (ExitStatus.usage, "usage", e.description, [:])
            case .invalidURL, .invalidInput: return (ExitStatus.invalidInput, "invalid_input", e.description, [:])
            case .unknownWebhook, .unknownToken, .noDeadLetter: return (ExitStatus.notFound, "not_found", e.description, [:])
            case .damaged, .io, .unsafeFile, .outbox: return (ExitStatus.ioError, "io", e.description, [:])
            case .store(let s): return classify(s)
            }
        case let e as CLIError:
            switch e {
            case .usage: return (ExitStatus.usage, "usage", e.description, [:])
            case .invalidInput: return (ExitStatus.invalidInput, "invalid_input", e.description, [:])
            case .io: return (ExitStatus.ioError, "io", e.description, [:])
            case .notPermitted: return (ExitStatus.notPermitted, "not_permitted", e.description, [:])
            }
        default:
            // ArgumentParser knows its own errors: an unknown option, a missing value or a failed
            // `validate()` is a usage error (`validationFailure`), `--help` or `--version` a
            // successful exit; anything else is ours and unexpected.
            let code = FrontdeskCommand.exitCode(for: error)
            if code == .validationFailure || code == .success {
                return (ExitStatus.usage, "usage", FrontdeskCommand.fullMessage(for: error), [:])
            }
            return (ExitStatus.internalError, "internal", "\(error)", [:])
        }
    }

    static func kindName(_ c: CoreError.Category) -> String {
        switch c {
        case .invalidInput: "invalid_input"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .staleVersion: "stale_version"
        case .policy: "policy"
        case .idempotency: "idempotency_key_reused"
        case .notPermitted: "not_permitted"
        }
    }

    static func conflictJSON(_ c: ConflictingBooking) -> [String: JSONTree] {
        ["id": .string(c.id.rawValue), "ref": .string(c.ref), "resource": .string(c.resource.rawValue), "resource_name": .string(c.resourceName),
         "start": .string(c.range.start.iso8601), "end": .string(c.range.end.iso8601), "status": .string(c.status.rawValue),
         "customer_name": .string(c.customerName), "held_by": .string(c.heldBy)]
    }

    /// Where the subcommand name stands, skipping root options and their values.
    static func subcommandIndex(in arguments: [String]) -> Int? {
        let names = Set(FrontdeskCommand.configuration.subcommands.compactMap { $0.configuration.commandName })
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if ["--data", "--date", "--theme"].contains(a) { i += 2; continue }
            if a.hasPrefix("-") { i += 1; continue }
            return names.contains(a) ? i : nil
        }
        return nil
    }
}
