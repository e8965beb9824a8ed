extension BookingEngine {
    /// Statuses a correction may move a booking out of: the ones the state machine treats as
    /// final, where an ordinary status change is refused.
    public static let correctableStatuses: Set<BookingStatus> = [.completed, .noShow, .cancelled]

    /// Plans a status correction: moves a booking out of `completed`, `no_show` or
    /// `cancelled`, which the state machine forbids for ordinary changes, recorded as a
    /// correction with its mandatory reason.
    ///
    /// The target may be any status but `cancelled` (cancel does that) and `pending_payment` (a
    /// hold needs an expiry). A target that occupies the slot is checked for conflicts like a
    /// new booking, so correcting a cancelled booking back cannot double-book it; `completed`
    /// and `no_show` still need the booking to have started. Booking policies (hours, notice)
    /// are not applied again: the booking was made under them once. The caller authorizes the
    /// action (`correctStatus`, a manager's) before planning.
    ///
    /// Money follows the status: what the old status charged (a no-show's fee, a late
    /// cancellation's) is reversed by a `fee_reversal` ledger entry in the same version
    /// (`fee.reversed`), and a correction to `no_show` charges the no-show fee unless one
    /// still stands (`fee.charged`).
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` for a missing or unreadable reason,
    ///   a booking in another status or a target it already has; ``CoreError/conflict(_:)``;
    ///   ``CoreError/notStarted(status:start:)``; ``CoreError/staleVersion(id:expected:current:)``.
    public func correctStatus(_ id: BookingID, to status: BookingStatus, reason: String, expectVersion: Int? = nil,
                              in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Booking> {
        let why = try TextRules.name(reason, field: "reason", maxLength: 200)
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: expectVersion)
        guard Self.correctableStatuses.contains(b.status) else {
            throw .invalidInput(field: "status", message: "\(b.ref) is \(b.status); a correction only takes a booking out of completed, no_show or cancelled (use confirm, complete, no-show or cancel)")
        }
        guard status != .cancelled, status != .pendingPayment else {
            throw .invalidInput(field: "status", message: "a correction cannot make a booking \(status) (use cancel, or book a new hold)")
        }
        guard status != b.status else { throw .invalidInput(field: "status", message: "\(b.ref) is already \(status)") }
        if BookingStatus.requiresStarted.contains(status), plan.now < b.start { throw .notStarted(status: status, start: b.start) }
        if status.occupiesSlot && !b.status.occupiesSlot {
            let conflicts = self.conflicts(on: b.resources, range: b.range, in: plan, excluding: [b.id], bufferBefore: b.bufferBefore, bufferAfter: b.bufferAfter)
            if !conflicts.isEmpty { throw .conflict(conflicts) }
        }
        let from = b.status
        var changes = ["status \(from) → \(status) (correction)"]
        if let c = b.cancellation, from == .cancelled {
            changes.append("cancellation taken back (was: \(c.reason))")
            b.cancellation = nil
        }
        // The fee the old status charged goes back; the new status charges its own, once.
        var reversed: [LedgerEntry] = []
        if from == .noShow, let r = reverseFee(&b, lateCancellation: false, reason: why, plan: &plan, changes: &changes) { reversed.append(r) }
        if from == .cancelled, let r = reverseFee(&b, lateCancellation: true, reason: why, plan: &plan, changes: &changes) { reversed.append(r) }
        var charged: LedgerEntry?
        if status == .noShow, (try? b.charges?.fees(reference: Self.feeReference(lateCancellation: false))) == 0 {
            charged = chargeFee(&b, lateCancellation: false, plan: &plan, changes: &changes)
        }
        changes.append("reason: \(why)")
        b.status = status
        b.holdExpiresAt = nil
        touch(&b, action: "corrected", changes: changes, plan: plan, actor: actor)
        plan.auditReasons[b.id] = why
        plan.put(b)
        plan.emit(.statusChange(to: status), booking: b)
        for r in reversed { plan.emit(.feeReversed, booking: b, ledgerEntry: r) }
        if let charged { plan.emit(.feeCharged, booking: b, ledgerEntry: charged) }
        return Planned(transaction: plan.finish(), value: b)
    }

    /// Plans recording changes kept outside the state: a staff grant (``AuditEntity/staff``),
    /// a webhook, a store setting. Each entry is journaled and announced to hooks and webhooks
    /// (`staff.changed`, `webhook.changed`, `settings.changed`). A storage that keeps the
    /// entity itself adds its own mutations to the same transaction (`Transaction.mutations`),
    /// so the change and its entry are stored together.
    ///
    /// Every entry's time and actor are this plan's; its texts follow the name rules.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` for a booking entry (a booking's
    ///   history comes from its own changes), an empty action or text that is not printable.
    public func recordChanges(_ entries: [AuditEntryDraft], in state: BookingState, by actor: Author) throws(CoreError) -> Planned<[AuditEntry]> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        var recorded: [AuditEntry] = []
        for d in entries {
            guard d.entity != .booking else {
                throw .invalidInput(field: "entity", message: "a booking's history is recorded by its own changes")
            }
            let e = AuditEntry(at: plan.now, actor: actor, entity: d.entity, id: try TextRules.name(d.id, field: "id", maxLength: 200),
                               ref: d.ref.isEmpty ? "" : try TextRules.name(d.ref, field: "ref", maxLength: 200), version: d.version,
                               action: try TextRules.name(d.action, field: "action", maxLength: 80),
                               changes: try d.changes.map { c throws(CoreError) in try TextRules.name(c, field: "change", maxLength: 400) },
                               reason: try d.reason.map { r throws(CoreError) in try TextRules.name(r, field: "reason", maxLength: 200) })
            plan.recordAudit(e)
            recorded.append(e)
        }
        return Planned(transaction: plan.finish(), value: recorded)
    }
}

/// A change to record with ``BookingEngine/recordChanges(_:in:by:)``: an ``AuditEntry`` before
/// the plan gives it its time and actor.
public struct AuditEntryDraft: Hashable, Sendable {
    public var entity: AuditEntity
    public var id: String
    public var ref: String
    public var version: Int
    public var action: String
    public var changes: [String]
    public var reason: String?

    public init(entity: AuditEntity, id: String, ref: String = "", version: Int = 0, action: String, changes: [String] = [], reason: String? = nil) {
        self.entity = entity; self.id = id; self.ref = ref; self.version = version; self.action = action; self.changes = changes; self.reason = reason
    }
}
