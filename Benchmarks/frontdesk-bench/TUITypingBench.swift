import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

let tuiTypingSummary = "per-keystroke times of `/` search and the form's customer field on an existing store (target ≤ 50 ms a key)"

/// `frontdesk-bench tui-typing --store DIR [--date YYYY-MM-DD] [--query TEXT]… [--name TEXT]… [--rounds N]`.
///
/// Opens an existing store (give a copy: opening catches up its journal and may compact) as
/// the desk does, on `--date`, and prints the time of every keystroke, from the key handed to
/// the app to the frame handed to the backend (no terminal: ncurses' own update is not
/// included; `Benchmarks/tui-first-frame.sh` measures a real process on a pseudo-terminal):
///
/// - start: the store's open, the app and the first frame, in this process;
/// - `/` search: `/`, each character of the query, Enter (the storage search and the jump),
///   then `n` three times and `N` three times;
/// - the booking form's customer field: Enter on a free slot opens the form, then each
///   character of the name (search-as-you-type through the customer index), then Escape.
///
/// Each query and name runs `--rounds` times (default 2), each time in a newly opened store and
/// app (the first round with whatever the page cache holds, the later ones warm).
func tuiTypingBenchmark(_ args: [String]) -> Int32 {
    func value(_ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return args[i + 1]
    }
    func values(_ name: String) -> [String] {
        args.enumerated().compactMap { i, a in a == name && i + 1 < args.count ? args[i + 1] : nil }
    }
    guard let dir = value("--store") else {
        print("usage: frontdesk-bench tui-typing --store DIR [--date YYYY-MM-DD] [--query TEXT]… [--name TEXT]… [--rounds N]")
        return 64
    }
    guard let day = LocalDate(value("--date") ?? "2027-06-15") else { print("tui-typing: --date is not YYYY-MM-DD"); return 64 }
    let rounds = max(1, Int(value("--rounds") ?? "") ?? 2)
    let queries = values("--query").isEmpty ? ["Customer 0000001"] : values("--query")
    let names = values("--name").isEmpty ? ["Customer 0123456"] : values("--name")
    // Today's time, fixed for the run: the store's live keys stay live, and no frame waits on the clock.
    let clock = FixedClock(Instant(seconds: Int64(Date().timeIntervalSince1970)))
    let options = StoreOptions(compactInBackground: false, user: "bench")
    func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    func ms(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1e6) }

    var worst: UInt64 = 0
    var worstCPU: UInt64 = 0
    var firstFrames: [UInt64] = []

    /// A store, an app and a first frame; nil after printing why not.
    func start() -> (TUIApp, TUIRunner, SearchTimingBackend)? {
        let t0 = now()
        let store: Store
        do { store = try Store.open(at: dir, clock: clock, options: options) } catch { print("tui-typing: open failed: \(error)"); return nil }
        let connection = DeskConnection(storage: store, actor: Author(user: "bench", origin: "local", source: .tui))
        let app = TUIApp(showing: connection, clock: clock, size: (50, 200), date: day)
        let backend = SearchTimingBackend(rows: 50, cols: 200)
        let runner = TUIRunner(app: app, backend: backend)
        runner.draw()
        firstFrames.append(now() - t0)
        return (app, runner, backend)
    }

    /// CPU time of the process (every thread), nanoseconds.
    func cpu() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
    var cpuOfLastPress: UInt64 = 0

    /// Presses `key` and returns its wall time (key handed out to frame handed over); the
    /// process's CPU time for the whole tick is left in `cpuOfLastPress`.
    func press(_ key: KeyEvent, _ runner: TUIRunner, _ backend: SearchTimingBackend) -> UInt64 {
        backend.pending.append(key)
        let c0 = cpu()
        runner.tick()
        cpuOfLastPress = cpu() - c0
        let t = backend.lastDrawEnd &- backend.lastKeyAt
        return backend.lastDrawEnd >= backend.lastKeyAt ? t : 0
    }

    /// Presses `key`: its name, wall time and CPU time.
    func timed(_ name: String, _ key: KeyEvent, _ runner: TUIRunner, _ backend: SearchTimingBackend) -> (String, UInt64, UInt64) {
        let wall = press(key, runner, backend)
        return (name, wall, cpuOfLastPress)
    }

    func line(_ label: String, _ times: [(String, UInt64, UInt64)]) {
        worst = max(worst, times.map(\.1).max() ?? 0)
        worstCPU = max(worstCPU, times.map(\.2).max() ?? 0)
        let walls = times.map(\.1).sorted(), cpus = times.map(\.2).sorted()
        print("  \(label): wall median \(ms(walls[walls.count / 2])) ms, max \(ms(walls.last!)) ms; CPU median \(ms(cpus[cpus.count / 2])) ms, max \(ms(cpus.last!)) ms")
        print("    " + times.map { "\($0.0) \(ms($0.1))/\(ms($0.2))" }.joined(separator: " | ") + "   (wall/CPU ms)")
    }

    for round in 1...rounds {
        for query in queries {
            guard let (_, runner, backend) = start() else { return 1 }
            print("round \(round), `/` \"\(query)\" (first frame in this process \(ms(firstFrames.last!)) ms)")
            var typed = [timed("/", .char("/"), runner, backend)]
            for c in query { typed.append(timed(String(c), .char(c), runner, backend)) }
            typed.append(timed("Enter", .enter, runner, backend))
            line("typing and Enter", typed)
            print("    status: \(backend.status.trimmingCharacters(in: .whitespaces).prefix(110))")
            var jumps: [(String, UInt64, UInt64)] = []
            for _ in 0..<3 { jumps.append(timed("n", .char("n"), runner, backend)) }
            for _ in 0..<3 { jumps.append(timed("N", .char("N"), runner, backend)) }
            line("n ×3, N ×3", jumps)
            print("    status: \(backend.status.trimmingCharacters(in: .whitespaces).prefix(110))")
        }
        for name in names {
            guard let (app, runner, backend) = start() else { return 1 }
            print("round \(round), customer field \"\(name)\" (first frame in this process \(ms(firstFrames.last!)) ms)")
            // The first slot from 09:00 on the first resource where Enter opens the form.
            var opened: (String, UInt64, UInt64)?
            for hour in 9..<21 where opened == nil {
                app.cursorSecond = hour * 3600
                let t = timed("open", .enter, runner, backend)
                if app.isShowingForm { opened = t } else if app.hasOverlay { _ = press(.escape, runner, backend) }
            }
            guard let opened else { print("tui-typing: no free slot on \(day) opened the booking form"); return 1 }
            var typed = [opened]
            for c in name { typed.append(timed(String(c), .char(c), runner, backend)) }
            line("open form, then each key", typed)
            print("    status: \(backend.status.trimmingCharacters(in: .whitespaces).prefix(110))")
        }
    }
    let sortedFrames = firstFrames.sorted()
    print("first frame in this process (open + app + draw): median \(ms(sortedFrames[sortedFrames.count / 2])) ms, max \(ms(sortedFrames.last!)) ms")
    print("worst keystroke: wall \(ms(worst)) ms, CPU \(ms(worstCPU)) ms (target ≤ 50 ms): \(worst <= 50_000_000 ? "met" : "not met") by wall time")
    return 0
}
