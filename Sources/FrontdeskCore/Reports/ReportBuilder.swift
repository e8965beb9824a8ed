/// Makes every report from bookings added one at a time, so a caller can stream a large
/// period partition by partition and keep only the tallies.
///
/// Add each booking once (adding one twice counts it twice); bookings outside the request
/// are ignored. What is kept: for utilisation the occupied ranges of the period (16 bytes
/// each), for the rest one tally per group and key. Money is added with overflow checks;
/// the first failure is reported by every report made afterwards.
public struct ReportBuilder: Sendable {
    public let request: ReportRequest
    /// Resources, schedules, policies, services and the store's currency.
    let directory: BookingState
    let wanted: Set<ResourceID>?
    var currency: Currency?
    var failure: ReportError?

    var occupied: [ResourceID: [TimeRange]] = [:]
    var noShowTally: [ReportBucket: NoShowReport.Row] = [:]
    var cancelTally: [ReportBucket: CancellationReport.Row] = [:]
    var methodTally: [MethodKey: TakingsReport.MethodRow] = [:]
    var serviceMoney: [ServiceKey: TakingsReport.ServiceRow] = [:]
    var serviceTally: [ServiceKey: ServicesReport.Row] = [:]
    var bookingsWithMoney: Int64 = 0

    struct MethodKey: Hashable, Sendable { var bucket: ReportBucket; var method: PaymentMethod? }
    struct ServiceKey: Hashable, Sendable { var bucket: ReportBucket; var service: ServiceID? }

    /// A builder for `request` reading resources and policies from `directory`.
    ///
    /// - Throws: ``ReportError/emptyPeriod(from:to:)``, ``ReportError/unknownResource(_:)``.
    public init(_ request: ReportRequest, directory: BookingState) throws(ReportError) {
        guard request.period.end > request.period.start else {
            throw .emptyPeriod(from: request.period.start, to: request.period.end)
        }
        if let rs = request.resources {
            for r in rs where directory.resources[r] == nil { throw .unknownResource(r) }
        }
        self.request = request
        self.directory = directory
        wanted = request.resources.map(Set.init)
        currency = directory.currency
    }

    /// Adds every booking of `bookings`.
    ///
    /// - Complexity: O(n) for n bookings (plus their ledger entries).
    public mutating func add<S: Sequence>(contentsOf bookings: S) where S.Element == Booking {
        for b in bookings { add(ReportedBooking(b)) }
    }

    /// Adds one booking to every report it belongs in.
    ///
    /// - Complexity: O(r + e) for r resources held and e ledger entries.
    public mutating func add(_ b: Booking) {
        add(ReportedBooking(b))
    }

    /// Adds one booking, as its report fields, to every report it belongs in: what a scan
    /// that decodes only those fields hands over (``ReportedBooking``).
    ///
    /// - Complexity: O(r + e) for r resources held and e ledger entries.
    public mutating func add(_ b: ReportedBooking) {
        let period = request.period
        if let wanted, !b.holds(anyOf: wanted) { return }
        if b.blocks(at: request.now) {
            for r in b.resources where wanted?.contains(r) ?? true {
                let occupied = b.occupiedRange(with: directory.policy(for: r))
                guard let clipped = occupied.clipped(to: period) else { continue }
                self.occupied[r, default: []].append(clipped)
            }
        }
        guard period.contains(b.range.start) else { return }
        let bucket = request.grouping.bucket(at: b.range.start, in: request.zone)
        var fees: Int64 = 0, payments: Int64 = 0, refunds: Int64 = 0
        if let charges = b.charges {
            if let c = currency, c != charges.currency {
                if failure == nil { failure = .currencyMismatch(booking: b.ref, found: charges.currency, expected: c) }
                return
            }
            currency = charges.currency
            bookingsWithMoney += 1
            for e in charges.ledger {
                switch e.kind {
                case .payment:
                    payments = add(payments, e.amount, b)
                    addMethod(MethodKey(bucket: bucket, method: e.method), payment: e.amount, refund: 0, b)
                case .refund:
                    refunds = add(refunds, -e.amount, b)
                    addMethod(MethodKey(bucket: bucket, method: e.method), payment: 0, refund: -e.amount, b)
                case .fee:
                    fees = add(fees, e.amount, b)
                case .feeReversal:
                    // A corrected status takes its fee back: fees in reports are net, as `money.fees` is.
                    fees = add(fees, -e.amount, b)
                }
            }
            let sk = ServiceKey(bucket: bucket, service: b.service)
            var row = serviceMoney[sk] ?? TakingsReport.ServiceRow(bucket: bucket, service: sk.service, payments: 0, refunds: 0, net: 0, fees: 0)
            row.payments = add(row.payments, payments, b)
            row.refunds = add(row.refunds, refunds, b)
            row.net = add(row.net, add(payments, refunds, b), b)
            row.fees = add(row.fees, fees, b)
            serviceMoney[sk] = row
        }
        guard b.customer != nil else { return }
        let cancelled = b.status == .cancelled
        var c = cancelTally[bucket] ?? CancellationReport.Row(bucket: bucket, bookings: 0, cancelled: 0, late: 0, lateFees: 0)
        c.bookings += 1
        if cancelled {
            c.cancelled += 1
            if b.lateCancellation { c.late += 1 }
            c.lateFees = add(c.lateFees, fees, b)
        }
        cancelTally[bucket] = c
        let sk = ServiceKey(bucket: bucket, service: b.service)
        var s = serviceTally[sk] ?? ServicesReport.Row(bucket: bucket, service: sk.service, bookings: 0, bookedSeconds: 0, takings: 0)
        s.takings = add(s.takings, add(payments, refunds, b), b)
        if !cancelled {
            s.bookings += 1
            s.bookedSeconds += b.range.duration.seconds
            var n = noShowTally[bucket] ?? NoShowReport.Row(bucket: bucket, bookings: 0, noShows: 0, fees: 0)
            n.bookings += 1
            if b.status == .noShow {
                n.noShows += 1
                n.fees = add(n.fees, fees, b)
            }
            noShowTally[bucket] = n
        }
        serviceTally[sk] = s
    }

    private mutating func addMethod(_ key: MethodKey, payment: Int64, refund: Int64, _ b: ReportedBooking) {
        var row = methodTally[key] ?? TakingsReport.MethodRow(bucket: key.bucket, method: key.method, payments: 0, refunds: 0, net: 0)
        row.payments = add(row.payments, payment, b)
        row.refunds = add(row.refunds, refund, b)
        row.net = add(row.net, add(payment, refund, b), b)
        methodTally[key] = row
    }

    /// `a + b`, noting ``ReportError/overflow(booking:)`` (and answering `a`) when it does not fit.
    private mutating func add(_ a: Int64, _ x: Int64, _ b: ReportedBooking) -> Int64 {
        let (r, o) = a.addingReportingOverflow(x)
        if o {
            if failure == nil { failure = .overflow(booking: b.ref) }
            return a
        }
        return r
    }

    // MARK: Reports

    /// The utilisation report of what was added.
    ///
    /// - Complexity: O(k log k + g log z) for k occupied ranges and g groups crossed (open
    ///   time is computed day by day: O(d·h) per resource for d days and h hours a day).
    public func utilisation() throws(ReportError) -> UtilisationReport {
        if let failure { throw failure }
        let period = request.period
        let grouping = request.grouping, zone = request.zone
        var ids: [ResourceID]
        if let rs = request.resources {
            ids = Array(Set(rs))
        } else {
            ids = directory.resources.values.filter { !$0.archived || occupied[$0.id] != nil }.map(\.id)
            for r in occupied.keys where directory.resources[r] == nil { ids.append(r) }
        }
        ids.sort { (directory.resources[$0]?.ref ?? $0.rawValue, $0) < (directory.resources[$1]?.ref ?? $1.rawValue, $1) }
        var rows: [UtilisationReport.Row] = []
        var byResource: [UtilisationReport.Row] = []
        var all: [ReportBucket: UtilisationReport.Row] = [:]
        var total = UtilisationReport.Row(resource: nil, bucket: ReportBucket(grouping: .period, ordinal: 0), openSeconds: 0, bookedSeconds: 0)
        for id in ids {
            var cells: [ReportBucket: UtilisationReport.Row] = [:]
            func cell(_ bucket: ReportBucket) -> UtilisationReport.Row {
                cells[bucket] ?? UtilisationReport.Row(resource: id, bucket: bucket, openSeconds: 0, bookedSeconds: 0)
            }
            let open = directory.resources[id].map { directory.availability(for: $0).bookableRanges(within: period) } ?? []
            for r in open {
                grouping.split(r, in: zone) { bucket, seconds in
                    var c = cell(bucket)
                    c.openSeconds += seconds
                    cells[bucket] = c
                }
            }
            for r in TimeRange.merge(occupied[id] ?? []) {
                grouping.split(r, in: zone) { bucket, seconds in
                    var c = cell(bucket)
                    c.bookedSeconds += seconds
                    cells[bucket] = c
                }
            }
            var sum = UtilisationReport.Row(resource: id, bucket: total.bucket, openSeconds: 0, bookedSeconds: 0)
            for c in cells.values.sorted(by: { $0.bucket < $1.bucket }) {
                rows.append(c)
                sum.openSeconds += c.openSeconds
                sum.bookedSeconds += c.bookedSeconds
                var a = all[c.bucket] ?? UtilisationReport.Row(resource: nil, bucket: c.bucket, openSeconds: 0, bookedSeconds: 0)
                a.openSeconds += c.openSeconds
                a.bookedSeconds += c.bookedSeconds
                all[c.bucket] = a
            }
            byResource.append(sum)
            total.openSeconds += sum.openSeconds
            total.bookedSeconds += sum.bookedSeconds
        }
        return UtilisationReport(request: request, resources: ids, rows: rows, byResource: byResource,
                                 byBucket: all.values.sorted { $0.bucket < $1.bucket }, total: total)
    }

    /// The no-show report of what was added.
    ///
    /// - Complexity: O(g log g) for g groups.
    public func noShows() throws(ReportError) -> NoShowReport {
        if let failure { throw failure }
        let rows = noShowTally.values.sorted { $0.bucket < $1.bucket }
        var total = NoShowReport.Row(bucket: ReportBucket(grouping: .period, ordinal: 0), bookings: 0, noShows: 0, fees: 0)
        for r in rows {
            total.bookings += r.bookings
            total.noShows += r.noShows
            guard let f = Self.sum(total.fees, r.fees) else { throw .overflow(booking: "(total)") }
            total.fees = f
        }
        return NoShowReport(request: request, currency: currency, rows: rows, total: total)
    }

    /// The cancellation report of what was added.
    ///
    /// - Complexity: O(g log g) for g groups.
    public func cancellations() throws(ReportError) -> CancellationReport {
        if let failure { throw failure }
        let rows = cancelTally.values.sorted { $0.bucket < $1.bucket }
        var total = CancellationReport.Row(bucket: ReportBucket(grouping: .period, ordinal: 0), bookings: 0, cancelled: 0, late: 0, lateFees: 0)
        for r in rows {
            total.bookings += r.bookings
            total.cancelled += r.cancelled
            total.late += r.late
            guard let f = Self.sum(total.lateFees, r.lateFees) else { throw .overflow(booking: "(total)") }
            total.lateFees = f
        }
        return CancellationReport(request: request, currency: currency, rows: rows, total: total)
    }

    /// The takings report of what was added.
    ///
    /// - Complexity: O(g log g) for g rows.
    public func takings() throws(ReportError) -> TakingsReport {
        if let failure { throw failure }
        let period = ReportBucket(grouping: .period, ordinal: 0)
        let byMethod = methodTally.values.sorted { ($0.bucket, Self.order($0.method)) < ($1.bucket, Self.order($1.method)) }
        let byService = serviceMoney.values.sorted { ($0.bucket, $0.service?.rawValue ?? "") < ($1.bucket, $1.service?.rawValue ?? "") }
        var methods: [MethodKey: TakingsReport.MethodRow] = [:]
        for r in byMethod {
            let k = MethodKey(bucket: period, method: r.method)
            var t = methods[k] ?? TakingsReport.MethodRow(bucket: period, method: r.method, payments: 0, refunds: 0, net: 0)
            guard let p = Self.sum(t.payments, r.payments), let f = Self.sum(t.refunds, r.refunds), let n = Self.sum(t.net, r.net) else {
                throw .overflow(booking: "(total)")
            }
            t.payments = p; t.refunds = f; t.net = n
            methods[k] = t
        }
        var services: [ServiceKey: TakingsReport.ServiceRow] = [:]
        var total = TakingsReport.Totals(payments: 0, refunds: 0, net: 0, fees: 0, bookings: bookingsWithMoney)
        for r in byService {
            let k = ServiceKey(bucket: period, service: r.service)
            var t = services[k] ?? TakingsReport.ServiceRow(bucket: period, service: r.service, payments: 0, refunds: 0, net: 0, fees: 0)
            guard let p = Self.sum(t.payments, r.payments), let f = Self.sum(t.refunds, r.refunds), let n = Self.sum(t.net, r.net),
                  let fe = Self.sum(t.fees, r.fees), let tp = Self.sum(total.payments, r.payments), let tf = Self.sum(total.refunds, r.refunds),
                  let tn = Self.sum(total.net, r.net), let tfe = Self.sum(total.fees, r.fees) else {
                throw .overflow(booking: "(total)")
            }
            t.payments = p; t.refunds = f; t.net = n; t.fees = fe
            services[k] = t
            total.payments = tp; total.refunds = tf; total.net = tn; total.fees = tfe
        }
        return TakingsReport(request: request, currency: currency, byMethod: byMethod, byService: byService,
                             methodTotals: methods.values.sorted { Self.order($0.method) < Self.order($1.method) },
                             serviceTotals: services.values.sorted { ($0.service?.rawValue ?? "") < ($1.service?.rawValue ?? "") },
                             total: total)
    }

    /// The services report of what was added.
    ///
    /// - Complexity: O(g log g) for g rows.
    public func services() throws(ReportError) -> ServicesReport {
        if let failure { throw failure }
        let period = ReportBucket(grouping: .period, ordinal: 0)
        let rows = serviceTally.values.sorted { ($0.bucket, $0.service?.rawValue ?? "") < ($1.bucket, $1.service?.rawValue ?? "") }
        var per: [ServiceID?: ServicesReport.Row] = [:]
        var total = ServicesReport.Row(bucket: period, service: nil, bookings: 0, bookedSeconds: 0, takings: 0)
        for r in rows {
            var t = per[r.service] ?? ServicesReport.Row(bucket: period, service: r.service, bookings: 0, bookedSeconds: 0, takings: 0)
            guard let a = Self.sum(t.takings, r.takings), let b = Self.sum(total.takings, r.takings) else { throw .overflow(booking: "(total)") }
            t.bookings += r.bookings; t.bookedSeconds += r.bookedSeconds; t.takings = a
            per[r.service] = t
            total.bookings += r.bookings; total.bookedSeconds += r.bookedSeconds; total.takings = b
        }
        return ServicesReport(request: request, currency: currency, rows: rows,
                              byService: per.values.sorted { ($0.service?.rawValue ?? "") < ($1.service?.rawValue ?? "") }, total: total)
    }

    private static func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    /// Methods in their listed order, none last.
    private static func order(_ m: PaymentMethod?) -> Int {
        m.flatMap { PaymentMethod.allCases.firstIndex(of: $0) } ?? PaymentMethod.allCases.count
    }
}
