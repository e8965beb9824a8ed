import ArgumentParser
import FrontdeskStore

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory or postgresql:// URL (else $FRONTDESK_DATA, else $XDG_DATA_HOME/frontdesk; the setgid install: a store its stores.conf lists, else the first).", valueName: "dir"))
    var data: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    /// The store named on the line or in the environment: `--data`, else `$FRONTDESK_DATA`
    /// (a data directory or a `postgresql://` URL); nil when neither names one. A secure
    /// execution keeps no `FRONTDESK_DATA` (its installation lists the stores).
    var store: String? {
        if let data, !data.isEmpty { return data }
        return Environment["FRONTDESK_DATA"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The data directory: `--data`, `$FRONTDESK_DATA`, `$XDG_DATA_HOME/frontdesk`, `~/.local/share/frontdesk`.
    ///
    /// In a secure execution (`frontdesk` setgid to the store's group): `--data` when the
    /// installation lists it, else the first store it lists (``InstalledStores``); a store it
    /// does not list, or an unsafe list, is refused.
    var dataDirectory: String {
        get throws(CLIError) {
            if SecureExecution.isActive { return try InstalledStores.current.get().resolve(data) }
            if DatabaseSchema.isDatabaseURL(store) {
                throw .usage(DatabaseCommands.refusal(nil))
            }
            if let data, !data.isEmpty { return data }
            let env = Environment.self
            if let d = env["FRONTDESK_DATA"], !d.isEmpty { return d }
            return GlobalOptions.xdgDataHome + "/frontdesk"
        }
    }

    /// Where `frontdesk --demo` keeps its sample store unless `--data` says otherwise: never the
    /// real data directory, so trying the demo cannot mix sample bookings into real ones.
    var demoDirectory: String {
        if let data, !data.isEmpty { return data }
        return GlobalOptions.xdgDataHome + "/frontdesk-demo"
    }

    static var configHome: String {
        let env = Environment.self
        if let x = env["XDG_CONFIG_HOME"], !x.isEmpty { return x }
        return (env["HOME"] ?? ".") + "/.config"
    }

    static var xdgDataHome: String {
        let env = Environment.self
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x }
        return (env["HOME"] ?? ".") + "/.local/share"
    }
}
