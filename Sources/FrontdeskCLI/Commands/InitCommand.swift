import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk init [--group NAME] [--demo]`: a private store (0700, files 0600) unless
/// `--group` names the group of staff who share it (02770, files 0660 in that group).
///
/// The creator is the store's admin. With `--group`, the group's members are granted `desk`:
/// they share the store to work the front desk; the admin changes that with `staff add --group`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a store in the data directory.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Fill it with realistic sample data around today.") var demo = false
    @Option(help: "Share the store with this group (you must be a member): directories 02770 and files 0660 in it. Without it the store is private to you (0700, files 0600).")
    var group: String?
    @Option(help: "The store's currency (ISO 4217: GBP, EUR, USD, JPY, BHD, …); amounts are kept in its minor units.")
    var currency: String?

    func run() throws {
        if DatabaseSchema.isDatabaseURL(global.store) {
            // A PostgreSQL store: init creates its schema; the rest of init is for directories.
            if demo || group != nil || currency != nil {
                throw CLIError.usage("init --data postgresql://… creates the schema only: --demo, --group and --currency are for a data directory")
            }
            return try DatabaseSchema.run(.migrate, url: global.store ?? "", json: global.json, verb: "Created")
        }
        let dir = try global.dataDirectory
        // Checked before the store exists, so a typo leaves no store behind.
        if let currency, FrontdeskCore.Currency(code: currency.trimming(.whitespaces)) == nil {
            throw CLIError.invalidInput(field: "--currency", message: MoneyError.unknownCurrency(code: currency).description)
        }
        let clock = Session.clock
        var options = Session.storeOptions(user: Session.currentActor(source: .cli).user)
        if let group { options.group = try InitCommand.groupID(group) }
        if SecureExecution.isActive { try InitCommand.checkEnforcedLayout(group: options.group) }
        try Session.createParentDirectories(of: dir)
        let store = try Store.create(at: dir, clock: clock, options: options)
        var summary = "Created store in \(dir) (you, \(options.user), are its admin"
        if let group {
            let actor = Session.currentActor(source: .cli)
            _ = try store.write("init --group", .directory) { state, engine throws(CoreError) in
                try engine.setStaff(.group(group), role: .desk, in: state, by: actor)
            }
            summary += "; members of group \(group) are desk"
        }
        summary += ")"
        if let currency {
            let actor = Session.currentActor(source: .cli)
            let c = try store.write("init --currency", .directory) { state, engine throws(CoreError) in
                try engine.setCurrency(currency, in: state, by: actor)
            }
            summary += " in \(c.code)"
        }
        if demo {
            let n = try DemoSeeder.seed(store, actor: Session.currentActor(source: .cli))
            summary += " with demo data (\(store.state.resources.count) resources, \(n) bookings)"
        }
        if global.json {
            Console.out(Format.json(["data": dir, "resources": String(store.state.resources.count)]))
        } else {
            Console.out(summary)
        }
    }
}

extension InitCommand {
    /// In a secure execution: the store must be shared with the group the binary is setgid to,
    /// which ``groupID(_:)`` has already checked the real user belongs to (or is root).
    static func checkEnforcedLayout(group: UInt32?) throws {
        let binaryGroup = UInt32(getegid())
        let name = getgrgid(gid_t(binaryGroup)).map { String(cString: $0.pointee.gr_name) } ?? String(binaryGroup)
        guard group == binaryGroup else {
            throw CLIError.notPermitted("the setgid frontdesk creates only stores shared with its group: run it as root or a member of \(name) with --group \(name)")
        }
    }

    /// The id of group `name`, which the real user must belong to (root may name any group).
    ///
    /// Real ids, not effective ones: the setgid `frontdesk` has its group as the effective
    /// group whoever runs it.
    static func groupID(_ name: String) throws -> UInt32 {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 1 << 16)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
            throw CLIError.invalidInput(field: "--group", message: "no group named \"\(name)\" on this host")
        }
        let gid = entry.gr_gid
        if getuid() == 0 || getgid() == gid { return UInt32(gid) }
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        let n = getgroups(count, &groups)
        guard n >= 0, groups.prefix(Int(n)).contains(gid) else {
            throw CLIError.invalidInput(field: "--group", message: "you are not a member of group \"\(name)\"; only its members can share a store with it")
        }
        return UInt32(gid)
    }
}

enum DemoSeeder {
    static func seed(_ store: Store, actor: Author) throws -> Int {
        let zone = Session.displayZone
        return try store.write("init --demo", .directory) { state, engine throws(CoreError) in
            let base = try DemoData.plan(in: state, engine: engine, actor: actor, zone: zone)
            var working = state
            working.apply(base.transaction)
            let catalog = try DemoData.planCatalog(in: working, engine: engine, actor: actor)
            return Planned(transaction: Transaction.combining([base.transaction, catalog.transaction]), value: base.value)
        }
    }
}
