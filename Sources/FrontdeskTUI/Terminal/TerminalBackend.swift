/// How many colours the terminal can show; themes are reduced to fit.
package enum ColorCapability: Int, Comparable, Sendable {
    /// No colour (or `NO_COLOR`): attributes only.
    case none = 0
    /// The eight ANSI colours.
    case ansi8 = 8
    /// The xterm 256-colour palette.
    case xterm256 = 256

    package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A screen and a keyboard: ncurses in the product, an in-memory fake in tests.
package protocol TerminalBackend: AnyObject {
    /// Current size in rows and columns.
    var size: (rows: Int, cols: Int) { get }
    /// What the terminal can show.
    var colors: ColorCapability { get }
    /// Shows the grid (whole screen), styled with the theme's resolved styles.
    func draw(_ grid: CellGrid, styles: ResolvedTheme)
    /// The next key, or nil when `timeout` seconds pass without one.
    func readKey(timeout: Double) -> KeyEvent?
    /// Forces the next `draw` to repaint every cell (Ctrl-L).
    func invalidate()
}
