import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

/// `frontdesk resource add|list|show|edit`.
struct ResourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resource", abstract: "Manage bookable resources.",
                                                    subcommands: [Add.self, List.self, Show.self, Edit.self, Blackout.self])

    /// Policy flags shared by add and edit.
    struct PolicyFlags: ParsableArguments {
        @Option(help: "Buffer before each booking: 10m.") var bufferBefore: String?
        @Option(help: "Buffer after each booking.") var bufferAfter: String?
        @Option(help: "Minimum notice for new bookings.") var minNotice: String?
        @Option(help: "Furthest ahead a booking may start.") var maxAdvance: String?
        @Option(help: "Cancellation notice (inside it, cancelling needs an override).") var cancelNotice: String?
        @Option(help: "Send reminder.due this long before the start.") var reminder: String?

        func apply(to p: inout PolicyOverrides) throws {
            if let v = try InputParsing.optionalDuration(bufferBefore, field: "buffer-before") { p.bufferBefore = v }
            if let v = try InputParsing.optionalDuration(bufferAfter, field: "buffer-after") { p.bufferAfter = v }
            if let v = try InputParsing.optionalDuration(minNotice, field: "min-notice") { p.minimumNotice = v }
            if let v = try InputParsing.optionalDuration(maxAdvance, field: "max-advance", allowZero: false) { p.maximumAdvance = v }
            if let v = try InputParsing.optionalDuration(cancelNotice, field: "cancel-notice") { p.cancellationNotice = v }
            if let v = try InputParsing.optionalDuration(reminder, field: "reminder") { p.reminderLead = v }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a resource.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Name staff will see.") var name: String
        @Option(help: "room, staff, vehicle or equipment.") var kind = "room"
        @Option(help: "IANA time zone (default: the display zone).") var tz: String?
        @Option(help: "Parent resource (a booking on either occupies both).") var parent: String?
        @Option(help: "Shared schedule to follow.") var schedule: String?
        @Option(parsing: .singleValue, help: "Own opening hours, e.g. \"mon-fri 09:00-17:00\" (repeatable; creates a schedule).") var hours: [String] = []
        @Option(help: "Grid slot length (default 15m).") var slot: String?
        @Option(parsing: .singleValue, help: "A tag services can ask for: stylist (repeatable).") var tag: [String] = []
        @OptionGroup var policy: PolicyFlags

        func run() throws {
            // The resource's own fields first: with --hours a schedule is made from the name,
            // and its refusal would otherwise blame the schedule's name.
            try TextRules.name(name, field: "name")
            let resourceKind = try InputParsing.kind(kind)
            let tags = try ResourceTags.normalise(tag)
            let session = try StorageSession.open(global, for: .manageResources)
            let state = session.store.state
            let zone = try tz.map { try InputParsing.zone($0) } ?? Session.displayZone
            let parentID = try parent.map { try Resolver.resource($0, in: state).id }
            var scheduleID = try schedule.map { try ScheduleLookup.find($0, in: state).id }
            if schedule != nil && !hours.isEmpty { throw CLIError.usage("give --schedule or --hours, not both") }
            let weekly = try InputParsing.weeklyHours(hours)
            var overrides = PolicyOverrides()
            try policy.apply(to: &overrides)
            let slotLength = try InputParsing.optionalDuration(slot, field: "slot", allowZero: false) ?? .minutes(15)
            let actor = session.actor
            let draftName = name
            let created = try session.store.write("resource add", .directory) { state, engine throws(CoreError) in
                var plans: [Transaction] = []
                var working = state
                if !weekly.isEmpty {
                    let s = try engine.addSchedule(Schedule(id: ScheduleID(""), name: ResourceCommand.scheduleName(for: draftName), weekly: weekly), in: working, by: actor)
                    working.apply(s.transaction)
                    plans.append(s.transaction)
                    scheduleID = s.value.id
                }
                let r = try engine.addResource(ResourceDraft(name: draftName, kind: resourceKind, zone: zone, parent: parentID,
                                                             schedule: scheduleID, slotLength: slotLength, policy: overrides, tags: tags), in: working, by: actor)
                plans.append(r.transaction)
                return Planned(transaction: Transaction.combining(plans), value: r.value)
            }
            ResourcePrinter.print([created], session.store.state, json: global.json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List resources.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this kind.") var kind: String?
        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete() // a damaged journal may hold changes to what is listed
            let state = session.store.state
            let list = state.resources.values.filter { kind == nil || $0.kind.description == ResourceKind(kind!).description }
                .sorted { $0.ref < $1.ref }
            ResourcePrinter.print(list, state, json: global.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a resource with its rules.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Resource id, reference or name.") var resource: String
        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete() // a damaged journal may hold changes to what is listed
            let state = session.store.state
            let r = try Resolver.resource(resource, in: state)
            if global.json { ResourcePrinter.print([r], state, json: true); return }
            let p = state.policy(for: r.id)
            var lines = [("Reference", r.ref), ("Id", r.id.rawValue), ("Name", r.name), ("Kind", r.kind.description), ("Time zone", r.zone.identifier),
                         ("Slot", r.slotLength.text), ("Parent", r.parent.flatMap { state.resources[$0]?.name } ?? "-")]
            if !r.tags.isEmpty { lines.append(("Tags", r.tags.joined(separator: ", "))) }
            if let s = r.schedule.flatMap({ state.schedules[$0] }) {
                lines.append(("Schedule", s.name))
                for d in Weekday.allCases { lines.append(("  " + d.displayName, (s.weekly[d] ?? []).map(\.description).joined(separator: ", ").nonEmpty ?? "closed")) }
                for (d, h) in s.overrides.sorted(by: { $0.key < $1.key }) { lines.append(("  " + d.description, h.map(\.description).joined(separator: ", ").nonEmpty ?? "closed")) }
                for b in s.blackouts { lines.append(("  blackout", "\(Format.local(b.range.start, r.zone)) – \(Format.local(b.range.end, r.zone)): \(b.reason)")) }
            } else {
                lines.append(("Schedule", "none (open at all times)"))
            }
            lines += [("Buffers", "\(p.bufferBefore.text) before, \(p.bufferAfter.text) after"), ("Min notice", p.minimumNotice.text),
                      ("Max advance", p.maximumAdvance?.text ?? "none"), ("Cancel notice", p.cancellationNotice.text),
                      ("Reminder", p.reminderLead.map { "\($0.text) before the start" } ?? "none")]
            for (k, v) in lines { Console.out(Format.safe(Format.padded(k, toColumns: 14) + v)) }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a resource's fields.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Resource id, reference or name.") var resource: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New kind.") var kind: String?
        @Option(help: "New IANA time zone.") var tz: String?
        @Option(help: "New parent (\"none\" to clear).") var parent: String?
        @Option(help: "Schedule to follow (\"none\" for always open).") var schedule: String?
        @Option(help: "Grid slot length.") var slot: String?
        @Flag(help: "Archive: keep history, take no new bookings.") var archive = false
        @Flag(help: "Take bookings again.") var unarchive = false
        @Option(help: "Refuse unless still at this version.") var expectVersion: Int?
        @Option(parsing: .singleValue, help: "Tags (repeatable; replace the resource's tags).") var tag: [String] = []
        @Flag(help: "Remove every tag.") var noTags = false
        @OptionGroup var policy: PolicyFlags

        func run() throws {
            if noTags && !tag.isEmpty { throw CLIError.usage("give --tag or --no-tags, not both") }
            let tags = try ResourceTags.normalise(tag)
            let session = try StorageSession.open(global, for: .manageResources)
            let state = session.store.state
            var r = try Resolver.resource(resource, in: state)
            if let name { r.name = name }
            if let kind { r.kind = try InputParsing.kind(kind) }
            if let tz { r.zone = try InputParsing.zone(tz) }
            if let parent { r.parent = parent.lowercased() == "none" ? nil : try Resolver.resource(parent, in: state).id }
            if let schedule { r.schedule = schedule.lowercased() == "none" ? nil : try ScheduleLookup.find(schedule, in: state).id }
            if let slot { r.slotLength = try InputParsing.duration(slot, field: "slot") }
            if archive && unarchive { throw CLIError.usage("give --archive or --unarchive, not both") }
            if archive { r.archived = true }
            if unarchive { r.archived = false }
            if !tags.isEmpty { r.tags = tags }
            if noTags { r.tags = [] }
            try policy.apply(to: &r.policy)
            let actor = session.actor, updated = r, expect = expectVersion
            let done = try session.store.write("resource edit", .directory) { state, engine throws(CoreError) in
                try engine.updateResource(updated, expectVersion: expect, in: state, by: actor)
            }
            ResourcePrinter.print([done], session.store.state, json: global.json)
        }
    }
}

extension ResourceCommand {
    /// The schedule `resource add --hours` makes for a resource: its name plus " hours", cut so
    /// that a name at the length limit still makes a valid schedule name (a refusal would
    /// otherwise blame a "schedule name" the user never typed).
    static func scheduleName(for resource: String) -> String {
        let suffix = " hours"
        let trimmed = resource.trimming(.whitespaces)
        return String(trimmed.prefix(120 - suffix.count)).trimming(.whitespaces) + suffix
    }

    /// `frontdesk resource blackout R --from --to --reason`: a blackout on one resource, whether
    /// or not it follows a schedule.
    ///
    /// Blackouts live on schedules. A resource with none (open at all times) gets its own,
    /// open every day around the clock, so nothing but the blackout changes; one that follows a
    /// schedule gets the blackout there, and the output names the resources that share it.
    struct Blackout: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "blackout", abstract: "Black out a period on a resource (with or without a schedule).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Resource id, reference or name.") var resource: String
        @Option(help: "Start (local to the resource, or ISO-8601).") var from: String
        @Option(help: "End.") var to: String
        @Option(help: "Why (shown when a booking is refused).") var reason: String

        func run() throws {
            let session = try StorageSession.open(global, for: .manageBlackouts)
            let state = session.store.state
            let r = try Resolver.resource(resource, in: state)
            let why = try TextRules.name(reason, field: "reason", maxLength: 200)
            let range = TimeRange(start: try InputParsing.instant(from, field: "from", zone: r.zone), end: try InputParsing.instant(to, field: "to", zone: r.zone))
            guard range.end > range.start else { throw CLIError.invalidInput(field: "to", message: "must be after --from") }
            let actor = session.actor, resourceID = r.id
            let done = try session.store.write("resource blackout", .directory) { state, engine throws(CoreError) in
                guard let current = state.resources[resourceID] else { throw CoreError.notFound(kind: "resource", id: resourceID.rawValue) }
                if let sid = current.schedule, var s = state.schedules[sid] {
                    s.blackouts.append(FrontdeskCore.Blackout(range: range, reason: why))
                    let p = try engine.updateSchedule(s, expectVersion: s.version, in: state, by: actor)
                    return Planned(transaction: p.transaction, value: p.value)
                }
                var own = Schedule(id: ScheduleID(""), name: ResourceCommand.scheduleName(for: current.name),
                                   weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, DailyHours(start: 0, end: 86_400).map { [$0] } ?? []) }))
                own.blackouts = [FrontdeskCore.Blackout(range: range, reason: why)]
                var working = state
                let added = try engine.addSchedule(own, in: working, by: actor)
                working.apply(added.transaction)
                var updated = current
                updated.schedule = added.value.id
                let edited = try engine.updateResource(updated, expectVersion: current.version, in: working, by: actor)
                return Planned(transaction: Transaction.combining([added.transaction, edited.transaction]), value: added.value)
            }
            let after = session.store.state
            if global.json { Console.out(SchedulePrinter.jsonText([done])); return }
            let sharing = after.resources.values.filter { $0.schedule == done.id && $0.id != r.id }.map(\.name).sorted()
            var line = "Blacked out \(Format.local(range.start, r.zone)) – \(Format.local(range.end, r.zone)) on \(r.name) (schedule \(done.name)): \(why)"
            if !sharing.isEmpty { line += "; the schedule is shared, so this also applies to \(sharing.joined(separator: ", "))" }
            Console.out(Format.safe(line))
        }
    }
}

enum ResourcePrinter {
    /// A resource with its effective rules (its own overrides, else its schedule's), as `--json`
    /// prints it and `resource show` prints it as text. Every resource has every key:
    /// `parent`, `schedule`, `max_advance` and `reminder` are null when not set (no limit, no
    /// reminder).
    static func json(_ r: Resource, _ state: BookingState) -> JSONTree {
        let p = state.policy(for: r.id)
        var o: [String: JSONTree] = [:]
        o["id"] = .string(r.id.rawValue)
        o["ref"] = .string(r.ref)
        o["name"] = .string(r.name)
        o["kind"] = .string(r.kind.description)
        o["time_zone"] = .string(r.zone.identifier)
        o["slot"] = .string(r.slotLength.text)
        o["parent"] = .string(r.parent?.rawValue)
        o["schedule"] = .string(r.schedule?.rawValue)
        o["archived"] = .bool(r.archived)
        o["version"] = .integer(r.version)
        o["buffer_before"] = .string(p.bufferBefore.text)
        o["buffer_after"] = .string(p.bufferAfter.text)
        o["min_notice"] = .string(p.minimumNotice.text)
        o["cancel_notice"] = .string(p.cancellationNotice.text)
        o["max_advance"] = .string(p.maximumAdvance?.text)
        o["reminder"] = .string(p.reminderLead?.text)
        // Only when there are tags: a resource without keeps printing as it always did.
        if !r.tags.isEmpty { o["tags"] = .array(r.tags.map { .string($0) }) }
        return .object(o)
    }

    static func print(_ list: [Resource], _ state: BookingState, json: Bool) {
        if json {
            let items = list.map { Self.json($0, state) }
            Console.out(items.count == 1 ? Format.json(items[0]) : Format.json(items))
            return
        }
        // The TAGS column only once some resource has tags, so a list without them reads as before.
        let tagged = list.contains { !$0.tags.isEmpty }
        Console.out(Format.table(["REF", "NAME", "KIND", "ZONE", "PARENT", "SCHEDULE"] + (tagged ? ["TAGS"] : []), list.map {
            [$0.ref, $0.name + ($0.archived ? " (archived)" : ""), $0.kind.description, $0.zone.identifier,
             $0.parent.flatMap { state.resources[$0]?.name } ?? "-", $0.schedule.flatMap { state.schedules[$0]?.name } ?? "always open"]
                + (tagged ? [$0.tags.joined(separator: ",").nonEmpty ?? "-"] : [])
        }))
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension Transaction {
    /// Several planned transactions as one record (they were planned in order on one state).
    static func combining(_ parts: [Transaction]) -> Transaction {
        var t = parts.first ?? Transaction(at: Instant(seconds: 0), actor: .system)
        for p in parts.dropFirst() { t.mutations += p.mutations; t.events += p.events }
        return t
    }
}
