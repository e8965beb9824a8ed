import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore

/// The endpoints' work: each parses what it was sent, runs on a store lane, and answers with
/// an ``APIReply``. Writes go through `Store.write` on a writer lane (the same plans, checks,
/// idempotency records and versions as the command line); reads refresh a reader lane's
/// store without its lock.
struct APIHandlers: Sendable {
    let pool: StorePool
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

    /// Runs `body` on a reader lane after catching up with the journal, lock-free.
    func read(_ body: @escaping @Sendable (Store) throws -> APIReply) async throws -> APIReply {
        try await pool.reader.run { store in
            do {
                _ = try store.refresh()
                return try body(store)
            } catch {
                return APIReply.problem(for: error, state: store.state)
            }
        }
    }

    /// Runs `body` on a writer lane, between its groups, with the store checking every
    /// change against `access`.
    func write(_ access: Access, _ body: @escaping @Sendable (Store) throws -> APIReply) async throws -> APIReply {
        await pool.writer.submit(access) { store in .answered(try body(store)) }
    }
}
