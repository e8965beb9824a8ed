import Foundation

/// A child process run to its end with its output captured: what the command-line tests run
/// the binaries with.
package enum ChildProcess {
    /// What a run gave.
    package struct Result {
        package var code: Int32
        package var out: String
        package var err: String
    }

    /// Runs `executable` with `arguments` in `environment`, `stdin` (if any) on its standard input.
    package static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                            stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// "YYYY-MM-DD" of the day `days` after today (UTC), for binaries that run on the real clock.
    package static func day(after days: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }
}
