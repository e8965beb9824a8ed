import FrontdeskCore

/// The deliverers' time-driven sweep: `reminder.due` and `booking.hold_expired` events for the
/// reminders falling due and the holds lapsing, written as one change. ``Deliverer`` (a data
/// directory) and ``OutboxDeliverer`` (a database) both run it.
enum TimeDrivenSweep {
    /// Plans the sweep from what `reference` holds now (the resources' reminder leads) and
    /// writes it through `writer`: from a day back to the longest reminder lead or the hold
    /// horizon ahead, whichever is further.
    ///
    /// - Returns: how many events the sweep made.
    static func run(reading reference: any BookingStorage, writingThrough writer: any BookingStorage,
                    now: Instant, holdHorizon: TimeSpan) throws -> Int {
        _ = try reference.refresh()
        let lead = BookingEngine.longestReminderLead(in: reference.state) ?? .zero
        let range = TimeRange(start: now - .days(1), end: now + max(lead, holdHorizon))
        return try writer.write("deliver: reminders and lapsed holds", .sweep(range)) { state, engine throws(CoreError) in
            let tx = engine.planReminders(in: state)
            return Planned(transaction: tx, value: tx.events.count)
        }
    }
}
