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
        canonical documents' SHA-256 digests in id order) must match. Both stores are read in batches, not \
        whole. Run it again after an interruption: it completes the target. A target holding other data is \
        refused (exit 65) and left unchanged.
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

        let read: ObjectStream = fromURL ? try databaseStream(from, engine: engine)
                                         : try directoryStream(from, clock: clock, liveSince: liveSince)
        defer { read.close() }
        let outcome: Outcome
        if toURL {
            outcome = try fillDatabase(to, from: read, engine: engine, liveSince: liveSince)
        } else {
            outcome = try fillDirectory(to, from: read, clock: clock, liveSince: liveSince)
        }
        let source = outcome.source, sourceName = read.name
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

    /// A store read a batch at a time (``StoreInventory`` and the writers take batches).
    struct ObjectStream {
        /// Where it is, as messages name it.
        var name: String
        /// Calls its argument with every object, a batch at a time.
        var forEachBatch: (([Mutation]) throws -> Void) throws -> Void
        /// Ends the read (closes the connection).
        var close: () -> Void = {}

        /// The inventory of every object.
        func inventory(liveSince: Instant) throws -> StoreInventory {
            var inventory = StoreInventory(liveSince: liveSince)
            try forEachBatch { try inventory.add(contentsOf: $0) }
            inventory.finish()
            return inventory
        }
    }

    /// What a migration did: both inventories, where the target is, objects written and
    /// objects that were there already.
    struct Outcome {
        var source: StoreInventory
        var target: StoreInventory
        var name: String
        var written: Int
        var present: Int
    }

    func databaseStream(_ url: String, engine: BookingEngine) throws -> ObjectStream {
        let db = try openDatabase(url, engine: engine)
        return ObjectStream(name: db.location, forEachBatch: { body in
            try onDatabase(db.location) { try db.forEachObjectBatch(body) }
        }, close: { db.close() })
    }

    /// A data directory read in batches; the account needs the role that may back it up.
    func directoryStream(_ dir: String, clock: any WallClock, liveSince: Instant) throws -> ObjectStream {
        guard FileManager.default.fileExists(atPath: dir) else { throw StoreError.notFound(path: dir) }
        let actor = Session.currentActor(source: .cli)
        let store = try Store.open(at: dir, clock: clock, options: Session.storeOptions(user: actor.user))
        try Access.authorize(actor, store.processAccess(), .backup)
        return ObjectStream(name: dir, forEachBatch: { body in try store.forEachObjectBatch(liveKeysSince: liveSince, body) })
    }

    /// Writes into the database what it lacks of the source. An empty database is filled as
    /// the source is read, in one pass; one that holds objects already (an interrupted run)
    /// is checked against the whole source first, then the source is read again for what is
    /// missing. Either way the database is read again at the end for the comparison.
    func fillDatabase(_ url: String, from read: ObjectStream, engine: BookingEngine, liveSince: Instant) throws -> Outcome {
        let db = try openDatabase(url, engine: engine)
        defer { db.close() }
        let target = ObjectStream(name: db.location, forEachBatch: { body in try onDatabase(db.location) { try db.forEachObjectBatch(body) } })
        let existing = try target.inventory(liveSince: liveSince)
        var written = 0
        func write(_ objects: [Mutation]) throws {
            guard !objects.isEmpty else { return }
            let before = written
            try onDatabase(db.location) {
                try db.insert(objects, batchSize: batch) { n in Console.err("migrate: \(before + n) objects written") }
            }
            written += objects.count
        }
        // The source's batches (a customer shard may hold a handful) are gathered into
        // transactions of about `batch` objects; the kinds stay in the order they were read.
        var pending: [Mutation] = []
        func gather(_ objects: [Mutation]) throws {
            pending += objects
            if pending.count >= batch {
                try write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        var source = StoreInventory(liveSince: liveSince)
        if existing.count == 0 {
            try read.forEachBatch { try gather(try source.add(contentsOf: $0)) }
            source.finish()
        } else {
            source = try read.inventory(liveSince: liveSince)
            let missing = try source.missingCount(from: existing, location: db.location)
            if missing > 0 {
                try read.forEachBatch { batch in try gather(batch.filter { source.isMissing($0, from: existing) }) }
            }
        }
        try write(pending)
        return Outcome(source: source, target: try target.inventory(liveSince: liveSince), name: db.location, written: written,
                       present: existing.count)
    }

    /// Builds the store in `DIR.migrating` and renames it onto `dir` (absent or empty); a
    /// store already at `dir` is compared, never written.
    ///
    /// The new store is written as one snapshot generation from the source's objects, which
    /// are held in memory for it (the reading and the comparisons are in batches).
    func fillDirectory(_ dir: String, from read: ObjectStream, clock: any WallClock, liveSince: Instant) throws -> Outcome {
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
                let existing = try Self.inventory(of: store, liveSince: liveSince)
                let source = try read.inventory(liveSince: liveSince)
                guard try source.missingCount(from: existing, location: dir) == 0 else {
                    throw CLIError.invalidInput(field: "to", message: "\(dir) holds a store with only part of the source; nothing was changed. migrate writes into a new empty directory")
                }
                return Outcome(source: source, target: existing, name: dir, written: 0, present: existing.count)
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
        var source = StoreInventory(liveSince: liveSince)
        var objects: [Mutation] = []
        try read.forEachBatch { objects += try source.add(contentsOf: $0) }
        source.finish()
        try Session.createParentDirectories(of: partial)
        do {
            let store = try Store.create(at: partial, clock: clock, options: Session.storeOptions(user: user))
            try store.replaceContent(with: objects)
            store.waitForBackgroundWork()
        }
        let written = objects.count
        objects = []
        if rename(partial, trimmed) != 0 {
            throw CLIError.io(path: dir, message: "cannot move the migrated store from \(partial) into place: \(String(cString: strerror(errno)))")
        }
        let store = try Store.open(at: trimmed, clock: clock, options: Session.storeOptions(user: user))
        return Outcome(source: source, target: try Self.inventory(of: store, liveSince: liveSince), name: dir, written: written, present: 0)
    }

    /// The inventory of a data directory, read in batches.
    static func inventory(of store: Store, liveSince: Instant) throws -> StoreInventory {
        try ObjectStream(name: "", forEachBatch: { body in try store.forEachObjectBatch(liveKeysSince: liveSince, body) })
            .inventory(liveSince: liveSince)
    }
}
