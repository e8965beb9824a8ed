import FrontdeskCore

extension TUIApp {
    /// `C`: the customer of the booking the next c/m/s acts on (the open detail's, the agenda's
    /// selection, the one under the cursor); with no booking there, a prompt for one (name,
    /// reference, phone or e-mail). Esc goes back to the detail it was opened from.
    func openCustomer() {
        if let b = targetBooking() {
            guard let id = b.customer else { show("\(b.ref) has no customer (blocked time).", error: true); return }
            var back: Overlay? = nil
            if case .detail = overlay { back = overlay }
            openCustomer(id, back: back)
            return
        }
        overlay = .prompt(InputPrompt(.customer, label: "Customer (name, reference, phone or e-mail):"))
    }

    /// F2 in the booking form's customer field: the chosen existing customer's record; Esc goes
    /// back to the form as it was.
    func openCustomer(fromForm f: BookingForm) {
        guard case .existing(let id)? = f.customerChoice(in: state) else {
            show("Choose an existing customer first: F2 shows their record.", error: true)
            return
        }
        openCustomer(id, back: .form(f))
    }

    /// The customer view of `id`, returning to `back`.
    func openCustomer(_ id: CustomerID, back: Overlay?) {
        do {
            guard let c = try connection.storage.customer(id: id) else { show("Customer \(id.rawValue) not found.", error: true); return }
            try openCustomer(c, back: back)
        } catch {
            show("The customer could not be read: \(connection.storage.describe(error).message)", error: true)
        }
    }

    /// The customer view of `c` from every booking of theirs (through the customer index),
    /// times in the zone of their latest booking's resource, else the grid's.
    ///
    /// - Throws: what the storage throws reading the bookings; a total that does not add up.
    func openCustomer(_ c: Customer, back: Overlay?) throws {
        let all = try connection.storage.bookings(ofCustomer: c.id, range: TimeRange(start: Instant(seconds: 0), end: SupportedRange.upperBound))
        let summary = try CustomerSummary.make(customer: c, bookings: all, now: now, currency: state.currency, historyLimit: CustomerView.pastShown)
        let latest = all.max { $0.range.start < $1.range.start }
        let shownZone = latest.flatMap { state.resources[$0.resource]?.zone } ?? zone
        let lines = CustomerView.lines(summary, zone: shownZone, state: state, contact: connection.allows(.readContactDetails))
        overlay = .customer(CustomerView.State(title: "Customer \(c.ref) \(c.name)", lines: lines, back: back))
    }
}
