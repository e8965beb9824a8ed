import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk pay B-01F --amount 10.00 --method cash`: records a payment (desk).
struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Record a payment against a booking.",
        discussion: "A pending_payment booking whose deposit the payment covers is confirmed in the same change. No card data is ever stored: a reference that looks like a card number is refused.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Amount in the store's currency, e.g. 10.00.") var amount: String
    @Option(help: "cash, card, transfer or external.") var method: String
    @Option(help: "Receipt number or gateway reference (never card data).") var reference: String?
    @Option(help: "Client key: the same key and payment on this booking records it once.") var idempotencyKey: String?
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?

    func run() throws {
        let session = try StorageSession.open(global, for: .takePayment)
        let m = try MoneyCommands.method(method)
        let b = try findBooking(id, in: session.store)
        let minor = try MoneyOutput.amount(amount, field: "--amount", state: session.store.state)
        let key = try InputParsing.idempotencyKey(idempotencyKey)
        let (actor, reference, expect) = (session.actor, self.reference, expectVersion)
        let outcome = try session.store.write("pay", .edit(b.id)) { state, engine throws(CoreError) in
            try engine.pay(b.id, amount: minor, method: m, reference: reference, idempotencyKey: key, expectVersion: expect, in: state, by: actor)
        }
        MoneyCommands.report(outcome, verb: outcome.replayed ? "Already recorded" : "Recorded", json: global.json, state: session.store.state)
    }
}

/// `frontdesk refund B-01F --amount 5.00`: records a refund due to the customer (manager).
struct RefundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund", abstract: "Record a refund due back to a customer (refund.due tells a gateway hook to pay it).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Amount in the store's currency, at most what is paid.") var amount: String
    @Option(help: "cash, card, transfer or external (default: the method of the latest payment).") var method: String?
    @Option(help: "Why (kept in the ledger and history).") var reason: String?
    @Option(help: "Client key: the same key and refund on this booking records it once.") var idempotencyKey: String?
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?

    func run() throws {
        let session = try StorageSession.open(global, for: .refund)
        let m = try method.map(MoneyCommands.method)
        let b = try findBooking(id, in: session.store)
        let minor = try MoneyOutput.amount(amount, field: "--amount", state: session.store.state)
        let key = try InputParsing.idempotencyKey(idempotencyKey)
        let (actor, reason, expect) = (session.actor, self.reason, expectVersion)
        let outcome = try session.store.write("refund", .edit(b.id)) { state, engine throws(CoreError) in
            try engine.refund(b.id, amount: minor, method: m, reason: reason, idempotencyKey: key, expectVersion: expect, in: state, by: actor)
        }
        MoneyCommands.report(outcome, verb: outcome.replayed ? "Already recorded" : "Recorded", json: global.json, state: session.store.state)
    }
}

/// `frontdesk price B-01F --price 38.00 --deposit 10.00 --reason TEXT`: sets a booking's price
/// by hand (manager).
struct PriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "price", abstract: "Set or change a booking's price, deposit and fees (a manager override with a reason).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @OptionGroup var money: PriceOptions
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?

    func run() throws {
        let session = try StorageSession.open(global, for: .setPrice)
        let b = try findBooking(id, in: session.store)
        guard let draft = try money.draft(state: session.store.state) else { throw CLIError.usage("give --price (and --reason)") }
        let (actor, expect) = (session.actor, expectVersion)
        let done = try session.store.write("price", .edit(b.id)) { state, engine throws(CoreError) in
            try engine.setPrice(b.id, draft, expectVersion: expect, in: state, by: actor)
        }
        printBookings([done], session.store, json: global.json, verb: "Priced")
    }
}

/// `frontdesk settings currency GBP`, `frontdesk settings show`: store-wide settings (admin).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "Show or set store settings (the currency).",
                                                    subcommands: [Currency.self, Show.self])

    struct Currency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "currency", abstract: "Set the store's currency (ISO 4217, once: amounts are stored in its minor units).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The code, e.g. GBP, EUR, USD, JPY, BHD.") var code: String

        func run() throws {
            let session = try StorageSession.open(global, for: .manageSettings)
            let actor = session.actor
            let c = try session.store.write("settings currency", .directory) { state, engine throws(CoreError) in
                try engine.setCurrency(code, in: state, by: actor)
            }
            if global.json { Console.out(Format.json(["currency": .string(c.code), "minor_unit_digits": JSONTree.integer(c.exponent)] as [String: JSONTree])) }
            else { Console.out("The store's currency is \(c.code) (\(c.exponent) decimal\(c.exponent == 1 ? "" : "s"))") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the store's settings.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            let c = session.store.state.currency
            if global.json {
                var o: [String: JSONTree] = [:]
                o["currency"] = .optional(c?.code)
                o["minor_unit_digits"] = c.map { .integer($0.exponent) }
                Console.out(Format.json(JSONTree.object(o)))
            } else {
                Console.out("currency  " + (c.map { "\($0.code) (\($0.exponent) decimals)" } ?? "not set: frontdesk settings currency GBP"))
            }
        }
    }
}

enum MoneyCommands {
    static func method(_ text: String) throws -> PaymentMethod {
        guard let m = PaymentMethod(rawValue: text.lowercased()) else {
            throw CLIError.invalidInput(field: "--method", message: "\"\(Format.safe(text))\" is not a payment method; use cash, card, transfer or external")
        }
        return m
    }

    /// Prints what a payment or refund recorded: the entry and the booking's totals.
    static func report(_ o: PaymentOutcome, verb: String, json: Bool, state: BookingState) {
        if json {
            var tree = BookingJSON(o.booking, state: state).json.objectValue ?? [:]
            tree["entry"] = MoneyOutput.entry(o.entry, booking: o.booking)
            if o.replayed { tree["replayed"] = .bool(true) }
            Console.out(Format.json(JSONTree.object(tree)))
            return
        }
        guard let c = o.booking.charges else { return }
        let what = o.entry.kind == .refund ? "refund due" : o.entry.kind.rawValue
        var line = "\(verb) \(what) \(c.money(o.entry.amount))"
        if let m = o.entry.method { line += " by \(m.rawValue)" }
        line += " on \(o.booking.ref)"
        if let paid = try? c.paid(), let balance = try? c.balance(status: o.booking.status) {
            line += ": paid \(c.money(paid)), balance \(c.money(balance)), \(o.booking.status)"
        }
        Console.out(Format.safe(line))
    }
}
