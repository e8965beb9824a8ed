import Dispatch
import FrontdeskCLI
import FrontdeskCore
import Synchronization

/// One database connection and the one serial queue that may use it (a storage is used from
/// one thread at a time). Each request starts from the reference data alone, caught up with
/// the database, so what one request read never grows the next one's work.
///
/// A failure that is not a refusal (the connection broke, the server ended the session, a
/// statement failed) may leave the connection unusable or inside a transaction: the lane closes
/// it, answers 503 with `Retry-After`, and the next request connects again. A connection found
/// broken while catching up, before the request did anything, is replaced at once.
final class DatabaseLane: @unchecked Sendable {
    private let queue: DispatchQueue
    private let open: @Sendable () throws -> any ServerDatabase
    /// The lane's connection; nil after a failure until the next request. Only `queue` uses it.
    private var storage: (any ServerDatabase)?
    /// Requests queued or running here, for ``DatabasePool`` to pick the least busy lane.
    private let pending = Atomic(0)

    /// A lane on `storage`, which `open` replaces when it fails. The initializer does not throw
    /// and the counter is an `Atomic`, as in ``StoreLane``.
    init(label: String, storage: any ServerDatabase, open: @escaping @Sendable () throws -> any ServerDatabase) {
        queue = DispatchQueue(label: label)
        self.storage = storage
        self.open = open
    }

    var load: Int { pending.load(ordering: .relaxed) }

    /// Runs `body` with the lane's storage, caught up, on the lane's queue.
    func run(_ body: @escaping @Sendable (any ServerDatabase) throws -> APIReply) async -> APIReply {
        pending.wrappingAdd(1, ordering: .relaxed)
        defer { pending.wrappingSubtract(1, ordering: .relaxed) }
        return await withCheckedContinuation { (c: CheckedContinuation<APIReply, Never>) in
            queue.async { c.resume(returning: self.answer(body)) }
        }
    }

    /// The answer to one request, on the lane's queue.
    private func answer(_ body: (any ServerDatabase) throws -> APIReply) -> APIReply {
        var s: any ServerDatabase
        if let storage {
            s = storage
            s.forgetLoaded()
            do {
                _ = try s.refresh()
            } catch {
                // A connection the server ended while it was idle (a restart, an idle timeout)
                // fails here, before the request has done anything: it gets a new one.
                s.close()
                self.storage = nil
                do { s = try connect() } catch { return Self.unavailable(String(describing: error)) }
            }
        } else {
            do { s = try connect() } catch { return Self.unavailable(String(describing: error)) }
        }
        do {
            return try body(s)
        } catch {
            let (refusal, message) = s.describe(error)
            if refusal != nil || Self.isRefusal(error) { return APIReply.problem(for: error, state: s.state) }
            s.close()
            storage = nil
            return Self.unavailable(message)
        }
    }

    /// A new connection (it reads the reference data as it opens) as the lane's storage.
    private func connect() throws -> any ServerDatabase {
        let s = try open()
        storage = s
        return s
    }

    /// Whether `error` refuses the request itself (its input, its role, the engine's rules)
    /// rather than reporting a failure of the database or the connection.
    static func isRefusal(_ error: any Error) -> Bool {
        if error is ServerError || error is CoreError { return true }
        // The command line's input errors (a malformed time, an unknown name) are refusals;
        // what it cannot name ("internal") or calls an I/O failure is not.
        let code = APIBridge.describe(error, state: nil).code
        return code != "internal" && code != "io" && code != "no_store"
    }

    /// 503 `io` with `Retry-After`: the database could not answer; a retry with the same
    /// `Idempotency-Key` books once.
    static func unavailable(_ message: String) -> APIReply {
        APIReply.problem(status: 503, code: "io", title: "Store unavailable", detail: "the database could not complete the request: \(message)",
                         headers: [("Retry-After", "1")])
    }

    /// Closes the connection (at shutdown).
    func finish() {
        queue.sync {
            storage?.close()
            storage = nil
        }
    }
}
