import FrontdeskCore

/// The exit status when the booking screen cannot be shown: sysexits' `EX_UNAVAILABLE`.
public let terminalUnavailableExitStatus: Int32 = 69

/// Opens the booking screen on the terminal and runs it until the user quits; returns the
/// process exit status: 0 after a normal quit, 64 (usage) for an unknown or unreadable theme, 69 (`EX_UNAVAILABLE`) when
/// there is no terminal or it cannot show the screen (the message on standard error then points
/// to the command line; 3 would read as a booking conflict to a script), 128 + n after signal n
/// (SIGTERM, SIGHUP). The terminal is restored in every case.
///
/// Must run on the main thread with standard input and output on a terminal. `NO_COLOR` (any
/// non-empty value) selects the mono theme. `options.frameObserver` may end the session after
/// any frame.
public func runFrontdeskTUI(connection: DeskConnection, options: TUIOptions) -> Int32 {
    let env = options.environment
    let noColor = !(env["NO_COLOR"] ?? "").isEmpty
    let theme: Theme
    do {
        theme = try Theme.select(name: options.theme, directory: options.themesDirectory, environment: env)
    } catch {
        StandardStream.error.write("frontdesk: \(error)\n")
        return 64  // a usage error: the message lists the themes
    }
    let (keys, warnings) = KeyMap.load(path: options.keysFile)
    let backend: NcursesBackend
    switch NcursesBackend.start(environment: env, wantColor: !noColor) {
    case .success(let b): backend = b
    case .failure(let e):
        StandardStream.error.write(e.description + "\n")
        return terminalUnavailableExitStatus
    }
    defer { backend.stop() }
    let app = TUIApp(connection: connection, clock: options.clock ?? SystemClock(), keys: keys, theme: theme,
                     size: backend.size, date: options.date, kind: options.kind, parent: options.parent)
    if let w = warnings.first { app.show(w + (warnings.count > 1 ? " (+\(warnings.count - 1) more)" : ""), error: true) }
    let runner = TUIRunner(app: app, backend: backend)
    runner.stopSignal = { backend.stopSignal }
    runner.frameObserver = options.frameObserver
    return runner.run()
}
