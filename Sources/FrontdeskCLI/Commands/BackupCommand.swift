import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk backup DEST [--incremental] [--encrypt-to KEYFILE]`: an online, verified copy of
/// the whole store into a new directory inside DEST.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the whole store, while desks keep writing, into a new verified backup in DEST.",
        discussion: """
        Each backup is a directory DEST/<last record>-<NNN> (0700, files 0600) with backup.json listing every file \
        and its checksum. --incremental copies only what the newest backup in DEST lacks (hard links where it \
        can); restoring it needs that chain. --encrypt-to writes DEST/<name>.tar.gpg instead, encrypted with gpg \
        to the public key in KEYFILE (full backups only). The backup is restored into a scratch store and checked \
        before it is kept.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Directory that holds the backups (created 0700 if missing).") var destination: String
    @Flag(help: "Copy only what the newest backup in DEST lacks.") var incremental = false
    @Option(help: ArgumentHelp("Encrypt with gpg to the public key in this file (a full backup as one .tar.gpg).", valueName: "KEYFILE"))
    var encryptTo: String?

    func run() throws {
        try CallerFiles.refuseInSecureExecution("backup DEST", instead: "run backups as the store's service account (the backup timer)")
        if incremental, encryptTo != nil {
            throw CLIError.invalidInput(field: "encrypt-to", message: "an encrypted backup is one archive, so it cannot continue another: take full backups with --encrypt-to, or incremental ones without")
        }
        let session = try Session.open(global, for: .backup)
        let report: BackupReport
        var archive: String?
        if let key = encryptTo {
            let sealed = try BackupEncryption.encryptedBackup(of: session.store, into: destination, publicKey: key)
            report = sealed.report
            archive = sealed.archive
        } else {
            report = try session.store.backup(to: destination, incremental: incremental)
        }
        if global.json {
            let o: [String: JSONTree] = [
                "path": .string(archive ?? report.path), "name": .string(report.name), "previous": .string(report.previous),
                "incremental": .bool(report.previous != nil), "last_sequence": .integer(report.lastSequence),
                "first_sequence": .integer(report.firstSequence), "generations": .array(report.generations.map { .integer($0) }),
                "files_written": .integer(report.filesWritten), "files_linked": .integer(report.filesLinked),
                "bytes_written": .integer(report.bytesWritten), "created_at": .string(report.createdAt.iso8601),
                "verified": .bool(report.check.ok), "encrypted": .bool(archive != nil),
            ]
            Console.out(Format.json(JSONTree.object(o)))
            return
        }
        let kind = report.previous.map { "incremental (after \($0))" } ?? "full"
        Console.out("Backed up through record \(report.lastSequence) to \(archive ?? report.path): \(kind).")
        let generations = report.generations.isEmpty ? "no new generation" : "generations " + report.generations.map(String.init).joined(separator: ", ")
        Console.out("\(report.filesWritten) files written (\(report.bytesWritten) bytes), \(report.filesLinked) hard-linked from earlier backups; \(generations).")
        Console.out("Verified: restored into a scratch store and checked (\(report.check.warnings) warnings).")
        if archive != nil { Console.out("Encrypted with gpg; restore with `frontdesk restore \(archive!) DIR --decrypt-with SECRETKEYFILE`.") }
    }
}
