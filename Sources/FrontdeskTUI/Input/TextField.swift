/// A one-line text input with a cursor: typing, Backspace, Delete, Left/Right, Home/End.
struct TextField: Sendable {
    var text: String = ""
    /// Cursor position in characters.
    var cursor: Int = 0
    var maxLength: Int = 200

    init(_ text: String = "", maxLength: Int = 200) {
        self.text = text; cursor = text.count; self.maxLength = maxLength
    }

    /// Applies an editing key; false when the key is not an editing key.
    mutating func handle(_ key: KeyEvent) -> Bool {
        switch key {
        case .char(let c):
            guard text.count < maxLength, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i); cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor - 1)
            text.remove(at: i); cursor -= 1
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"): text = ""; cursor = 0
        default: return false
        }
        return true
    }

    /// Draws the field into `width` columns, scrolled so the cursor shows; the cursor cell
    /// gets the `cursor` role when `focused`.
    func draw(into grid: inout CellGrid, row: Int, col: Int, width: Int, focused: Bool) {
        guard width > 0 else { return }
        let chars = Array(TextSanitizer.clean(text))
        // Scroll by characters until the part before the cursor fits (one column for the cursor).
        var start = 0
        while start < cursor, DisplayWidth.of(String(chars[start..<min(cursor, chars.count)])) > width - 1 { start += 1 }
        let visible = String(chars[min(start, chars.count)...])
        grid.putPadded(visible, row: row, col: col, width: width, role: focused ? .fieldFocus : .field)
        if focused {
            let x = col + DisplayWidth.of(String(chars[min(start, chars.count)..<min(cursor, chars.count)]))
            if x < col + width { grid.restyle(row: row, col: x, width: 1, role: .cursor) }
        }
    }
}
