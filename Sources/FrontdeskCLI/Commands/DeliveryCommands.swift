import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk deliver [--follow]`: hand journal events to hooks and webhooks.
struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver", abstract: "Deliver lifecycle events to hooks and webhooks (one deliverer per data directory).",
        discussion: """
        Reads events after the durable cursor, runs <data>/hooks/<event type> and <data>/hooks/all, POSTs signed \
        JSON to every matching webhook, retries failures with backoff and dead-letters them after the last retry. \
        Also emits reminder.due and expires lapsed holds. Without --follow it makes one pass and exits; a second \
        deliverer exits 75 naming the one running (with --follow it waits for it). See docs/EVENTS.md. On a \
        postgresql:// store, hooks/ and webhooks.json are in --config DIR and any number of deliverers may run \
        (docs/POSTGRES.md).
        """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Keep running: deliver new events as they are written and retry when due.") var follow = false
    @Option(help: ArgumentHelp("Seconds a hook may run before it is killed.", valueName: "seconds")) var hookTimeout: Double = 10
    @Option(help: ArgumentHelp("For a postgresql:// store: the directory holding hooks/, webhooks.json and the attempt log.", valueName: "dir"))
    var config: String?

    func run() throws {
        // Hooks would run as the calling user with the store group's access.
        if SecureExecution.isActive { throw DeliverCommand.refusedInSecureExecution }
        guard hookTimeout > 0 else { throw CLIError.invalidInput(field: "hook-timeout", message: "must be a positive number of seconds") }
        if DatabaseSchema.isDatabaseURL(global.data) { return try runOnDatabase() }
        if config != nil {
            throw CLIError.usage("--config is for a postgresql:// store; a data directory holds its own hooks/ and webhooks.json")
        }
        guard let makeTransport = FrontdeskMain.webhookTransport else { try DeliverCommand.execDeliverBinary() }
        let session = try Session.open(global, for: .manageWebhooks, source: .system)
        let dir = try global.dataDirectory
        let lock = try DelivererLock(directory: dir)
        if follow {
            try lock.wait(user: session.actor.user) { holder in Console.err("frontdesk: waiting: another deliverer is running (deliver.lock is \(holder))") }
        } else {
            try lock.acquire(user: session.actor.user)
        }
        defer { lock.release() }
        var options = DeliveryOptions()
        options.hookTimeout = hookTimeout
        let store = session.store
        let deliverer = try Deliverer(directory: dir, store: store, clock: session.clock, transport: SocketHTTPTransport(secure: makeTransport()),
                                      render: EventData.renderer(store), options: options)
        deliverer.checkpointObserver = FrontdeskMain.seams.deliveryObserver
        let report = try deliverer.runOnce()
        print(report)
        guard follow else { return }
        let wake = Wakeup()
        let sub = store.subscribe { wake.signal() }
        defer { withExtendedLifetime(sub) {} }
        while true {
            // Journal changes wake us at once; retries and the time-driven sweep at least every 15 s.
            let untilDue = deliverer.nextDue.map { Double(max(0, ($0 - session.clock.now()).seconds)) } ?? 15
            wake.wait(timeout: min(15, max(0.2, untilDue)))
            print(try deliverer.runOnce())
        }
    }

    /// Why the setgid `frontdesk` does not deliver, and who does.
    static let refusedInSecureExecution = CLIError.notPermitted(
        "deliver is not run through the setgid frontdesk: hooks would run as you with the store group's access. "
            + "Hooks and webhooks are delivered by a service account that is in the store's group, "
            + "running `frontdesk deliver --follow` (README, Sharing one data directory between staff)")

    /// Replaces this process with the deliverer `name` (`frontdesk-deliver`, installed beside
    /// `frontdesk`; a test host names its own; `frontdesk-deliver-postgres` for a URL), same arguments.
    static func execDeliverBinary(_ name: String = FrontdeskMain.seams.deliverExecutable) throws -> Never {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let dir = n > 0 ? Path.parent(of: String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) : "."
        let path = dir + "/" + name
        let argv = [path] + CommandLine.arguments.dropFirst()
        var cargs = argv.map { strdup($0) } + [nil]
        execv(path, &cargs)
        let reason = String(cString: strerror(errno))
        throw CLIError.io(path: path, message: "cannot start the webhook deliverer (\(reason)); it is built with `swift build -c release --product \(name)` and must sit beside frontdesk")
    }

    func print(_ report: PassReport) {
        for l in report.lines { Console.out(l) }
        if global.json {
            Console.out(Format.json(["delivered": report.delivered, "failed": report.failed, "dead_lettered": report.deadLettered,
                                     "queued": report.queued, "swept_events": report.sweptEvents, "requeued": report.requeued]))
        }
    }
}

/// `frontdesk webhook add|list|remove`.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhook", abstract: "Configure webhook endpoints.",
                                                    subcommands: [Add.self, List.self, Remove.self, Enable.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an endpoint that receives signed event POSTs.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "http:// or https:// URL.") var url: String
        @Option(help: ArgumentHelp("Comma-separated event types, or all.", valueName: "types")) var events = "all"
        @Option(help: ArgumentHelp("Read the shared secret for the Frontdesk-Signature HMAC from this file (its first line).", valueName: "path"))
        var secretFile: String?
        @Flag(help: "Read the shared secret from standard input (its first line).") var secretStdin = false
        @Option(help: .hidden) var secret: String?
        @Option(help: ArgumentHelp("For a postgresql:// store: the directory holding webhooks.json (its deliverers' --config).", valueName: "dir"))
        var config: String?
        func run() throws {
            // argv is readable by every user of the host: refused, with the ways that are not.
            if secret != nil { throw DeliveryError.secretOnCommandLine }
            let target = try WebhookCommand.configuration(global, config: config, for: .manageWebhooks)
            let types = try WebhookEndpoint.eventList(events)
            if secretFile != nil { try CallerFiles.refuseInSecureExecution("--secret-file", instead: "use --secret-stdin < FILE") }
            let key = try WebhookSecretInput.read(file: secretFile, stdin: secretStdin)
            // The journal's end now: events before it existed before the webhook and are not sent.
            let e = try WebhookRegistry(directory: target.directory).add(url: url, events: types, secret: key, now: Session.clock.now(),
                                                                        afterSequence: target.afterSequence)
            try WebhookCommand.record(target, id: e.id, action: "added",
                                      changes: ["url \(WebhookCommand.redacted(e.url))", "events \(e.events.isEmpty ? "all" : e.events.joined(separator: ","))"])
            if global.json { Console.out(Format.json(WebhookCommand.json(e))) } else { Console.out("Added webhook \(e.id) → \(e.url)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List endpoints (secrets are not shown).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("For a postgresql:// store: the directory holding webhooks.json (its deliverers' --config).", valueName: "dir"))
        var config: String?
        func run() throws {
            let dir = try WebhookCommand.configuration(global, config: config, for: .manageWebhooks).directory
            let list = try WebhookRegistry(directory: dir).load().endpoints
            if global.json { Console.out(Format.json(list.map(WebhookCommand.json))); return }
            if list.isEmpty { Console.out("No webhooks."); return }
            Console.out(Format.table(["ID", "URL", "EVENTS", "STATE"], list.map {
                [$0.id, $0.url, $0.events.isEmpty ? "all" : $0.events.joined(separator: ","), $0.disabledAt == nil ? "active" : "disabled: \($0.disabledReason ?? "")"]
            }))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an endpoint.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The endpoint id (wh_…).") var id: String
        @Option(help: ArgumentHelp("For a postgresql:// store: the directory holding webhooks.json (its deliverers' --config).", valueName: "dir"))
        var config: String?
        func run() throws {
            let target = try WebhookCommand.configuration(global, config: config, for: .manageWebhooks)
            try WebhookRegistry(directory: target.directory).remove(id: id)
            try WebhookCommand.record(target, id: id, action: "removed", changes: [])
            if global.json { Console.out(Format.json(["removed": id])) } else { Console.out("Removed webhook \(id)") }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Turn on an endpoint disabled by a 410 Gone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The endpoint id (wh_…).") var id: String
        @Option(help: ArgumentHelp("For a postgresql:// store: the directory holding webhooks.json (its deliverers' --config).", valueName: "dir"))
        var config: String?
        func run() throws {
            let target = try WebhookCommand.configuration(global, config: config, for: .manageWebhooks)
            try WebhookRegistry(directory: target.directory).enable(id: id)
            try WebhookCommand.record(target, id: id, action: "enabled", changes: [])
            if global.json { Console.out(Format.json(["enabled": id])) } else { Console.out("Enabled webhook \(id)") }
        }
    }

    /// An endpoint as `--json` prints it, without its secret; `events` is `["all"]` for every
    /// type, and the disabled fields are left out while it is enabled.
    static func json(_ e: WebhookEndpoint) -> JSONTree {
        var o: [String: JSONTree] = ["id": .string(e.id), "url": .string(e.url), "created_at": .string(e.createdAt.iso8601)]
        o["events"] = (e.events.isEmpty ? ["all"] : e.events).json
        o["disabled_at"] = .optional(e.disabledAt?.iso8601)
        o["disabled_reason"] = .optional(e.disabledReason)
        return .object(o)
    }

    /// Records a change to an endpoint in the audit log (`webhook.changed` reaches hooks and
    /// webhooks). The registry lives beside the store, not in its journal, so this is a second
    /// write after the registry's: if it fails, the error says the change is made but not
    /// recorded.
    static func record(_ target: Configuration, id: String, action: String, changes: [String]) throws {
        let actor = target.actor
        do {
            _ = try target.store.write("webhook", .directory) { state, engine throws(CoreError) in
                try engine.recordChanges([AuditEntryDraft(entity: .webhook, id: id, action: action, changes: changes)], in: state, by: actor)
            }
        } catch {
            throw CLIError.io(path: "audit log", message: "webhook \(id) \(action), but the change could not be recorded in the audit log: \(error)")
        }
    }

    /// A URL as the audit log shows it: scheme, host and path, without credentials or query,
    /// which may carry tokens.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        var rest = url[scheme.upperBound...]
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<hostEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(url[..<scheme.upperBound]) + rest
    }

    /// The data directory, if it holds a store (webhooks live beside it).
    /// The data directory of an existing store whose staff the account's role lets take
    /// `action` (checked through ``Session/open(_:for:source:)``, which reads the grants).
    static func requireStore(_ global: GlobalOptions, for action: AccessAction) throws -> String {
        let dir = try global.dataDirectory
        guard Store.exists(at: dir) else { throw StoreError.notFound(path: dir) }
        _ = try Session.open(global, for: action)
        return dir
    }
}

/// `frontdesk deliveries [--failed]`: the delivery attempt log, or the dead letters.
struct DeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deliveries", abstract: "Show delivery attempts (--failed: dead letters and pending retries).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Only dead letters and deliveries waiting for a retry.") var failed = false

    /// A dead letter or a delivery waiting for a retry; `next_attempt_at` and `error` are left
    /// out when not set.
    struct FailedJSON: JSONRepresentable {
        var event_id: String, event_type: String, target: String, attempts: Int, state: String, next_attempt_at: String?, error: String?

        var json: JSONTree {
            var o: [String: JSONTree] = ["event_id": .string(event_id), "event_type": .string(event_type), "target": .string(target),
                                         "attempts": .integer(attempts), "state": .string(state)]
            o["next_attempt_at"] = .optional(next_attempt_at)
            o["error"] = .optional(error)
            return .object(o)
        }
    }

    func run() throws {
        let dir = try WebhookCommand.requireStore(global, for: .manageWebhooks)
        if failed {
            let state = try DeliveryState.load(directory: dir)
            let rows = state.deadLetters.map {
                FailedJSON(event_id: $0.event.id, event_type: $0.event.type.rawValue, target: $0.target.description, attempts: $0.attempts,
                           state: "dead_letter", next_attempt_at: nil, error: $0.lastError)
            } + state.queue.filter { $0.attempts > 0 }.map {
                FailedJSON(event_id: $0.event.id, event_type: $0.event.type.rawValue, target: $0.target.description, attempts: $0.attempts,
                           state: "retrying", next_attempt_at: $0.notBefore.iso8601, error: $0.lastError)
            }
            if global.json { Console.out(Format.json(rows)); return }
            if rows.isEmpty { Console.out("No failed deliveries."); return }
            Console.out(Format.table(["EVENT", "TYPE", "TARGET", "ATTEMPTS", "STATE", "NEXT", "ERROR"],
                                     rows.map { [$0.event_id, $0.event_type, $0.target, String($0.attempts), $0.state, $0.next_attempt_at ?? "-", $0.error ?? ""] }))
            return
        }
        let records = try DeliveryLog(directory: dir).records()
        if global.json { Console.out(Format.json(JSONTree.array(records.map(\.json)))); return }
        if records.isEmpty { Console.out("No deliveries yet."); return }
        Console.out(Format.table(["TIME", "EVENT", "TYPE", "TARGET", "ATTEMPT", "OUTCOME", "STATUS", "MS", "ERROR"], records.map {
            [$0.time, $0.event_id, $0.event_type, $0.target, String($0.attempt), $0.outcome.rawValue,
             $0.status.map(String.init) ?? "-", $0.duration_ms.map(String.init) ?? "-", $0.error ?? ""]
        }))
    }
}

/// `frontdesk redeliver EVENT`: try a dead letter again.
struct RedeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redeliver", abstract: "Queue a dead-lettered event for delivery again.",
                                                    discussion: "The running deliverer (or the next 'frontdesk deliver') picks the request up.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The event id (evt_…), as 'frontdesk deliveries --failed' shows it.") var event: String
    func run() throws {
        let dir = try WebhookCommand.requireStore(global, for: .manageWebhooks)
        let targets = try RedeliveryRequests(directory: dir).request(eventID: event)
        if global.json { Console.out(Format.json(["event_id": event, "targets": targets.map(\.description).joined(separator: ",")])) }
        else { Console.out("Queued \(event) for \(targets.map(\.description).joined(separator: ", ")); the deliverer sends it on its next pass.") }
    }
}

/// The `data` object of webhook and hook payloads: the booking exactly as `--json` commands print
/// it, plus `waitlist_entry` and `slot` for `waitlist.slot_opened`, and `change` (an entry as
/// `history --json` prints it) for changes to other entities (`resource.updated`, …).
enum EventData {
    static func renderer(_ store: Store) -> EventEnvelope.DataRenderer {
        { e in render(e, state: store.state) }
    }

    static func render(_ e: DomainEvent, state: BookingState) -> [UInt8] {
        var obj: [String: JSONTree] = e.booking.flatMap { BookingJSON($0, state: state).json.objectValue } ?? [:]
        // A reminder is for the customer: the hook or webhook needs a way to reach them.
        if e.type == .reminderDue, let b = e.booking {
            let c = b.customer.flatMap { state.customers[$0] }
            obj["customer_phone"] = .string(c?.phone)
            obj["customer_email"] = .string(c?.email)
        }
        if let w = e.waitlistEntry {
            let c = state.customers[w.customer]
            obj["waitlist_entry"] = ["id": .string(w.id.rawValue), "ref": .string(w.ref), "customer": .string(w.customer.rawValue),
                                     "customer_name": .string(c?.name), "customer_phone": .string(c?.phone), "customer_email": .string(c?.email),
                                     "window_start": .string(w.window.start.iso8601), "window_end": .string(w.window.end.iso8601),
                                     "duration_minutes": .integer(w.duration.seconds / 60)]
        }
        if let s = e.slot {
            obj["slot"] = ["resource": .string(s.resource.rawValue), "resource_name": .string(state.resources[s.resource]?.name ?? s.resource.rawValue),
                           "start": .string(s.range.start.iso8601), "end": .string(s.range.end.iso8601)]
        }
        if let c = e.change { obj["change"] = HistoryJSON.object(c) }
        if let l = e.ledgerEntry, let b = e.booking { obj["ledger_entry"] = MoneyOutput.entry(l, booking: b) }
        return JSONTree.object(obj).serialized()
    }
}
