import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk migrate --from SOURCE --to TARGET`: moves a whole store between a data directory
/// and a PostgreSQL database, either way, and verifies the result by counts and checksums.
///
/// Idempotent: into PostgreSQL the objects go in batches, each its own transaction, and a
/// re-run after an interruption writes only what is missing; into a directory the store is
/// built beside it (`TARGET.migrating`) and renamed into place whole. A target that holds
/// anything that is not the source's, unchanged, is refused before anything is written.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Move a whole store between a data directory and PostgreSQL (--from … --to …).",
        discussion: """
        Moves settings, schedules, resources, services, customers, staff grants, the reference counters, the \
        waitlist, every booking (with its history and payments) and the idempotency keys still honoured. Audit \
        entries stay in the source. The target is an empty PostgreSQL store (frontdesk init --data postgresql://…) \
        or a new empty directory. Afterwards both sides are read again and each kind's count and SHA-256 (of its \
        canonical documents in id order) must match. Run it again after an interruption: it completes the \
        target. A target holding other data is refused (exit 65) and left unchanged.
        """)
    @Option(help: ArgumentHelp("The store to read: a data directory or postgresql://…", valueName: "dir|url")) var from: String
    @Option(help: ArgumentHelp("The store to fill: a new empty data directory or an initialised, empty postgresql://… store", valueName: "dir|url"))
    var to: String
    @Option(help: "Objects per transaction when writing into PostgreSQL.") var batch = 1000
    @Flag(name: .long, help: "Print machine-readable JSON.") var json = false

    func run() throws {
        guard batch >= 1 else { throw CLIError.invalidInput(field: "batch", message: "must be at least 1") }
        let fromURL = DatabaseSchema.isDatabaseURL(from), toURL = DatabaseSchema.isDatabaseURL(to)
        if SecureExecution.isActive { throw CLIError.notPermitted("migrate is not available through the setgid installation; run it as the store's owner") }
        if (fromURL || toURL) && FrontdeskMain.openMigrationDatabase == nil { try DatabaseSchema.execDatabaseBinary() }
        let clock = Session.clock
        let engine = BookingEngine(clock: clock)
        let liveSince = clock.now() - engine.idempotencyRetention

        let (source, sourceName) = fromURL ? try readDatabase(from, engine: engine, liveSince: liveSince)
                                           : try readDirectory(from, clock: clock, liveSince: liveSince)
        let outcome: (target: StoreInventory, name: String, written: Int, present: Int)
        if toURL {
            outcome = try fillDatabase(to, with: source, engine: engine, liveSince: liveSince)
        } else {
            outcome = try fillDirectory(to, with: source, clock: clock, liveSince: liveSince)
        }
        if let difference = source.firstDifference(from: outcome.target) {
            throw CLIError.io(path: outcome.name, message: "the target does not match the source after migrating: \(difference)")
        }
        if json {
            let kinds: [JSONTree] = StoreInventory.kinds.map { k in
                let f = source.figures[k]!
                return .object(["kind": .string(k), "count": .integer(f.count), "sha256": .string(f.sha256)])
            }
            Console.out(JSONTree.object([
                "from": .string(sourceName), "to": .string(outcome.name), "written": .integer(outcome.written),
                "already_there": .integer(outcome.present), "verified": .bool(true), "kinds": .array(kinds),
            ]).text)
            return
        }
        Console.out(Format.safe("Migrated \(sourceName) -> \(outcome.name): \(outcome.written) objects written, \(outcome.present) there already."))
        Console.out(Format.table(["KIND", "COUNT", "SHA-256"], StoreInventory.kinds.map { k in
            [k, String(source.figures[k]!.count), source.figures[k]!.sha256]
        }))
        Console.out("Verified: every kind's count and SHA-256 are the same in both stores.")
    }

    /// Opens a PostgreSQL store through the hook.
    func openDatabase(_ url: String, engine: BookingEngine) throws -> any MigrationDatabase {
        guard let open = FrontdeskMain.openMigrationDatabase else { try DatabaseSchema.execDatabaseBinary() }
        do {
            return try open(url, engine)
        } catch let f as DatabaseSchema.Failure {
            throw f.isUsage ? CLIError.usage("\(url == from ? "--from" : "--to"): " + f.message)
                            : CLIError.io(path: url == from ? "--from" : "--to", message: f.message)
        }
    }

    /// Runs `body` on the database `name` names, its failures as the command line's errors.
    func onDatabase<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let f as DatabaseSchema.Failure { throw CLIError.io(path: name, message: f.message) }
    }

    func readDatabase(_ url: String, engine: BookingEngine, liveSince: Instant) throws -> (StoreInventory, String) {
        let db = try openDatabase(url, engine: engine)
        defer { db.close() }
        return (try StoreInventory(try onDatabase(db.location) { try db.everyObject() }, liveSince: liveSince), db.location)
    }

    /// Reads a data directory whole; the account needs the role that may back it up.
    func readDirectory(_ dir: String, clock: any WallClock, liveSince: Instant) throws -> (StoreInventory, String) {
        guard FileManager.default.fileExists(atPath: dir) else { throw StoreError.notFound(path: dir) }
        let actor = Session.currentActor(source: .cli)
        let store = try Store.open(at: dir, clock: clock, options: Session.storeOptions(user: actor.user))
        try Access.authorize(actor, store.processAccess(), .backup)
        return (try StoreInventory(try store.everyObject(liveKeysSince: liveSince), liveSince: liveSince), dir)
    }

    func fillDatabase(_ url: String, with source: StoreInventory, engine: BookingEngine,
                      liveSince: Instant) throws -> (target: StoreInventory, name: String, written: Int, present: Int) {
        let db = try openDatabase(url, engine: engine)
        defer { db.close() }
        let existing = try StoreInventory(try onDatabase(db.location) { try db.everyObject() }, liveSince: liveSince)
        let missing = try source.missing(from: existing, location: db.location)
        let total = missing.count
        if total > 0 {
            try onDatabase(db.location) { try db.insert(missing, batchSize: batch) { n in Console.err("migrate: \(n) of \(total) objects written") } }
        }
        return (try StoreInventory(try onDatabase(db.location) { try db.everyObject() }, liveSince: liveSince), db.location, total, existing.count)
    }

    /// Builds the store in `DIR.migrating` and renames it onto `dir` (absent or empty); a
    /// store already at `dir` is compared, never written.
    func fillDirectory(_ dir: String, with source: StoreInventory, clock: any WallClock,
                       liveSince: Instant) throws -> (target: StoreInventory, name: String, written: Int, present: Int) {
        let fm = FileManager.default
        let user = Session.currentActor(source: .cli).user
        var st = stat()
        if lstat(dir, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else { throw CLIError.invalidInput(field: "to", message: "\(dir) is not a directory") }
            if try !fm.contentsOfDirectory(atPath: dir).isEmpty {
                let store: Store
                do {
                    store = try Store.open(at: dir, clock: clock, options: Session.storeOptions(user: user))
                } catch {
                    throw CLIError.invalidInput(field: "to", message: "\(dir) is not empty and holds no store; migrate writes into a new empty directory")
                }
                let existing = try StoreInventory(try store.everyObject(liveKeysSince: liveSince), liveSince: liveSince)
                let missing = try source.missing(from: existing, location: dir)
                guard missing.isEmpty else {
                    throw CLIError.invalidInput(field: "to", message: "\(dir) holds a store with only part of the source; nothing was changed. migrate writes into a new empty directory")
                }
                return (existing, dir, 0, existing.count)
            }
        }
        let trimmed = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        let partial = trimmed + ".migrating"
        if fm.fileExists(atPath: partial) {
            // What an interrupted run left: a store being built (it has FORMAT) or nothing yet.
            let names = try fm.contentsOfDirectory(atPath: partial)
            guard names.isEmpty || names.contains("FORMAT") else {
                throw CLIError.invalidInput(field: "to", message: "\(partial) exists and is not a store being migrated; move it away first")
            }
            try fm.removeItem(atPath: partial)
        }
        try Session.createParentDirectories(of: partial)
        do {
            let store = try Store.create(at: partial, clock: clock, options: Session.storeOptions(user: user))
            try store.replaceContent(with: source.objects)
            store.waitForBackgroundWork()
        }
        if rename(partial, trimmed) != 0 {
            throw CLIError.io(path: dir, message: "cannot move the migrated store from \(partial) into place: \(String(cString: strerror(errno)))")
        }
        let store = try Store.open(at: trimmed, clock: clock, options: Session.storeOptions(user: user))
        let target = try StoreInventory(try store.everyObject(liveKeysSince: liveSince), liveSince: liveSince)
        return (target, dir, source.count, 0)
    }
}
