#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskJSON

/// How one role looks: colours plus attributes (which also carry meaning without colour).
struct ThemeStyle: Hashable, Sendable {
    var fg: ThemeColor = .terminalDefault
    var bg: ThemeColor = .terminalDefault
    var bold = false
    var underline = false
    var reverse = false
    var dim = false
    /// Colours for 8-colour terminals (`fg8`/`bg8` in a theme file), where the nearest of the
    /// eight to a pastel is often white: without them a light theme's bookings lose their fill.
    var fg8: ThemeColor? = nil
    var bg8: ThemeColor? = nil

    /// The foreground to use on a terminal with `capability`.
    func fg(for capability: ColorCapability) -> ThemeColor { capability == .ansi8 ? fg8 ?? fg : fg }
    /// The background to use on a terminal with `capability`.
    func bg(for capability: ColorCapability) -> ThemeColor { capability == .ansi8 ? bg8 ?? bg : bg }
}

/// A style reduced to what the terminal can show: palette indexes (-1 = terminal default).
struct ResolvedStyle: Hashable, Sendable {
    var fg: Int
    var bg: Int
    var bold: Bool
    var underline: Bool
    var reverse: Bool
    var dim: Bool
}

/// A theme reduced for one terminal, indexed by role for drawing.
package struct ResolvedTheme: Sendable {
    let capability: ColorCapability
    let styles: [ResolvedStyle]

    subscript(role: StyleRole) -> ResolvedStyle { styles[StyleRole.allCases.firstIndex(of: role)!] }

    /// Index of a role in `styles` (and the colour pair a backend may give it, plus one).
    package static func index(of role: StyleRole) -> Int { roleIndex[role]! }
    private static let roleIndex: [StyleRole: Int] = Dictionary(uniqueKeysWithValues: StyleRole.allCases.enumerated().map { ($1, $0) })
}

/// A named set of styles, one per UI element, read from a JSON file in `themes/`.
///
/// File format: `{"name": "dark", "elements": {"cursor": {"fg": "black", "bg": "#ffd700",
/// "bold": true}, ...}}`. Element names are the `StyleRole` theme keys (`grid`, `header`,
/// `cursor`, `selection`, `closed`, `blackout`, `now-line`, `confirmed`, `no-show`,
/// `status-bar`, `message`, `error` …); missing elements inherit from the built-in mono
/// theme's attributes so every role stays readable. Colours: names (`red`, `bright-blue`,
/// `default`), 256-colour indexes (`208`) or `#rrggbb`; `fg8`/`bg8` replace `fg`/`bg` on
/// 8-colour terminals (`TERM=xterm`).
struct Theme: Sendable {
    var name: String
    var styles: [StyleRole: ThemeStyle]

    /// The style of a role, falling back to mono's.
    func style(_ role: StyleRole) -> ThemeStyle { styles[role] ?? Theme.mono.styles[role] ?? ThemeStyle() }

    /// Reduces every colour for a terminal; colourless terminals get mono's attributes.
    func resolved(for capability: ColorCapability) -> ResolvedTheme {
        let source = capability == .none ? Theme.mono : self
        let list = StyleRole.allCases.map { role -> ResolvedStyle in
            let s = source.style(role)
            return ResolvedStyle(fg: s.fg(for: capability).reduced(to: capability), bg: s.bg(for: capability).reduced(to: capability),
                                 bold: s.bold, underline: s.underline, reverse: s.reverse, dim: s.dim)
        }
        return ResolvedTheme(capability: capability, styles: list)
    }

    /// Parses a theme file; `file` (its path) is named when the text is not JSON.
    ///
    /// Elements and fields are checked in name order, so a file with several mistakes always
    /// reports the same one first.
    static func parse(_ data: Data, file: String? = nil) throws -> Theme {
        let root: JSONTree
        do { root = try JSONTree(parsing: data) } catch {
            throw ThemeError("theme file \(file ?? "(unnamed)") is not valid JSON: \(error)")
        }
        guard let object = root.objectValue else {
            throw ThemeError("a theme must be a JSON object with \"name\" and \"elements\"")
        }
        let name = object["name"]?.stringValue ?? "unnamed"
        guard let elements = object["elements"]?.objectValue else { throw ThemeError("theme \(name): missing \"elements\" object") }
        var styles: [StyleRole: ThemeStyle] = [:]
        let byKey = Dictionary(uniqueKeysWithValues: StyleRole.allCases.map { ($0.themeKey, $0) })
        for key in elements.keys.sorted() {
            guard let role = byKey[key] else { throw ThemeError("theme \(name): unknown element \"\(key)\"") }
            guard let spec = elements[key]!.objectValue else { throw ThemeError("theme \(name): \"\(key)\" must be an object") }
            var s = ThemeStyle()
            for field in spec.keys.sorted() {
                let raw = spec[field]!
                switch field {
                case "fg", "bg", "fg8", "bg8":
                    let text = Theme.colorText(raw)
                    guard let c = ThemeColor(text) else {
                        throw ThemeError("theme \(name): \"\(key).\(field)\": \"\(text)\" is not a colour (name, 0-255 or #rrggbb)")
                    }
                    switch field {
                    case "fg": s.fg = c
                    case "bg": s.bg = c
                    case "fg8": s.fg8 = c
                    default: s.bg8 = c
                    }
                case "bold": s.bold = Theme.flag(raw)
                case "underline": s.underline = Theme.flag(raw)
                case "reverse": s.reverse = Theme.flag(raw)
                case "dim": s.dim = Theme.flag(raw)
                default: throw ThemeError("theme \(name): \"\(key)\" has unknown field \"\(field)\"")
                }
            }
            styles[role] = s
        }
        return Theme(name: name, styles: styles)
    }

    /// A colour value's text: a string as written, a whole number in decimal (`208`, `208.0`),
    /// anything else as its JSON text, which then names it in the error.
    private static func colorText(_ raw: JSONTree) -> String {
        switch raw {
        case .string(let s): return s
        case .number(let n): return Double(n).flatMap { Int(exactly: $0) }.map(String.init) ?? n
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array, .object: return ""
        }
    }

    /// An attribute's value: true for `true` and for the number 1, as Foundation's
    /// `as? Bool` read them; false for anything else.
    private static func flag(_ raw: JSONTree) -> Bool {
        switch raw {
        case .bool(let b): return b
        case .number(let n): return Double(n) == 1
        default: return false
        }
    }

    /// Loads `NAME.json` from `directory`; the built-in default (or mono) when there is none.
    static func load(name: String, directory: String?) throws -> Theme {
        if let directory {
            let path = directory.hasSuffix("/") ? directory + name + ".json" : directory + "/" + name + ".json"
            if FileManager.default.fileExists(atPath: path) {
                return try parse(try Data(contentsOf: URL(fileURLWithPath: path)), file: path)
            }
        }
        switch name {
        case "mono": return .mono
        case "default": return .builtInDefault
        default: throw ThemeError("no theme \"\(name)\"" + (directory.map { " in \($0)" } ?? "") + " (themes: default, light, dark, high-contrast, mono)")
        }
    }

    /// The theme to use: mono when `NO_COLOR` is set to anything non-empty, else `name`. The
    /// name is read either way, so a mistyped `--theme` is reported even under `NO_COLOR`.
    static func select(name: String, directory: String?, environment: [String: String]) throws -> Theme {
        let chosen = try load(name: name, directory: directory)
        return (environment["NO_COLOR"] ?? "").isEmpty ? chosen : .mono
    }

    /// Attributes only: readable with no colour at all (`NO_COLOR`, `TERM=vt100`).
    static let mono: Theme = {
        var s: [StyleRole: ThemeStyle] = [:]
        for r in StyleRole.allCases { s[r] = ThemeStyle() }
        s[.header] = ThemeStyle(bold: true, reverse: true)
        s[.columnHeader] = ThemeStyle(bold: true, underline: true)
        s[.timeLabel] = ThemeStyle(dim: true)
        s[.closed] = ThemeStyle(dim: true)
        s[.blackout] = ThemeStyle(dim: true)
        s[.cursor] = ThemeStyle(bold: true, reverse: true)
        s[.selection] = ThemeStyle(underline: true, reverse: true)
        s[.nowLine] = ThemeStyle(bold: true)
        s[.match] = ThemeStyle(underline: true)
        s[.pendingPayment] = ThemeStyle(underline: true)
        s[.tentative] = ThemeStyle(underline: true)
        s[.confirmed] = ThemeStyle(bold: true)
        s[.cancelled] = ThemeStyle(dim: true)
        s[.noShow] = ThemeStyle(dim: true)
        s[.statusBar] = ThemeStyle(reverse: true)
        s[.error] = ThemeStyle(bold: true)
        s[.dialogTitle] = ThemeStyle(bold: true)
        s[.fieldFocus] = ThemeStyle(underline: true)
        s[.field] = ThemeStyle(underline: true)
        s[.dim] = ThemeStyle(dim: true)
        return Theme(name: "mono", styles: s)
    }()

    /// Used when no `themes/default.json` is found (mirrors that file).
    static let builtInDefault: Theme = {
        var s = mono.styles
        s[.header] = ThemeStyle(fg: .index(15), bg: .index(4), bold: true)
        s[.columnHeader] = ThemeStyle(fg: .index(6), bold: true)
        s[.timeLabel] = ThemeStyle(fg: .index(8))
        s[.closed] = ThemeStyle(fg: .index(8), bg: .index(236))
        s[.blackout] = ThemeStyle(fg: .index(1), bg: .index(236))
        s[.cursor] = ThemeStyle(bold: true, reverse: true)  // no status is reversed: never mistaken for a booking
        s[.selection] = ThemeStyle(fg: .index(0), bg: .index(6))
        s[.nowLine] = ThemeStyle(fg: .index(9), bold: true)
        s[.pendingPayment] = ThemeStyle(fg: .index(0), bg: .index(13))
        s[.tentative] = ThemeStyle(fg: .index(0), bg: .index(11))
        s[.confirmed] = ThemeStyle(fg: .index(0), bg: .index(10))
        s[.completed] = ThemeStyle(fg: .index(15), bg: .index(4))
        s[.cancelled] = ThemeStyle(fg: .index(8), dim: true)
        s[.noShow] = ThemeStyle(fg: .index(15), bg: .index(1))
        s[.statusBar] = ThemeStyle(fg: .index(0), bg: .index(7))
        s[.error] = ThemeStyle(fg: .index(9), bold: true)
        s[.message] = ThemeStyle(fg: .index(2))
        return Theme(name: "default", styles: s)
    }()
}

/// A theme that could not be read, with the reason.
struct ThemeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
