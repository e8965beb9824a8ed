/// One key press, as the backend decoded it.
package enum KeyEvent: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, lower case: Ctrl-C is `.ctrl("c")`.
    case ctrl(Character)
    case up, down, left, right
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case enter, escape, tab, backTab, backspace, delete
    case home, end, pageUp, pageDown
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A key the terminal names but no default uses (`ctrl-down`, `alt-left`, `insert`): see
    /// ``TerminfoKey``.
    case named(String)
    /// A key code nobody maps or names (ignored).
    case unknown(Int)

    /// The name used in keys files and the help overlay (`k`, `shift-up`, `ctrl-l`, `enter`).
    var name: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .ctrl(let c): "ctrl-\(c)"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .shiftUp: "shift-up"
        case .shiftDown: "shift-down"
        case .shiftLeft: "shift-left"
        case .shiftRight: "shift-right"
        case .enter: "enter"
        case .escape: "esc"
        case .tab: "tab"
        case .backTab: "shift-tab"
        case .backspace: "backspace"
        case .delete: "delete"
        case .home: "home"
        case .end: "end"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .function(let n): "f\(n)"
        case .resize: "resize"
        case .named(let n): n
        case .unknown(let n): "key-\(n)"
        }
    }

    /// The name as a sentence shows it: `Ctrl-Down`, `Enter`, `PgUp`, `F5`, or the character.
    var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .unknown(let n): return "An unnamed key (code \(n))"
        default:
            let special = ["pgup": "PgUp", "pgdn": "PgDn"]
            return name.split(separator: "-").map { w in special[String(w)] ?? (w.prefix(1).uppercased() + w.dropFirst()) }
                .joined(separator: "-")
        }
    }

    /// What a message calls the key: `Key c` for a character, else its label (`Ctrl-Down`).
    var spokenName: String {
        if case .char = self { return "Key \(label)" }
        return label
    }

    /// Parses a key name as written in a keys file; nil for a name nobody can press.
    init?(name raw: String) {
        let name = raw.lowercased() == raw || raw.count == 1 ? raw : raw.lowercased()
        switch name {
        case "space": self = .char(" ")
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "shift-up": self = .shiftUp
        case "shift-down": self = .shiftDown
        case "shift-left": self = .shiftLeft
        case "shift-right": self = .shiftRight
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "shift-tab", "backtab": self = .backTab
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        default:
            if name.count == 1, let c = name.first, !c.isWhitespace, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
                self = .char(c)
            } else if name.hasPrefix("ctrl-"), name.count == 6, let c = name.last, c.isASCII, c.isLetter {
                self = .ctrl(Character(c.lowercased()))
            } else if name.hasPrefix("f"), let n = Int(name.dropFirst()), (1...24).contains(n) {
                self = .function(n)
            } else if TerminfoKey.names.contains(name) {
                self = .named(name)
            } else {
                return nil
            }
        }
    }

    /// The printable character this key types into a text field, if any.
    var typed: Character? {
        if case .char(let c) = self { return c }
        return nil
    }
}
