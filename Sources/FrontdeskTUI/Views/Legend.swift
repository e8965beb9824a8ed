import FrontdeskCore

/// The one-line key under the day and week grids: what each shading and status mark means,
/// so `░`, `▒` and the marks need no manual.
struct Legend {
    /// One glyph and what it stands for, drawn in the role it has in the grid.
    struct Entry: Sendable {
        let glyph: Character
        let name: String
        let role: StyleRole
    }

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

    /// Draws as many whole entries as fit in the row (full names, never clipped mid-word),
    /// then "…" when some did not fit.
    func draw(into grid: inout CellGrid, row: Int) {
        grid.fill(row: row, col: 0, width: grid.cols, role: .dim)
        var x = 1
        let all = Self.entries
        for (k, e) in all.enumerated() {
            let need = 2 + DisplayWidth.of(e.name) + (k == all.count - 1 ? 0 : 2)
            if x + need > grid.cols - 1 {
                grid.put("…", row: row, col: x, role: .dim)
                return
            }
            grid.glyph(e.glyph, row: row, col: x, role: e.role)
            x += 1 + grid.put(" " + e.name, row: row, col: x + 1, role: .dim) + 2
        }
    }

    /// The entries as text lines for the help overlay.
    static var helpLines: [String] { entries.map { "\($0.glyph)  \($0.name)" } }
}
