import FrontdeskJSON
import FrontdeskTUI
import FrontdeskStore

/// Everything `frontdesk server` starts the HTTP API with: defaults, then a `--config` file,
/// then the command line's options.
public struct ServerLaunch: Sendable {
    /// The store's data directory; empty for a database.
    public var dataDirectory: String
    /// The PostgreSQL store's URL (`--data postgresql://…`); nil for a data directory.
    public var databaseURL: String?
    /// The directory of `api-tokens.json`: the data directory unless `--tokens` names another;
    /// a database has none of its own, so `--tokens` is required with one.
    public var tokensDirectory: String
    /// The OS account running the server (it needs the store's files; tokens give the roles).
    public var processUser: String
    public var host = "127.0.0.1"
    /// 0: any free port (the server prints the one it got).
    public var port = 8080
    /// Store handles that write: each commits the requests queued on it in groups (one lock
    /// hold and one fdatasync a group); more than one makes each replay the others' records.
    public var writers = 1
    public var maxBodyBytes = 64 * 1024
    public var maxHeaderBytes = 16 * 1024
    public var idleTimeout = 30.0
    public var readTimeout = 10.0
    public var rateLimit = 500.0
    public var rateBurst = 1000.0

    public init(dataDirectory: String, processUser: String) {
        self.dataDirectory = dataDirectory; self.processUser = processUser
        tokensDirectory = dataDirectory
    }

    /// A server on the PostgreSQL store at `url`; ``tokensDirectory`` is still to be set.
    public init(databaseURL url: String, processUser: String) {
        dataDirectory = ""; databaseURL = url; self.processUser = processUser
        tokensDirectory = ""
    }

    /// Sets host and port from `HOST:PORT` (`[::1]:8080` for IPv6).
    public mutating func setListen(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let p = Int(text[text.index(after: colon)...]), (0...65535).contains(p) else {
            throw CLIError.invalidInput(field: "listen", message: "\"\(Format.safe(text))\" is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
        var h = String(text[..<colon])
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        guard !h.isEmpty else { throw CLIError.invalidInput(field: "listen", message: "give a host before the port (e.g. 127.0.0.1:8080)") }
        host = h; port = p
    }

    /// Reads options from a JSON object file; unknown names are refused, naming them.
    public mutating func apply(configFile path: String) throws {
        try CallerFiles.refuseInSecureExecution("--config", instead: "give the options on the command line")
        let bytes = try LocalFiles.read(path)
        let tree: JSONTree
        do { tree = try JSONTree(parsing: bytes) } catch { throw CLIError.invalidInput(field: "config", message: "\(path) is not JSON: \(error)") }
        guard case .object(let o) = tree else { throw CLIError.invalidInput(field: "config", message: "\(path) must hold a JSON object") }
        func number(_ k: String) throws -> Double {
            guard case .number(let n) = o[k]!, let d = Double(n), d >= 0 else { throw CLIError.invalidInput(field: "config", message: "\(k) in \(path) must be a non-negative number") }
            return d
        }
        for key in o.keys.sorted() {
            switch key {
            case "listen":
                guard case .string(let s) = o[key]! else { throw CLIError.invalidInput(field: "config", message: "listen in \(path) must be a string HOST:PORT") }
                try setListen(s)
            case "tokens":
                guard case .string(let s) = o[key]!, !s.isEmpty else { throw CLIError.invalidInput(field: "config", message: "tokens in \(path) must be a directory path") }
                tokensDirectory = s
            case "writers": writers = Int(try number(key))
            case "max_body_bytes": maxBodyBytes = Int(try number(key))
            case "max_header_bytes": maxHeaderBytes = Int(try number(key))
            case "idle_timeout": idleTimeout = try number(key)
            case "read_timeout": readTimeout = try number(key)
            case "rate_limit": rateLimit = try number(key)
            case "rate_burst": rateBurst = try number(key)
            default: throw CLIError.invalidInput(field: "config", message: "unknown option \"\(Format.safe(key))\" in \(path)")
            }
        }
    }

    /// Refuses values the server cannot run with, naming the option.
    public func validate() throws {
        func need(_ ok: Bool, _ field: String, _ message: String) throws { if !ok { throw CLIError.invalidInput(field: field, message: message) } }
        if databaseURL != nil && tokensDirectory.isEmpty {
            throw CLIError.usage("--tokens: a server on a PostgreSQL store needs --tokens DIR, the directory of its API tokens ('frontdesk token add --tokens DIR')")
        }
        try need((1...64).contains(writers), "writers", "must be 1 to 64")
        try need(maxBodyBytes >= 256, "max-body-bytes", "must be at least 256")
        try need(maxHeaderBytes >= 1024, "max-header-bytes", "must be at least 1024")
        try need(idleTimeout > 0, "idle-timeout", "must be a positive number of seconds")
        try need(readTimeout > 0, "read-timeout", "must be a positive number of seconds")
        try need(rateLimit > 0, "rate-limit", "must be positive")
        try need(rateBurst >= 1, "rate-burst", "must be at least 1")
    }
}
