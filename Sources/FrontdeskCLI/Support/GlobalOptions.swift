import ArgumentParser
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (else $FRONTDESK_DATA, else $XDG_DATA_HOME/frontdesk).", valueName: "dir"))
    var data: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    /// The data directory: `--data`, `$FRONTDESK_DATA`, `$XDG_DATA_HOME/frontdesk`, `~/.local/share/frontdesk`.
    var dataDirectory: String {
        if let data, !data.isEmpty { return data }
        let env = ProcessInfo.processInfo.environment
        if let d = env["FRONTDESK_DATA"], !d.isEmpty { return d }
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/frontdesk" }
        return (env["HOME"] ?? ".") + "/.local/share/frontdesk"
    }
}
