import FrontdeskCore

/// What a new snapshot generation needs from memory: the bookings changed since the base
/// generation and the reference data that changed, taken at the compaction boundary.
///
/// A value the writer can take to another thread while the store goes on writing: it holds
/// only the changed bookings (copied out) and copy-on-write dictionaries, never the whole
/// `BookingState` with its indexes, so the writer thread reads nothing the store mutates.
package struct SnapshotContent: Sendable {
    /// Reference data to rewrite; nil: unchanged since the base, so the file is linked.
    var resources: [ResourceID: Resource]?
    var schedules: [ScheduleID: Schedule]?
    var customers: [CustomerID: Customer]?
    var waitlist: [WaitlistEntryID: WaitlistEntry]?
    var idempotencyKeys: [String: IdempotencyRecord]?
    /// Every booking changed since the base, as it is now.
    var changedBookings: [Booking]
    /// Their identifiers, plus any that were changed and then removed from memory.
    var changed: Set<BookingID>
    var counters: Counters

    /// Takes from `state` the bookings in `changed` and the reference data of
    /// `changedReferenceFiles` (nil: all of it).
    ///
    /// - Complexity: O(changed bookings); the dictionaries are shared, not copied.
    package init(_ state: BookingState, changed: Set<BookingID>, changedReferenceFiles: Set<String>?) {
        func wanted(_ file: String) -> Bool { changedReferenceFiles?.contains(file) ?? true }
        resources = wanted("resources.json") ? state.resources : nil
        schedules = wanted("schedules.json") ? state.schedules : nil
        customers = wanted("customers.json") ? state.customers : nil
        waitlist = wanted("waitlist.json") ? state.waitlist : nil
        idempotencyKeys = wanted("idempotency.json") ? state.idempotencyKeys : nil
        changedBookings = changed.compactMap { state.bookings[$0] }
        self.changed = changed
        counters = state.counters
    }
}
