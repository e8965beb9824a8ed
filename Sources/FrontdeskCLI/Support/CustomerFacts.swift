import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// What `customer show` prints: the one ``CustomerSummary`` the TUI's customer view shows too,
/// read from the store and written as text or `--json`.
enum CustomerFacts {
    /// Every instant the store can hold: a customer's whole history.
    static let everything = TimeRange(start: Instant(seconds: 0), end: CustomerCommand.Show.end)

    /// The summary of `c` from every booking of theirs (through the customer index).
    static func summary(of c: Customer, in store: any BookingStorage, now: Instant, historyLimit: Int) throws -> CustomerSummary {
        let all: [Booking]
        do { all = try store.bookings(ofCustomer: c.id, range: everything) } catch let e as StoreError { throw Store.asIncomplete(e) }
        do { return try CustomerSummary.make(customer: c, bookings: all, now: now, currency: store.state.currency, historyLimit: historyLimit) } catch {
            throw CLIError.invalidInput(field: "money", message: "the totals of \(c.ref) do not add up: \(error)")
        }
    }

    /// The lines after the customer's row: tags, notes, totals and counts.
    static func lines(_ s: CustomerSummary) -> [String] {
        var out: [String] = []
        if s.customer.erased { out.append("Erased: contact details and notes removed on request.") }
        if !s.customer.tags.isEmpty { out.append("Tags: " + s.customer.tags.joined(separator: ", ")) }
        if let n = s.customer.notes { out.append("Notes: " + n) }
        var money: [String] = []
        if let p = s.text(s.paid) { money.append("Paid: \(p)") }
        if let d = s.text(s.due) { money.append("Due: \(d)") }
        if !money.isEmpty { out.append(money.joined(separator: "   ")) }
        out.append("Bookings: \(s.upcoming.count) upcoming, \(s.pastCount) past   No-shows: \(s.noShows)   Late cancellations: \(s.lateCancellations)")
        return out
    }

    /// `customer show --json`: the customer (as `visible` shows it), the bookings, totals in
    /// minor units beside the currency (left out without one) and the counts.
    static func json(_ s: CustomerSummary, visible: (Customer) -> Customer, state: BookingState) -> JSONTree {
        var o: [String: JSONTree] = ["customer": CustomerPrinter.json(visible(s.customer))]
        o["upcoming"] = .array(s.upcoming.map { BookingJSON($0, state: state).json })
        o["history"] = .array(s.past.map { BookingJSON($0, state: state).json })
        o["past_count"] = .integer(s.pastCount)
        o["no_shows"] = .integer(s.noShows)
        o["late_cancellations"] = .integer(s.lateCancellations)
        if let c = s.currency, let paid = s.paid, let due = s.due {
            o["totals"] = .object(["currency": .string(c.code), "minor_unit_digits": .integer(c.exponent), "paid": .integer(paid), "due": .integer(due)])
        }
        return .object(o)
    }
}
