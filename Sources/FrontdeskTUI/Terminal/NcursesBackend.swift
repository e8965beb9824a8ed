import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncurses: the only file that imports it.
///
/// Starts with `newterm` (not `initscr`, which exits on an unknown `TERM`), refuses terminals
/// without cursor addressing, falls back to the C.UTF-8 locale when the current one is not
/// UTF-8, uses raw mode (Ctrl-C and Ctrl-S arrive as keys), a 25 ms Esc delay, and restores
/// the terminal on exit, on SIGTERM/SIGHUP and on crashes.
final class NcursesBackend: TerminalBackend {
    /// Why the terminal could not be used.
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// ncurses key codes this backend decodes, named after their C constants.
    enum KeyCode {
        /// `KEY_CODE_YES`: get_wch() returned a function key.
        static let codeYes = Int32(KEY_CODE_YES)
        /// `ERR`: no key before the timeout.
        static let err = Int32(ERR)
        /// `KEY_RESIZE`: the terminal changed size.
        static let resize = Int32(KEY_RESIZE)
        /// `KEY_F0`: function key n is `KEY_F0 + n` (the `KEY_F(n)` macro).
        static let f0 = Int32(KEY_F0)
    }

    private let screen: OpaquePointer
    let colors: ColorCapability
    private var preparedPairs: [ResolvedStyle] = []
    private var attributes: [attr_t] = []
    private var stopped = false
    private let signals = SignalWatcher()

    /// Opens the terminal, or explains why it cannot be used.
    static func start(environment: [String: String], wantColor: Bool) -> Result<NcursesBackend, StartError> {
        let term = environment["TERM"] ?? ""
        let advice = "Use the command line instead: frontdesk --help lists the commands."
        if term.isEmpty || term == "dumb" {
            return .failure(StartError(description: "frontdesk: this terminal (TERM=\(term.isEmpty ? "unset" : term)) cannot show the booking screen. \(advice)"))
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            return .failure(StartError(description: "frontdesk: the booking screen needs a terminal on standard input and output. \(advice)"))
        }
        // Text other than ASCII is blanked unless the locale is UTF-8.
        _ = fd_setlocale_all("")
        if let cs = fd_codeset(), !String(cString: cs).uppercased().filter({ $0 != "-" }).contains("UTF8") {
            if fd_setlocale_all("C.UTF-8") == nil { _ = fd_setlocale_all("C.utf8") }
        }
        // A window resize arrives as SIGWINCH, which ncurses turns into KEY_RESIZE. A parent
        // that blocked it (a supervisor, a test runner's worker thread) passes the mask on, and
        // the screen would then never learn of a resize: keys pressed on a "Terminal too small"
        // screen would stay unanswered, and a grown window would keep the small layout.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &winch, nil)
        guard let scr = newterm(nil, fd_stdout(), fd_stdin()) else {
            return .failure(StartError(description: "frontdesk: unknown terminal type TERM=\(term). \(advice)"))
        }
        guard fd_has_cursor_addressing() == 1 else {
            endwin(); delscreen(scr)
            return .failure(StartError(description: "frontdesk: TERM=\(term) cannot move the cursor, so the booking screen cannot be drawn. \(advice)"))
        }
        var capability = ColorCapability.none
        if wantColor && has_colors() {
            start_color()
            use_default_colors()
            let n = fd_colors()
            capability = n >= 256 ? .xterm256 : n >= 8 ? .ansi8 : .none
        }
        return .success(NcursesBackend(screen: scr, colors: capability))
    }

    private init(screen: OpaquePointer, colors: ColorCapability) {
        self.screen = screen
        self.colors = colors
        raw()
        noecho()
        nonl()
        keypad(fd_stdscr(), true)
        curs_set(0)
        _ = fd_set_escdelay(25)
        CrashRestore.install()
        signals.start()
    }

    /// The signal (SIGTERM or SIGHUP) that asked us to stop, if any: the run loop then exits
    /// and restores the terminal.
    var stopSignal: Int32? { signals.received }

    /// Restores the terminal (idempotent).
    func stop() {
        guard !stopped else { return }
        stopped = true
        endwin()
        delscreen(screen)
    }

    deinit { stop() }

    var size: (rows: Int, cols: Int) { (Int(fd_lines()), Int(fd_cols())) }

    func invalidate() { clearok(fd_stdscr(), true) }

    private func prepare(_ styles: ResolvedTheme) {
        guard preparedPairs != styles.styles else { return }
        preparedPairs = styles.styles
        attributes = styles.styles.enumerated().map { i, s in
            var a = fd_a_normal()
            if colors != .none && i + 1 < fd_color_pairs() {
                init_pair(Int16(i + 1), Int16(s.fg), Int16(s.bg))
                a |= fd_color_pair(Int32(i + 1))
            }
            if s.bold { a |= fd_a_bold() }
            if s.underline { a |= fd_a_underline() }
            if s.reverse { a |= fd_a_reverse() }
            if s.dim { a |= fd_a_dim() }
            return a
        }
    }

    func draw(_ grid: CellGrid, styles: ResolvedTheme) {
        prepare(styles)
        erase()
        let rows = min(grid.rows, Int(fd_lines())), cols = min(grid.cols, Int(fd_cols()))
        var run: [wchar_t] = []
        run.reserveCapacity(cols + 1)
        for r in 0..<rows {
            var c = 0
            while c < cols {
                let role = grid[r, c].role
                let start = c
                run.removeAll(keepingCapacity: true)
                while c < cols, grid[r, c].role == role {
                    let cell = grid[r, c]
                    if cell.width > 0 {
                        grid.forEachScalar(of: cell) { run.append(wchar_t(bitPattern: $0)) }
                    }
                    c += 1
                }
                run.append(0)
                _ = wattrset(fd_stdscr(), Int32(bitPattern: UInt32(truncatingIfNeeded: attributes[ResolvedTheme.index(of: role)])))
                _ = mvaddwstr(Int32(r), Int32(start), run)
            }
        }
        refresh()
    }

    func readKey(timeout: Double) -> KeyEvent? {
        wtimeout(fd_stdscr(), Int32(max(0, timeout * 1000)))
        var ch: wint_t = 0
        let rc = get_wch(&ch)
        if rc == KeyCode.err { return nil }
        let code = Int32(bitPattern: ch)
        if rc == KeyCode.codeYes { return Self.functionKey(code) }
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        default:
            guard let s = Unicode.Scalar(UInt32(bitPattern: code)) else { return .unknown(Int(code)) }
            return .char(Character(s))
        }
    }

    private static func functionKey(_ code: Int32) -> KeyEvent {
        switch code {
        case Int32(KEY_UP): return .up
        case Int32(KEY_DOWN): return .down
        case Int32(KEY_LEFT): return .left
        case Int32(KEY_RIGHT): return .right
        case Int32(KEY_SR): return .shiftUp
        case Int32(KEY_SF): return .shiftDown
        case Int32(KEY_SLEFT): return .shiftLeft
        case Int32(KEY_SRIGHT): return .shiftRight
        case Int32(KEY_ENTER): return .enter
        case Int32(KEY_BACKSPACE): return .backspace
        case Int32(KEY_DC): return .delete
        case Int32(KEY_HOME): return .home
        case Int32(KEY_END): return .end
        case Int32(KEY_PPAGE): return .pageUp
        case Int32(KEY_NPAGE): return .pageDown
        case Int32(KEY_BTAB): return .backTab
        case KeyCode.resize: return .resize
        case KeyCode.f0 + 1...KeyCode.f0 + 24: return .function(Int(code - KeyCode.f0))
        default:
            // Extended keys xterm-style terminfo entries define (Shift+arrows as kUP, kDN …).
            if let name = keyname(code).map({ String(cString: $0) }) {
                switch name {
                case "kUP": return .shiftUp
                case "kDN": return .shiftDown
                case "kLFT": return .shiftLeft
                case "kRIT": return .shiftRight
                default: if let named = TerminfoKey.event(capability: name) { return named }
                }
            }
            return .unknown(Int(code))
        }
    }
}

/// On a crash (trap, abort, segfault) puts the terminal back before the process dies, so the
/// user's shell is not left in raw mode.
enum CrashRestore {
    static func install() {
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
            signal(sig) { s in
                endwin()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}
