#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore

/// What `frontdesk status` reports: the store's facts (``StoreStatus``), the deliverer's,
/// the disk's and the sharing mode, and every reason the store needs attention.
///
/// A reason is *damage* (the store's own files: journal records missing, a generation that
/// does not verify, a consumer that read past the journal's end, a failed `--verify`: exit 74)
/// or *attention* (exit 9): failed deliveries, a lagging deliverer, a journal far past
/// compaction, little disk space, a pin or delivery state that cannot be read.
struct HealthReport {
    /// Limits past which a fact becomes a reason.
    struct Limits {
        /// Journal records the deliverer may be behind.
        var maxLag: UInt64 = 1000
        /// Journal records since the generation in use (the store compacts every 256).
        var maxJournalRecords: UInt64 = 1024
        /// Least free space, in per cent of the file system.
        var minFreePercent: Double = 5
    }

    /// One reason the store needs attention.
    struct Reason {
        /// A stable name for scripts (`failed_deliveries`, `damaged`, …).
        let code: String
        let message: String
        /// True for damage (exit 74), false for attention (exit 9).
        let damage: Bool
    }

    /// The deliverer's side: its state file, what is configured.
    struct Delivery {
        /// Whether anything delivers from this store: a state file, a webhook or a hook exists.
        var inUse = false
        var stateFileExists = false
        var cursor: UInt64?
        var queued = 0
        var retrying = 0
        var deadLetters = 0
        var webhooks = 0
        var hooks = 0
        /// Why a delivery file could not be read.
        var problems: [String] = []
    }

    /// The file system holding the store (`statvfs`).
    struct Disk {
        var available: Int64
        var total: Int64
        var freePercent: Double { total > 0 ? Double(available) * 100 / Double(total) : 100 }
    }

    let directory: String
    let store: StoreStatus
    let delivery: Delivery
    let disk: Disk?
    let sharing: StoreSharing.Mode
    let limits: Limits
    /// The full check's report when `--verify` asked for one.
    let check: CheckReport?
    let options = StoreOptions()

    /// Everything that needs attention, damage first.
    var reasons: [Reason] {
        var out: [Reason] = []
        func damaged(_ m: String) { out.append(Reason(code: "damaged", message: m, damage: true)) }
        if let missing = store.missingRecords { damaged(missing) }
        if let why = store.readOnlyReason, store.damage.isEmpty { damaged("the store refuses writes: \(why)") }
        for u in store.unusableGenerations { damaged(u) }
        for u in store.unreadable { damaged(u) }
        if let cursor = delivery.cursor, cursor > store.lastSequence {
            damaged("the deliverer has read records through \(cursor), but the journal ends at record \(store.lastSequence): records \(store.lastSequence + 1)…\(cursor) are missing")
        }
        if let check, !check.ok {
            for l in check.lines where l.hasPrefix("FAIL") { damaged(l) }
            if !check.lines.contains(where: { $0.hasPrefix("FAIL") }) { damaged("check failed") }
        }
        if delivery.deadLetters > 0 {
            out.append(Reason(code: "failed_deliveries", message: "\(delivery.deadLetters) deliveries failed for good (dead letters): frontdesk deliveries --failed, then frontdesk redeliver EVENT", damage: false))
        }
        if delivery.inUse, let lag = lag, lag > limits.maxLag {
            out.append(Reason(code: "deliverer_lagging", message: "the deliverer is \(lag) journal records behind (more than \(limits.maxLag)): is frontdesk deliver --follow running?", damage: false))
        }
        for p in delivery.problems { out.append(Reason(code: "delivery_state", message: p, damage: false)) }
        if store.journalRecords > limits.maxJournalRecords {
            out.append(Reason(code: "journal_long", message: "\(store.journalRecords) journal records since the last compaction (more than \(limits.maxJournalRecords)): compactions are failing or skipped; run frontdesk compact", damage: false))
        }
        if let disk, disk.freePercent < limits.minFreePercent {
            out.append(Reason(code: "disk_low", message: "\(HealthReport.bytes(disk.available)) free on the store's file system, \(HealthReport.percent(disk.freePercent)) (less than \(HealthReport.percent(limits.minFreePercent)))", damage: false))
        }
        if let p = store.retentionPinProblem {
            out.append(Reason(code: "retention_pin", message: "\(p): events/ is not pruned", damage: false))
        }
        return out
    }

    /// Journal records after the deliverer's cursor (a deliverer that never ran: every record).
    var lag: UInt64? {
        guard delivery.inUse else { return nil }
        let cursor = delivery.cursor ?? 0
        return store.lastSequence > cursor ? store.lastSequence - cursor : 0
    }

    /// The exit status: 74 for damage, 9 for attention, else 0.
    var exitStatus: Int32 {
        let r = reasons
        if r.contains(where: \.damage) { return ExitStatus.ioError }
        return r.isEmpty ? ExitStatus.success : ExitStatus.needsAttention
    }

    /// Bytes of the generation in use, the journal and `events/` (older generations share
    /// most of their files with it by hard link and are not counted).
    var sizeBytes: Int64 { store.generationBytes + store.journalBytes + store.eventBytes }

    // MARK: Output

    /// The report as lines of text, then its verdict.
    var lines: [String] {
        var out: [String] = []
        out.append("store        \(directory): format \(store.format), last record \(store.lastSequence), \(HealthReport.bytes(sizeBytes))")
        out.append("snapshot     generation \(store.generation) through record \(store.generationLastSequence), \(HealthReport.bytes(store.generationBytes)), written \(HealthReport.time(store.generationWrittenAt))")
        out.append("journal      \(store.journalRecords) records since the last compaction, \(HealthReport.bytes(store.journalBytes)) in \(store.journalSegments) segment\(store.journalSegments == 1 ? "" : "s")")
        if let first = store.oldestEventSequence {
            out.append("events       \(store.eventSegments) segment\(store.eventSegments == 1 ? "" : "s"), \(HealthReport.bytes(store.eventBytes)); oldest from record \(first), written \(HealthReport.time(store.oldestEventWrittenAt))")
        } else {
            out.append("events       none kept")
        }
        out.append("retention    events/ kept \(options.eventRetention.seconds / 86_400) days (at least \(options.keepEventSegments) segments) and until every consumer has read them; " +
                   (store.retentionPin.map { "pinned from record \($0)" } ?? "no pin"))
        if delivery.inUse {
            out.append("delivery     cursor \(delivery.cursor.map(String.init) ?? "none (never run)"), \(lag ?? 0) records behind, \(delivery.queued) queued (\(delivery.retrying) retrying), \(delivery.deadLetters) failed; \(delivery.webhooks) webhooks, \(delivery.hooks) hooks")
        } else {
            out.append("delivery     not in use (no webhooks, hooks or delivery state)")
        }
        let keys = store.idempotencyKeysEstimate.map { "about \($0) keys" } ?? "keys not counted"
        out.append("idempotency  \(keys) in \(store.idempotencyShards) shards (\(HealthReport.bytes(store.idempotencyBytes))), \(store.idempotencyKeysInJournal) in the journal")
        if let disk {
            out.append("disk         \(HealthReport.bytes(disk.available)) free of \(HealthReport.bytes(disk.total)) (\(HealthReport.percent(disk.freePercent)))")
        }
        out.append("roles        \(HealthReport.rolesPhrase(sharing))")
        out.append("verified     " + (check == nil ? "manifest, reference files and journal since the snapshot (frontdesk status --verify reads every file)" : "every file (check)"))
        for n in store.notices { out.append("note         \(n)") }
        let r = reasons
        if r.isEmpty {
            out.append("OK")
        } else {
            out.append(r.contains(where: \.damage) ? "DAMAGED" : "ATTENTION")
            for reason in r { out.append("  \(reason.code): \(reason.message)") }
        }
        return out
    }

    static func rolesPhrase(_ mode: StoreSharing.Mode) -> String {
        switch mode {
        case .private: "private (one account)"
        case .group: "group, advisory (every member can write the files)"
        case .enforced: "enforced (setgid frontdesk)"
        }
    }

    /// `status --json`.
    var json: JSONTree {
        let r = reasons
        func int(_ v: some BinaryInteger) -> JSONTree { .integer(v) }
        func opt(_ v: UInt64?) -> JSONTree { v.map { .integer($0) } ?? .null }
        func time(_ t: Double?) -> JSONTree { t.map { .string(Instant(seconds: Int64($0)).iso8601) } ?? .null }
        var o: [String: JSONTree] = [:]
        o["ok"] = .bool(r.isEmpty)
        o["exit"] = int(exitStatus)
        o["reasons"] = .array(r.map { .object(["code": .string($0.code), "message": .string($0.message), "damage": .bool($0.damage)]) })
        o["store"] = .object(["directory": .string(directory), "format": int(store.format), "last_sequence": int(store.lastSequence),
                              "size_bytes": int(sizeBytes), "generations_on_disk": int(store.generationsOnDisk)])
        o["snapshot"] = .object(["generation": int(store.generation), "last_sequence": int(store.generationLastSequence),
                                 "bytes": int(store.generationBytes), "written_at": time(store.generationWrittenAt)])
        o["journal"] = .object(["records_since_compaction": int(store.journalRecords), "bytes": int(store.journalBytes),
                                "segments": int(store.journalSegments), "last_compaction": time(store.generationWrittenAt)])
        o["events"] = .object(["segments": int(store.eventSegments), "bytes": int(store.eventBytes),
                               "oldest_sequence": opt(store.oldestEventSequence), "oldest_written_at": time(store.oldestEventWrittenAt)])
        o["retention"] = .object(["event_days": int(options.eventRetention.seconds / 86_400), "keep_event_segments": int(options.keepEventSegments),
                                  "pin_retain_from": opt(store.retentionPin), "pin_problem": store.retentionPinProblem.map { .string($0) } ?? .null])
        o["delivery"] = .object(["in_use": .bool(delivery.inUse), "cursor": opt(delivery.cursor), "records_behind": opt(lag),
                                 "queued": int(delivery.queued), "retrying": int(delivery.retrying), "dead_letters": int(delivery.deadLetters),
                                 "webhooks": int(delivery.webhooks), "hooks": int(delivery.hooks)])
        o["idempotency"] = .object(["shards": int(store.idempotencyShards), "bytes": int(store.idempotencyBytes),
                                    "estimated_keys": store.idempotencyKeysEstimate.map { .integer($0) } ?? .null,
                                    "keys_in_journal": int(store.idempotencyKeysInJournal)])
        o["disk"] = disk.map { .object(["available_bytes": int($0.available), "total_bytes": int($0.total), "free_percent": .number(HealthReport.decimal($0.freePercent))]) } ?? .null
        o["roles"] = .object(["mode": .string(sharing.rawValue), "enforced": .bool(sharing == .enforced)])
        o["verified"] = .string(check == nil ? "open" : "full")
        o["notices"] = .array(store.notices.map { .string($0) })
        return .object(o)
    }

    // MARK: Gathering

    /// The deliverer's facts from its files in `directory` (none is written).
    static func delivery(in directory: String) -> Delivery {
        var d = Delivery()
        var st = stat()
        d.stateFileExists = lstat(DeliveryState.path(in: directory), &st) == 0
        do {
            let s = try DeliveryState.load(directory: directory)
            if d.stateFileExists { d.cursor = s.cursor }
            d.queued = s.queue.count
            d.retrying = s.queue.filter { $0.attempts > 0 }.count
            d.deadLetters = s.deadLetters.count
        } catch {
            d.problems.append("the deliverer's state cannot be read: \(error)")
        }
        do { d.webhooks = try WebhookRegistry(directory: directory).load().endpoints.count } catch {
            d.problems.append("the webhook list cannot be read: \(error)")
        }
        let hooks = directory + "/hooks"
        if lstat(hooks, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            d.hooks = ((try? FileManager.default.contentsOfDirectory(atPath: hooks)) ?? []).filter { !$0.hasPrefix(".") }.count
        }
        d.inUse = d.stateFileExists || d.webhooks > 0 || d.hooks > 0 || !d.problems.isEmpty
        return d
    }

    /// Free and total space of the file system holding `directory`.
    static func disk(at directory: String) -> Disk? {
        var v = statvfs()
        guard statvfs(directory, &v) == 0 else { return nil }
        let unit = Int64(v.f_frsize)
        return Disk(available: Int64(v.f_bavail) * unit, total: Int64(v.f_blocks) * unit)
    }

    // MARK: Words

    /// "812 B", "1.2 KiB", "3.4 MiB", "5.6 GiB".
    static func bytes(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return decimal(v) + " " + units[i]
    }

    static func percent(_ p: Double) -> String { decimal(p) + " %" }

    /// One decimal place, without Foundation's formatters.
    static func decimal(_ v: Double) -> String {
        let tenths = Int64((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    static func time(_ t: Double?) -> String {
        t.map { Instant(seconds: Int64($0)).iso8601 } ?? "unknown"
    }
}
