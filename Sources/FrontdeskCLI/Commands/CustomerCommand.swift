import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

/// `frontdesk customer add|list|show|edit`.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customer", abstract: "Manage customers.", subcommands: [Add.self, List.self, Show.self, Edit.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a customer.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Phone.") var phone: String?
        @Option(help: "E-mail.") var email: String?
        @Option(help: "Notes.") var notes: String?
        func run() throws {
            let session = try Session.open(global, for: .manageCustomers)
            let actor = session.actor
            let (n, p, e, no) = (name, phone, email, notes)
            let c = try session.store.write("customer add", .directory) { state, engine throws(CoreError) in
                try engine.addCustomer(name: n, phone: p, email: e, notes: no, in: state, by: actor)
            }
            CustomerPrinter.print([c], json: global.json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List customers.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only customers whose name starts with this text (ignoring case and accents), or whose reference, phone or e-mail is this.")
        var search: String?
        func run() throws {
            let session = try Session.open(global, for: .readDiary)
            try session.store.requireComplete() // a damaged journal may hold changes to what is listed
            let list: [Customer]
            if let search {
                // Through the customer index: the name chunks of the prefix and one key shard per key.
                var found: [CustomerID: Customer] = [:]
                for c in try session.store.customers(namePrefix: search, limit: Int.max) { found[c.id] = c }
                var keys = [CustomerKey.reference(search)]
                // Without contact details, a phone number or address finds no one: the
                // answer would tell whose it is.
                let contact = session.access.allows(.readContactDetails)
                if contact, let p = CustomerKey.phoneKey(search), search.unicodeScalars.allSatisfy({ !$0.properties.isAlphabetic }) { keys.append(p) }
                if contact, let e = CustomerKey.emailKey(search) { keys.append(e) }
                for key in keys { for c in try session.store.customers(key: key) { found[c.id] = c } }
                list = Array(found.values)
            } else {
                list = try session.store.allCustomers()
            }
            let sorted = list.sorted { ($0.name.lowercased(), $0.ref) < ($1.name.lowercased(), $1.ref) }
            CustomerPrinter.print(sorted.map(session.visible), json: global.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a customer with their upcoming bookings and history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id, reference or name.") var customer: String
        @Option(help: "At most this many past bookings, most recent first (default 20).") var history: Int = 20

        func run() throws {
            guard history >= 0 else { throw CLIError.invalidInput(field: "history", message: "must be 0 or more") }
            let session = try Session.open(global, for: .readDiary)
            try session.store.requireComplete()
            let c = try Resolver.customer(customer, in: session.store)
            let now = session.clock.now()
            // Both views read the customer's index entries, not every partition (docs/STORAGE.md,
            // "Customer index"). Upcoming: everything not over yet, soonest first.
            let upcoming: [Booking], past: [Booking]
            do {
                upcoming = try session.store.bookings(ofCustomer: c.id, range: TimeRange(start: now, end: Self.end))
                past = try session.store.bookings(ofCustomer: c.id, range: TimeRange(start: Instant(seconds: 0), end: now))
                    .filter { $0.range.end <= now }.reversed().prefix(history).map { $0 }
            } catch { throw Store.asIncomplete(error) }
            let state = session.store.state
            if global.json {
                var o: [String: JSONTree] = ["customer": CustomerPrinter.json(session.visible(c))]
                o["upcoming"] = .array(upcoming.map { BookingJSON($0, state: state).json })
                o["history"] = .array(past.map { BookingJSON($0, state: state).json })
                Console.out(Format.json(JSONTree.object(o)))
                return
            }
            CustomerPrinter.print([session.visible(c)], json: false)
            Console.out("")
            Console.out("Upcoming:")
            Console.out(upcoming.isEmpty ? "No bookings." : ListCommand.table(upcoming, state: state))
            Console.out("")
            Console.out(history == 0 ? "History: not shown (--history 0)." : "History (most recent first, at most \(history)):")
            if history > 0 { Console.out(past.isEmpty ? "No bookings." : ListCommand.table(past, state: state)) }
        }

        /// The end of "upcoming": the last second the store can hold.
        static let end = Instant(seconds: 7_258_118_399)
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a customer's details.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id, reference or name.") var customer: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New phone.") var phone: String?
        @Option(help: "New e-mail.") var email: String?
        @Option(help: "New notes.") var notes: String?
        func run() throws {
            let session = try Session.open(global, for: .manageCustomers)
            var c = try Resolver.customer(customer, in: session.store)
            let version = c.version
            if let name { c.name = name }
            if let phone { c.phone = phone }
            if let email { c.email = email }
            if let notes { c.notes = notes }
            let actor = session.actor, updated = c
            let done = try session.store.write("customer edit", .directory) { state, engine throws(CoreError) in
                try engine.updateCustomer(updated, expectVersion: version, in: state, by: actor)
            }
            CustomerPrinter.print([done], json: global.json)
        }
    }
}

enum CustomerPrinter {
    /// A customer as `--json` prints it; contact fields and notes that are not set are left out.
    static func json(_ c: Customer) -> JSONTree {
        var o: [String: JSONTree] = ["id": .string(c.id.rawValue), "ref": .string(c.ref), "name": .string(c.name), "version": .integer(c.version)]
        o["phone"] = .optional(c.phone)
        o["email"] = .optional(c.email)
        o["notes"] = .optional(c.notes)
        return .object(o)
    }

    static func print(_ list: [Customer], json: Bool) {
        if json {
            let items = list.map(Self.json)
            Console.out(items.count == 1 ? Format.json(items[0]) : Format.json(items))
            return
        }
        if list.isEmpty { Console.out("No customers."); return }
        Console.out(Format.table(["REF", "NAME", "PHONE", "EMAIL"], list.map { [$0.ref, $0.name, $0.phone ?? "", $0.email ?? ""] }))
    }
}
