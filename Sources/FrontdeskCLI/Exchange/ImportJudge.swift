import FrontdeskCore
import FrontdeskStore

/// Judges rows one by one on a working copy of the state (so each row sees the earlier ones)
/// and writes the whole chunk as one durable record.
enum ImportJudge {
    /// Judges and commits one chunk of rows; `customers` carries the import's customers from
    /// chunk to chunk and learns the ones this chunk creates once it is committed.
    ///
    /// - Complexity: O(r) lookups of O(1) amortised for r rows, plus the engine's planning of
    ///   each row; O(n) once per import (n customers on file) to build `customers`.
    static func commit(_ rows: [ImportRow], session: Session, customers: inout ImportCustomers, history: Bool = false,
                       overrideReason: String? = nil) throws -> [ImportOutcome] {
        // Parse what can be parsed outside the lock; resource names need the reference data.
        let state0 = session.store.state
        customers.refresh(from: state0)
        var requests: [(Int, Result<BookingRequest, CoreError>)] = []
        var parsed: [BookingRequest] = []
        for row in rows {
            let r = request(for: row, in: state0, customers: customers).map { req -> BookingRequest in
                var req = req
                req.importedHistory = history
                if history { req.overrideReason = overrideReason }
                return req
            }
            if case .success(let req) = r { parsed.append(req) }
            requests.append((row.number, r))
        }
        let actor = session.actor
        var created: [Customer] = []
        let outcomes = try session.store.write("import", .bookMany(parsed)) { state, engine throws(CoreError) in
            // Someone else may have added customers since the rows were read.
            customers.refresh(from: state)
            var working = state
            var tx = Transaction(at: engine.clock.now(), actor: actor)
            var outcomes: [ImportOutcome] = []
            // Customers created by this chunk, which `customers` learns only once it is committed.
            var newCustomers: [String: CustomerID] = [:]
            for (n, parsed) in requests {
                guard case .success(var req) = parsed else {
                    if case .failure(let e) = parsed { outcomes.append(ImportOutcome(row: n, outcome: "invalid", error: .init(code: "invalid_input", message: e.description))) }
                    continue
                }
                // Past rows are history: only `--history` takes them, whatever their status, so a
                // migration is never half recorded as live bookings with their events.
                if !history, req.range.start < tx.at {
                    let when = req.range.start.iso8601
                    outcomes.append(ImportOutcome(row: n, outcome: "refused", error: .init(
                        code: "policy", message: "starts in the past (\(when)); past bookings are migrated with --history")))
                    continue
                }
                // A name new when the row was read may be on file now: created earlier in this
                // chunk, or by someone else meanwhile.
                if case .new(let name, _, _) = req.customer {
                    if let id = newCustomers[ImportCustomers.key(name)] {
                        req.customer = .existing(id)
                    } else {
                        switch Result(catching: { () throws(CoreError) in try customerChoice(name, key: req.idempotencyKey, in: working, customers: customers) }) {
                        case .success(let choice): req.customer = choice
                        case .failure(let e):
                            outcomes.append(ImportOutcome(row: n, outcome: "invalid", error: .init(code: "invalid_input", message: e.description)))
                            continue
                        }
                    }
                }
                do throws(CoreError) {
                    let p = try engine.book(req, in: working, by: actor)
                    if p.value.replayed {
                        // What the first run printed for the row: the id its key recorded.
                        let first = req.idempotencyKey.flatMap { working.idempotencyKeys[$0] }?.bookings.first
                        outcomes.append(ImportOutcome(row: n, outcome: "duplicate", id: first?.rawValue, replayed: true))
                        continue
                    }
                    working.apply(p.transaction)
                    tx.mutations += p.transaction.mutations
                    tx.events += p.transaction.events
                    if let c = p.value.createdCustomer {
                        newCustomers[ImportCustomers.key(c.name)] = c.id
                        created.append(c)
                    }
                    outcomes.append(ImportOutcome(row: n, outcome: "created", id: p.value.bookings.first?.id.rawValue))
                } catch {
                    outcomes.append(outcome(for: error, row: n, state: working))
                }
            }
            return Planned(transaction: tx, value: outcomes)
        }
        customers.add(created, committedIn: session.store.state)
        return outcomes
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

    /// Turns a row's text fields into a booking request, or says which field is wrong.
    ///
    /// The customer column is resolved through `customers` (an id, reference or name on file,
    /// else a new customer of that name) and kept as sent in `customerText`, which is what the
    /// idempotency fingerprint records.
    static func request(for row: ImportRow, in state: BookingState, customers: ImportCustomers) -> Result<BookingRequest, CoreError> {
        if let m = row.malformed { return .failure(.invalidInput(field: "row", message: m)) }
        func field(_ k: String) -> String { (row.fields[k] ?? "").trimming(.whitespaces) }
        do {
            guard !field("resource").isEmpty else { throw CoreError.invalidInput(field: "resource", message: "is empty") }
            let r = try Resolver.resource(field("resource"), in: state)
            guard !field("start").isEmpty else { throw CoreError.invalidInput(field: "start", message: "is empty") }
            guard !field("end").isEmpty else { throw CoreError.invalidInput(field: "end", message: "is empty") }
            let s = try InputParsing.instant(field("start"), field: "start", zone: r.zone)
            let e = try InputParsing.instant(field("end"), field: "end", zone: r.zone)
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
