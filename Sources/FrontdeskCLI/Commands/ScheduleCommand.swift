import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

enum ScheduleLookup {
    /// A schedule by id or exact name (case-insensitive).
    static func find(_ text: String, in state: BookingState) throws -> Schedule {
        if let s = state.schedules[ScheduleID(text)] { return s }
        let named = state.schedules.values.filter { $0.name.lowercased() == text.lowercased() }
        if named.count == 1 { return named[0] }
        if named.count > 1 { throw CoreError.ambiguous(kind: "schedule", text: text, candidates: named.map(\.id.rawValue).sorted()) }
        throw CoreError.notFound(kind: "schedule", id: text)
    }

    /// The zone a schedule's absolute times are typed in: its first resource's, else the display zone.
    static func zone(of s: Schedule, in state: BookingState) -> Zone {
        state.resources.values.filter { $0.schedule == s.id }.sorted { $0.ref < $1.ref }.first?.zone ?? Session.displayZone
    }
}

/// `frontdesk schedule add|list|show|hours|override|blackout|unblackout`.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Manage shared opening hours, date overrides and blackouts.",
                                                    subcommands: [Add.self, List.self, Hours.self, Override.self, Blackout.self, Unblackout.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a shared schedule.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Name.") var name: String
        @Option(parsing: .singleValue, help: "Weekly hours, e.g. \"mon-fri 09:00-17:00\" (repeatable).") var hours: [String] = []
        @Option(help: "Buffer before each booking.") var bufferBefore: String?
        @Option(help: "Buffer after each booking.") var bufferAfter: String?
        @Option(help: "Minimum notice.") var minNotice: String?
        @Option(help: "Maximum advance.") var maxAdvance: String?
        @Option(help: "Cancellation notice.") var cancelNotice: String?

        func run() throws {
            let session = try StorageSession.open(global, for: .manageSchedules)
            try TextRules.name(name, field: "name")
            var s = Schedule(id: ScheduleID(""), name: name, weekly: try InputParsing.weeklyHours(hours))
            s.bufferBefore = try InputParsing.optionalDuration(bufferBefore, field: "buffer-before") ?? .zero
            s.bufferAfter = try InputParsing.optionalDuration(bufferAfter, field: "buffer-after") ?? .zero
            s.minimumNotice = try InputParsing.optionalDuration(minNotice, field: "min-notice") ?? .zero
            s.maximumAdvance = try InputParsing.optionalDuration(maxAdvance, field: "max-advance", allowZero: false)
            s.cancellationNotice = try InputParsing.optionalDuration(cancelNotice, field: "cancel-notice") ?? .zero
            let actor = session.actor, draft = s
            let created = try session.store.write("schedule add", .directory) { state, engine throws(CoreError) in try engine.addSchedule(draft, in: state, by: actor) }
            SchedulePrinter.print([created], json: global.json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List schedules.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete() // a damaged journal may hold changes to what is listed
            SchedulePrinter.print(session.store.state.schedules.values.sorted { $0.name < $1.name }, json: global.json)
        }
    }

    /// Shared body: load a schedule, change it, write it back.
    static func edit(_ global: GlobalOptions, _ name: String, op: String, _ change: (inout Schedule, BookingState) throws -> Void) throws {
        let session = try StorageSession.open(global, for: .manageSchedules)
        var s = try ScheduleLookup.find(name, in: session.store.state)
        let version = s.version
        try change(&s, session.store.state)
        let actor = session.actor, updated = s
        let done = try session.store.write(op, .directory) { state, engine throws(CoreError) in
            try engine.updateSchedule(updated, expectVersion: version, in: state, by: actor)
        }
        SchedulePrinter.print([done], json: global.json)
    }

    struct Hours: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hours", abstract: "Replace weekly hours (days not named keep theirs).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Schedule id or name.") var schedule: String
        @Argument(help: "Specs like \"mon-fri 09:00-17:00\" \"sun closed\".") var specs: [String]
        func run() throws {
            let parsed = try specs.map { spec -> ([Weekday], [DailyHours]) in
                let parts = spec.split(separator: " ").map(String.init)
                guard parts.count == 2 else { throw CLIError.invalidInput(field: "hours", message: "\"\(spec)\" should look like \"mon-fri 09:00-17:00\"") }
                return (try InputParsing.weekdays(parts[0], field: "hours"), try InputParsing.dailyHours(parts[1], field: "hours"))
            }
            try ScheduleCommand.edit(global, schedule, op: "schedule hours") { s, _ in
                for (days, hours) in parsed { for d in days { s.weekly[d] = hours.isEmpty ? nil : hours } }
            }
        }
    }

    struct Override: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "override", abstract: "Set custom hours for one date (\"closed\" closes it; \"clear\" removes the override).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Schedule id or name.") var schedule: String
        @Argument(help: "Date, YYYY-MM-DD.") var date: String
        @Argument(help: "Hours like 10:00-14:00, or closed, or clear.") var hours: String
        func run() throws {
            let d = try InputParsing.date(date, field: "date")
            let clear = hours.lowercased() == "clear"
            let h = clear ? [] : try InputParsing.dailyHours(hours, field: "hours")
            try ScheduleCommand.edit(global, schedule, op: "schedule override") { s, _ in s.overrides[d] = clear ? nil : h }
        }
    }

    struct Blackout: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "blackout", abstract: "Add a blackout period.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Schedule id or name.") var schedule: String
        @Option(help: "Start (local to the schedule's first resource, or ISO-8601).") var from: String
        @Option(help: "End.") var to: String
        @Option(help: "Why (shown when a booking is refused).") var reason: String
        func run() throws {
            try ScheduleCommand.edit(global, schedule, op: "schedule blackout") { s, state in
                let z = ScheduleLookup.zone(of: s, in: state)
                try TextRules.name(reason, field: "reason", maxLength: 200)
                let r = TimeRange(start: try InputParsing.instant(from, field: "from", zone: z), end: try InputParsing.instant(to, field: "to", zone: z))
                s.blackouts.append(FrontdeskCore.Blackout(range: r, reason: reason))
            }
        }
    }

    struct Unblackout: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unblackout", abstract: "Remove blackouts whose reason matches.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Schedule id or name.") var schedule: String
        @Option(help: "Reason text of the blackout to remove.") var reason: String
        func run() throws {
            try ScheduleCommand.edit(global, schedule, op: "schedule unblackout") { s, _ in
                let before = s.blackouts.count
                s.blackouts.removeAll { $0.reason.lowercased() == reason.lowercased() }
                if s.blackouts.count == before { throw CoreError.notFound(kind: "blackout", id: reason) }
            }
        }
    }
}

enum SchedulePrinter {
    static func print(_ list: [Schedule], json: Bool) {
        if json {
            Console.out(jsonText(list))
            return
        }
        Console.out(Format.table(["ID", "NAME", "HOURS", "OVERRIDES", "BLACKOUTS"], list.map { s in
            [s.id.rawValue, s.name, hoursText(s), overridesText(s), String(s.blackouts.count)]
        }))
    }

    /// `Mon 09:00-17:00; Sat 10:00-14:00`: the open days, capitalised as the TUI prints them.
    static func hoursText(_ s: Schedule) -> String {
        Weekday.allCases.compactMap { d in s.weekly[d].map { "\(d.displayName) " + $0.map(\.description).joined(separator: ",") } }
            .joined(separator: "; ").nonEmpty ?? "closed"
    }

    /// `2027-12-24 09:00-13:00; 2027-12-25 closed`, in date order; `-` when there are none.
    static func overridesText(_ s: Schedule) -> String {
        s.overrides.sorted { $0.key < $1.key }.map { d, h in
            "\(d) " + (h.isEmpty ? "closed" : h.map(\.description).joined(separator: ","))
        }.joined(separator: "; ").nonEmpty ?? "-"
    }

    /// The `--json` text: one schedule as an object, several as an array.
    static func jsonText(_ list: [Schedule]) -> String {
        func hours(_ h: [DailyHours]) -> JSONTree { .array(h.map { .string($0.description) }) }
        let data = list.map { s -> JSONTree in
            var weekly: [String: JSONTree] = [:]
            for (d, h) in s.weekly { weekly[d.shortName] = hours(h) }
            var overrides: [String: JSONTree] = [:]
            for (d, h) in s.overrides { overrides[d.description] = hours(h) }
            return ["id": .string(s.id.rawValue), "name": .string(s.name), "weekly": .object(weekly), "overrides": .object(overrides),
                    "blackouts": .array(s.blackouts.map { ["start": .string($0.range.start.iso8601), "end": .string($0.range.end.iso8601), "reason": .string($0.reason)] }),
                    "buffer_before": .string(s.bufferBefore.text), "buffer_after": .string(s.bufferAfter.text), "min_notice": .string(s.minimumNotice.text),
                    "max_advance": .string(s.maximumAdvance?.text), "cancel_notice": .string(s.cancellationNotice.text), "version": .integer(s.version)]
        }
        return (data.count == 1 ? data[0] : .array(data)).text
    }
}
