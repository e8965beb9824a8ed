import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk server --listen HOST:PORT`: the HTTP JSON API over this data directory or
/// PostgreSQL database (`--data postgresql://…` with `--tokens DIR`). The command line
/// re-executes as `frontdesk-server`, which links the HTTP stack and the database client.
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Serve the HTTP JSON API (/v1) over this data directory or PostgreSQL database.",
        discussion: """
        Requests authenticate with bearer tokens from 'frontdesk token add' and act with the token's role; \
        history records the token's name and the client's address. Options may also come from a JSON file \
        (--config) with the same names in snake_case (listen, tokens, writers, max_body_bytes, max_header_bytes, \
        idle_timeout, read_timeout, rate_limit, rate_burst); options on the command line win. SIGTERM or \
        SIGINT stops accepting, lets requests in flight finish, then exits 0. With --data postgresql://… the \
        tokens live in --tokens DIR (made with 'frontdesk token add --tokens DIR'), and --writers connections write.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Address and port to listen on (port 0: any free port, printed on start).", valueName: "host:port"))
    var listen: String?
    @Option(help: ArgumentHelp("A JSON file of options.", valueName: "path")) var config: String?
    @Option(help: ArgumentHelp("The directory of the API tokens (default: the data directory; required with a PostgreSQL --data).",
                               valueName: "dir")) var tokens: String?
    @Option(help: ArgumentHelp("Store handles that write, each committing the requests queued on it in groups (default 1).", valueName: "n")) var writers: Int?
    @Option(help: ArgumentHelp("Largest request body accepted (bytes).", valueName: "bytes")) var maxBodyBytes: Int?
    @Option(help: ArgumentHelp("Largest request head accepted (bytes).", valueName: "bytes")) var maxHeaderBytes: Int?
    @Option(help: ArgumentHelp("Seconds an idle connection is kept open.", valueName: "seconds")) var idleTimeout: Double?
    @Option(help: ArgumentHelp("Seconds a client has to send a whole request once it starts one.", valueName: "seconds")) var readTimeout: Double?
    @Option(help: ArgumentHelp("Requests per second each token may make (sustained).", valueName: "n")) var rateLimit: Double?
    @Option(help: ArgumentHelp("Requests a token may make at once above the rate.", valueName: "n")) var rateBurst: Double?

    func run() throws {
        guard let runner = FrontdeskMain.serverRunner else { try ServerCommand.execServerBinary() }
        var launch: ServerLaunch
        if DatabaseSchema.isDatabaseURL(global.data), let url = global.data {
            let session = try StorageSession.open(global, for: .serveAPI, source: .api)
            launch = ServerLaunch(databaseURL: url, processUser: session.actor.user)
        } else {
            let session = try Session.open(global, for: .serveAPI, source: .api)
            launch = ServerLaunch(dataDirectory: try global.dataDirectory, processUser: session.actor.user)
        }
        if let config { try launch.apply(configFile: config) }
        if let tokens { launch.tokensDirectory = tokens }
        if let listen { try launch.setListen(listen) }
        if let writers { launch.writers = writers }
        if let maxBodyBytes { launch.maxBodyBytes = maxBodyBytes }
        if let maxHeaderBytes { launch.maxHeaderBytes = maxHeaderBytes }
        if let idleTimeout { launch.idleTimeout = idleTimeout }
        if let readTimeout { launch.readTimeout = readTimeout }
        if let rateLimit { launch.rateLimit = rateLimit }
        if let rateBurst { launch.rateBurst = rateBurst }
        try launch.validate()
        try runner(launch)
    }

    /// Replaces this process with `frontdesk-server` installed beside `frontdesk`, same arguments.
    static func execServerBinary() throws -> Never {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let dir = n > 0 ? Path.parent(of: String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) : "."
        let path = dir + "/frontdesk-server"
        let argv = [path] + CommandLine.arguments.dropFirst()
        var cargs = argv.map { strdup($0) } + [nil]
        execv(path, &cargs)
        let reason = String(cString: strerror(errno))
        throw CLIError.io(path: path, message: "cannot start the API server (\(reason)); it is built with `swift build -c release --product frontdesk-server` and must sit beside frontdesk")
    }
}
