import Foundation
import Testing
import FrontdeskCore
import FrontdeskJSON
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Money in the file store: the currency setting and each booking's charges and ledger are
/// journaled with their change, compacted into `settings.json` and the partitions, read back
/// the same by the fast and the general reader, checked, and kept through a crash; checked
/// against a simple model with random payments, refunds, cancellations, compactions and reopens.
@Suite struct MoneyStoreTests {
    static let actor = Support.actor

    static func withCurrency(_ dir: String, options: StoreOptions? = nil) throws -> (Store, ResourceID) {
        let (store, r) = try Support.newStore(dir, options: options)
        _ = try store.write("currency", .directory) { s, e throws(CoreError) in try e.setCurrency("GBP", in: s, by: actor) }
        return (store, r)
    }

    static func bookPriced(_ store: Store, _ r: ResourceID, hour: Int64, status: BookingStatus = .confirmed) throws -> Booking {
        var req = BookingRequest(resource: r, range: Support.slot(hour), status: status, hold: .days(60))
        req.price = PriceDraft(price: 3800, deposit: 1000, lateCancelFee: 1500, noShowFee: 2000, reason: "price list")
        return try store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: actor) }.bookings[0]
    }

    static func pay(_ store: Store, _ id: BookingID, _ amount: Int64, key: String? = nil) throws -> PaymentOutcome {
        try store.write("pay", .edit(id)) { s, e throws(CoreError) in
            try e.pay(id, amount: amount, method: .card, reference: "T-\(amount)", idempotencyKey: key, in: s, by: actor)
        }
    }

    static func refund(_ store: Store, _ id: BookingID, _ amount: Int64) throws -> PaymentOutcome {
        try store.write("refund", .edit(id)) { s, e throws(CoreError) in try e.refund(id, amount: amount, reason: "goodwill", in: s, by: actor) }
    }

    /// Every booking's charges, by id.
    static func ledgers(_ state: BookingState) -> [BookingID: Charges] {
        var out: [BookingID: Charges] = [:]
        for (id, b) in state.bookings { if let c = b.charges { out[id] = c } }
        return out
    }

    @Test func theCurrencyAndChargesSurviveReopenAndCompaction() throws {
        let dir = Support.tempDir("money-compact")
        defer { Support.remove(dir) }
        let (store, r) = try Self.withCurrency(dir)
        let b = try Self.bookPriced(store, r, hour: 1, status: .pendingPayment)
        let paid = try Self.pay(store, b.id, 1000, key: "k1")
        #expect(paid.booking.status == .confirmed)
        _ = try Self.refund(store, b.id, 250)
        let fromJournal = try Support.reopen(dir)
        #expect(fromJournal.state.currency == Currency(code: "GBP"))
        #expect(Self.ledgers(fromJournal.state) == Self.ledgers(store.state))
        try store.compact()
        #expect(try store.generation.manifest.contains(SettingSchema.file))
        #expect(store.generation.manifest.format == StoreFormat.businessDay)
        let compacted = try Support.reopen(dir)
        #expect(compacted.state.settings == store.state.settings)
        #expect(compacted.state.bookings[b.id] == store.state.bookings[b.id])
        #expect(try compacted.state.bookings[b.id]?.charges?.paid() == 750)
        #expect(compacted.check().ok)
        // The key still replays after compaction: it lives in the booking's ledger.
        let again = try Self.pay(compacted, b.id, 1000, key: "k1")
        #expect(again.replayed && again.entry == paid.entry)
        // The events carry the ledger entry.
        let types = try compacted.events(after: 0).map(\.event.type)
        #expect(types.contains(.paymentRecorded) && types.contains(.refundDue) && types.contains(.bookingConfirmed))
        let payment = try #require(try compacted.events(after: 0).first { $0.event.type == .paymentRecorded }?.event)
        #expect(payment.ledgerEntry == paid.entry)
    }

    @Test func chargesReadTheSameByBothReaders() throws {
        let gbp = Currency(code: "GBP")!
        let entry = LedgerEntry(id: "pay_1", kind: .payment, amount: 1000, method: .card, reference: "T \"1\"", at: Support.now,
                                actor: Self.actor, idempotencyKey: "k")
        let fee = LedgerEntry(id: "pay_2", kind: .fee, amount: 1500, method: nil, reference: "late cancellation", at: Support.now,
                              actor: Self.actor, idempotencyKey: nil)
        var b = Booking(id: BookingID("bk_1"), ref: "B-001", resource: ResourceID("res_1"), customer: nil, range: Support.slot(1),
                        status: .cancelled, createdBy: Self.actor, updatedBy: Self.actor, version: 3, createdAt: Support.now,
                        updatedAt: Support.now, notes: "", series: nil, occurrenceDate: nil, holdExpiresAt: nil, cancellation: nil,
                        idempotencyKey: nil, overrideReason: nil, history: [])
        b.charges = Charges(currency: gbp, price: 3800, deposit: 1000, lateCancelFee: 1500, noShowFee: 0, priceReason: "list", ledger: [entry, fee])
        let bytes = try BookingSchema.partitionBytes([b])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""charges":{"currency":"GBP","price":3800,"deposit":1000,"lateCancelFee":1500,"noShowFee":0,"priceReason":"list","ledger":[{"id":"pay_1","kind":"payment","amount":1000,"method":"card""#), "\(text)")
        let doc = try SchemaValue.root(bytes)
        #expect(BookingSchema.readArray(doc.doc, at: 0) == [b], "the fast reader")
        #expect(try doc.array(BookingSchema.read) == [b], "the general reader")
        // Written without charges, a booking reads back without them (stores before money).
        b.charges = nil
        #expect(try BookingSchema.readPartition(try BookingSchema.partitionBytes([b])) == [b])
    }

    @Test("damaged charges are named", arguments: [
        (#""currency":"XXX""#, "currency"), (#""price":-5"#, "negative"), (#""price":1.5"#, "price"),
        (#""deposit":9999"#, "deposit"), (#""kind":"tip""#, "kind"), (#""amount":0"#, "above zero"),
        (#""method":"cheque""#, "method"),
    ])
    func damagedCharges(replacement: String, word: String) throws {
        let template = #"{"currency":"GBP","price":3800,"deposit":1000,"lateCancelFee":0,"noShowFee":0,"ledger":[{"id":"p","kind":"payment","amount":100,"method":"cash","reference":"","at":"2027-01-01T00:00:00Z","actor":{"user":"a","origin":"local","source":"cli"}}]}"#
        let key = String(replacement.prefix { $0 != ":" })
        let pattern = try NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: key) + #":("[^"]*"|[0-9.\-]+)"#)
        let bad = pattern.stringByReplacingMatches(in: template, range: NSRange(template.startIndex..., in: template), withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
        #expect(bad != template)
        let e = #expect(throws: SchemaError.self) { try ChargesSchema.read(SchemaValue.root(Array(bad.utf8))) }
        #expect("\(e.map { "\($0)" } ?? "")".contains(word), "\(bad): \(e.map { "\($0)" } ?? "")")
        #expect(try ChargesSchema.read(SchemaValue.root(Array(template.utf8))).ledger.count == 1)
    }

    @Test func aDamagedSettingsFileIsNamed() throws {
        let dir = Support.tempDir("money-settings-damaged")
        defer { Support.remove(dir) }
        let (store, _) = try Self.withCurrency(dir)
        try store.compact()
        try Data(#"[{"name":"currency","value":"Pounds","version":1,"at":"2027-01-01T00:00:00Z","by":{"user":"a","origin":"local","source":"cli"}}]"#.utf8)
            .write(to: URL(fileURLWithPath: store.generation.path + "/" + SettingSchema.file))
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.contains("settings.json") }, "\(report.lines)")
    }

    @Test func checkFindsAForgedLedger() throws {
        let dir = Support.tempDir("money-check")
        defer { Support.remove(dir) }
        let (store, r) = try Self.withCurrency(dir)
        let b = try Self.bookPriced(store, r, hour: 1)
        // A record no engine would write: more refunded than paid, in another currency.
        var forged = store.state.bookings[b.id]!
        forged.charges!.currency = Currency(code: "EUR")!
        forged.charges!.ledger.append(LedgerEntry(id: "pay_x", kind: .refund, amount: 500, method: .cash, reference: "", at: Support.now,
                                                  actor: Self.actor, idempotencyKey: nil))
        try store.writeUnplanned("forge", Transaction(at: Support.now, actor: Self.actor, mutations: [.booking(forged)]))
        let report = try Support.reopen(dir).check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.contains("priced in EUR but the store's currency is GBP") }, "\(report.lines)")
        #expect(report.lines.contains { $0.contains("refunds beyond its payments") }, "\(report.lines)")
    }

    /// Random payments, refunds, cancellations, compactions and reopens against a model of each
    /// booking's payments and refunds.
    @Test("model: random money changes, compaction, reopen", arguments: [1, 2, 3] as [UInt64])
    func modelBased(seed: UInt64) throws {
        let dir = Support.tempDir("money-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = ModelGen.Seeded(state: seed)
        var (store, r) = try Self.withCurrency(dir)
        var model: [BookingID: (paid: Int64, refunded: Int64, cancelled: Bool)] = [:]
        var hour: Int64 = 0
        for step in 0..<80 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: try store.compact()
            case 1: store = try Support.reopen(dir)
            case 2:
                hour += 1
                let b = try Self.bookPriced(store, r, hour: hour)
                model[b.id] = (0, 0, false)
            case 3:
                guard let id = model.keys.sorted().randomElement(using: &rng), model[id]?.cancelled == false else { continue }
                _ = try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "r", in: s, by: Self.actor) }
                model[id]!.cancelled = true
            case 4, 5:
                guard let id = model.keys.sorted().randomElement(using: &rng), let m = model[id] else { continue }
                let amount = Int64.random(in: 1...800, using: &rng)
                let fits = amount <= m.paid - m.refunded
                do {
                    _ = try Self.refund(store, id, amount)
                    #expect(fits, "step \(step)")
                    model[id]!.refunded += amount
                } catch StoreError.core { #expect(!fits, "step \(step)") }
            default:
                guard let id = model.keys.sorted().randomElement(using: &rng), let m = model[id] else { continue }
                let amount = Int64.random(in: 1...2000, using: &rng)
                let balance = (m.cancelled ? 0 : 3800) - (m.paid - m.refunded)
                do {
                    _ = try Self.pay(store, id, amount)
                    #expect(amount <= balance, "step \(step)")
                    model[id]!.paid += amount
                } catch StoreError.core { #expect(amount > balance, "step \(step)") }
            }
            try store.load(resources: nil, range: Support.everything)
            for (id, m) in model {
                let c = try #require(store.state.bookings[id]?.charges, "step \(step)")
                #expect(try c.total(.payment) == m.paid && c.total(.refund) == m.refunded, "step \(step)")
            }
        }
        let last = try Support.reopen(dir)
        #expect(Self.ledgers(last.state) == Self.ledgers(store.state))
        #expect(last.check().ok)
    }

    /// A crash at every I/O operation of a payment that confirms a hold: after power loss and
    /// reopen the payment and the confirmation are both there or both missing, and there if the
    /// payment was acknowledged.
    @Test func aCrashDuringAPaymentKeepsThePaymentAndItsConfirmationTogether() throws {
        let base = Support.tempDir("money-crash-base")
        defer { Support.remove(base) }
        let (store, r) = try Self.withCurrency(base)
        let b = try Self.bookPriced(store, r, hour: 1, status: .pendingPayment)
        var k = 0
        while true {
            let dir = Support.tempDir("money-crash-\(k)")
            defer { Support.remove(dir) }
            Support.copy(base, dir)
            let fs = FaultyFileSystem()
            var acknowledged = false
            if let s = try? Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs)) {
                fs.crashAfter = fs.operations + k
                acknowledged = (try? Self.pay(s, b.id, 1000)) != nil
                try? s.compact()
            }
            let crashed = fs.crashed
            fs.powerLoss(.drop)
            let recovered = try Support.reopenModelled(dir)
            let after = try #require(recovered.state.bookings[b.id])
            let paid = after.charges?.ledger.count == 1
            #expect(paid == (after.status == .confirmed), "crash after \(k): \(after.status), \(after.charges?.ledger.count ?? -1) entries")
            if acknowledged { #expect(paid, "crash after \(k): an acknowledged payment is kept") }
            #expect(recovered.check().ok, "crash after \(k)")
            if !crashed { break }
            k += 1
        }
        #expect(k > 3, "the payment and the compaction took several operations")
    }
}
