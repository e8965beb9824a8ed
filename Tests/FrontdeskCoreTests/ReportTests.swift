import Testing
@testable import FrontdeskCore

/// The reports core: groups and their labels, rates without floating point, utilisation against
/// a minute-by-minute model, and money totals against sums recomputed from the ledgers.
@Suite struct ReportTests {
    static let london = Zone("Europe/London")!

    @Test func bucketsAreLabelledAndOrderedInTime() {
        let z = Zone.utc
        let friday = World.t("2027-01-01T10:30:00Z")
        #expect(ReportGrouping.day.bucket(at: friday, in: z).label == "2027-01-01")
        #expect(ReportGrouping.week.bucket(at: friday, in: z).label == "2026-W53", "ISO week of the year of its Thursday")
        #expect(ReportGrouping.week.bucket(at: friday, in: z).firstDay?.description == "2026-12-28")
        #expect(ReportGrouping.week.bucket(at: World.t("2027-01-04T00:00:00Z"), in: z).label == "2027-W01")
        #expect(ReportGrouping.month.bucket(at: friday, in: z).label == "2027-01")
        #expect(ReportGrouping.weekdayHour.bucket(at: friday, in: z).label == "Fri 10:00")
        #expect(ReportGrouping.period.bucket(at: friday, in: z).label == "all")
        // 23:30 UTC on 31 March is already 1 April in London (summer time).
        #expect(ReportGrouping.day.bucket(at: World.t("2027-03-31T23:30:00Z"), in: Self.london).label == "2027-04-01")
        let buckets = ["2027-03-02T00:00:00Z", "2027-02-27T00:00:00Z", "2027-03-01T00:00:00Z"].map { ReportGrouping.day.bucket(at: World.t($0), in: z) }
        #expect(buckets.sorted().map(\.label) == ["2027-02-27", "2027-03-01", "2027-03-02"])
        let monday9 = ReportGrouping.weekdayHour.bucket(at: World.t("2027-03-01T09:15:00Z"), in: z)
        #expect(monday9.weekdayHour?.weekday == .monday && monday9.weekdayHour?.hour == 9)
    }

    @Test func splittingFollowsLocalDaysAcrossDaylightSaving() {
        // 28 March 2027: London's clocks go forward at 01:00 UTC, so that local day is 23 hours.
        let range = World.r("2027-03-27T00:00:00Z", "2027-03-30T00:00:00Z")
        var days: [String: Int64] = [:]
        ReportGrouping.day.split(range, in: Self.london) { days[$0.label, default: 0] += $1 }
        #expect(days["2027-03-28", default: 0] == Int64(23 * 3600))
        #expect(days.values.reduce(0, +) == range.duration.seconds)
        var hours: [String: Int64] = [:]
        ReportGrouping.weekdayHour.split(range, in: Self.london) { hours[$0.label, default: 0] += $1 }
        #expect(hours.values.reduce(0, +) == range.duration.seconds)
        #expect(hours["Sun 01:00"] == nil, "01:00-02:00 does not exist that Sunday")
        #expect(hours["Sun 02:00"] == 3600 && hours["Sat 01:00"] == 3600)
        var whole: [String: Int64] = [:]
        ReportGrouping.period.split(range, in: Self.london) { whole[$0.label, default: 0] += $1 }
        #expect(whole == ["all": range.duration.seconds])
    }

    @Test func ratesUseIntegerArithmetic() {
        #expect(ReportRate(1, of: 3).text == "33.3%")
        #expect(ReportRate(2, of: 3).text == "66.7%")
        #expect(ReportRate(1, of: 8).permille == 125)
        #expect(ReportRate(0, of: 0).text == "—" && ReportRate(0, of: 0).permille == nil)
        #expect(ReportRate(3, of: 2).text == "150.0%")
    }

    @Test func badRequestsAreRefusedByName() throws {
        let w = World()
        let t = World.t("2027-03-01T00:00:00Z")
        #expect(throws: ReportError.emptyPeriod(from: t, to: t)) {
            try ReportBuilder(ReportRequest(period: TimeRange(start: t, end: t), zone: .utc, now: t), directory: w.state)
        }
        #expect(throws: ReportError.unknownResource(ResourceID("res_nope"))) {
            try ReportBuilder(ReportRequest(period: World.r("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z"), zone: .utc,
                                            resources: [ResourceID("res_nope")], now: t), directory: w.state)
        }
        #expect(ReportError.unknownResource(ResourceID("res_nope")).description.contains("res_nope"))
    }

    @Test func aBookingInAnotherCurrencyIsRefusedNotAdded() throws {
        var (w, r) = try PaymentEngineTests.world()
        var b = try PaymentEngineTests.priced(&w, r)
        b.charges?.currency = Currency(code: "EUR")!
        let request = ReportRequest(period: World.r("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"), zone: .utc, now: w.clock.now())
        #expect(throws: ReportError.currencyMismatch(booking: b.ref, found: Currency(code: "EUR")!, expected: PaymentEngineTests.gbp)) {
            try TakingsReport.make(request, directory: w.state, bookings: [b])
        }
    }

    @Test func aMultiResourceBookingCountsOnEachWithItsBuffers() throws {
        var w = World()
        let s = try w.schedule(hours: "09:00-17:00", days: Weekday.allCases) { $0.bufferAfter = .minutes(15) }
        let stylist = try w.resource("Ana", schedule: s)
        let chair = try w.resource("Chair 1", schedule: s, policy: PolicyOverrides(bufferAfter: .zero))
        var req = BookingRequest(resource: stylist, range: World.r("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z"))
        req.otherResources = [chair]
        w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        let request = ReportRequest(period: World.r("2027-03-03T00:00:00Z", "2027-03-04T00:00:00Z"), grouping: .day, zone: .utc, now: w.clock.now())
        let u = try UtilisationReport.make(request, directory: w.state, bookings: w.state.bookings.values)
        #expect(u.resources == [stylist, chair])
        #expect(u.byResource.map(\.bookedSeconds) == [75 * 60, 60 * 60], "the stylist's 15-minute buffer counts as booked")
        #expect(u.byResource.map(\.openSeconds) == [8 * 3600, 8 * 3600])
        #expect(u.total.rate.text == "14.1%", "135 of 960 minutes")
        let onlyChair = ReportRequest(period: request.period, zone: .utc, resources: [chair], now: w.clock.now())
        #expect(try UtilisationReport.make(onlyChair, directory: w.state, bookings: w.state.bookings.values).rows.map(\.bookedSeconds) == [3600])
    }

    /// A booking's own buffers (its service's set-up and clean-up) count as booked where they are
    /// longer than the resource's, as the conflict rules keep them: the larger of the two, each side.
    @Test func aBookingsOwnBuffersCountWhereLongerThanTheResources() throws {
        var w = World()
        let s = try w.schedule(hours: "09:00-17:00", days: Weekday.allCases) { $0.bufferAfter = .minutes(10) }
        let chair = try w.resource("Chair 1", schedule: s)
        let req = BookingRequest(resource: chair, range: World.r("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z"))
        let planned = try w.engine.book(req, in: w.state, by: w.desk)
        var b = w.commit(planned).bookings[0]
        let request = ReportRequest(period: World.r("2027-03-03T00:00:00Z", "2027-03-04T00:00:00Z"), zone: .utc, now: w.clock.now())
        #expect(try UtilisationReport.make(request, directory: w.state, bookings: [b]).total.bookedSeconds == 70 * 60, "the resource's 10 minutes")
        b.bufferBefore = .minutes(5)
        b.bufferAfter = .minutes(15)
        #expect(try UtilisationReport.make(request, directory: w.state, bookings: [b]).total.bookedSeconds == 80 * 60, "its own 5 before and 15 after")
        b.bufferAfter = .minutes(5)
        #expect(try UtilisationReport.make(request, directory: w.state, bookings: [b]).total.bookedSeconds == 75 * 60, "its own 5 before, the resource's 10 after")
    }

    /// Random schedules (weekly hours, blackouts, buffers, one resource always open), random
    /// bookings of one or two resources, cancellations and holds, in London or UTC, grouped
    /// every way: each row's open and booked seconds equal a count, minute by minute, of the
    /// minutes open by the schedule's own hours and inside a booking's buffered range.
    @Test("model: utilisation equals a minute-by-minute count", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func utilisationMatchesBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var w = World(now: "2027-03-20T00:00:00Z")
        let zoneName = seed % 2 == 0 ? "Europe/London" : "UTC"
        let zone = Zone(zoneName)!
        var resources: [ResourceID] = []
        for i in 0..<3 {
            let open = Int(rng.next() % 6) + 6, close = min(24, open + Int(rng.next() % 12) + 1)
            let days = Weekday.allCases.filter { _ in rng.next() % 4 != 0 }
            let blackoutStart = World.t("2027-03-21T00:00:00Z") + .minutes(Int64(rng.next() % (10 * 24 * 4)) * 15)
            let s = try w.schedule("S\(i)", hours: "\(open < 10 ? "0" : "")\(open):00-\(close):00", days: days) { s in
                s.bufferBefore = .minutes(Int64(rng.next() % 3) * 5)
                s.bufferAfter = .minutes(Int64(rng.next() % 3) * 10)
                s.blackouts = [Blackout(range: TimeRange(start: blackoutStart, end: blackoutStart + .minutes(Int64(rng.next() % 48 + 1) * 30)), reason: "closed")]
            }
            resources.append(try w.resource("R\(i)", zone: zoneName, schedule: s,
                                            policy: i == 1 ? PolicyOverrides(bufferBefore: .minutes(20)) : PolicyOverrides()))
        }
        resources.append(try w.resource("Always", zone: zoneName))
        let customer = try w.customer("Ada")
        for _ in 0..<60 {
            let start = World.t("2027-03-19T00:00:00Z") + .minutes(Int64(rng.next() % (17 * 24 * 4)) * 15)
            var req = BookingRequest(resource: resources.randomElement(using: &rng)!, customer: .existing(customer),
                                     range: TimeRange(start: start, end: start + .minutes(Int64(rng.next() % 12 + 1) * 15)),
                                     status: rng.next() % 4 == 0 ? .pendingPayment : .confirmed, hold: .hours(Int64(rng.next() % 200) + 1),
                                     overrideReason: "model")
            if rng.next() % 3 == 0, let other = resources.filter({ $0 != req.resource }).randomElement(using: &rng) { req.otherResources = [other] }
            guard let p = try? w.engine.book(req, in: w.state, by: w.desk) else { continue }
            let b = w.commit(p).bookings[0]
            if rng.next() % 5 == 0, let c = try? w.engine.cancel(b.id, reason: "r", overrideReason: "ok", in: w.state, by: w.desk) { w.commit(c) }
        }
        #expect(w.state.bookings.count > 15)
        let period = World.r("2027-03-21T00:00:00Z", "2027-04-03T00:00:00Z")
        let now = World.t("2027-03-20T00:00:00Z") + .hours(Int64(rng.next() % 200))
        let wanted: [ResourceID]? = rng.next() % 2 == 0 ? nil : [resources[0], resources[3]]
        for grouping in ReportGrouping.allCases {
            let request = ReportRequest(period: period, grouping: grouping, zone: zone, resources: wanted, now: now)
            let report = try UtilisationReport.make(request, directory: w.state, bookings: w.state.bookings.values)
            struct Key: Hashable { var r: ResourceID; var b: ReportBucket }
            var open: [Key: Int64] = [:], booked: [Key: Int64] = [:]
            for r in wanted ?? resources {
                let res = w.state.resources[r]!
                let schedule = res.schedule.flatMap { w.state.schedules[$0] }
                let policy = w.state.policy(for: r)
                let mine = w.state.bookings.values.filter { $0.holds(r) && $0.blocks(at: now) }
                    .map { $0.range.widened(before: policy.bufferBefore, after: policy.bufferAfter) }
                var m = period.start
                while m < period.end {
                    let key = Key(r: r, b: grouping.bucket(at: m, in: zone))
                    let local = res.zone.local(m)
                    let isOpen = schedule.map { s in
                        s.hours(on: local.date).contains { $0.start <= local.secondOfDay && local.secondOfDay < $0.end }
                            && !s.blackouts.contains { $0.range.contains(m) }
                    } ?? true
                    if isOpen { open[key, default: 0] += 60 }
                    if mine.contains(where: { $0.contains(m) }) { booked[key, default: 0] += 60 }
                    m = m + .minutes(1)
                }
            }
            var gotOpen: [Key: Int64] = [:], gotBooked: [Key: Int64] = [:]
            for row in report.rows {
                let key = Key(r: row.resource!, b: row.bucket)
                if row.openSeconds > 0 { gotOpen[key] = row.openSeconds }
                if row.bookedSeconds > 0 { gotBooked[key] = row.bookedSeconds }
            }
            #expect(gotOpen == open, "seed \(seed) \(grouping): open time")
            #expect(gotBooked == booked, "seed \(seed) \(grouping): booked time")
            #expect(report.total.openSeconds == open.values.reduce(0, +) && report.total.bookedSeconds == booked.values.reduce(0, +))
            #expect(report.byBucket.map(\.openSeconds).reduce(0, +) == report.total.openSeconds)
            #expect(report.byResource.map(\.bookedSeconds).reduce(0, +) == report.total.bookedSeconds)
            #expect(Set(report.resources) == Set(wanted ?? resources))
        }
    }

    /// Random priced bookings, payments, refunds, late cancellations, no-shows and plain
    /// cancellations through the engine: every report's totals equal sums recomputed straight
    /// from the bookings' statuses and ledgers, the groups add up to the totals, and the ledger
    /// balances (payments less refunds is what the takings report calls net).
    @Test("model: report totals equal the ledgers' sums", arguments: [11, 12, 13, 14] as [UInt64])
    func moneyTotalsMatchTheLedgers(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var (w, r) = try PaymentEngineTests.world()
        let other = try w.resource("Ben")
        let customer = try w.customer("Ada")
        var ids: [BookingID] = []
        for _ in 0..<250 {
            let now = w.clock.now()
            switch rng.next() % 8 {
            case 0, 1:
                let price = Int64(rng.next() % 10_000), deposit = price == 0 ? 0 : Int64(rng.next() % UInt64(price + 1))
                let start = now + .hours(Int64(rng.next() % 96) + 1)
                var req = BookingRequest(resource: rng.next() % 3 == 0 ? other : r, customer: rng.next() % 8 == 0 ? nil : .existing(customer),
                                         range: TimeRange(start: start, end: start + .minutes(30)),
                                         status: rng.next() % 3 == 0 ? .pendingPayment : .confirmed, hold: .days(60))
                if rng.next() % 5 != 0 {
                    req.price = PriceDraft(price: price, deposit: deposit, lateCancelFee: Int64(rng.next() % 3000), noShowFee: Int64(rng.next() % 3000), reason: "list")
                }
                guard let p = try? w.engine.book(req, in: w.state, by: w.desk) else { continue }
                ids.append(w.commit(p).bookings[0].id)
            case 2, 3:
                guard let id = ids.randomElement(using: &rng),
                      let p = try? w.engine.pay(id, amount: Int64(rng.next() % 6000) + 1, method: PaymentMethod.allCases.randomElement(using: &rng)!,
                                                in: w.state, by: w.desk) else { continue }
                w.commit(p)
            case 4:
                guard let id = ids.randomElement(using: &rng),
                      let p = try? w.engine.refund(id, amount: Int64(rng.next() % 4000) + 1, reason: "r", in: w.state, by: w.desk) else { continue }
                w.commit(p)
            case 5:
                guard let id = ids.randomElement(using: &rng), let p = try? w.engine.cancel(id, reason: "r", overrideReason: "ok", in: w.state, by: w.desk) else { continue }
                w.commit(p)
            case 6:
                guard let id = ids.randomElement(using: &rng), let p = try? w.engine.setStatus(id, to: .noShow, in: w.state, by: w.desk) else { continue }
                w.commit(p)
            default:
                w.clock.advance(by: .hours(Int64(rng.next() % 12)))
            }
        }
        let all = Array(w.state.bookings.values)
        #expect(all.count > 40)
        let period = TimeRange(start: World.t("2027-03-01T00:00:00Z"), end: w.clock.now() + .days(10))
        for grouping in ReportGrouping.allCases {
            let request = ReportRequest(period: period, grouping: grouping, zone: Self.london, now: w.clock.now())
            var builder = try ReportBuilder(request, directory: w.state)
            builder.add(contentsOf: all)
            let takings = try builder.takings(), noShows = try builder.noShows(), cancels = try builder.cancellations(), services = try builder.services()
            let inPeriod = all.filter { period.contains($0.start) }
            let ledger = inPeriod.flatMap { $0.charges?.ledger ?? [] }
            let paid = ledger.filter { $0.kind == .payment }.map(\.amount).reduce(0, +)
            let refunded = ledger.filter { $0.kind == .refund }.map(\.amount).reduce(0, +)
            #expect(takings.total.payments == paid && takings.total.refunds == -refunded && takings.total.net == paid - refunded)
            #expect(takings.total.net == (try inPeriod.compactMap(\.charges).map { try $0.paid() }.reduce(0, +)), "the ledger balances")
            let charged: Int64 = ledger.filter { $0.kind == .fee }.map(\.amount).reduce(0, +)
            let reversed: Int64 = ledger.filter { $0.kind == .feeReversal }.map(\.amount).reduce(0, +)
            #expect(takings.total.fees == charged - reversed)
            #expect(takings.byMethod.map(\.net).reduce(0, +) == takings.total.net && takings.methodTotals.map(\.net).reduce(0, +) == takings.total.net)
            for m in PaymentMethod.allCases {
                let byMethod = ledger.filter { $0.method == m && $0.kind != .fee }.map { $0.kind == .payment ? $0.amount : -$0.amount }.reduce(0, +)
                #expect((takings.methodTotals.first { $0.method == m }?.net ?? 0) == byMethod, "\(m)")
            }
            #expect(takings.byService.map(\.payments).reduce(0, +) == paid)
            let customers = inPeriod.filter { $0.customer != nil }
            let stood = customers.filter { $0.status != .cancelled }
            #expect(noShows.total.bookings == Int64(stood.count) && noShows.total.noShows == Int64(stood.filter { $0.status == .noShow }.count))
            #expect(noShows.total.fees == stood.filter { $0.status == .noShow }.map { (try? $0.charges?.fees() ?? 0) ?? 0 }.reduce(0, +))
            #expect(noShows.rows.map(\.noShows).reduce(0, +) == noShows.total.noShows)
            let cancelled = customers.filter { $0.status == .cancelled }
            #expect(cancels.total.bookings == Int64(customers.count) && cancels.total.cancelled == Int64(cancelled.count))
            #expect(cancels.total.late == Int64(cancelled.filter { $0.cancellation?.late == true }.count))
            #expect(cancels.total.lateFees == cancelled.map { (try? $0.charges?.fees() ?? 0) ?? 0 }.reduce(0, +))
            #expect(cancels.rows.map(\.bookings).reduce(0, +) == cancels.total.bookings)
            #expect(services.total.bookings == Int64(stood.count))
            #expect(services.total.bookedSeconds == stood.map(\.range.duration.seconds).reduce(0, +))
            #expect(services.total.takings == (try customers.compactMap(\.charges).map { try $0.paid() }.reduce(0, +)))
            #expect(services.rows.map(\.takings).reduce(0, +) == services.total.takings)
        }
        #expect(try TakingsReport.make(ReportRequest(period: period, zone: .utc, now: w.clock.now()), directory: w.state, bookings: all).total.bookings
                == Int64(all.filter { period.contains($0.start) && $0.charges != nil }.count))
    }
}
