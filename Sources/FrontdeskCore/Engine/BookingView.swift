/// The loaded state as a change in progress sees it: stored bookings with the plan's own new
/// versions laid over them. A view with no overlay is simply the stored state.
struct BookingView {
    let state: BookingState
    let now: Instant
    /// Bookings written so far by the plan, newest version of each.
    var overlay: [BookingID: Booking] = [:]

    func booking(_ id: BookingID) -> Booking? { overlay[id] ?? state.bookings[id] }

    /// Bookings that keep `resource` busy somewhere in `range` once buffers are counted: blocking
    /// bookings on it, its ancestors or descendants whose buffered ranges overlap the range
    /// widened by this resource's own buffers, or by the booking's own (`bufferBefore`,
    /// `bufferAfter`: a service's set-up and clean-up) where those are larger.
    ///
    /// - Complexity: O(r·(log n + k)) for r related resources, through the conflict index.
    func blockers(on resource: ResourceID, range: TimeRange, excluding: Set<BookingID> = [],
                  bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero) -> [Booking] {
        let wanted = state.policy(for: resource).buffered(range, before: bufferBefore, after: bufferAfter)
        let related = state.related(to: resource)
        var found: [BookingID: Booking] = [:]
        for r in related {
            for id in state.intervals.overlapping(wanted, on: r, in: .blocking) where !excluding.contains(id) && overlay[id] == nil {
                guard let b = state.bookings[id], b.blocks(at: now) else { continue }
                found[id] = b
            }
        }
        if !overlay.isEmpty {
            let relatedSet = Set(related)
            for b in overlay.values where !excluding.contains(b.id) && b.blocks(at: now) {
                // Each resource it holds blocks with its own buffers (or the booking's, if larger).
                for r in b.resources where relatedSet.contains(r) {
                    if state.policy(for: r).buffered(b.range, before: b.bufferBefore, after: b.bufferAfter).overlaps(wanted) { found[b.id] = b; break }
                }
            }
        }
        return found.values.sorted(by: Booking.startOrder)
    }

    /// Blockers described for a person: who holds the slot, on what, when.
    func conflicts(on resource: ResourceID, range: TimeRange, excluding: Set<BookingID> = [],
                   bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero) -> [ConflictingBooking] {
        blockers(on: resource, range: range, excluding: excluding, bufferBefore: bufferBefore, bufferAfter: bufferAfter).map {
            describe($0, against: range, on: resource, bufferBefore: bufferBefore, bufferAfter: bufferAfter)
        }
    }

    /// `b` as a conflict; with the request (`range` on `resource`, with its own buffers) given,
    /// a clash with only its buffer is named as such.
    func describe(_ b: Booking, against range: TimeRange? = nil, on resource: ResourceID? = nil,
                  bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero) -> ConflictingBooking {
        // A booking holding several resources is named by the one the request clashes with.
        var on = b.resource
        if let resource, !b.otherResources.isEmpty, resource != b.resource {
            on = b.holds(resource) ? resource : b.resources.first(where: state.related(to: resource).contains) ?? b.resource
        }
        var c = ConflictingBooking(id: b.id, ref: b.ref, resource: on, resourceName: state.resources[on]?.name ?? on.rawValue,
                                   range: b.range, status: b.status, customerName: b.customer.flatMap { state.customers[$0]?.name },
                                   heldBy: b.updatedBy.user)
        if let range, let resource, !b.range.overlaps(range) {
            let theirs = state.policy(for: on), mine = state.policy(for: resource)
            // Each side keeps the larger of its resource's buffer and its booking's own.
            let theirBefore = max(theirs.bufferBefore, b.bufferBefore), theirAfter = max(theirs.bufferAfter, b.bufferAfter)
            let myBefore = max(mine.bufferBefore, bufferBefore), myAfter = max(mine.bufferAfter, bufferAfter)
            if range.start >= b.range.end {
                let gap = theirAfter + myBefore
                c.buffer = BufferClash(side: .after, length: gap, edge: b.range.end + gap,
                                       own: myBefore, ownEdge: range.start - myBefore)
            } else {
                // The request comes first: its own after-buffer and the booking's before-buffer.
                let gap = theirBefore + myAfter
                c.buffer = BufferClash(side: .before, length: gap, edge: b.range.start - gap,
                                       own: myAfter, ownEdge: range.end + myAfter)
            }
        }
        return c
    }
}

extension BookingState {
    /// What would stand in the way of booking `range` on `resource` at `now` (buffers and
    /// related resources counted, buffer-only clashes marked), for a form that checks as the
    /// receptionist types. The engine checks again when the booking is saved.
    public func conflicts(on resource: ResourceID, range: TimeRange, at now: Instant, excluding: Set<BookingID> = [],
                          bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero) -> [ConflictingBooking] {
        BookingView(state: self, now: now).conflicts(on: resource, range: range, excluding: excluding, bufferBefore: bufferBefore, bufferAfter: bufferAfter)
    }
}
