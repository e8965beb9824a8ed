import Testing
@testable import FrontdeskCore

/// Issue #20 "Booking": buffers named in conflicts, undoing a cancellation, late reschedules.
@Suite struct DeskBookingTests {
    /// Chloé keeps 10 min after each booking: 10:00 after a 09:30–10:00 booking is refused
    /// by the buffer, and the message names the buffer and when it ends, not 09:30–10:00.
    @Test func aClashWithOnlyTheBufferNamesTheBuffer() throws {
        var w = World()
        let chloe = try w.resource("Chloé", zone: "Europe/London", policy: PolicyOverrides(bufferAfter: .minutes(10)))
        let first = try w.book(chloe, "2027-03-01T09:30:00Z", "2027-03-01T10:00:00Z")
        func refusal(_ a: String, _ b: String) -> CoreError? {
            do { _ = try w.book(chloe, a, b); return nil } catch { return error as? CoreError }
        }
        let caught = refusal("2027-03-01T10:00:00Z", "2027-03-01T10:30:00Z")
        guard case .conflict(let list)? = caught else { Issue.record("expected a conflict, got \(String(describing: caught))"); return }
        #expect(list.map(\.id) == [first.id])
        #expect(list[0].buffer == BufferClash(side: .after, length: .minutes(10), edge: World.t("2027-03-01T10:10:00Z")))
        let local = caught!.description(in: w.state)
        #expect(local.hasPrefix("conflicts with 10 min buffer after \(first.ref) ("), "\(local)")
        #expect(local.hasSuffix(", until 10:10"), "\(local)")
        #expect(caught!.description.contains("10 min buffer after \(first.ref)") && caught!.description.contains("until 2027-03-01T10:10:00Z"))
        // The request's own buffer after counts before the next booking too.
        let before = try #require(refusal("2027-03-01T09:00:00Z", "2027-03-01T09:25:00Z")).description(in: w.state)
        // It is the request's own buffer (Chloé keeps none before), and is named so (second pass).
        #expect(before.contains("the new booking needs 10 min after it, until 09:35") && !before.contains("buffer before"), "\(before)")
        // A real overlap is still named by the booking's time, with no buffer.
        let overlap = try #require(refusal("2027-03-01T09:45:00Z", "2027-03-01T10:15:00Z"))
        guard case .conflict(let l) = overlap else { Issue.record("\(overlap)"); return }
        #expect(l[0].buffer == nil && !overlap.description(in: w.state).contains("buffer"))
        _ = try w.book(chloe, "2027-03-01T10:10:00Z", "2027-03-01T10:40:00Z")
    }

    @Test func undoingACancellationRestoresTheSameBookingInItsSeries() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let ann = try w.customer("Ann Lee")
        let req = BookingRequest(resource: room, customer: .existing(ann), range: World.r("2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z"),
                                 status: .tentative, recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=3"))
        let series = w.commit(try w.engine.book(req, in: w.state, by: w.desk)).bookings
        let b = series[1]
        let cancelled = w.commit(try w.engine.cancel(b.id, reason: "flu", in: w.state, by: w.desk))[0]
        #expect(cancelled.version == 2)
        let restored = w.commit(try w.engine.restoreCancelled(b.id, expectVersion: 2, in: w.state, by: w.desk))
        #expect(restored.id == b.id && restored.ref == b.ref && restored.series == b.series && restored.occurrenceDate == b.occurrenceDate)
        #expect(restored.status == .tentative && restored.cancellation == nil && restored.version == 3 && restored.range == b.range)
        #expect(restored.history.last?.action == "restored")
        #expect(w.state.series(b.series!).map(\.id) == series.map(\.id))
        #expect(w.state.bookings.count == 3, "no new booking")
        // It occupies its slot again, and only a cancelled booking can be restored.
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-09T09:30:00Z", "2027-03-09T10:30:00Z") }
        #expect(throws: CoreError.self) { try w.engine.restoreCancelled(b.id, in: w.state, by: w.desk) }
    }

    @Test func restoringIsRefusedWhenTheSlotWasTakenMeanwhile() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let b = try w.book(room, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        _ = w.commit(try w.engine.cancel(b.id, reason: "flu", in: w.state, by: w.desk))
        let other = try w.book(room, "2027-03-02T09:30:00Z", "2027-03-02T10:30:00Z")
        #expect(throws: CoreError.conflict([ConflictingBooking(id: other.id, ref: other.ref, resource: room, resourceName: "Room 1", range: other.range,
                                                               status: .confirmed, customerName: nil, heldBy: "alice")])) {
            try w.engine.restoreCancelled(b.id, in: w.state, by: w.desk)
        }
    }

    /// Moving a booking out of a slot inside its cancellation notice is as late as cancelling it.
    @Test func lateRescheduleNeedsAnOverrideAndIsMarkedLate() throws {
        var w = World()
        let room = try w.resource("Room 1", policy: PolicyOverrides(cancellationNotice: .hours(24)))
        let soon = try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z")
        let later = World.r("2027-03-08T12:00:00Z", "2027-03-08T13:00:00Z")
        #expect(throws: CoreError.insideCancellationNotice(notice: .hours(24), start: soon.start)) {
            try w.engine.reschedule(soon.id, to: later, in: w.state, by: w.desk)
        }
        let moved = w.commit(try w.engine.reschedule(soon.id, to: later, overrideReason: "manager: client ill", in: w.state, by: w.desk))[0]
        #expect(moved.lateReschedule && moved.overrideReason == "manager: client ill")
        #expect(moved.history.last?.changes.contains { $0.contains("late reschedule") && $0.contains("manager: client ill") } == true)
        // Outside the notice: no override needed, not late.
        let far = try w.book(room, "2027-03-05T12:00:00Z", "2027-03-05T13:00:00Z")
        let ok = w.commit(try w.engine.reschedule(far.id, to: World.r("2027-03-06T12:00:00Z", "2027-03-06T13:00:00Z"), in: w.state, by: w.desk))[0]
        #expect(!ok.lateReschedule && ok.overrideReason == nil)
    }
}
