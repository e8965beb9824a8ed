#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore

/// How to start the terminal UI (`frontdesk --date … --theme …`).
public struct TUIOptions {
    /// The date to open on; nil: today in the first resource's zone.
    public var date: LocalDate?
    /// Theme name (`default`, `light`, `dark`, `high-contrast`, `mono`); `NO_COLOR` forces mono.
    public var theme: String
    /// Where `NAME.json` themes live; nil: built-in default and mono only.
    public var themesDirectory: String?
    /// A keys file (JSON, see docs/KEYS.md); nil or missing: default keys.
    public var keysFile: String?
    /// The time source; nil: the system clock.
    public var clock: (any WallClock)?
    /// The environment to read `TERM`, `NO_COLOR`, `LANG`/`LC_ALL` from.
    public var environment: [String: String]
    /// Show only resources of this kind (`room`, `staff` …); nil: all.
    public var kind: String?
    /// Show only the children of this resource (id, ref or name); nil: all.
    public var parent: String?
    /// Told of every frame shown; may end the session. nil: the session runs until the user quits.
    public var frameObserver: (any TUIFrameObserver)?

    public init(date: LocalDate? = nil, theme: String = "default", themesDirectory: String? = nil, keysFile: String? = nil,
                clock: (any WallClock)? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                kind: String? = nil, parent: String? = nil) {
        self.date = date; self.theme = theme; self.themesDirectory = themesDirectory; self.keysFile = keysFile
        self.clock = clock; self.environment = environment; self.kind = kind; self.parent = parent
    }
}

/// The real time, to the second.
struct SystemClock: WallClock {
    func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
}
