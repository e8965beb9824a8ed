import FrontdeskCore
@testable import FrontdeskTUI

/// Drives the TUI like a person at the desk: keys in, screen text out, with a fixed clock and
/// the in-memory backend. Data: `SalonFixture` (2027-03-01 is a Monday; London is on UTC then).
///
/// Demo bookings on the day: B-001 Ann Lee Chair 1 09:00-10:00 confirmed, B-002 Bob Stone
/// Chair 1 11:00-11:30 tentative, B-003 李小龍 Chair 2 10:00-11:00, B-004 Zoë ☕ Park Anna
/// 13:00-14:00 pending payment, B-005 (hostile name) Chair 2 14:00-15:00.
final class Harness {
    let clock: FixedClock
    /// The storage the desk writes to; `external` plays another desk.
    let connection: InMemoryBookingStorage
    let app: TUIApp
    let backend: MemoryBackend
    let runner: TUIRunner

    static let london = Zone("Europe/London")!

    init(now: String = "2027-03-01T10:20:00Z", date: LocalDate? = nil, rows: Int = 40, cols: Int = 130,
         keys: KeyMap = KeyMap(), colors: ColorCapability = .xterm256, access: Access? = nil) throws {
        let instant = Instant(iso8601: now)!
        clock = FixedClock(instant)
        connection = try SalonFixture.storage(now: instant, day: LocalDate("2027-03-01")!)
        backend = MemoryBackend(rows: rows, cols: cols, colors: colors)
        let desk = DeskConnection(storage: connection, actor: Author(user: "carol", origin: "local", source: .tui), access: access)
        app = TUIApp(connection: desk, clock: clock, keys: keys, theme: .builtInDefault, size: (rows, cols), date: date)
        runner = TUIRunner(app: app, backend: backend)
        runner.draw()
    }

    /// Presses keys one by one, each followed by one loop iteration (refresh + redraw).
    func press(_ keys: KeyEvent...) { for k in keys { backend.pending.append(k); runner.tick() } }

    /// Types text, one key per character.
    func type(_ text: String) { for c in text { press(.char(c)) } }

    /// One loop iteration with no key (the input timeout).
    func idle() { runner.tick() }

    var lines: [String] { backend.lines }
    var screen: String { lines.joined(separator: "\n") }

    /// The first screen line containing `text`.
    func line(_ text: String) -> String? { lines.first { $0.contains(text) } }

    /// The screen row whose time label is `hhmm`.
    func row(_ hhmm: String) -> Int? { lines.firstIndex { $0.hasPrefix(hhmm) } }

    func at(_ local: String) -> Instant { Instant(iso8601: local + ":00Z")! }

    func booking(_ ref: String) -> Booking { connection.state.booking(ref: ref)! }

    /// Books through another desk's actor, as if another process wrote meanwhile.
    @discardableResult
    func otherDeskBooks(_ resource: String, _ from: String, _ to: String, customer: String, user: String = "bob") throws -> Booking {
        let s = connection.state
        let r = s.resources.values.first { $0.name == resource }!.id
        let c = s.customers.values.first { $0.name == customer }!.id
        let actor = Author(user: user, origin: "10.0.0.9", source: .cli)
        let early = BookingEngine(clock: FixedClock(at("2027-02-01T00:00")), ids: RandomIdentifierSource())
        let req = BookingRequest(resource: r, customer: .existing(c), range: TimeRange(start: at(from), end: at(to)))
        return try connection.external { (st: BookingState, _: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            try early.book(req, in: st, by: actor)
        }.bookings[0]
    }
}
