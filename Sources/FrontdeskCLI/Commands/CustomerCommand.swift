import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

/// `frontdesk customer add|list|show|edit|merge|erase`.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customer", abstract: "Manage customers.",
                                                    subcommands: [Add.self, List.self, Show.self, Edit.self, Merge.self, Erase.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a customer.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Phone.") var phone: String?
        @Option(help: "E-mail.") var email: String?
        @Option(help: "Notes.") var notes: String?
        func run() throws {
            let session = try StorageSession.open(global, for: .manageCustomers)
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
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete() // a damaged journal may hold changes to what is listed
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
            // An alias is found through its target (customer show), not listed beside it.
            let sorted = list.filter { $0.mergedInto == nil }.sorted { ($0.name.lowercased(), $0.ref) < ($1.name.lowercased(), $1.ref) }
            CustomerPrinter.print(sorted.map(session.access.visible), json: global.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a customer with their upcoming bookings and history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id, reference or name.") var customer: String
        @Option(help: "At most this many past bookings, most recent first (default 20).") var history: Int = 20

        func run() throws {
            guard history >= 0 else { throw CLIError.invalidInput(field: "history", message: "must be 0 or more") }
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete()
            let c = try Resolver.customerNoting(customer, in: session.store)
            let summary = try CustomerFacts.summary(of: c, in: session.store, now: session.clock.now(), historyLimit: history)
            let state = session.store.state
            if global.json {
                Console.out(Format.json(CustomerFacts.json(summary, visible: session.access.visible, state: state)))
                return
            }
            CustomerPrinter.print([session.access.visible(c)], json: false)
            for line in CustomerFacts.lines(summary) { Console.out(line) }
            Console.out("")
            Console.out("Upcoming:")
            Console.out(summary.upcoming.isEmpty ? "No bookings." : ListCommand.table(summary.upcoming, state: state))
            Console.out("")
            Console.out(history == 0 ? "History: not shown (--history 0)." : "History (most recent first, at most \(history)):")
            if history > 0 { Console.out(summary.past.isEmpty ? "No bookings." : ListCommand.table(summary.past, state: state)) }
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
        @Option(help: "Add a tag (a-z, 0-9, - and _; repeatable).") var tag: [String] = []
        @Option(help: "Remove a tag (repeatable).") var untag: [String] = []
        @Option(help: "Refuse unless the customer is still at this version (exit 4 when not).") var expectVersion: Int?
        func run() throws {
            let session = try StorageSession.open(global, for: .manageCustomers)
            var c = try Resolver.customerNoting(customer, in: session.store)
            let version = expectVersion ?? c.version
            if let name { c.name = name }
            if let phone { c.phone = phone }
            if let email { c.email = email }
            if let notes { c.notes = notes }
            if !tag.isEmpty || !untag.isEmpty {
                let added = try tag.map { t throws(CoreError) in try ResourceTags.normalise(t) }
                let removed = Set(try untag.map { t throws(CoreError) in try ResourceTags.normalise(t) })
                c.tags = Array(Set(c.tags).union(added).subtracting(removed)).sorted()
            }
            let actor = session.actor, updated = c
            let done = try session.store.write("customer edit", .directory) { state, engine throws(CoreError) in
                try engine.updateCustomer(updated, expectVersion: version, in: state, by: actor)
            }
            CustomerPrinter.print([session.access.visible(done)], json: global.json)
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Merge customer B into customer A (manager).",
            discussion: "B's bookings, with their payments and history, and B's waitlist entries move to A in one change; A gains B's tags and the contact details it lacks. B stays as an alias: its id, reference and name resolve to A from then on.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer to keep (id, reference or name).") var target: String
        @Argument(help: "The customer merged into it.") var duplicate: String
        @Option(help: "Why (kept in the audit log).") var reason: String?
        func run() throws {
            let session = try StorageSession.open(global, for: .mergeCustomers)
            try session.requireComplete()
            let a = try Resolver.customer(target, in: session.store)
            let b = try Resolver.customerExact(duplicate, in: session.store)
            let moved: [BookingID]
            moved = try session.bookings(ofCustomer: b.id, range: CustomerFacts.everything).map(\.id)
            let (actor, why) = (session.actor, reason)
            let change = ChangeRequest.batch(moved.map { ChangeRequest.edit($0) } + [.directory])
            let done = try session.store.write("customer merge", change) { state, engine throws(CoreError) in
                try engine.mergeCustomers(into: a.id, from: b.id, bookings: moved, reason: why, in: state, by: actor)
            }
            if global.json {
                Console.out(Format.json(JSONTree.object(["customer": CustomerPrinter.json(session.access.visible(done)), "merged": .string(b.ref),
                                                         "bookings_moved": .integer(moved.count)])))
            } else {
                Console.out("Merged \(b.ref) into \(done.ref) \(done.name): \(moved.count) booking\(moved.count == 1 ? "" : "s") moved; \(b.ref) now resolves to \(done.ref).")
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase", abstract: "Erase a customer's details on request (manager).",
            discussion: "The name becomes \"Erased customer C-…\"; phone, e-mail, notes and tags are removed from the customer and the same text from their bookings' notes and history. Bookings and amounts stay. The audit log records who, when and why. See README \"Customer records\" for what older journal segments and backups still hold.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id, reference or name.") var customer: String
        @Option(help: "Why (required; kept in the audit log, so name no personal data).") var reason: String
        func run() throws {
            let session = try StorageSession.open(global, for: .eraseCustomers)
            try session.requireComplete()
            let c = try Resolver.customerExact(customer, in: session.store)
            let listed: [BookingID]
            listed = try session.bookings(ofCustomer: c.id, range: CustomerFacts.everything).map(\.id)
            // No index leads from a customer to its aliases; erasing is rare enough to read the table.
            let aliases = try session.store.allCustomers().filter { $0.mergedInto == c.id }.map(\.id)
            let (actor, why) = (session.actor, reason)
            let change = ChangeRequest.batch(listed.map { ChangeRequest.edit($0) } + [.directory])
            let done = try session.store.write("customer erase", change) { state, engine throws(CoreError) in
                try engine.eraseCustomer(c.id, aliases: aliases, bookings: listed, reason: why, in: state, by: actor)
            }
            if global.json {
                Console.out(Format.json(JSONTree.object(["customer": CustomerPrinter.json(done), "bookings_kept": .integer(listed.count)])))
            } else {
                Console.out("Erased the details of \(done.ref) (now \"\(done.name)\"); \(listed.count) booking\(listed.count == 1 ? "" : "s") kept.")
            }
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
        // Absent when empty, like the other optional members, so output for untagged customers is as before.
        if !c.tags.isEmpty { o["tags"] = .array(c.tags.map { .string($0) }) }
        o["merged_into"] = .optional(c.mergedInto?.rawValue)
        if c.erased { o["erased"] = .bool(true) }
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
