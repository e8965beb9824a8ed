/// A terminal in memory for tests: keys come from a queue, the last drawn grid is kept.
final class MemoryBackend: TerminalBackend {
    var size: (rows: Int, cols: Int)
    var colors: ColorCapability
    /// Keys still to be read, first first.
    var pending: [KeyEvent] = []
    private(set) var lastGrid: CellGrid?
    private(set) var drawCount = 0
    private(set) var invalidations = 0

    init(rows: Int = 30, cols: Int = 100, colors: ColorCapability = .xterm256) {
        size = (rows, cols); self.colors = colors
    }

    func draw(_ grid: CellGrid, styles: ResolvedTheme) { lastGrid = grid; drawCount += 1 }

    func readKey(timeout: Double) -> KeyEvent? { pending.isEmpty ? nil : pending.removeFirst() }

    func invalidate() { invalidations += 1 }

    /// The screen as text lines.
    var lines: [String] { lastGrid?.lines ?? [] }
}
