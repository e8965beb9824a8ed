/// Names for the keys terminfo describes beyond the basic set, so a message can say
/// "Ctrl-Down does nothing here" instead of "Key key-533".
///
/// xterm-style entries name modified keys by a base and a modifier digit (`kDN5` is
/// Ctrl-Down, `kLFT3` Alt-Left); ncurses gives such a key a code above its standard ones and
/// `keyname()` returns that capability name. Standard keys come back as `KEY_IC` and the like.
enum TerminfoKey {
    /// Capability bases and the names they get.
    static let bases: [(cap: String, name: String)] = [
        ("kUP", "up"), ("kDN", "down"), ("kLFT", "left"), ("kRIT", "right"), ("kHOM", "home"), ("kEND", "end"),
        ("kIC", "insert"), ("kDC", "delete"), ("kPRV", "pgup"), ("kNXT", "pgdn"),
    ]

    /// xterm's modifier digits.
    static let modifiers: [Character: String] = [
        "2": "shift", "3": "alt", "4": "shift-alt", "5": "ctrl", "6": "ctrl-shift", "7": "ctrl-alt", "8": "ctrl-shift-alt",
    ]

    /// Standard ncurses key names that have no `KeyEvent` case of their own.
    static let standard: [String: String] = [
        "KEY_IC": "insert", "KEY_SHOME": "shift-home", "KEY_SEND": "shift-end", "KEY_SDC": "shift-delete",
        "KEY_SIC": "shift-insert", "KEY_SNEXT": "shift-pgdn", "KEY_SPREVIOUS": "shift-pgup", "KEY_B2": "keypad-5",
        "KEY_A1": "keypad-7", "KEY_A3": "keypad-9", "KEY_C1": "keypad-1", "KEY_C3": "keypad-3", "KEY_MOUSE": "mouse",
    ]

    /// Every name this type can give, for keys files.
    static let names: Set<String> = {
        var out = Set(standard.values)
        for b in bases { for m in modifiers.values { out.insert(m + "-" + b.name) } }
        return out
    }()

    /// The key for a capability name from `keyname()` (`kDN5`, `KEY_IC`); nil when unknown.
    static func event(capability cap: String) -> KeyEvent? {
        if let n = standard[cap] { return .named(n) }
        guard let digit = cap.last, let mod = modifiers[digit] else { return nil }
        let base = String(cap.dropLast())
        guard let b = bases.first(where: { $0.cap == base }) else { return nil }
        return .named(mod + "-" + b.name)
    }
}
