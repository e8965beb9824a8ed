import ArgumentParser
import FrontdeskStore

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (else $FRONTDESK_DATA, else $XDG_DATA_HOME/frontdesk; the setgid install: a store its stores.conf lists, else the first).", valueName: "dir"))
    var data: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    /// The data directory: `--data`, `$FRONTDESK_DATA`, `$XDG_DATA_HOME/frontdesk`, `~/.local/share/frontdesk`.
    ///
    /// In a secure execution (`frontdesk` setgid to the store's group): `--data` when the
    /// installation lists it, else the first store it lists (``InstalledStores``); a store it
    /// does not list, or an unsafe list, is refused.
    var dataDirectory: String {
        get throws(CLIError) {
            if SecureExecution.isActive { return try InstalledStores.current.get().resolve(data) }
            if DatabaseSchema.isDatabaseURL(data) {
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
