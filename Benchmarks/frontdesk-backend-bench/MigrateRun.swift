import Foundation

/// `frontdesk-postgres migrate --from DIR --to URL --json` as a child process under
/// `/usr/bin/time`: wall and CPU time and the child's peak resident set.
struct MigrateRun {
    let binDirectory: String
    let source: String
    let url: String
    let scratch: String

    struct Figures {
        var wall: Double
        var user: Double
        var system: Double
        var peakMB: Int
        var loadBefore: String
        var summary: String
    }

    func run() throws -> Figures {
        let program = binDirectory + "/frontdesk-postgres"
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw BenchFailure("\(program) is missing: build it (swift build -c release --product frontdesk-postgres) or pass --bin DIR")
        }
        let timeFile = scratch + "/migrate.time", outFile = scratch + "/migrate.json", errFile = scratch + "/migrate.err"
        for f in [outFile, errFile] { _ = FileManager.default.createFile(atPath: f, contents: nil) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%e %U %S %M", "-o", timeFile, program, "migrate", "--from", source, "--to", url, "--json"]
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        p.standardInput = FileHandle.nullDevice
        let loadBefore = loadAverage()
        print("")
        print("migrating \(source) (progress in \(errFile)) …")
        try p.run()
        p.waitUntilExit()
        let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0 else {
            throw BenchFailure("migrate exited \(p.terminationStatus): \(err.split(separator: "\n").suffix(5).joined(separator: "\n"))")
        }
        let times = ((try? String(contentsOfFile: timeFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard times.count == 4 else { throw BenchFailure("cannot read \(timeFile)") }
        let json = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        var summary = json
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
           let kinds = object["kinds"] as? [[String: Any]] {
            let counts = kinds.map { "\($0["kind"] ?? "?") \($0["count"] ?? "?")" }.joined(separator: ", ")
            summary = "written \(object["written"] ?? "?"), verified \((object["verified"] as? Bool) == true ? "yes" : "no"): \(counts)"
        }
        return Figures(wall: times[0], user: times[1], system: times[2], peakMB: Int(times[3] / 1024), loadBefore: loadBefore, summary: summary)
    }
}
