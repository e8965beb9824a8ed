import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore

/// The endpoints' work: each parses what it was sent, runs on a storage lane, and answers with
/// an ``APIReply``. Writes go through `BookingStorage.write` on a writer lane (the same plans,
/// checks, idempotency records and versions as the command line); reads catch up a reader
/// lane's storage first. The lanes are a data directory's or a database's (``StorageLanes``).
struct APIHandlers: Sendable {
    let lanes: any StorageLanes
    let inFlight: InFlightKeys

    /// The prefix of the idempotency keys a token's requests are stored under: one client's
    /// keys never meet another's, nor the command line's.
    static func keyPrefix(_ token: String) -> String { "api:" + token + ":" }

    /// A booking as the API shows it: as `show --json` prints it, with `idempotency_key` the
    /// key the client sent (without the token prefix it is stored under).
    static func json(_ b: Booking, _ state: BookingState) -> JSONTree {
        guard case .object(var o) = APIBridge.bookingJSON(b, state: state) else { return APIBridge.bookingJSON(b, state: state) }
        if case .string(let k)? = o["idempotency_key"], k.hasPrefix("api:") {
            let rest = k.dropFirst(4)
            if let colon = rest.firstIndex(of: ":") { o["idempotency_key"] = .string(String(rest[rest.index(after: colon)...])) }
        }
        return .object(o)
    }

    /// A booking's `ETag`: its version, quoted.
    static func etag(_ b: Booking) -> (String, String) { ("ETag", "\"\(b.version)\"") }

    /// Runs `body` on a reader lane after catching up with the store.
    func read(_ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async throws -> APIReply {
        await lanes.read(body)
    }

    /// Runs `body` on a writer lane (between its groups on a file store); `body` stores with
    /// ``commit(_:_:_:_:_:)``.
    func write(_ access: Access, _ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async throws -> APIReply {
        await lanes.write(access, body)
    }

    /// Plans and stores one change with `storage`, every planned change checked against
    /// `access`: a file store checks it itself (its writer lane set `Store.access`); on other
    /// storage the check runs inside the plan, before anything is stored.
    static func commit<T>(_ storage: any BookingStorage, _ access: Access, _ operation: String, _ change: ChangeRequest,
                          _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        if let store = storage as? Store { return try store.write(operation, change, plan) }
        return try storage.write(operation, change) { state, engine throws(CoreError) in
            let planned = try plan(state, engine)
            try Access.authorize(planned.transaction.actor, access, transaction: planned.transaction, before: state)
            return planned
        }
    }
}
