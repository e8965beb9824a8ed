#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// Opens the terminal front desk on the data directory, a PostgreSQL store (`--data
/// postgresql://…`) or the demo directory.
enum TUILauncher {
    static func run(global: GlobalOptions, date: String?, theme: String?, demo: Bool) throws -> Int32 {
        if demo && SecureExecution.isActive {
            throw CLIError.notPermitted("--demo is not available through the setgid frontdesk, which opens only the stores its installation lists; try the demo with a build of your own (swift run frontdesk --demo)")
        }
        // A theme is a file name in the themes directory: a name with a slash would reach any
        // `.json` file the store's group may read.
        if SecureExecution.isActive, let theme, theme.contains("/") || theme.hasPrefix(".") {
            throw CLIError.usage("--theme \(Format.safe(theme)): a theme is a name in \(themesDirectory() ?? "the themes directory"), not a path (themes: default, light, dark, high-contrast, mono)")
        }
        let onDatabase = DatabaseSchema.isDatabaseURL(demo ? global.data : global.store)
        if demo && onDatabase {
            throw CLIError.usage("--demo opens a sample data directory; it takes no postgresql:// store (leave out --demo, or give --data a directory)")
        }
        let day = try date.map { try InputParsing.date($0, field: "date") }
        let connection: DeskConnection
        if onDatabase {
            // A PostgreSQL store: the same desk on `any BookingStorage`, live through LISTEN.
            let session = try StorageSession.open(global, for: .readDiary, source: .tui)
            connection = DeskConnection(storage: session.store, actor: session.actor, access: session.access)
        } else {
            connection = try openDirectory(global: global, demo: demo)
        }
        var options = TUIOptions(date: day, theme: theme ?? "default", themesDirectory: themesDirectory(), clock: Session.clock,
                                 environment: SecureExecution.isActive ? Environment.terminalSettings : ProcessInfo.processInfo.environment)
        // A keys file is the user's and is read with the group's access in a secure execution
        // (a link could show a store file's text in a warning): there the default keys apply.
        let keys = GlobalOptions.configHome + "/frontdesk/keys.json"
        if !SecureExecution.isActive && FileManager.default.fileExists(atPath: keys) { options.keysFile = keys }
        options.frameObserver = FrontdeskMain.seams.tuiFrameObserver
        return runFrontdeskTUI(connection: connection, options: options)
    }

    /// The desk on the data directory (or the demo directory, created and seeded on first use).
    static func openDirectory(global: GlobalOptions, demo: Bool) throws -> DeskConnection {
        let dir = demo ? global.demoDirectory : try global.dataDirectory
        let actor = Session.currentActor(source: .tui)
        let clock = Session.clock
        let store: Store
        if demo && !Store.exists(at: dir) {
            try Session.createParentDirectories(of: dir)
            store = try Store.create(at: dir, clock: clock, options: Session.storeOptions(user: actor.user))
            _ = try DemoSeeder.seed(store, actor: Session.currentActor(source: .cli))
        } else {
            guard FileManager.default.fileExists(atPath: dir) else {
                throw StoreError.notFound(path: dir)  // 74 with the hint, as `list` says it
            }
            store = try Store.open(at: dir, clock: clock, options: Session.storeOptions(user: actor.user))
        }
        Session.opened = store
        let access = store.processAccess()
        store.access = access
        try Access.authorize(actor, access, .readDiary)
        return DeskConnection(storage: store, actor: actor, access: access)
    }

    /// `themes/` next to the binary's package, `$FRONTDESK_THEMES`, or the user's config; in a
    /// secure execution only the installed directory, `PREFIX/share/frontdesk/themes`
    /// (``InstalledStores/themesDirectory(executable:)``).
    static func themesDirectory() -> String? {
        if SecureExecution.isActive { return InstalledStores.executable.map(InstalledStores.themesDirectory(executable:)) }
        let env = Environment.self
        if let t = env["FRONTDESK_THEMES"], !t.isEmpty { return t }
        let user = GlobalOptions.configHome + "/frontdesk/themes"
        if FileManager.default.fileExists(atPath: user) { return user }
        // Walk up from the executable: a `swift run` build lives under <package>/.build/….
        var dir = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        for _ in 0..<6 {
            dir = Path.parent(of: dir)
            let candidate = dir + "/themes"
            if FileManager.default.fileExists(atPath: candidate + "/default.json") { return candidate }
        }
        return nil
    }
}
