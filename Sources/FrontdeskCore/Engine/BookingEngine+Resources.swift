extension BookingEngine {
    /// The most resources one booking may hold.
    public static let maximumResourcesPerBooking = 16

    /// The resources a booking is to hold (the home first), checked: each known and not
    /// archived, none named twice, none a parent or child of another (a booking of a parent
    /// already occupies its children), at most ``maximumResourcesPerBooking``.
    ///
    /// - Complexity: O(r² + r·d) for r resources and d the depth of the hierarchy.
    func heldResources(_ ids: [ResourceID], in state: BookingState) throws(CoreError) -> [Resource] {
        guard !ids.isEmpty else { throw .invalidInput(field: "resource", message: "a booking holds at least one resource") }
        guard ids.count <= Self.maximumResourcesPerBooking else {
            throw .invalidInput(field: "resource", message: "\(ids.count) resources named; a booking holds at most \(Self.maximumResourcesPerBooking)")
        }
        var out: [Resource] = []
        for id in ids {
            let r = try resource(id, in: state)
            guard !r.archived else { throw .resourceArchived(resource: r.name) }
            if out.contains(where: { $0.id == id }) {
                throw .invalidInput(field: "resource", message: "\(r.name) is named twice; name each resource once")
            }
            if ids.count > 1, let kin = out.first(where: { state.related(to: id).contains($0.id) }) {
                throw .invalidInput(field: "resource", message: "\(kin.name) and \(r.name) are parent and child: a booking of one already occupies the other; name only one of them")
            }
            out.append(r)
        }
        return out
    }

    /// The first policy refusal for `range` on any of `resources`, in the order given.
    func policyRefusal(_ resources: [Resource], _ range: TimeRange, in plan: ChangePlan, checkWindow: Bool = true) -> CoreError? {
        for r in resources {
            if let refusal = policyRefusal(r, range, in: plan, checkWindow: checkWindow) { return refusal }
        }
        return nil
    }

    /// What keeps `range` busy on any of `resources` (each with its own buffers, or the
    /// booking's `bufferBefore`/`bufferAfter` where larger, and related resources), each
    /// blocking booking once, in the order found.
    func conflicts(on resources: [ResourceID], range: TimeRange, in plan: ChangePlan, excluding: Set<BookingID> = [],
                   bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero) -> [ConflictingBooking] {
        if resources.count == 1 {
            return plan.view.conflicts(on: resources[0], range: range, excluding: excluding, bufferBefore: bufferBefore, bufferAfter: bufferAfter)
        }
        var seen: Set<BookingID> = []
        var out: [ConflictingBooking] = []
        for r in resources {
            for c in plan.view.conflicts(on: r, range: range, excluding: excluding, bufferBefore: bufferBefore, bufferAfter: bufferAfter)
            where seen.insert(c.id).inserted { out.append(c) }
        }
        return out
    }

    /// The longest cancellation notice of the resources `b` holds: freeing any of them late is
    /// a late change.
    func cancellationNotice(of b: Booking, in state: BookingState) -> TimeSpan {
        var notice = state.policy(for: b.resource).cancellationNotice
        for r in b.otherResources { notice = max(notice, state.policy(for: r).cancellationNotice) }
        return notice
    }
}

extension BookingState {
    /// The names of `resources` joined for a person (`Chair 1 + Stylist Ann`), ids for unknown ones.
    public func resourceNames(_ resources: [ResourceID]) -> String {
        resources.map { self.resources[$0]?.name ?? $0.rawValue }.joined(separator: " + ")
    }
}
