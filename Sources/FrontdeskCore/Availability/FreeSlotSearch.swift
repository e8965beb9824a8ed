/// A question for the free-slot search.
public struct FreeSlotQuery: Sendable {
    public var resources: [ResourceID]
    public var window: TimeRange
    public var duration: TimeSpan
    /// Stop after this many slots in all (nil: no limit).
    public var limit: Int?

    public init(resources: [ResourceID], window: TimeRange, duration: TimeSpan, limit: Int? = nil) {
        self.resources = resources; self.window = window; self.duration = duration; self.limit = limit
    }
}

extension BookingView {
    /// Free start times on one resource within a window, on its slot grid (local time), that
    /// honour hours, overrides, blackouts, buffers, the booking window and existing bookings.
    ///
    /// - Complexity: O(d + r·(log n + k) + s) for d days in the window, r related resources, k
    ///   bookings in the window and s slots returned.
    func freeSlots(on resourceID: ResourceID, within window: TimeRange, duration: TimeSpan, limit: Int?) -> [Slot] {
        guard let resource = state.resources[resourceID], !resource.archived, duration.seconds > 0 else { return [] }
        let policy = state.policy(for: resourceID)
        var earliest = window.start
        if resource.schedule != nil || policy.minimumNotice.seconds > 0 { earliest = max(earliest, now + policy.minimumNotice) }
        var latestStart = window.end - duration
        if let adv = policy.maximumAdvance { latestStart = min(latestStart, now + adv) }
        guard earliest <= latestStart else { return [] }

        let rules = state.availability(for: resource)
        let open = rules.bookableRanges(within: window)
        // A booking b keeps a start s out when [s-before, s+d+after) meets b's buffered range, so
        // each blocker becomes the forbidden stretch [b.s - bB - after, b.e + bA + before), bB
        // and bA the larger of its resource's buffers and its own (a service's).
        let busy = blockers(on: resourceID, range: window).map { b -> TimeRange in
            let kept = state.policy(for: heldResource(of: b, near: resourceID)).buffered(b.range, before: b.bufferBefore, after: b.bufferAfter)
            return TimeRange(start: kept.start - policy.bufferAfter, end: kept.end + policy.bufferBefore)
        }
        let free = TimeRange.subtract(busy, from: open)
        let step = max(resource.slotLength.seconds, 60)
        var out: [Slot] = []
        for gap in free {
            var t = max(gap.start, earliest)
            // Align to the resource's slot grid, counted from local midnight.
            let sod = Int64(resource.zone.local(t).secondOfDay)
            let rem = sod % step
            if rem != 0 { t = t + TimeSpan(seconds: step - rem) }
            while t <= latestStart, t + duration <= gap.end {
                out.append(Slot(resource: resourceID, range: TimeRange(start: t, end: t + duration)))
                if let limit, out.count >= limit { return out }
                t = t + TimeSpan(seconds: step)
            }
        }
        return out
    }
}

extension BookingView {
    /// The resource `b` holds that keeps `resource` busy: `resource` itself, else a parent or
    /// child of it, else its home (for a booking of one resource, always its home).
    func heldResource(of b: Booking, near resource: ResourceID) -> ResourceID {
        guard !b.otherResources.isEmpty, b.resource != resource else { return b.resource }
        if b.holds(resource) { return resource }
        let related = state.related(to: resource)
        return b.resources.first(where: related.contains) ?? b.resource
    }

    /// Whether `range` could be booked on `resource` now: open, no blackout, inside the
    /// booking window, nothing blocking it (buffers and related resources counted) — the
    /// engine's own checks, for a search that has its start times already.
    /// - Complexity: O(r·(log n + k)) for r related resources.
    func fits(_ range: TimeRange, on resourceID: ResourceID) -> Bool {
        guard let resource = state.resources[resourceID], !resource.archived else { return false }
        let policy = state.policy(for: resourceID)
        if resource.schedule != nil || policy.minimumNotice.seconds > 0 {
            if range.start < now + policy.minimumNotice { return false }
        } else if range.end <= now {
            return false
        }
        if let adv = policy.maximumAdvance, range.start > now + adv { return false }
        let rules = state.availability(for: resource)
        guard rules.blackouts(overlapping: range).isEmpty, rules.isOpen(for: range) else { return false }
        return blockers(on: resourceID, range: range).isEmpty
    }
}

extension BookingState {
    /// Start times where every one of `query.resources` is free for the whole duration at
    /// once (one booking holding them all would fit), on the first resource's slot grid; each
    /// slot names the first resource.
    ///
    /// - Complexity: O(s·r·(log n + k)) for s free slots of the first resource and r resources.
    public func freeSlots(together query: FreeSlotQuery, now: Instant) -> [Slot] {
        guard let first = query.resources.first else { return [] }
        let view = BookingView(state: self, now: now)
        let rest = query.resources.dropFirst()
        var out: [Slot] = []
        for slot in view.freeSlots(on: first, within: query.window, duration: query.duration, limit: nil)
        where rest.allSatisfy({ view.fits(slot.range, on: $0) }) {
            out.append(slot)
            if let limit = query.limit, out.count >= limit { break }
        }
        return out
    }

    /// Free slots on each of the resources, in start order (ties in the order given).
    public func freeSlots(_ query: FreeSlotQuery, now: Instant) -> [Slot] {
        let view = BookingView(state: self, now: now)
        var all: [Slot] = []
        for r in query.resources { all += view.freeSlots(on: r, within: query.window, duration: query.duration, limit: query.limit) }
        let order = Dictionary(query.resources.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        all.sort { ($0.range.start, order[$0.resource] ?? 0) < ($1.range.start, order[$1.resource] ?? 0) }
        if let limit = query.limit, all.count > limit { all.removeLast(all.count - limit) }
        return all
    }

    /// The earliest free slot on any of the resources.
    public func firstFreeSlot(_ query: FreeSlotQuery, now: Instant) -> Slot? {
        var q = query
        q.limit = 1
        let view = BookingView(state: self, now: now)
        return query.resources.compactMap { view.freeSlots(on: $0, within: q.window, duration: q.duration, limit: 1).first }
            .min { $0.range.start < $1.range.start }
    }
}
