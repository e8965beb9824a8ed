import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk restore SRC DIR [--at TIME | --seq N]`: a new store from a backup (chain).
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Build a new store in DIR from a backup, optionally only up to a time or a record.",
        discussion: """
        SRC is a backup directory, a directory of backups (the newest is taken) or an encrypted .tar.gpg \
        (with --decrypt-with). Every checksum of the backup and of the backups it continues is verified first. \
        DIR must be missing or empty. --at TIME keeps exactly the changes committed at or before TIME; --seq N \
        those up to journal record N. The restored store is checked; your role in it must be manager or admin.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup: a backup directory, a directory of backups, or an encrypted archive.") var source: String
    @Argument(help: "The new store's directory (missing or empty).") var directory: String
    @Option(help: ArgumentHelp("Restore the state just before the first change after this time.", valueName: "TIME")) var at: String?
    @Option(help: ArgumentHelp("Restore the state just after journal record N.", valueName: "N")) var seq: UInt64?
    @Option(help: ArgumentHelp("gpg secret key file for an encrypted backup.", valueName: "KEYFILE")) var decryptWith: String?

    func run() throws {
        try CallerFiles.refuseInSecureExecution("restore SRC DIR", instead: "restore as the administrator, then install the store")
        if at != nil && seq != nil { throw CLIError.usage("give --at or --seq, not both") }
        let target: RestoreTarget
        if let at { target = .time(try InputParsing.instant(at, field: "at", zone: Session.displayZone)) }
        else if let seq { target = .sequence(seq) }
        else { target = .latest }
        let actor = Session.currentActor(source: .cli)
        var options = Session.storeOptions(user: actor.user)
        options.fileSystem = RealFileSystem()
        let authorize: (Store) throws(StoreError) -> Void = { (store: Store) throws(StoreError) in
            do throws(CoreError) { try Access.authorize(actor, store.processAccess(), .restore) } catch { throw .core(error) }
        }
        let report: RestoreReport
        if source.hasSuffix(".gpg") {
            guard let key = decryptWith else {
                throw CLIError.invalidInput(field: "decrypt-with", message: "\(Format.safe(source)) is encrypted: give the gpg secret key file with --decrypt-with")
            }
            report = try BackupEncryption.restoreEncrypted(source, secretKey: key, into: directory) { (backup: String) throws(StoreError) -> RestoreReport in
                try StoreRestore.restore(from: backup, into: directory, target: target, clock: Session.clock, options: options, authorize: authorize)
            }
        } else {
            report = try StoreRestore.restore(from: source, into: directory, target: target, clock: Session.clock, options: options, authorize: authorize)
        }
        if global.json {
            Console.out(Format.json(JSONTree.object([
                "path": .string(report.path), "last_sequence": .integer(report.lastSequence),
                "last_time": .string(report.lastTime?.iso8601), "generation": .integer(report.generation),
                "replayed": .integer(report.replayed), "bookings": .integer(report.bookings),
                "customers": .integer(report.customers), "resources": .integer(report.resources),
                "earliest_sequence": .integer(report.earliestSequence), "earliest_time": .string(report.earliestTime?.iso8601),
                "checked": .bool(report.check.ok),
            ])))
            return
        }
        let when = report.lastTime.map { ", committed \($0.iso8601)" } ?? ""
        Console.out("Restored into \(report.path) through record \(report.lastSequence)\(when).")
        Console.out("\(report.bookings) bookings, \(report.customers) customers, \(report.resources) resources (generation \(report.generation) + \(report.replayed) records).")
        Console.out("Checked: OK\(report.check.warnings > 0 ? " (\(report.check.warnings) warnings)" : "").")
    }
}
