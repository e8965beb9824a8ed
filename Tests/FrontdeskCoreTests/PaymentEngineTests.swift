import Testing
@testable import FrontdeskCore

/// The engine's money: the store currency, prices, payments, refunds, fees, the deposit that
/// confirms a hold, idempotency keys, and the access actions each change takes.
@Suite struct PaymentEngineTests {
    static let gbp = Currency(code: "GBP")!

    /// A world in pounds with one resource whose cancellation notice is 24 hours.
    static func world() throws -> (World, ResourceID) {
        var w = World()
        w.commit(try w.engine.setCurrency("GBP", in: w.state, by: w.desk))
        let s = try w.schedule(hours: "00:00-24:00", days: Weekday.allCases) { $0.cancellationNotice = .hours(24) }
        let r = try w.resource("Ana", schedule: s)
        return (w, r)
    }

    static func priced(_ w: inout World, _ r: ResourceID, start: String = "2027-03-03T10:00:00Z", status: BookingStatus = .confirmed,
                       price: Int64 = 3800, deposit: Int64 = 1000, late: Int64 = 1500, noShow: Int64 = 2000) throws -> Booking {
        var req = BookingRequest(resource: r, range: TimeRange(start: World.t(start), end: World.t(start) + .minutes(45)), status: status,
                                 hold: .days(30))
        req.price = PriceDraft(price: price, deposit: deposit, lateCancelFee: late, noShowFee: noShow, reason: "price list")
        return w.commit(try w.engine.book(req, in: w.state, by: w.desk)).bookings[0]
    }

    @Test func moneyNeedsTheStoreCurrency() throws {
        var w = World()
        let r = try w.resource("Ana")
        let b = try w.book(r, "2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z")
        let e = #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 100, method: .cash, in: w.state, by: w.desk) }
        #expect(e?.description.contains("frontdesk settings currency GBP") == true, "\(e?.description ?? "")")
        var req = BookingRequest(resource: r, range: World.r("2027-03-04T10:00:00Z", "2027-03-04T11:00:00Z"))
        req.price = PriceDraft(price: 100, reason: "x")
        #expect(throws: CoreError.self) { try w.engine.book(req, in: w.state, by: w.desk) }
    }

    @Test func theCurrencyIsSetOnceAndAudited() throws {
        var w = World()
        let first = try w.engine.setCurrency("gbp", in: w.state, by: w.desk)
        #expect(first.value == Self.gbp)
        #expect(first.transaction.auditEntries.map(\.entity) == [.settings])
        #expect(Access.actions(of: first.transaction, before: w.state) == [.manageSettings])
        w.commit(first)
        #expect(w.state.currency == Self.gbp && w.state.settings["currency"]?.version == 1)
        #expect(try w.engine.setCurrency("GBP", in: w.state, by: w.desk).transaction.isEmpty)
        let e = #expect(throws: CoreError.self) { try w.engine.setCurrency("EUR", in: w.state, by: w.desk) }
        #expect(e?.description.contains("GBP already") == true)
        #expect(throws: CoreError.self) { try w.engine.setCurrency("Pounds", in: w.state, by: w.desk) }
    }

    @Test func aPriceSetByHandNeedsAReasonAndAManager() throws {
        var (w, r) = try Self.world()
        var req = BookingRequest(resource: r, range: World.r("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z"))
        req.price = PriceDraft(price: 3800, deposit: 1000)
        #expect(throws: CoreError.invalidInput(field: "reason", message: "setting a price by hand is a manager override; give the reason with --reason")) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
        req.price = PriceDraft(price: 1000, deposit: 2000, reason: "x")
        #expect(throws: CoreError.self) { try w.engine.book(req, in: w.state, by: w.desk) }
        req.price = PriceDraft(price: -1, reason: "x")
        #expect(throws: CoreError.self) { try w.engine.book(req, in: w.state, by: w.desk) }
        req.price = PriceDraft(price: 3800, deposit: 1000, reason: "price list")
        let manual = try w.engine.book(req, in: w.state, by: w.desk)
        #expect(Access.actions(of: manual.transaction, before: w.state) == [.book, .setPrice])
        #expect(manual.value.bookings[0].history[0].changes.last?.contains("price 38.00 GBP, deposit 10.00 GBP") == true)
        // From a service: no reason, no override.
        req.price = PriceDraft(price: 3800, deposit: 1000, fromService: true)
        let service = try w.engine.book(req, in: w.state, by: w.desk)
        #expect(Access.actions(of: service.transaction, before: w.state) == [.book])
        let b = w.commit(service).bookings[0]
        let repriced = try w.engine.setPrice(b.id, PriceDraft(price: 4000, deposit: 1000, reason: "longer hair"), in: w.state, by: w.desk)
        #expect(Access.actions(of: repriced.transaction, before: w.state).contains(.setPrice))
    }

    @Test func theDepositConfirmsAPendingPaymentBookingInTheSameChange() throws {
        var (w, r) = try Self.world()
        let b = try Self.priced(&w, r, status: .pendingPayment)
        let part = try w.engine.pay(b.id, amount: 400, method: .card, reference: "T-1", in: w.state, by: w.desk)
        #expect(part.value.booking.status == .pendingPayment)
        #expect(part.transaction.events.map(\.type) == [.paymentRecorded])
        #expect(Access.actions(of: part.transaction, before: w.state) == [.takePayment])
        w.commit(part)
        let rest = try w.engine.pay(b.id, amount: 600, method: .cash, in: w.state, by: w.desk)
        let after = rest.value.booking
        #expect(after.status == .confirmed && after.holdExpiresAt == nil)
        #expect(rest.transaction.events.map(\.type) == [.paymentRecorded, .bookingConfirmed])
        #expect(rest.transaction.events[0].ledgerEntry == rest.value.entry)
        #expect(rest.transaction.bookings.count == 1, "one record holds the payment and the confirmation")
        #expect(Access.actions(of: rest.transaction, before: w.state) == [.takePayment, .changeStatus])
        w.commit(rest)
        let c = try #require(w.state.bookings[b.id]?.charges)
        #expect(try c.paid() == 1000 && c.balance(status: .confirmed) == 2800)
        #expect(w.state.bookings[b.id]?.history.last?.changes.contains("status pending_payment → confirmed (deposit covered)") == true)
    }

    @Test func anExpiredHoldIsCancelledNotPaid() throws {
        var (w, r) = try Self.world()
        var req = BookingRequest(resource: r, range: World.r("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z"), status: .pendingPayment, hold: .minutes(15))
        req.price = PriceDraft(price: 3800, deposit: 1000, reason: "x")
        let b = w.commit(try w.engine.book(req, in: w.state, by: w.desk)).bookings[0]
        w.clock.advance(by: .minutes(16))
        let e = #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 1000, method: .card, in: w.state, by: w.desk) }
        #expect(e?.description.contains("owes nothing (it is cancelled: hold expired)") == true, "\(e?.description ?? "")")
    }

    @Test func paymentsAndRefundsStayWithinWhatIsOwedAndPaid() throws {
        var (w, r) = try Self.world()
        let b = try Self.priced(&w, r)
        #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 0, method: .cash, in: w.state, by: w.desk) }
        #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 3801, method: .cash, in: w.state, by: w.desk) }
        #expect(throws: CoreError.self) { try w.engine.refund(b.id, amount: 1, in: w.state, by: w.desk) }
        let e = #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 100, method: .card, reference: "4111 1111 1111 1111", in: w.state, by: w.desk) }
        #expect(e?.description.contains("card number") == true)
        w.commit(try w.engine.pay(b.id, amount: 3800, method: .card, in: w.state, by: w.desk))
        #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 1, method: .cash, in: w.state, by: w.desk) }
        let refund = try w.engine.refund(b.id, amount: 800, reason: "goodwill", in: w.state, by: w.desk)
        #expect(refund.value.entry.method == .card, "a refund goes back the way the money came")
        #expect(refund.transaction.events.map(\.type) == [.refundDue])
        #expect(Access.actions(of: refund.transaction, before: w.state) == [.refund])
        w.commit(refund)
        #expect(throws: CoreError.self) { try w.engine.refund(b.id, amount: 3001, in: w.state, by: w.desk) }
        let c = try #require(w.state.bookings[b.id]?.charges)
        #expect(try c.paid() == 3000 && c.balance(status: .confirmed) == 800)
    }

    @Test func anIdempotencyKeyRecordsAPaymentOnce() throws {
        var (w, r) = try Self.world()
        let b = try Self.priced(&w, r)
        let first = w.commit(try w.engine.pay(b.id, amount: 500, method: .card, reference: "G-9", idempotencyKey: "k1", in: w.state, by: w.desk))
        let again = try w.engine.pay(b.id, amount: 500, method: .card, reference: "G-9", idempotencyKey: "k1", in: w.state, by: w.desk)
        #expect(again.transaction.isEmpty && again.value.replayed && again.value.entry == first.entry)
        #expect(throws: CoreError.idempotencyKeyReused(key: "k1", existing: [b.id])) {
            try w.engine.pay(b.id, amount: 600, method: .card, reference: "G-9", idempotencyKey: "k1", in: w.state, by: w.desk)
        }
        #expect(w.state.bookings[b.id]?.charges?.ledger.count == 1)
    }

    @Test func lateCancellationAndNoShowChargeTheirFees() throws {
        var (w, r) = try Self.world()
        // Inside the 24-hour notice: a late cancellation (by override) charges its fee.
        let soon = try Self.priced(&w, r, start: "2027-03-01T12:00:00Z")
        w.commit(try w.engine.pay(soon.id, amount: 1000, method: .card, in: w.state, by: w.desk))
        let cancel = try w.engine.cancel(soon.id, reason: "ill", overrideReason: "manager ok", in: w.state, by: w.desk)
        #expect(cancel.transaction.events.map(\.type) == [.bookingCancelled, .feeCharged])
        #expect(cancel.transaction.events[1].ledgerEntry?.amount == 1500)
        w.commit(cancel)
        let c = try #require(w.state.bookings[soon.id]?.charges)
        #expect(try c.fees() == 1500 && c.balance(status: .cancelled) == 500)
        // Outside the notice: no fee.
        let later = try Self.priced(&w, r, start: "2027-03-10T12:00:00Z")
        let plain = try w.engine.cancel(later.id, reason: "moved away", in: w.state, by: w.desk)
        #expect(plain.transaction.events.map(\.type) == [.bookingCancelled])
        // A no-show charges the no-show fee instead of the price.
        let missed = try Self.priced(&w, r, start: "2027-03-01T08:30:00Z")
        w.clock.advance(by: .hours(1))
        let noShow = try w.engine.setStatus(missed.id, to: .noShow, in: w.state, by: w.desk)
        #expect(noShow.transaction.events.map(\.type) == [.bookingNoShow, .feeCharged])
        w.commit(noShow)
        #expect(try w.state.bookings[missed.id]?.charges?.balance(status: .noShow) == 2000)
        // A booking with no fee set charges nothing.
        let free = try Self.priced(&w, r, start: "2027-03-01T09:30:00Z", late: 0, noShow: 0)
        w.clock.advance(by: .hours(1))
        #expect(try w.engine.setStatus(free.id, to: .noShow, in: w.state, by: w.desk).transaction.events.map(\.type) == [.bookingNoShow])
    }

    @Test func aCorrectionReversesTheFeeTheOldStatusChargedAndChargesTheNewOnes() throws {
        var (w, r) = try Self.world()
        let missed = try Self.priced(&w, r, start: "2027-03-01T08:30:00Z")
        w.clock.advance(by: .hours(1))
        w.commit(try w.engine.setStatus(missed.id, to: .noShow, in: w.state, by: w.desk))
        // The customer did come: the no-show fee goes back, in the same version, with its event.
        let fixed = try w.engine.correctStatus(missed.id, to: .completed, reason: "arrived late, marked wrongly", in: w.state, by: w.desk)
        #expect(fixed.transaction.events.map(\.type) == [.bookingCompleted, .feeReversed])
        let reversal = try #require(fixed.transaction.events[1].ledgerEntry)
        #expect(reversal.kind == .feeReversal && reversal.amount == 2000 && reversal.reference == "no-show" && reversal.method == nil)
        let done = w.commit(fixed)
        #expect(done.charges?.ledger.last == reversal)
        #expect(done.history.last?.changes.contains("fee 20.00 GBP reversed (no-show; correction: arrived late, marked wrongly)") == true, "\(done.history)")
        var c = try #require(done.charges)
        #expect(try c.fees() == 0 && c.balance(status: .completed) == 3800)
        // Corrected back to a no-show: charged once again, and not twice.
        let again = w.commit(try w.engine.correctStatus(missed.id, to: .noShow, reason: "it was the other Ann", in: w.state, by: w.desk))
        c = try #require(again.charges)
        #expect(try c.fees() == 2000 && c.fees(reference: "no-show") == 2000 && c.ledger.filter { $0.kind == .fee }.count == 2)
        // A late cancellation corrected: its fee goes back; a cancellation in time had none.
        let soon = try Self.priced(&w, r, start: "2027-03-01T12:00:00Z")
        w.commit(try w.engine.cancel(soon.id, reason: "ill", overrideReason: "manager ok", in: w.state, by: w.desk))
        let back = try w.engine.correctStatus(soon.id, to: .confirmed, reason: "cancelled the wrong booking", in: w.state, by: w.desk)
        #expect(back.transaction.events.map(\.type) == [.bookingConfirmed, .feeReversed])
        #expect(try w.commit(back).charges?.fees() == 0)
        // From cancelled straight to no-show: the late fee reversed, the no-show fee charged.
        w.commit(try w.engine.cancel(soon.id, reason: "ill", overrideReason: "manager ok", in: w.state, by: w.desk))
        w.clock.advance(by: .hours(4))
        let swap = try w.engine.correctStatus(soon.id, to: .noShow, reason: "never called", in: w.state, by: w.desk)
        #expect(swap.transaction.events.map(\.type) == [.bookingNoShow, .feeReversed, .feeCharged])
        let swapped = w.commit(swap)
        #expect(try swapped.charges?.fees() == 2000 && swapped.charges?.fees(reference: "late cancellation") == 0)
        let inTime = try Self.priced(&w, r, start: "2027-03-20T12:00:00Z")
        w.commit(try w.engine.cancel(inTime.id, reason: "moved away", in: w.state, by: w.desk))
        #expect(try w.engine.correctStatus(inTime.id, to: .confirmed, reason: "x", in: w.state, by: w.desk).transaction.events.map(\.type) == [.bookingConfirmed])
    }

    @Test func anUnpricedBookingTakesNoPayment() throws {
        var (w, r) = try Self.world()
        let b = try w.book(r, "2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z")
        let e = #expect(throws: CoreError.self) { try w.engine.pay(b.id, amount: 100, method: .cash, in: w.state, by: w.desk) }
        #expect(e?.description.contains("has no price") == true)
    }

    /// Random bookings, payments, refunds, cancellations, no-shows, status corrections and clock
    /// steps against a model of each booking's account: every payment or refund is accepted
    /// exactly when the model says it fits, a correction takes back the fee the old status
    /// charged and charges the new one's, and every booking's ledger adds up to the model's totals.
    @Test("model: the ledger balances", arguments: [1, 2, 3, 4] as [UInt64])
    func ledgerBalances(seed: UInt64) throws {
        var (w, r) = try Self.world()
        var rng = SplitMix64(seed: seed)
        struct Account {
            var price: Int64; var late: Int64; var noShow: Int64; var payments: Int64 = 0; var refunds: Int64 = 0
            /// What the late-cancellation and the no-show fees still charge.
            var lateCharged: Int64 = 0; var noShowCharged: Int64 = 0
            var fees: Int64 { lateCharged + noShowCharged }
        }
        var corrections = 0, reversals = 0
        var model: [BookingID: Account] = [:]
        var ids: [BookingID] = []
        func owed(_ a: Account, _ s: BookingStatus) -> Int64 { (s == .cancelled || s == .noShow ? 0 : a.price) + a.fees }
        for step in 0..<300 {
            let now = w.clock.now()
            switch rng.next() % 9 {
            case 0, 1:
                let price = Int64(rng.next() % 10_000), deposit = price == 0 ? 0 : Int64(rng.next() % UInt64(price + 1))
                let start = now + .hours(Int64(rng.next() % 96) + 1)
                var req = BookingRequest(resource: r, range: TimeRange(start: start, end: start + .minutes(30)),
                                         status: rng.next() % 3 == 0 ? .pendingPayment : .confirmed, hold: .days(60))
                let late = Int64(rng.next() % 3000), noShow = Int64(rng.next() % 3000)
                req.price = PriceDraft(price: price, deposit: deposit, lateCancelFee: late, noShowFee: noShow, reason: "list")
                guard let p = try? w.engine.book(req, in: w.state, by: w.desk) else { continue }
                let b = w.commit(p).bookings[0]
                model[b.id] = Account(price: price, late: late, noShow: noShow)
                ids.append(b.id)
            case 2, 3:
                guard let id = ids.randomElement(using: &rng), let b = w.state.bookings[id], let a = model[id] else { continue }
                let balance = owed(a, b.status) - (a.payments - a.refunds)
                let amount = Int64(rng.next() % 6000)
                let method = PaymentMethod.allCases.randomElement(using: &rng)!
                let fits = amount > 0 && amount <= balance
                do {
                    let out = w.commit(try w.engine.pay(id, amount: amount, method: method, in: w.state, by: w.desk))
                    #expect(fits, "step \(step): paid \(amount) of \(balance)")
                    model[id]!.payments += amount
                    if b.status == .pendingPayment { #expect((out.booking.status == .confirmed) == (a.payments - a.refunds + amount >= b.charges!.deposit)) }
                } catch { #expect(!fits, "step \(step): \(error)") }
            case 4:
                guard let id = ids.randomElement(using: &rng), let a = model[id] else { continue }
                let amount = Int64(rng.next() % 4000)
                let fits = amount > 0 && amount <= a.payments - a.refunds
                do {
                    w.commit(try w.engine.refund(id, amount: amount, reason: "r", in: w.state, by: w.desk))
                    #expect(fits, "step \(step)")
                    model[id]!.refunds += amount
                } catch { #expect(!fits, "step \(step): \(error)") }
            case 5:
                guard let id = ids.randomElement(using: &rng), let b = w.state.bookings[id] else { continue }
                let late = now > b.start - .hours(24)
                guard let p = try? w.engine.cancel(id, reason: "r", overrideReason: "ok", in: w.state, by: w.desk) else { continue }
                w.commit(p)
                if late { model[id]!.lateCharged += model[id]!.late }
            case 6:
                guard let id = ids.randomElement(using: &rng) else { continue }
                guard let p = try? w.engine.setStatus(id, to: .noShow, in: w.state, by: w.desk) else { continue }
                w.commit(p)
                model[id]!.noShowCharged += model[id]!.noShow
            case 7:
                let correctable = ids.filter { w.state.bookings[$0].map { BookingEngine.correctableStatuses.contains($0.status) } ?? false }
                guard let id = correctable.randomElement(using: &rng), let b = w.state.bookings[id] else { continue }
                let to = [BookingStatus.confirmed, .tentative, .completed, .noShow].filter { $0 != b.status }.randomElement(using: &rng)!
                guard let p = try? w.engine.correctStatus(id, to: to, reason: "desk error", in: w.state, by: w.desk) else { continue }
                let done = w.commit(p)
                corrections += 1
                var a = model[id]!
                let before = a.fees
                if b.status == .noShow { a.noShowCharged = 0 }
                if b.status == .cancelled { a.lateCharged = 0 }
                if to == .noShow && a.noShowCharged == 0 { a.noShowCharged = a.noShow }
                // Each entry the correction added (in the same version) has its event.
                let added = Array(done.charges!.ledger.dropFirst(b.charges!.ledger.count))
                #expect(p.transaction.events.filter { $0.type == .feeReversed }.map(\.ledgerEntry) == added.filter { $0.kind == .feeReversal }.map { Optional($0) })
                #expect(p.transaction.events.filter { $0.type == .feeCharged }.map(\.ledgerEntry) == added.filter { $0.kind == .fee }.map { Optional($0) })
                if before > a.fees { reversals += 1 }
                model[id] = a
            default:
                w.clock.advance(by: .hours(Int64(rng.next() % 12)))
            }
            for (id, a) in model {
                let b = try #require(w.state.bookings[id])
                let c = try #require(b.charges)
                #expect(try c.total(.payment) == a.payments && c.total(.refund) == a.refunds && c.fees() == a.fees, "step \(step)")
                #expect(try c.paid() >= 0)
                #expect(try c.balance(status: b.status) == owed(a, b.status) - a.payments + a.refunds)
                #expect(c.ledger.allSatisfy { $0.amount > 0 })
            }
        }
        #expect(model.count > 20)
        #expect(corrections > 5 && reversals > 0, "corrections \(corrections), reversals \(reversals)")
    }
}
