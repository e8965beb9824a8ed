import Dispatch
import FrontdeskCore
import FrontdeskTUI

/// Measures keypress to updated screen on the benchmark day grid (40 resources × 48 slots,
/// 10,000 bookings loaded, screen 486 × 52): from the moment the input loop receives a key to
/// the moment the new frame has been handed to the backend, for the keys used most.
///
/// The backend walks the frame the way `NcursesBackend` does (runs of one style, scalars into a
/// wide-character buffer) but has no terminal, so ncurses' own update and the terminal's are
/// not included; `Benchmarks/tui-first-frame.sh` measures a real binary on a pseudo-terminal.
/// Not a timed test: run it in release (`frontdesk-bench tui-keypress`) and read the numbers.
func benchmarkKeypress(iterations: Int = 200) -> String {
    let connection: DeskConnection, now: Instant, day: LocalDate
    do { (connection, now, day) = try benchmarkFixture() } catch { return "tui-keypress: setup failed: \(error)" }
    let app = TUIApp(showing: connection, clock: FixedClock(now), size: (52, 486), date: day)
    let backend = TimingBackend(rows: 52, cols: 486)
    let runner = TUIRunner(app: app, backend: backend)
    runner.draw()

    /// Presses each key in turn (cycling) `iterations` times; the latency of every press of `timed`.
    func measure(_ keys: [KeyEvent], timed: Set<Int>) -> [Double] {
        var out: [Double] = []
        for i in 0..<(iterations * keys.count) {
            let k = i % keys.count
            backend.pending.append(keys[k])
            runner.tick()
            if timed.contains(k) { out.append(Double(backend.lastDrawEnd - backend.lastKeyAt) / 1000) }
        }
        return out
    }

    app.cursorSecond = 10 * 3600
    let move = measure([.char("j"), .char("k")], timed: [0, 1])
    let days = measure([.char("]"), .char("[")], timed: [0, 1])
    // 19:00 is free on every day of the fixture, so Enter opens the booking form there.
    app.cursorSecond = 19 * 3600
    backend.pending.append(.enter); runner.tick()
    guard app.isShowingForm else { return "tui-keypress: Enter at 19:00 did not open the booking form" }
    backend.pending.append(.escape); runner.tick()
    let form = measure([.enter, .escape], timed: [0])
    let close = measure([.enter, .escape], timed: [1])
    guard backend.draws > 0, !app.hasOverlay else { return "tui-keypress: the form did not close" }

    func line(_ name: String, _ xs: [Double]) -> String {
        let s = xs.sorted()
        func us(_ v: Double) -> String { String(Int(v.rounded())) + " µs" }
        return "  \(name.padded(toLength: 34)) median \(us(s[s.count / 2]))  p95 \(us(s[min(s.count - 1, s.count * 95 / 100)]))  max \(us(s.last!))"
    }
    return """
    tui-keypress: key received → frame handed to the backend, day grid \(app.dayLayout().resources.count) resources × \
    \(app.dayLayout().rowCount) slots, \(connection.state.bookings.count) bookings loaded, screen 486×52 (target ≤ 16 ms)
    \(line("cursor move (j / k)", move))
    \(line("next / previous day (] / [)", days))
    \(line("open booking form (Enter)", form))
    \(line("close booking form (Esc)", close))
      (\(move.count), \(days.count), \(form.count), \(close.count) presses; \(backend.draws) frames; checksum \(backend.checksum % 1000))
    """
}

/// A backend with no terminal: keys from a queue, frames walked like `NcursesBackend` does,
/// and the times a key was handed out and a frame finished.
private final class TimingBackend: TerminalBackend {
    let size: (rows: Int, cols: Int)
    let colors = ColorCapability.xterm256
    var pending: [KeyEvent] = []
    private(set) var lastKeyAt: UInt64 = 0
    private(set) var lastDrawEnd: UInt64 = 0
    private(set) var draws = 0
    private(set) var checksum = 0

    init(rows: Int, cols: Int) { size = (rows, cols) }

    func readKey(timeout: Double) -> KeyEvent? {
        guard !pending.isEmpty else { return nil }
        lastKeyAt = DispatchTime.now().uptimeNanoseconds
        return pending.removeFirst()
    }

    func draw(_ grid: CellGrid, styles: ResolvedTheme) {
        // Runs come from the grid, which compares the cells' roles inside the TUI module as
        // `NcursesBackend` does; one-scalar graphemes are read directly.
        var run: [Int32] = []
        run.reserveCapacity(grid.cols + 1)
        grid.forEachRun { _, _, role, cells in
            run.removeAll(keepingCapacity: true)
            for cell in cells where cell.width > 0 {
                if cell.code < Cell.clusterBase {
                    run.append(Int32(bitPattern: cell.code))
                } else {
                    grid.forEachScalar(of: cell) { run.append(Int32(bitPattern: $0)) }
                }
            }
            checksum &+= run.count &+ ResolvedTheme.index(of: role)
        }
        draws += 1
        lastDrawEnd = DispatchTime.now().uptimeNanoseconds
    }

    func invalidate() {}
}
