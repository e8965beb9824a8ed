import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk service add|edit|list|show|archive`: the service catalog (managers).
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Manage the service catalog (what is sold, for how long, on what).",
                                                    subcommands: [Add.self, Edit.self, List.self, Show.self, Archive.self])

    /// Fields shared by add and edit.
    struct Fields: ParsableArguments {
        @Option(help: "How long the customer is booked: 45m, 1h30m.") var duration: String?
        @Option(parsing: .singleValue, help: "A tag, or kind:KIND, with an optional count: stylist, 2xchair, kind:room (repeatable).") var needs: [String] = []
        @Option(help: "Price, e.g. 38.00.") var price: String?
        @Option(help: "Deposit due when booking, e.g. 10.00.") var deposit: String?
        @Option(help: "Fee for a late cancellation.") var lateCancelFee: String?
        @Option(help: "Fee for a no-show.") var noShowFee: String?
        @Option(help: "Set-up time each resource must also be free for, before: 5m.") var bufferBefore: String?
        @Option(help: "Clean-up time each resource must also be free for, after: 10m.") var bufferAfter: String?

        /// Applies every given field to `s`; an amount (in the store's currency, refused while
        /// the store has none) of `none` clears it.
        func apply(to s: inout Service, state: BookingState) throws {
            if let duration { s.duration = try InputParsing.duration(duration, field: "duration") }
            if !needs.isEmpty { s.requirements = try needs.map { try ServiceRequirement(parsing: $0) } }
            func amount(_ text: String?, _ field: String, _ path: WritableKeyPath<Service, Int64?>) throws {
                guard let text else { return }
                s[keyPath: path] = text.lowercased() == "none" ? nil : try MoneyOutput.amount(text, field: field, state: state)
            }
            try amount(price, "price", \.price)
            try amount(deposit, "deposit", \.deposit)
            try amount(lateCancelFee, "late-cancel-fee", \.lateCancellationFee)
            try amount(noShowFee, "no-show-fee", \.noShowFee)
            if let v = try InputParsing.optionalDuration(bufferBefore, field: "buffer-before") { s.bufferBefore = v }
            if let v = try InputParsing.optionalDuration(bufferAfter, field: "buffer-after") { s.bufferAfter = v }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a service.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Name (unique, any case).") var name: String
        @OptionGroup var fields: Fields

        func run() throws {
            guard fields.duration != nil else { throw CLIError.usage("give --duration (e.g. 45m)") }
            guard !fields.needs.isEmpty else { throw CLIError.usage("give at least one --needs TAG (e.g. --needs stylist)") }
            let session = try StorageSession.open(global, for: .manageServices)
            var s = Service(name: name, duration: .minutes(1), requirements: [])
            try fields.apply(to: &s, state: session.store.state)
            let actor = session.actor, draft = s
            let created = try session.store.write("service add", .directory) { state, engine throws(CoreError) in
                try engine.addService(draft, in: state, by: actor)
            }
            ServicePrinter.print([created], json: global.json, currency: session.store.state.currency)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a service's fields (--needs replaces all requirements).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Service id or name.") var service: String
        @Option(help: "New name.") var name: String?
        @OptionGroup var fields: Fields
        @Flag(help: "Take bookings again after an archive.") var unarchive = false
        @Option(help: "Refuse unless still at this version.") var expectVersion: Int?

        func run() throws {
            let session = try StorageSession.open(global, for: .manageServices)
            var s = try session.store.state.service(named: service)
            if let name { s.name = name }
            try fields.apply(to: &s, state: session.store.state)
            if unarchive { s.archived = false }
            let actor = session.actor, updated = s, expect = expectVersion
            let done = try session.store.write("service edit", .directory) { state, engine throws(CoreError) in
                try engine.updateService(updated, expectVersion: expect, in: state, by: actor)
            }
            ServicePrinter.print([done], json: global.json, currency: session.store.state.currency)
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive a service: keep its history, take no new bookings.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Service id or name.") var service: String
        @Option(help: "Refuse unless still at this version.") var expectVersion: Int?

        func run() throws {
            let session = try StorageSession.open(global, for: .manageServices)
            var s = try session.store.state.service(named: service)
            guard !s.archived else { throw CLIError.invalidInput(field: "service", message: "\"\(Format.safe(s.name))\" is already archived") }
            s.archived = true
            let actor = session.actor, updated = s, expect = expectVersion
            let done = try session.store.write("service archive", .directory) { state, engine throws(CoreError) in
                try engine.updateService(updated, expectVersion: expect, in: state, by: actor)
            }
            ServicePrinter.print([done], json: global.json, currency: session.store.state.currency)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List services (archived ones with --all).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include archived services.") var all = false

        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete()
            let list = session.store.state.services.values.filter { all || !$0.archived }
                .sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
            ServicePrinter.print(list, json: global.json, currency: session.store.state.currency, forceArray: true)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a service and the resources that can fill it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Service id or name.") var service: String

        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete()
            let state = session.store.state
            let s = try state.service(named: service)
            if global.json { ServicePrinter.print([s], json: true, currency: state.currency); return }
            let money = { (a: Int64?) in ServicePrinter.text(a, state.currency) }
            var lines = [("Id", s.id.rawValue), ("Name", s.name + (s.archived ? " (archived)" : "")), ("Duration", s.duration.text),
                         ("Buffers", "\(s.bufferBefore.text) before, \(s.bufferAfter.text) after"),
                         ("Price", money(s.price)), ("Deposit", money(s.deposit)), ("Late cancel", money(s.lateCancellationFee)),
                         ("No-show", money(s.noShowFee)), ("Version", String(s.version))]
            for r in s.requirements {
                let who = state.resources.values.filter { !$0.archived && r.matches($0) }.sorted { $0.ref < $1.ref }.map(\.name)
                lines.append(("Needs " + r.description, who.isEmpty ? "(no resource has it)" : who.joined(separator: ", ")))
            }
            for (k, v) in lines { Console.out(Format.safe(Format.padded(k, toColumns: 14) + v)) }
        }
    }
}

enum ServicePrinter {
    /// An amount as text in the store's currency (`38.00`), or `-` when not set.
    static func text(_ minor: Int64?, _ currency: Currency?) -> String {
        guard let minor else { return "-" }
        return currency.map { Money(minorUnits: minor, currency: $0).plain } ?? String(minor)
    }

    /// A service as `--json` prints it; every key is always there (amounts in minor units, or
    /// null when not set; `*_text` the same in the store's currency's decimals).
    static func json(_ s: Service, currency: Currency?) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(s.id.rawValue)
        o["name"] = .string(s.name)
        o["duration"] = .string(s.duration.text)
        o["duration_minutes"] = .integer(Int(s.duration.seconds / 60))
        o["buffer_before"] = .string(s.bufferBefore.text)
        o["buffer_after"] = .string(s.bufferAfter.text)
        o["needs"] = .array(s.requirements.map { r -> JSONTree in
            switch r.match {
            case .tag(let t): return .object(["tag": .string(t), "count": .integer(r.count)])
            case .kind(let k): return .object(["kind": .string(k.description), "count": .integer(r.count)])
            }
        })
        for (key, a) in [("price", s.price), ("deposit", s.deposit), ("late_cancel_fee", s.lateCancellationFee), ("no_show_fee", s.noShowFee)] {
            o[key] = a.map { .integer(Int($0)) } ?? .null
            o[key + "_text"] = .string(a.map { text($0, currency) })
        }
        o["archived"] = .bool(s.archived)
        o["version"] = .integer(s.version)
        return .object(o)
    }

    static func print(_ list: [Service], json: Bool, currency: Currency?, forceArray: Bool = false) {
        if json {
            let items = list.map { Self.json($0, currency: currency) }
            Console.out(items.count == 1 && !forceArray ? Format.json(items[0]) : Format.json(items))
            return
        }
        if list.isEmpty { Console.out("No services."); return }
        Console.out(Format.table(["NAME", "DURATION", "NEEDS", "PRICE", "DEPOSIT", "VERSION"], list.map {
            [$0.name + ($0.archived ? " (archived)" : ""), $0.duration.text, $0.requirements.map(\.description).joined(separator: ", "),
             text($0.price, currency), text($0.deposit, currency), "v\($0.version)"]
        }))
    }
}
