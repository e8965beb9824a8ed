import FrontdeskCore
import FrontdeskTUI

/// One day's printable run sheet: per resource, the bookings that touch the day in start
/// order, each with its times, customer, service, phone, notes and amount due.
///
/// Built from a state that holds the day's bookings (the command loads them first) and drawn
/// as text (``text()``), HTML (``html()``) or JSON (``json``). Cancelled bookings are left
/// out: nobody is coming for them. Contact details appear only when the account may read them.
struct AgendaSheet {
    /// One booking on one resource's sheet.
    struct Entry {
        var booking: Booking
        /// Times in the resource's zone: `09:00`, or `Tue 09:00` when that end is on another day.
        var start: String
        var end: String
        /// The customer's name, or `(blocked)` for time with no customer.
        var customer: String
        var customerRef: String?
        var service: String?
        /// nil when there is none or the account may not read contact details.
        var phone: String?
        /// The booking's notes on one line, after the other resources it holds.
        var notes: String
        /// Owed less paid in minor units (negative: due back); nil for a booking without money.
        var due: Int64?
        var currency: Currency?

        /// The amount due as text: `28.00 GBP`, `settled`, `-5.00 GBP (due back)`, or empty.
        var dueText: String {
            guard let due, let currency else { return "" }
            if due == 0 { return "settled" }
            let m = Money(minorUnits: due, currency: currency).description
            return due < 0 ? m + " (due back)" : m
        }
    }

    /// One resource's part of the sheet (one printed page).
    struct Section {
        var resource: Resource
        var entries: [Entry]
    }

    var date: LocalDate
    var sections: [Section]

    /// The sheet for `date` over `resources` (in the order given) from `state`.
    ///
    /// A booking appears on the sheet of every resource it holds, in that resource's zone.
    /// With `keepEmpty` false, resources with nothing booked are left out.
    ///
    /// - Complexity: O(bookings in `state` × resources on the sheet), then a sort per section.
    static func build(state: BookingState, date: LocalDate, resources: [Resource], contact: Bool, keepEmpty: Bool) -> AgendaSheet {
        var sections: [Section] = []
        let wanted = Set(resources.map(\.id))
        var byResource: [ResourceID: [Booking]] = [:]
        for b in state.bookings.values where b.status != .cancelled {
            for r in b.resources where wanted.contains(r) { byResource[r, default: []].append(b) }
        }
        for r in resources {
            let day = TimeRange(start: r.zone.startOfDay(date), end: r.zone.startOfDay(date.adding(days: 1)))
            let list = (byResource[r.id] ?? []).filter { $0.range.overlaps(day) }.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
            if list.isEmpty && !keepEmpty { continue }
            sections.append(Section(resource: r, entries: list.map { entry($0, on: r, date: date, state: state, contact: contact) }))
        }
        return AgendaSheet(date: date, sections: sections)
    }

    private static func entry(_ b: Booking, on r: Resource, date: LocalDate, state: BookingState, contact: Bool) -> Entry {
        let zone = r.zone
        func time(_ i: Instant) -> String {
            let local = zone.local(i)
            return local.date == date ? Format.clock(i, zone) : "\(Format.weekday(local.date)) \(Format.clock(i, zone))"
        }
        let customer = b.customer.flatMap { state.customers[$0] }
        var notes: [String] = []
        let others = b.resources.filter { $0 != r.id }
        if !others.isEmpty { notes.append("with " + others.map { state.resources[$0]?.name ?? $0.rawValue }.joined(separator: ", ")) }
        if b.status != .confirmed { notes.append(Format.status(b.status)) }
        let text = b.notes.split(whereSeparator: \.isNewline).map { $0.trimming(.whitespaces) }.filter { !$0.isEmpty }
        if !text.isEmpty { notes.append(text.joined(separator: " / ")) }
        let phone = contact ? customer?.phone.flatMap { $0.isEmpty ? nil : $0 } : nil
        return Entry(booking: b, start: time(b.start), end: time(b.end), customer: b.customer == nil ? "(blocked)" : customer?.name ?? b.customer!.rawValue,
                     customerRef: customer?.ref, service: serviceName(of: b, in: state), phone: phone, notes: notes.joined(separator: "; "),
                     due: b.charges.flatMap { try? $0.balance(status: b.status) }, currency: b.charges?.currency)
    }

    /// The name of the catalog service a booking was made for; nil for a booking of plain
    /// resources (or one made before bookings recorded their service).
    static func serviceName(of b: Booking, in state: BookingState) -> String? {
        b.service.map { state.services[$0]?.name ?? $0.rawValue }
    }

    /// Whether any entry has a value for the column (empty columns are left out of the text).
    func anyEntry(_ has: (Entry) -> Bool) -> Bool { sections.contains { $0.entries.contains(where: has) } }
}
