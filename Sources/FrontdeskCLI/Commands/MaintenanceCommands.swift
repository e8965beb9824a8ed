import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskSystem
import FrontdeskTUI

/// `frontdesk check`: say how the store is shared (private, group, enforced; and who can
/// write its files directly), then verify every file, checksum and sequence number.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Say how the store is shared, verify its files and report.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
        let session = try Session.open(global, for: .checkStore)
        let report = session.store.check()
        // Who can reach the files comes first: it says whether roles can be enforced at all.
        let sharing = StoreSharing.inspect(directory: try global.dataDirectory)
        let lines = sharing.lines + report.lines
        let warnings = sharing.warnings + report.warnings
        if global.json {
            Console.out(Format.json(JSONTree.object([
                "ok": .string(report.ok ? "true" : "false"), "report": .string(lines.joined(separator: "\n")),
                "mode": .string(sharing.mode.rawValue), "sharing": sharing.json,
            ])))
        } else {
            for l in lines { Console.out(l) }
            Console.out(report.ok ? (warnings > 0 ? "OK (\(warnings) warnings)" : "OK") : "DAMAGED")
        }
        if !report.ok { throw ExitCode(ExitStatus.ioError) }
    }
}

/// `frontdesk repair`: rebuild a damaged store from what verifies and quarantine the rest.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair", abstract: "Rebuild a damaged store from what verifies; damaged files go to quarantine/.",
        discussion: "Prints every booking that could not be recovered. --dry-run prints the plan and changes nothing.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the plan without changing anything.") var dryRun = false
    func run() throws {
        let session = try Session.open(global, for: .repair)
        let report = try session.store.repair(dryRun: dryRun)
        if global.json {
            let out: JSONTree = ["repaired": .bool(report.repaired), "dry_run": .bool(dryRun), "plan": report.plan.json,
                                 "unrecoverable": report.unrecoverable.json]
            Console.out(Format.json(out))
            return
        }
        for l in report.plan { Console.out((dryRun ? "would " : "") + l) }
        if report.unrecoverable.isEmpty {
            Console.out("Nothing was lost.")
        } else {
            Console.out("Could not be recovered (\(report.unrecoverable.count)):")
            for l in report.unrecoverable { Console.out("  " + l) }
        }
        if report.repaired { Console.out("Repaired; run `frontdesk check` to verify.") }
    }
}

/// `frontdesk compact`: fold the journal into a new snapshot generation.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compact", abstract: "Write a new snapshot and start a fresh journal.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
        let session = try Session.open(global, for: .compact)
        try session.store.compact()
        if global.json { Console.out(Format.json(["compacted_through": String(session.store.lastSequence)])) }
        else { Console.out("Compacted through record \(session.store.lastSequence).") }
    }
}

/// `frontdesk events`: the domain events recorded with each change.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Print lifecycle events as JSON lines.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only events of records after this sequence number.") var since: UInt64 = 0
    @Flag(help: "Keep waiting for new events.") var follow = false

    /// One line of output; what an event does not carry (booking, waitlist entry, slot) is
    /// left out.
    static func line(seq: UInt64, _ e: DomainEvent, state: BookingState) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["seq"] = .integer(seq)
        o["id"] = .string(e.id)
        o["type"] = .string(e.type.rawValue)
        o["created_at"] = .string(e.at.iso8601)
        o["actor"] = .string(e.actor.user)
        o["origin"] = .string(e.actor.origin)
        o["source"] = .string(e.actor.source.rawValue)
        o["booking"] = e.booking.map { BookingJSON($0, state: state).json }
        o["waitlist_entry"] = .optional(e.waitlistEntry?.id.rawValue)
        o["slot_resource"] = .optional(e.slot?.resource.rawValue)
        o["slot_start"] = .optional(e.slot?.range.start.iso8601)
        o["slot_end"] = .optional(e.slot?.range.end.iso8601)
        o["change"] = e.change.map(HistoryJSON.object)
        if let l = e.ledgerEntry, let b = e.booking { o["ledger_entry"] = MoneyOutput.entry(l, booking: b) }
        return .object(o)
    }

    func run() throws {
        let session = try Session.open(global, for: .readEvents)
        try session.store.requireComplete()
        var cursor = since
        func flush() throws {
            let state = session.store.state
            var out = ""
            for (seq, e) in try session.store.events(after: cursor) {
                out += Format.json(Self.line(seq: seq, e, state: state)) + "\n"
                cursor = seq
            }
            if !out.isEmpty { StandardStream.output.write(out) }
        }
        try flush()
        guard follow else { return }
        let wake = Wakeup()
        let sub = session.store.subscribe { wake.signal() }
        defer { withExtendedLifetime(sub) {} }
        while true {
            wake.wait(timeout: 1)
            _ = try session.store.refresh()
            try flush()
        }
    }
}
