import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import FrontdeskCore
import FrontdeskTUI

/// Measures a full redraw of the day grid: 40 resources × 48 fifteen-minute slots (08:00-20:00)
/// with 10,000 bookings in the loaded period (25 days × 40 resources × 10 one-hour bookings),
/// on a screen wide enough to show every column (486 × 52 cells).
///
/// Prints two figures per frame: "full" rebuilds the day's model from the state and paints
/// (what happens after any data change), "paint" reuses the model (cursor moves, clock ticks).
/// Not a timed test: run it in release (`frontdesk-bench tui-redraw`) and read the numbers.
func benchmarkDayGridRedraw(iterations: Int = 300) -> String {
    let connection: DeskConnection, now: Instant, day: LocalDate
    do { (connection, now, day) = try benchmarkFixture() } catch { return "tui-redraw: setup failed: \(error)" }
    let state = connection.state
    let app = TUIApp(showing: connection, clock: FixedClock(now), size: (52, 486), date: day)
    var sink = 0

    /// Wall-clock and this thread's CPU time per frame, in ms. On a shared machine the CPU
    /// time leaves out the time the thread waited for a core.
    func measure(_ rebuild: Bool) -> (wall: Double, cpu: Double) {
        _ = app.render()  // warm up
        let t0 = DispatchTime.now().uptimeNanoseconds, c0 = threadCPUNanoseconds()
        for i in 0..<iterations {
            if rebuild { app.dataChanged() }
            app.cursorSecond = 8 * 3600 + (i % 48) * 900
            let g = app.render()
            sink &+= g.cells.count
        }
        let n = Double(iterations) * 1_000_000
        return (Double(DispatchTime.now().uptimeNanoseconds - t0) / n, Double(threadCPUNanoseconds() - c0) / n)
    }
    let full = measure(true)
    let paint = measure(false)
    // The model alone (what a data change costs before painting).
    let t0 = DispatchTime.now().uptimeNanoseconds, c0 = threadCPUNanoseconds()
    for _ in 0..<iterations { app.dataChanged(); sink &+= app.dayLayout().bookings.count }
    let n = Double(iterations) * 1_000_000
    let model = (wall: Double(DispatchTime.now().uptimeNanoseconds - t0) / n, cpu: Double(threadCPUNanoseconds() - c0) / n)
    let layout = app.dayLayout()
    func f(_ x: (wall: Double, cpu: Double)) -> String {
        "\(Int((x.wall * 1000).rounded())) µs per frame (CPU \(Int((x.cpu * 1000).rounded())) µs)"
    }
    return """
    tui-redraw: day grid \(layout.resources.count) resources × \(layout.rowCount) slots, \(state.bookings.count) bookings loaded, \
    \(layout.bookings.count) on the day, screen 486×52
      full frame (rebuild model + paint): \(f(full))
      paint only (cached model):          \(f(paint))
      model rebuild only:                 \(f(model))
      (\(iterations) frames each; checksum \(sink % 1000))
    """
}

/// CPU time used by the calling thread so far, in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// The benchmarks' data: 40 resources open 08:00-20:00 every day, 200 customers, and 10,000
/// one-hour bookings over 25 days (2027-03-01 to 03-25; ten a day per resource, statuses mixed).
/// Returns the connection, the instant the clock shows (2027-03-10 11:07 UTC) and that day.
func benchmarkFixture() throws -> (connection: DeskConnection, now: Instant, day: LocalDate) {
    let zone = Zone.utc
    let day = LocalDate("2027-03-10")!
    let now = zone.instant(LocalDateTime(date: day, hour: 11, minute: 7))!
    let actor = Author(user: "bench", source: .system)
    let engine = BookingEngine(clock: FixedClock(zone.startOfDay(LocalDate("2027-02-01")!)), ids: SequentialIdentifierSource())
    var state = BookingState()
    var resources: [ResourceID] = []
    var customers: [CustomerID] = []
    do {
        var s = Schedule(id: ScheduleID(""), name: "Bench hours")
        for d in Weekday.allCases { s.weekly[d] = [DailyHours("08:00-20:00")!] }
        let p = try engine.addSchedule(s, in: state, by: actor); state.apply(p.transaction)
        let sid = p.value.id
        for r in 0..<40 {
            let q = try engine.addResource(ResourceDraft(name: "Resource \(r)", zone: zone, schedule: sid), in: state, by: actor)
            state.apply(q.transaction); resources.append(q.value.id)
        }
        for i in 0..<200 {
            let q = try engine.addCustomer(name: "Customer \(i) Example", in: state, by: actor)
            state.apply(q.transaction); customers.append(q.value.id)
        }
    }
    // Bookings are built directly (the package-level initialiser): planning 10,000 bookings one
    // by one would measure the engine, not the screen.
    let who = Author(user: "bench", origin: "local", source: .system)
    var bookings: [Booking] = []
    var n = 0
    let statuses: [BookingStatus] = [.confirmed, .tentative, .completed, .cancelled, .confirmed]
    for (ri, rid) in resources.enumerated() {
        for dd in 0..<25 {
            let date = LocalDate("2027-03-01")!.adding(days: dd)
            for k in 0..<10 {
                let start = zone.instant(LocalDateTime(date: date, hour: 8 + k, minute: ((k + ri) % 2) * 15))!
                n += 1
                bookings.append(Booking(
                    id: BookingID("bk_\(n)"), ref: "B-\(n)", resource: rid, customer: customers[n % customers.count],
                    range: TimeRange(start: start, end: start + .minutes(60)), status: statuses[n % 5],
                    createdBy: who, updatedBy: who, version: 1, createdAt: now, updatedAt: now, notes: "",
                    series: nil, occurrenceDate: nil, holdExpiresAt: nil, cancellation: nil, idempotencyKey: nil,
                    overrideReason: nil, history: []))
            }
        }
    }
    state.load(bookings)
    return (DeskConnection(storage: InMemoryBookingStorage(state: state, engine: BookingEngine(clock: FixedClock(now))), actor: actor), now, day)
}
