import FrontdeskCore

/// The one-line key under the day and week grids: what each shading and status mark means,
/// so `░`, `▒` and the marks need no manual.
struct Legend {
    /// One glyph and what it stands for, drawn in the role it has in the grid.
    struct Entry: Sendable {
        let glyph: Character
        let name: String
        let role: StyleRole
        /// The name used when the full names do not all fit (`conf` for confirmed).
        var short: String { Legend.shortNames[name] ?? name }
    }

    /// Short names, used only when the full ones do not fit the row (an 80-column terminal).
    static let shortNames: [String: String] = [
        "confirmed": "conf", "tentative": "tent", "pending payment": "unpaid", "completed": "done", "cancelled": "cancel",
    ]

    /// Every entry, in the order shown: shadings first, then the statuses.
    static let entries: [Entry] = shadings + ([.confirmed, .tentative, .pendingPayment, .completed, .cancelled, .noShow] as [BookingStatus]).map {
        Entry(glyph: StatusMark.of($0), name: Format.status($0), role: .status($0))
    }

    /// Cell shadings that are not bookings: closed hours, blackouts, and the buffer kept clear
    /// around a booking.
    static let shadings: [Entry] = [
        Entry(glyph: "░", name: "closed", role: .closed),
        Entry(glyph: "▒", name: "blackout", role: .blackout),
        Entry(glyph: "╌", name: "buffer", role: .closed),
    ]

    /// The names and the gap between entries for a row `cols` wide: full names two apart when
    /// they all fit, else short names two apart, else short names one apart (every entry at 80
    /// columns), else short names as far as they go.
    static func layout(cols: Int) -> (names: [String], gap: Int) {
        func width(_ names: [String], _ gap: Int) -> Int {
            names.reduce(0) { $0 + 2 + DisplayWidth.of($1) } + gap * (names.count - 1)
        }
        let room = cols - 2
        let full = entries.map(\.name), short = entries.map(\.short)
        for (names, gap) in [(full, 2), (short, 2), (short, 1)] where width(names, gap) <= room { return (names, gap) }
        return (short, 1)
    }

    /// Draws as many whole entries as fit in the row (never clipped mid-word), then "…" when
    /// some did not fit.
    func draw(into grid: inout CellGrid, row: Int) {
        grid.fill(row: row, col: 0, width: grid.cols, role: .dim)
        var x = 1
        let all = Self.entries
        let (names, gap) = Self.layout(cols: grid.cols)
        for (k, e) in all.enumerated() {
            let need = 2 + DisplayWidth.of(names[k]) + (k == all.count - 1 ? 0 : gap)
            if x + need > grid.cols - 1 {
                grid.put("…", row: row, col: x, role: .dim)
                return
            }
            grid.glyph(e.glyph, row: row, col: x, role: e.role)
            x += 1 + grid.put(" " + names[k], row: row, col: x + 1, role: .dim) + gap
        }
    }

    /// The entries as text lines for the help overlay.
    static var helpLines: [String] { entries.map { "\($0.glyph)  \($0.name)" + ($0.short == $0.name ? "" : " (\($0.short) on narrow screens)") } }
}
