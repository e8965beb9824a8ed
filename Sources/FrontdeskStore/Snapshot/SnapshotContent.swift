import FrontdeskSystem
import FrontdeskCore

/// What a new snapshot generation needs from memory: the bookings changed since the base
/// generation and the reference data that changed, taken at the compaction boundary.
///
/// A value the writer can take to another thread while the store goes on writing: it holds
/// only copy-on-write dictionaries and the changed bookings, never the whole `BookingState`
/// with its indexes, so the writer thread reads nothing the store mutates.
package struct SnapshotContent: Sendable {
    /// Reference data to rewrite; nil: unchanged since the base, so the file is linked.
    var resources: [ResourceID: Resource]?
    var schedules: [ScheduleID: Schedule]?
    /// Customers changed since the base, in their current versions (nil: none); with
    /// `customersWhole`, every customer there is.
    var customers: [CustomerID: Customer]?
    /// Whether `customers` is the whole table (a base without a sharded table: a new store,
    /// or a `customers.json` read whole), so the writer needs nothing of the base's.
    var customersWhole: Bool
    var waitlist: [WaitlistEntryID: WaitlistEntry]?
    /// Staff grants to rewrite (nil: unchanged since the base).
    var staff: [StaffSubject: StaffGrant]?
    /// Store settings to rewrite (nil: unchanged since the base).
    var settings: [String: StoreSetting]?
    /// The service catalog to rewrite (nil: unchanged since the base).
    var services: [ServiceID: Service]?
    /// Idempotency keys: with `keysWhole`, the whole table; otherwise the keys changed since
    /// the base, each with its record or nil where it was forgotten (`SnapshotWriter`'s shards).
    var keys: [String: IdempotencyRecord?]
    var keysWhole: Bool
    /// Keys created before this instant have expired: the shards a compaction writes leave
    /// them out. Nil: keep every key.
    var keysExpireBefore: Instant?
    /// About how many keys a shard holds (``IdempotencyLayout/count(forEntries:current:perShard:)``).
    var keysPerShard = IdempotencyLayout.entriesPerShard
    /// About how many customers a customer shard holds (``CustomerLayout/shardCount(for:minimum:perShard:)``).
    var customersPerShard = CustomerLayout.entriesPerShard
    /// About how many bookings a customer index shard holds (``CustomerIndex/shardCount(forEntries:minimum:perShard:)``).
    var customerIndexEntriesPerShard = CustomerIndex.entriesPerShard
    /// The fewest shards of each sharded table (`StoreOptions.minimumShards`).
    var minimumShards = IdempotencyLayout.minimumShards
    /// How the search index is cut into chunks and pages.
    var searchSizes = SearchIndex.Sizes.standard
    /// The changed bookings, copied out; or, when they are most of the bookings in memory (a
    /// bulk import), the state's whole table, shared (see `init`).
    private var bookings: [BookingID: Booking]
    /// Whether `bookings` is the state's whole table, unchanged bookings included.
    private var sharesTable: Bool
    /// Identifiers of every booking changed since the base, including any that were changed
    /// and then removed from memory.
    var changed: Set<BookingID>
    var counters: Counters
    /// Every customer, for the partitions' customer lists (a shared copy-on-write table).
    var allCustomers: [CustomerID: Customer]
    /// Customers changed since the base, whose partitions' customer lists are rewritten; nil:
    /// any may have changed.
    var changedCustomers: Set<CustomerID>?
    /// The audit entries of the journal tail up to the boundary, with their records' sequence
    /// numbers: the writer keeps those after its base (which may be newer than the store's).
    var audit: [LoggedAuditEntry] = []

    /// Takes from `state` the bookings in `changed`, the reference data of
    /// `changedReferenceFiles` (nil: all of it), the idempotency keys in `changedKeys` (nil:
    /// the state's table is the whole table) and the customers in `changedCustomers` (nil:
    /// every customer in `state` as the whole table, and every partition's customer list is
    /// rewritten).
    ///
    /// When the changed bookings are at least half of those in memory, the booking table is
    /// shared instead of copied: after a million-booking import, copying them out would take
    /// seconds under the write lock, before the compaction could even start. Should the store write
    /// again while the writer still holds the table, that write copies it once, which costs no
    /// more than copying out would have.
    ///
    /// - Complexity: O(changed bookings + changed keys), the bookings O(1) when the table is
    ///   shared; without `changedKeys`, O(keys in memory).
    package init(_ state: BookingState, changed: Set<BookingID>, changedReferenceFiles: Set<String>?,
                 changedKeys: Set<String>? = nil, keysExpireBefore: Instant? = nil,
                 changedCustomers: Set<CustomerID>? = nil) {
        func wanted(_ file: String) -> Bool { changedReferenceFiles?.contains(file) ?? true }
        resources = wanted("resources.json") ? state.resources : nil
        schedules = wanted("schedules.json") ? state.schedules : nil
        if let changedCustomers {
            customersWhole = false
            var mine: [CustomerID: Customer] = [:]
            mine.reserveCapacity(changedCustomers.count)
            for id in changedCustomers { if let c = state.customers[id] { mine[id] = c } }
            customers = mine.isEmpty ? nil : mine
        } else {
            customersWhole = true
            customers = state.customers
        }
        waitlist = wanted("waitlist.json") ? state.waitlist : nil
        staff = wanted(StaffSchema.file) ? state.staff : nil
        settings = wanted(SettingSchema.file) ? state.settings : nil
        services = wanted(ServiceSchema.file) ? state.services : nil
        keysWhole = changedKeys == nil
        keys = [:]
        if let changedKeys {
            keys.reserveCapacity(changedKeys.count)
            for k in changedKeys { keys[k] = .some(state.idempotencyKeys[k]) }
        } else {
            for (k, r) in state.idempotencyKeys { keys[k] = r }
        }
        self.keysExpireBefore = keysExpireBefore
        sharesTable = changed.count * 2 >= state.bookings.count
        if sharesTable {
            bookings = state.bookings
        } else {
            bookings = [:]
            bookings.reserveCapacity(changed.count)
            for id in changed { if let b = state.bookings[id] { bookings[id] = b } }
        }
        self.changed = changed
        counters = state.counters
        allCustomers = state.customers
        self.changedCustomers = changedReferenceFiles == nil ? nil : changedCustomers
    }

    /// Where a changed booking sits in this content, for `subscript(_:)`.
    typealias Slot = Dictionary<BookingID, Booking>.Index

    /// Calls `body` with every changed booking still in memory and its slot, in no particular
    /// order. A caller that groups bookings keeps slots, not copies.
    ///
    /// - Complexity: O(changed bookings), or O(bookings in memory) when the table is shared
    ///   (then at most twice the changed ones).
    func forEachChangedBooking<E: Error>(_ body: (Slot, Booking) throws(E) -> Void) throws(E) {
        var i = bookings.startIndex
        while i != bookings.endIndex {
            let (id, b) = bookings[i]
            if !sharesTable || changed.contains(id) { try body(i, b) }
            bookings.formIndex(after: &i)
        }
    }

    /// What grouping a changed booking for a generation reads of it (`SnapshotWriter.group`).
    struct ChangedEntry: Sendable {
        var slot: Slot
        var id: BookingID
        var ref: String
        var resource: ResourceID
        var start: Instant
        var seconds: Int64
        var inSeries: Bool
    }

    /// Every changed booking still in memory as a `ChangedEntry`, read out of the table once,
    /// split over `tasks` threads. The writer's grouping tasks then read these instead of
    /// each taking every booking out of the table: three tasks copying (retaining and
    /// releasing) the same million booking boxes in the same order, and probing `changed` for
    /// each, were over half of a bulk import's grouping.
    ///
    /// - Complexity: O(changed bookings), or O(bookings in memory) when the table is shared;
    ///   divided among the tasks.
    func changedEntries(tasks: Int) -> [ChangedEntry] {
        var walked: [Slot] = []
        walked.reserveCapacity(bookings.count)
        var i = bookings.startIndex
        while i != bookings.endIndex {
            walked.append(i)
            bookings.formIndex(after: &i)
        }
        let parts = max(1, min(tasks, walked.count / 4096))
        let me = self, slots = walked
        let results = ParallelWork.map(count: parts) { (p: Int) -> [ChangedEntry] in
            let lo = slots.count * p / parts, hi = slots.count * (p + 1) / parts
            var mine: [ChangedEntry] = []
            mine.reserveCapacity(hi - lo)
            for slot in slots[lo..<hi] {
                let (id, b) = me.bookings[slot]
                if me.sharesTable && !me.changed.contains(id) { continue }
                mine.append(ChangedEntry(slot: slot, id: id, ref: b.ref, resource: b.resource, start: b.start,
                                         seconds: b.range.duration.seconds, inSeries: b.series != nil))
            }
            return mine
        }
        var all: [ChangedEntry] = []
        all.reserveCapacity(slots.count)
        for mine in results { all += mine }
        return all
    }

    /// The booking at a slot `forEachChangedBooking` gave. - Complexity: O(1).
    subscript(_ slot: Slot) -> Booking { bookings.values[slot] }
}
