import FrontdeskCore
import FrontdeskStore

/// A data directory's lanes: reads refresh a reader lane's store without its lock, writes go
/// through the writer lane, bookings are committed with the lane's group.
extension StorePool: StorageLanes {
    func read(_ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply {
        do {
            return try await reader.run { store in
                do {
                    _ = try store.refresh()
                    return try body(store)
                } catch {
                    return APIReply.problem(for: error, state: store.state)
                }
            }
        } catch {
            return APIReply.problem(for: error, state: nil)
        }
    }

    func write(_ access: Access, _ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply {
        await writer.submit(access) { store in .answered(try body(store)) }
    }

    func book(_ access: Access, _ prepare: @escaping @Sendable (any BookingStorage) throws -> GroupedWrite<APIReply>) async -> APIReply {
        await writer.submit(access) { store in .grouped(try prepare(store)) }
    }
}
