import Foundation
import Testing
@testable import FrontdeskDelivery
@testable import FrontdeskCore
import FrontdeskStore

@Suite("Reminders and hold expiry")
struct TimeDrivenTests {
    @Test("reminder.due is emitted once, at start minus the resource's lead, even across restarts")
    func reminderOnce() throws {
        let f = try DeliveryFixture(reminderLead: .hours(24)); defer { f.cleanup() }
        let b = try f.book("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z")
        let d = try f.deliverer(sweep: true)
        #expect(try d.runOnce().sweptEvents == 0)
        f.clock.set(DeliveryFixture.t("2027-03-02T09:59:59Z"))
        #expect(try d.runOnce().sweptEvents == 0, "one second early")
        f.clock.set(DeliveryFixture.t("2027-03-02T10:00:00Z"))
        #expect(try d.runOnce().sweptEvents == 1)
        #expect(try d.runOnce().sweptEvents == 0)
        #expect(try f.deliverer(sweep: true).runOnce().sweptEvents == 0, "a restarted deliverer does not repeat it")
        let reminders = try f.events().filter { $0.type == .reminderDue }
        #expect(reminders.count == 1)
        #expect(reminders.first?.booking?.id == b.id)
        #expect(reminders.first?.actor == .system)
        // Durable: a store opened afresh from disk sees the booking as reminded.
        let reopened = try Store.open(at: f.dir, clock: f.clock)
        let stored = try #require(try reopened.booking(idOrRef: b.id.rawValue))
        #expect(stored.reminderSentAt == DeliveryFixture.t("2027-03-02T10:00:00Z"))
        #expect(stored.version == b.version)
    }

    @Test("No reminder for cancelled bookings or ones already started; tentative ones are reminded")
    func reminderSkips() throws {
        let f = try DeliveryFixture(reminderLead: .hours(2)); defer { f.cleanup() }
        let cancelled = try f.book("2027-03-01T09:00:00Z", "2027-03-01T09:30:00Z")
        try f.cancel(cancelled)
        let tentative = try f.book("2027-03-01T09:30:00Z", "2027-03-01T10:00:00Z", status: .tentative)
        let started = try f.book("2027-03-01T08:00:00Z", "2027-03-01T08:45:00Z")
        _ = started
        try f.deliverer(sweep: true).runOnce()
        let reminded = try f.events().filter { $0.type == .reminderDue }.compactMap { $0.booking?.id }
        #expect(reminded == [tentative.id])
    }

    @Test("The engine plans reminders directly: none without a lead, one per due booking")
    func enginePlansReminders() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.book("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        #expect(f.store.engine.planReminders(in: f.store.state).events.isEmpty, "no lead configured")
    }

    @Test("The deliverer expires a lapsed hold: cancelled, booking.hold_expired delivered, slot free again")
    func holdExpiry() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.hook("booking.hold_expired", "#!/bin/sh\ncat > \"$FRONTDESK_DATA/expired.json\"\n")
        let hold = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", status: .pendingPayment, hold: .minutes(15))
        let d = try f.deliverer(sweep: true)
        #expect(try d.runOnce().sweptEvents == 0)
        f.clock.advance(by: .minutes(15))
        let r = try d.runOnce()
        #expect(r.sweptEvents == 1 && r.delivered == 1)
        let stored = try #require(try f.store.booking(idOrRef: hold.id.rawValue))
        #expect(stored.status == .cancelled && stored.cancellation?.reason == "hold expired")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.dir + "/expired.json"))) as? [String: Any])
        #expect(json["type"] as? String == "booking.hold_expired")
        // The slot is free: the same time books without a conflict.
        let again = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        #expect(again.status == .confirmed)
        #expect(try f.events().filter { $0.type == .bookingHoldExpired }.count == 1)
    }
}
