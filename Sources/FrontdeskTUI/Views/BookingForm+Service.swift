import FrontdeskCore

/// The booking form's service part: accepting a service, its price, the resources tried
/// first, and the request the form saves.
extension BookingForm {
    /// Accepts `s`: its price prefilled, its resources chosen at the next check.
    mutating func accept(_ s: Service) {
        pick.accept(s)
        let prefilled = s.price.flatMap { p in currency.map { Money(minorUnits: p, currency: $0).plain } } ?? ""
        price = TextField(prefilled, maxLength: 20)
        priceReason = TextField(maxLength: 500)
        error = nil
    }

    /// Resources tried first for the service: the cursor's column, then the customer's recent ones.
    var preferred: [ResourceID] { [resource.id] + recent.resources.filter { $0 != resource.id } }

    /// Whether the Price field shows: a manager's form, a priced service, a store currency.
    var showsPrice: Bool { mayPrice && currency != nil && pick.service?.price != nil }

    /// Whether the typed price differs from the service's (then it needs a reason).
    var priceChanged: Bool {
        guard let s = pick.service, let c = currency, let p = s.price else { return false }
        return price.text.trimming(.whitespaces) != Money(minorUnits: p, currency: c).plain
    }

    /// The price set by hand, nil when the service's stands: the typed amount, the service's
    /// deposit (at most the price) and fees, and the manager's reason.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` for an amount that cannot be read
    ///   (field `price`) or a missing reason (field `reason`).
    func priceDraft() throws(CoreError) -> PriceDraft? {
        guard showsPrice, priceChanged, let s = pick.service, let c = currency else { return nil }
        let amount: Int64
        do { amount = try Money.parse(price.text.trimming(.whitespaces), in: c).minorUnits } catch {
            throw .invalidInput(field: "price", message: error.description)
        }
        let reason = priceReason.text.trimming(.whitespaces)
        guard !reason.isEmpty else {
            throw .invalidInput(field: "reason", message: "a price set by hand is a manager override: type the reason in Reason")
        }
        return PriceDraft(price: amount, deposit: min(s.deposit ?? 0, amount), lateCancelFee: s.lateCancellationFee ?? 0,
                          noShowFee: s.noShowFee ?? 0, reason: reason)
    }

    /// Reads the chosen customer's recent resources once per customer, so their usual
    /// stylist is tried after the cursor's column (as `book --service` tries it). A failed
    /// read is shown in the form's error line; the choice then goes on without it.
    mutating func refreshPreferred(in storage: any BookingStorage, state: BookingState) {
        guard pick.service != nil, case .existing(let id)? = customerChoice(in: state) else { return }
        guard recent.customer != id else { return }
        do {
            recent = (id, try storage.recentResources(of: id, before: start))
        } catch {
            recent = (id, [])
            self.error = "Could not read the customer's past bookings: \(storage.describe(error).message)"
        }
    }

    /// The service booking the form asks for: the picks as shown (each must still be free),
    /// nil when no service is accepted.
    ///
    /// - Throws: as ``priceDraft()``.
    func serviceRequest(in state: BookingState, overrideReason: String?) throws(CoreError) -> ServiceBookingRequest? {
        guard let s = pick.service else { return nil }
        return ServiceBookingRequest(service: s.id, start: start, customer: customerChoice(in: state), fixed: pick.picks,
                                     preferred: preferred, status: status, notes: notesToSave, overrideReason: overrideReason,
                                     price: try priceDraft())
    }

    /// How many lines the service part takes in the form (none on a store without services).
    func serviceLineCount(in state: BookingState) -> Int {
        guard offersServices else { return 0 }
        guard pick.service != nil else { return 2 + max(1, pick.matches(in: state).count) }
        return 3 + max(1, pick.picks.count) + (showsPrice ? 1 + (priceChanged ? 1 : 0) : 0)
    }

    /// The hint line under an unaccepted Service field.
    func serviceHint(in state: BookingState) -> String {
        let t = pick.text.text.trimming(.whitespaces)
        if t.isEmpty { return "none: \(resource.name) for the time below · type to find a service" }
        return "no service matches \"\(t)\" · Ctrl-U clears it"
    }
}
