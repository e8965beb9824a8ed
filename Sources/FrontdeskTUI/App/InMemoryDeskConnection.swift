import Synchronization
import FrontdeskCore

/// A `DeskConnection` over a `BookingState` in memory: for tests, the demo and benchmarks.
///
/// `external(_:)` plays another desk writing meanwhile: the change is applied at once (as if
/// on disk), and the next `refresh()` reports it.
package final class InMemoryDeskConnection: DeskConnection, @unchecked Sendable {
    // @unchecked: used from the UI thread only, but for `externalChange`, a Mutex.
    package private(set) var state: BookingState
    package let engine: BookingEngine
    package let actor: Actor
    package var mode: DeskMode = .live
    /// Writes made through this connection, in order (operation names).
    package private(set) var writes: [String] = []
    /// Whether another desk wrote since the last refresh, and whom to tell when one does.
    private let externalChange = Mutex<(pending: Bool, callback: (@Sendable () -> Void)?)>((false, nil))

    package init(state: BookingState, engine: BookingEngine, actor: Actor) {
        self.state = state; self.engine = engine; self.actor = actor
    }

    /// The resources of every `load` call, in order (everything is in memory already).
    package private(set) var loads: [[ResourceID]?] = []

    package func load(resources: [ResourceID]?, range: TimeRange) throws { loads.append(resources) }

    package func write<T: Sendable>(_ operation: String, touching: [TimeRange], resources: [ResourceID]?,
                                    _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        if case .readOnly(let why) = mode { throw DeskWriteRefused(message: "read-only: \(why)") }
        let planned = try plan(state, engine)
        state.apply(planned.transaction)
        writes.append(operation)
        return planned.value
    }

    package func refresh() throws -> Bool {
        externalChange.withLock { let c = $0.pending; $0.pending = false; return c }
    }

    package func onExternalChange(_ callback: @escaping @Sendable () -> Void) {
        externalChange.withLock { $0.callback = callback }
    }

    /// Another desk's change: planned and applied now, announced through the callback.
    package func external<T>(_ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws(CoreError) -> T {
        let planned = try plan(state, engine)
        state.apply(planned.transaction)
        let cb = externalChange.withLock { $0.pending = true; return $0.callback }
        cb?()
        return planned.value
    }
}

/// A write refused by the connection itself (read-only store).
package struct DeskWriteRefused: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
