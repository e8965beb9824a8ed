extension Access {
    /// The actions a planned transaction takes, judged from what it writes against the state
    /// before it: what a change does, not what its request said, so a plan cannot do more than
    /// its front end checked.
    ///
    /// Changes the core makes by itself (a lapsed hold cancelled by ``Author/system``) take no
    /// action; idempotency keys and counters belong to the change they come with.
    ///
    /// - Complexity: O(mutations + history entries of the changed bookings).
    public static func actions(of tx: Transaction, before state: BookingState) -> Set<AccessAction> {
        var out: Set<AccessAction> = []
        for m in tx.mutations {
            switch m {
            case .booking(let b):
                if b.updatedBy == .system { continue }
                let prior = state.bookings[b.id]
                out.formUnion(actions(changing: prior, to: b))
            case .resource: out.insert(.manageResources)
            case .schedule: out.insert(.manageSchedules)
            case .customer(let c):
                out.insert(.manageCustomers)
                let prior = state.customers[c.id]
                if c.mergedInto != nil && prior?.mergedInto == nil { out.insert(.mergeCustomers) }
                if c.erased && prior?.erased != true { out.insert(.eraseCustomers) }
            case .waitlist: out.insert(.manageWaitlist)
            case .staff: out.insert(.manageStaff)
            case .setting: out.insert(.manageSettings)
            case .service: out.insert(.manageServices)
            case .idempotencyKey, .forgetIdempotencyKey, .counters: continue
            case .audit(let e):
                // Entries of a booking, resource, schedule or customer come with their change;
                // webhooks and settings live outside the journal and are recorded on their own.
                switch e.entity {
                case .webhook: out.insert(.manageWebhooks)
                case .settings: out.insert(.manageSettings)
                case .staff: out.insert(.manageStaff)
                default: continue
                }
            }
        }
        return out
    }

    /// What turning `prior` (nil: a new booking) into `b` takes.
    static func actions(changing prior: Booking?, to b: Booking) -> Set<AccessAction> {
        var out: Set<AccessAction> = []
        // Every override leaves its reason on the booking; a new one with the same reason as
        // before shows in the history entries this change adds. Only a booking with a reason is
        // searched: that keeps the text search off every ordinary booking's path.
        let newHistory = b.history.dropFirst(prior?.history.count ?? 0)
        if newHistory.contains(where: { $0.action == "corrected" }) { out.insert(.correctStatus) }
        // Money: a payment or refund is its history entry; a price set by hand keeps its reason,
        // and a price from a service (no reason) is part of booking it.
        for h in newHistory {
            switch h.action {
            case "paid": out.insert(.takePayment)
            case "refunded": out.insert(.refund)
            case "priced": out.insert(.setPrice)
            default: continue
            }
        }
        if prior == nil, b.charges?.priceReason != nil { out.insert(.setPrice) }
        if let o = b.overrideReason {
            if o != prior?.overrideReason || newHistory.contains(where: { $0.changes.contains { $0.contains("override: ") } }) {
                out.insert(.overridePolicy)
            }
        }
        guard let prior else {
            out.insert(.book)
            return out
        }
        if b.status != prior.status {
            switch (prior.status, b.status) {
            case (_, .cancelled): out.insert(.cancel)
            case (.completed, _), (.noShow, _): out.insert(.correctStatus)
            case (.cancelled, _): out.insert(.book)
            default: out.insert(.changeStatus)
            }
        }
        if b.range != prior.range || b.resource != prior.resource || b.otherResources != prior.otherResources { out.insert(.move) }
        if b.notes != prior.notes || b.customer != prior.customer { out.insert(.changeStatus) }
        return out
    }

    /// Checks every action of a planned transaction (``actions(of:before:)``) through
    /// ``authorize(_:_:_:)``, the most demanding first, so a refusal names the role the whole
    /// change needs.
    public static func authorize(_ actor: Author, _ access: Access, transaction tx: Transaction, before state: BookingState) throws(CoreError) {
        let needed = actions(of: tx, before: state).sorted { ($0.leastRole, $0.rawValue) > ($1.leastRole, $1.rawValue) }
        for action in needed { try authorize(actor, access, action) }
    }
}
