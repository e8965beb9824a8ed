import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk status [--json] [--verify]`: the store's health at a glance, for people, cron
/// and monitoring; exits 9 when something needs attention and 74 when the store is damaged,
/// listing every reason (``HealthReport``).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The store's health at a glance; exit 9 when something needs attention, 74 when damaged.",
        discussion: """
        Size, journal since the last compaction, last compaction, oldest kept event segment and the retention pin, \
        the deliverer's lag and failed deliveries, idempotency keys, disk space left, whether roles are enforced, \
        store format and last record. Reads manifests, listings and the journal tail, not every file: --verify adds \
        the full check (as frontdesk check). Exit 0 healthy; 9 needs attention (failed deliveries, deliverer lagging, \
        journal far past compaction, disk nearly full, unreadable retention pin or delivery state); 74 damaged. \
        Every reason is listed, in --json as "reasons".
        """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Also verify every file, as frontdesk check does (reads the whole store).") var verify = false
    @Option(help: ArgumentHelp("Journal records the deliverer may be behind before it counts as lagging.", valueName: "records"))
    var maxLag: UInt64 = 1000
    @Option(help: ArgumentHelp("Journal records since the last compaction before that needs attention.", valueName: "records"))
    var maxJournal: UInt64 = 1024
    @Option(help: ArgumentHelp("Least free space on the store's file system, in per cent.", valueName: "percent"))
    var minFree: Double = 5

    func run() throws {
        guard minFree >= 0, minFree <= 100 else { throw CLIError.invalidInput(field: "min-free", message: "must be a percentage from 0 to 100") }
        let session = try Session.open(global, for: .readStatus)
        let dir = try global.dataDirectory
        let store = session.store.status()
        let report = HealthReport(
            directory: dir, store: store, delivery: HealthReport.delivery(in: dir),
            disk: HealthReport.disk(at: dir), sharing: StoreSharing.inspect(directory: dir).mode,
            limits: HealthReport.Limits(maxLag: maxLag, maxJournalRecords: maxJournal, minFreePercent: minFree),
            check: verify ? session.store.check() : nil)
        if global.json { Console.out(Format.json(report.json)) } else { for l in report.lines { Console.out(l) } }
        let code = report.exitStatus
        if code != 0 { throw ExitCode(code) }
    }
}
