import FrontdeskCore
import FrontdeskStore

/// Where the handlers' requests run: the lanes of a data directory (``StorePool``: group
/// commit, lock-free readers) or of a PostgreSQL database (``DatabasePool``: one connection a
/// lane, one transaction a write). The handlers see only `any BookingStorage`, so both answer
/// the same requests with the same code.
protocol StorageLanes: Sendable {
    /// Runs `body` on a reading lane once its storage has caught up with every change stored
    /// so far; an error `body` throws becomes its problem answer.
    func read(_ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply

    /// Runs `body` on a writing lane; `body` stores its changes with ``APIHandlers/commit(_:_:_:_:_:)``,
    /// which has every planned change checked against `access`. An error `body` throws becomes
    /// its problem answer.
    func write(_ access: Access, _ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply

    /// Stores the booking `prepare` describes and answers with what its plan renders: with the
    /// other bookings queued on the lane (file store), or in a transaction of its own (database).
    func book(_ access: Access, _ prepare: @escaping @Sendable (any BookingStorage) throws -> GroupedWrite<APIReply>) async -> APIReply

    /// Waits for background work and closes the lanes (at shutdown).
    func finish()
}
