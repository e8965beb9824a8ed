import FrontdeskCore
import FrontdeskStore

/// Judges rows one by one against the store's state with every earlier row applied, and
/// writes the whole chunk as one durable record.
enum ImportJudge {
    /// Judges and commits one chunk of rows; `customers` carries the import's customers from
    /// chunk to chunk and learns the ones this chunk creates once it is committed.
    ///
    /// Rows are planned in place on the store's state (`Store.writeBatch`): a working copy
    /// would copy every table once a chunk, a cost that grows with the store.
    ///
    /// - Complexity: O(r) lookups of O(1) amortised for r rows, plus the engine's planning of
    ///   each row; O(n) once per import (n customers on file) to build `customers`.
    static func commit(_ rows: [ImportRow], session: Session, customers: inout ImportCustomers, history: Bool = false,
                       overrideReason: String? = nil) throws -> [ImportOutcome] {
        // Parse what can be parsed outside the lock; resource names need the reference data.
        // No copy of the state outlives this: one would make the writes below copy every table.
        let requests = try parse(rows, session: session, customers: &customers, history: history, overrideReason: overrideReason)
        let parsed = requests.compactMap { try? $0.1.get() }
        let actor = session.actor
        var created: [Customer] = []
        // Customers created by this chunk, which `customers` learns only once it is committed.
        var newCustomers: [String: CustomerID] = [:]
        var refreshed = false
        let results = try session.store.writeBatch("import", .bookMany(parsed), items: requests, chunkSize: max(1, requests.count)) {
            item, state, engine throws(CoreError) -> Planned<ImportOutcome> in
            let (n, parsed) = item
            let nothing = Transaction(at: engine.clock.now(), actor: actor)
            func judged(_ o: ImportOutcome) -> Planned<ImportOutcome> { Planned(transaction: nothing, value: o) }
            if !refreshed {
                // Someone else may have added customers since the rows were read.
                customers.refresh(from: state)
                refreshed = true
            }
            var req: BookingRequest
            switch parsed {
            case .success(let r): req = r
            case .failure(let e): return judged(ImportOutcome(row: n, outcome: "invalid", error: .init(code: "invalid_input", message: e.description)))
            }
            // Past rows are history: only `--history` takes them, whatever their status, so a
            // migration is never half recorded as live bookings with their events.
            if !history, req.range.start < nothing.at {
                let when = req.range.start.iso8601
                return judged(ImportOutcome(row: n, outcome: "refused", error: .init(
                    code: "policy", message: "starts in the past (\(when)); past bookings are migrated with --history")))
            }
            // A name new when the row was read may be on file now: created earlier in this
            // chunk, or by someone else meanwhile.
            if case .new(let name, _, _) = req.customer {
                if let id = newCustomers[ImportCustomers.key(name)] {
                    req.customer = .existing(id)
                } else {
                    switch Result(catching: { () throws(CoreError) in try customerChoice(name, key: req.idempotencyKey, in: state, customers: customers) }) {
                    case .success(let choice): req.customer = choice
                    case .failure(let e): return judged(ImportOutcome(row: n, outcome: "invalid", error: .init(code: "invalid_input", message: e.description)))
                    }
                }
            }
            do throws(CoreError) {
                let p = try engine.book(req, in: state, by: actor)
                if p.value.replayed {
                    // What the first run printed for the row: the id its key recorded.
                    let first = req.idempotencyKey.flatMap { state.idempotencyKeys[$0] }?.bookings.first
                    return judged(ImportOutcome(row: n, outcome: "duplicate", id: first?.rawValue, replayed: true))
                }
                if let c = p.value.createdCustomer {
                    newCustomers[ImportCustomers.key(c.name)] = c.id
                    created.append(c)
                }
                return Planned(transaction: p.transaction, value: ImportOutcome(row: n, outcome: "created", id: p.value.bookings.first?.id.rawValue))
            } catch {
                return judged(outcome(for: error, row: n, state: state))
            }
        }
        customers.add(created, committedIn: session.store.state)
        // Every row is judged to an outcome; a plan that threw would be reported as its row's.
        return zip(requests, results).map { item, r in
            switch r {
            case .success(let o): o
            case .failure(let e): ImportOutcome(row: item.0, outcome: "invalid", error: .init(code: FrontdeskMain.kindName(e.category), message: e.description))
            }
        }
    }

    /// Each row as a request (or why it is invalid), with its row number.
    private static func parse(_ rows: [ImportRow], session: Session, customers: inout ImportCustomers, history: Bool,
                              overrideReason: String?) throws -> [(Int, Result<BookingRequest, CoreError>)] {
        let texts = rows.compactMap { $0.malformed == nil ? $0.fields["customer"] : nil }
        try customers.lookUp(texts, in: session.store)
        // A keyed row whose name is ambiguous now is still a replay if its key is stored.
        for row in rows {
            guard let text = row.fields["customer"], customers.isAmbiguous(text) else { continue }
            let key = (row.fields["idempotency_key"] ?? "").trimming(.whitespaces)
            if !key.isEmpty { _ = try? session.store.idempotencyRecord(forKey: key) }
        }
        let state = session.store.state
        customers.refresh(from: state)
        var resources = ImportResources()
        return rows.map { row in
            (row.number, request(for: row, in: state, customers: customers, resources: &resources).map { req -> BookingRequest in
                var req = req
                req.importedHistory = history
                if history { req.overrideReason = overrideReason }
                return req
            })
        }
    }

    /// The customer a row's `text` names on file, else a new customer of that name.
    ///
    /// A row whose `key` is stored is a replay, judged by the row as sent: a name that finds
    /// several customers now does not make it invalid.
    static func customerChoice(_ text: String, key: String?, in state: BookingState, customers: ImportCustomers) throws(CoreError) -> CustomerChoice {
        do {
            return try customers.resolve(text, in: state).map { .existing($0) } ?? .new(name: text)
        } catch {
            if let key, state.idempotencyKeys[key] != nil { return .new(name: text) }
            throw error
        }
    }

    static func outcome(for e: CoreError, row: Int, state: BookingState) -> ImportOutcome {
        switch e.category {
        case .conflict:
            var ids: [String] = []
            if case .conflict(let list) = e { ids = list.map(\.id.rawValue) }
            return ImportOutcome(row: row, outcome: "conflict", conflicts_with: ids, error: .init(code: "conflict", message: e.description(in: state)))
        case .policy:
            return ImportOutcome(row: row, outcome: "refused", error: .init(code: "policy", message: e.description(in: state)))
        default:
            return ImportOutcome(row: row, outcome: "invalid", error: .init(code: FrontdeskMain.kindName(e.category), message: e.description(in: state)))
        }
    }

    /// The resources a row books: its `resources` column (`;`-separated in CSV, a list from
    /// iCalendar; the home first), else
    /// its `resource` column; with both, `resource` must name the first of `resources`.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` naming the column and the entry.
    private static func heldResources(_ one: String, _ list: [String], in state: BookingState,
                                      resources: inout ImportResources) throws -> [Resource] {
        guard !list.isEmpty else {
            guard !one.isEmpty else { throw CoreError.invalidInput(field: "resource", message: "is empty") }
            return [try resources.resource(one, in: state)]
        }
        var held: [Resource] = []
        for (i, part) in list.enumerated() {
            let text = part.trimming(.whitespaces)
            guard !text.isEmpty else { throw CoreError.invalidInput(field: "resources", message: "entry \(i + 1) is empty (separate resources with ;)") }
            do { held.append(try resources.resource(text, in: state)) } catch let e as CoreError {
                throw CoreError.invalidInput(field: "resources", message: "entry \(i + 1): \(e.description(in: state))")
            }
        }
        if !one.isEmpty {
            let home = try resources.resource(one, in: state)
            guard home.id == held[0].id else {
                throw CoreError.invalidInput(field: "resources", message: "lists \(held[0].name) first but the resource column names \(home.name); the home resource comes first")
            }
        }
        return held
    }

    /// The money a row's booking carries: its `price` column, a manager's override (the
    /// service's deposit, at most the price, and fees kept) recorded with its `reason` column,
    /// else the reason "import"; without a price, the service's price, deposit and fees, as
    /// `book --service` takes them; nil when neither (or the store has no currency and the row
    /// gives no price).
    ///
    /// - Throws: ``CLIError/invalidInput(field:message:)`` for a price that is not an amount in
    ///   the store's currency (or a store without one), or a reason with no price.
    static func price(of row: ImportRow, service: Service?, in state: BookingState) throws -> PriceDraft? {
        let text = (row.fields["price"] ?? "").trimming(.whitespaces)
        let reason = (row.fields["reason"] ?? "").trimming(.whitespaces)
        guard !text.isEmpty else {
            guard reason.isEmpty else { throw CLIError.invalidInput(field: "reason", message: "goes with a price (the reason a price is set by hand)") }
            guard state.currency != nil, let service, let p = service.price else { return nil }
            return PriceDraft(price: p, deposit: service.deposit ?? 0, lateCancelFee: service.lateCancellationFee ?? 0,
                              noShowFee: service.noShowFee ?? 0, fromService: true)
        }
        guard state.currency != nil else { throw CLIError.invalidInput(field: "price", message: BookingEngine.noCurrencyAdvice) }
        let amount = try MoneyOutput.amount(text, field: "price", state: state)
        return PriceDraft(price: amount, deposit: min(service?.deposit ?? 0, amount), lateCancelFee: service?.lateCancellationFee ?? 0,
                          noShowFee: service?.noShowFee ?? 0, reason: reason.isEmpty ? defaultPriceReason : reason)
    }

    /// The reason recorded for an imported price when the row gives none.
    static let defaultPriceReason = "import"

    /// Turns a row's text fields into a booking request, or says which field is wrong.
    ///
    /// The customer column is resolved through `customers` (an id, reference or name on file,
    /// else a new customer of that name) and kept as sent in `customerText`, which is what the
    /// idempotency fingerprint records.
    /// `resources` resolves the resource column, once per distinct text of the chunk.
    static func request(for row: ImportRow, in state: BookingState, customers: ImportCustomers,
                        resources: inout ImportResources) -> Result<BookingRequest, CoreError> {
        if let m = row.malformed { return .failure(.invalidInput(field: "row", message: m)) }
        func field(_ k: String) -> String { (row.fields[k] ?? "").trimming(.whitespaces) }
        do {
            let listed = row.lists["resources"] ?? (field("resources").isEmpty ? [] : field("resources").split(separator: ";", omittingEmptySubsequences: false).map(String.init))
            let held = try heldResources(field("resource"), listed, in: state, resources: &resources)
            let r = held[0]
            let serviceText = field("service")
            var service: Service?
            if !serviceText.isEmpty {
                do { service = try state.service(named: serviceText) } catch {
                    throw CoreError.invalidInput(field: "service", message: "\"\(serviceText)\" is no service in the catalog")
                }
            }
            guard !field("start").isEmpty else { throw CoreError.invalidInput(field: "start", message: "is empty") }
            let s = try InputParsing.instant(field("start"), field: "start", zone: r.zone)
            // A service row without an end lasts the service's duration.
            let e: Instant
            if field("end").isEmpty {
                guard let service else { throw CoreError.invalidInput(field: "end", message: "is empty (only a row naming a service may leave it out)") }
                e = service.range(startingAt: s).end
            } else {
                e = try InputParsing.instant(field("end"), field: "end", zone: r.zone)
            }
            let status = field("status").isEmpty ? BookingStatus.confirmed : try InputParsing.status(field("status"))
            let key = field("idempotency_key")
            var customer: CustomerChoice?
            let c = field("customer")
            if !c.isEmpty {
                customer = try customerChoice(c, key: key.isEmpty ? nil : key, in: state, customers: customers)
            }
            if !key.isEmpty { try TextRules.idempotencyKey(key, field: "idempotency_key") }
            var request = BookingRequest(resource: r.id, customer: customer, range: TimeRange(start: s, end: e), status: status,
                                         notes: row.fields["notes"] ?? "", idempotencyKey: key.isEmpty ? nil : key)
            if !c.isEmpty { request.customerText = c }
            request.resources = held.map(\.id)
            if let service {
                // The service is recorded with its buffers; the row's own resources and times stand.
                request.service = service.id
                request.bufferBefore = service.bufferBefore
                request.bufferAfter = service.bufferAfter
            }
            request.price = try price(of: row, service: service, in: state)
            return .success(request)
        } catch let e as CoreError {
            return .failure(e)
        } catch let e as CLIError {
            if case .invalidInput(let f, let m) = e { return .failure(.invalidInput(field: f, message: m)) }
            return .failure(.invalidInput(field: "row", message: e.description))
        } catch {
            return .failure(.invalidInput(field: "row", message: "\(error)"))
        }
    }
}
