import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// The file store as the terminal UI sees it.
final class StoreDeskConnection: DeskConnection {
    let store: Store
    let actor: Actor
    private var subscription: StoreSubscription?
    private var lastBusy: String?

    init(store: Store, actor: Actor) {
        self.store = store
        self.actor = actor
    }

    var state: BookingState { store.state }
    var engine: BookingEngine { store.engine }

    var mode: DeskMode {
        // The status bar's warning: what is on screen may lack bookings the journal lost.
        if let m = store.missingRecords { return .readOnly("DAMAGED, bookings shown may be incomplete: \(m); run frontdesk repair") }
        if let r = store.readOnlyReason { return .readOnly(r) }
        if let b = lastBusy { return .busy(b) }
        return .live
    }

    func load(resources: [ResourceID]?, range: TimeRange) throws {
        try store.load(resources: resources, range: range)
    }

    func write<T: Sendable>(_ operation: String, touching: [TimeRange], resources: [ResourceID]?,
                            _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        do {
            let value = try store.write(operation, touching: touching, resources: resources, plan)
            lastBusy = nil
            return value
        } catch {
            if case .busy(let holder) = error { lastBusy = holder } else { lastBusy = nil }
            throw error
        }
    }

    func refresh() throws -> Bool { try store.refresh() }

    func onExternalChange(_ callback: @escaping @Sendable () -> Void) {
        subscription = store.subscribe(callback)
    }

    func describe(_ error: Error) -> (CoreError?, String) {
        if let e = error as? CoreError { return (e, e.description(in: store.state)) }
        if let s = error as? StoreError {
            if case .core(let e) = s { return (e, e.description(in: store.state)) }
            return (nil, s.description)
        }
        return (nil, String(describing: error))
    }
}
