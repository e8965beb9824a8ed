#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskJSON

/// Something a key can do outside forms and dialogs; the raw value is its name in keys files.
enum Action: String, CaseIterable, Sendable {
    case up, down, left, right
    case extendUp = "extend-up", extendDown = "extend-down", select
    case open, cancelBooking = "cancel", move, status, undo, history
    case pay
    case today, prevDay = "prev-day", nextDay = "next-day", prevWeek = "prev-week", nextWeek = "next-week"
    case gotoDate = "goto", search, nextMatch = "next-match", prevMatch = "prev-match"
    case nextView = "next-view", prevView = "prev-view", waitlist, filter, sort
    case pageUp = "page-up", pageDown = "page-down"
    case customer
    case help, redraw, quit
    case reports

    /// One line for the help overlay.
    var summary: String {
        switch self {
        case .up: "one slot earlier"
        case .down: "one slot later"
        case .left: "previous resource (day in week view)"
        case .right: "next resource (day in week view)"
        case .extendUp: "extend the selection up"
        case .extendDown: "extend the selection down"
        case .select: "start/stop selecting slots"
        case .open: "book the free slot(s) / open the booking"
        case .cancelBooking: "cancel the booking (asks for a reason)"
        case .move: "move the booking (arrows, then Enter)"
        case .status: "change status (confirm, complete, no-show)"
        case .undo: "undo your last change"
        case .history: "history of the booking, else the resource"
        case .pay: "take a payment on the booking (a manager: or a refund)"
        case .today: "go to today"
        case .prevDay: "previous day"
        case .nextDay: "next day"
        case .prevWeek: "previous week"
        case .nextWeek: "next week"
        case .gotoDate: "go to a date"
        case .search: "search bookings"
        case .nextMatch: "next match"
        case .prevMatch: "previous match"
        case .nextView: "next view (day, week, agenda, waitlist, reports)"
        case .prevView: "previous view"
        case .waitlist: "waitlist"
        case .filter: "filter resources (day) / bookings (agenda)"
        case .sort: "agenda sort order"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .customer: "customer record of the booking (else asks for one); F2 in the form's customer field"
        case .help: "this help"
        case .redraw: "redraw the screen"
        case .quit: "quit"
        case .reports: "reports: utilisation, no-shows, cancellations, takings, services"
        }
    }
}

/// Which key does what, with the defaults and the user's keys file applied.
///
/// Keys file format (JSON): an object mapping action names to a key name or a list of key
/// names. Listed actions replace their default keys; a key taken from another action is
/// removed there. Unknown actions or key names are reported and ignored.
///
/// ```json
/// { "cancel": "x", "quit": ["q", "ctrl-q"], "next-day": ["]", "right"] }
/// ```
///
/// Key names: a single character (`k`, `K`, `?`, `[`), `space`, `enter`, `esc`, `tab`,
/// `shift-tab`, `backspace`, `delete`, `up` `down` `left` `right`, `shift-up` …, `home`, `end`,
/// `pgup`, `pgdn`, `f1`…`f24`, `ctrl-a`…`ctrl-z`. See docs/KEYS.md.
struct KeyMap: Sendable {
    private(set) var bindings: [Action: [KeyEvent]]
    private var lookup: [KeyEvent: Action] = [:]

    static let defaults: [Action: [KeyEvent]] = [
        .up: [.up, .char("k")], .down: [.down, .char("j")], .left: [.left, .char("h")], .right: [.right, .char("l")],
        .extendUp: [.shiftUp, .char("K")], .extendDown: [.shiftDown, .char("J")], .select: [.char("v")],
        .open: [.enter], .cancelBooking: [.char("c")], .move: [.char("m")], .status: [.char("s")], .undo: [.char("u")], .history: [.char("H")],
        .pay: [.char("$")],
        .today: [.char("t")], .prevDay: [.char("[")], .nextDay: [.char("]")], .prevWeek: [.char("{")], .nextWeek: [.char("}")],
        .gotoDate: [.char("g")], .search: [.char("/")], .nextMatch: [.char("n")], .prevMatch: [.char("N")],
        .nextView: [.tab], .prevView: [.backTab], .waitlist: [.char("w")], .filter: [.char("f")], .sort: [.char("o")],
        .pageUp: [.pageUp], .pageDown: [.pageDown],
        .customer: [.char("C")],
        .help: [.char("?"), .function(1)], .redraw: [.ctrl("l")], .quit: [.char("q")],
        .reports: [.char("R")],
    ]

    init(_ bindings: [Action: [KeyEvent]] = KeyMap.defaults) {
        self.bindings = bindings
        rebuild()
    }

    private mutating func rebuild() {
        lookup = [:]
        for action in Action.allCases { for k in bindings[action] ?? [] { lookup[k] = action } }
    }

    /// The action bound to a key, if any.
    func action(for key: KeyEvent) -> Action? { lookup[key] }

    /// The keys of an action, as names (`"c"`, `"ctrl-l"`).
    func keyNames(_ action: Action) -> [String] { (bindings[action] ?? []).map(\.name) }

    /// The first key name of an action, for hints (`"?"`), or "unbound".
    func hint(_ action: Action) -> String { keyNames(action).first ?? "unbound" }

    /// The first key of an action as a sentence names it (`"Enter"`, `"Ctrl-L"`), or "An unbound key".
    func spokenHint(_ action: Action) -> String { bindings[action]?.first?.label ?? "An unbound key" }

    /// Binds keys to an action, taking each key away from any other action.
    mutating func bind(_ action: Action, to keys: [KeyEvent]) {
        for k in keys { for a in Action.allCases where a != action { bindings[a]?.removeAll { $0 == k } } }
        bindings[action] = keys
        rebuild()
    }

    /// Applies a keys file's JSON; returns a warning per entry it could not use.
    ///
    /// - Throws: ``KeyMapError`` for text that is not JSON (naming the line and column) or not
    ///   an object.
    mutating func apply(json data: Data) throws -> [String] {
        let object: JSONTree
        do { object = try JSONTree(parsing: data) } catch { throw KeyMapError(message: "not valid JSON: \(error)") }
        guard let dict = object.objectValue else {
            throw KeyMapError(message: "a keys file must be a JSON object mapping actions to key names")
        }
        var warnings: [String] = []
        for name in dict.keys.sorted() {
            guard let action = Action(rawValue: name) else {
                warnings.append("keys file: unknown action \"\(name)\" (see docs/KEYS.md)")
                continue
            }
            let names: [String]
            let value = dict[name]!
            if let one = value.stringValue { names = [one] }
            else if let many = value.arrayValue, many.allSatisfy({ $0.stringValue != nil }) { names = many.compactMap(\.stringValue) }
            else { warnings.append("keys file: \"\(name)\" must be a key name or a list of key names"); continue }
            var keys: [KeyEvent] = []
            for n in names {
                if let k = KeyEvent(name: n) { keys.append(k) } else { warnings.append("keys file: unknown key \"\(n)\" for \"\(name)\"") }
            }
            if !keys.isEmpty { bind(action, to: keys) }
        }
        return warnings
    }

    /// Loads the defaults with a keys file applied (a missing file is not an error).
    static func load(path: String?) -> (KeyMap, [String]) {
        var map = KeyMap()
        guard let path, FileManager.default.fileExists(atPath: path) else { return (map, []) }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return (map, try map.apply(json: data))
        } catch {
            return (map, ["keys file \(path): \(error)"])
        }
    }
}

/// A keys file that is not a JSON object of the expected shape.
struct KeyMapError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
