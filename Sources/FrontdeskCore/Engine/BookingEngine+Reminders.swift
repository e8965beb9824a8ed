extension BookingEngine {
    /// Plans the time-driven changes: expires lapsed holds and emits `reminder.due` for every
    /// loaded booking whose reminder time has come.
    ///
    /// A booking is reminded when its resource has a reminder lead, it has a customer, it is
    /// `tentative` or `confirmed`, it has not started, `now >= start - lead`, and it was not
    /// reminded before. The same transaction sets `reminderSentAt`, so once it is journaled the
    /// reminder is never emitted again, whoever plans next. The version is not bumped (staff
    /// holding the booking open are not made stale by a reminder); a history line records it.
    ///
    /// - Complexity: O(n) over the loaded bookings.
    public func planReminders(in state: BookingState) -> Transaction {
        var plan = newPlan(state, .system)
        let now = plan.now
        var due: [Booking] = []
        for b in state.bookings.values where b.reminderSentAt == nil && b.customer != nil
            && (b.status == .confirmed || b.status == .tentative) && now < b.start {
            guard let lead = state.policy(for: b.resource).reminderLead, lead.seconds > 0, now >= b.start - lead else { continue }
            due.append(b)
        }
        for var b in due.sorted(by: Booking.startOrder) {
            guard let current = plan.booking(b.id), current.reminderSentAt == nil else { continue }
            b = current
            b.reminderSentAt = now
            b.history.append(HistoryEntry(at: now, actor: .system, action: "reminded", changes: ["reminder.due emitted"], version: b.version))
            plan.put(b)
            plan.emit(.reminderDue, booking: b, by: .system)
        }
        return plan.finish()
    }

    /// The longest reminder lead any resource sets (nil: no resource sends reminders).
    public static func longestReminderLead(in state: BookingState) -> TimeSpan? {
        state.resources.keys.compactMap { state.policy(for: $0).reminderLead }.filter { $0.seconds > 0 }.max()
    }
}
