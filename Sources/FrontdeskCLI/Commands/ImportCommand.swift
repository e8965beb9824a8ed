import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk import FILE`: CSV or JSONL rows, judged in file order, committed in chunks.
///
/// Each chunk of rows is one journal record, so a crash mid-import keeps every chunk whose
/// outcome lines were printed and none of the chunk in flight; re-running the import with
/// idempotency keys then reports the kept rows as `duplicate` (replays of the first run's rows,
/// including those that created their customer) and books the rest.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import bookings from CSV, JSONL or iCalendar (one JSON outcome line per row).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "File to read (.csv, .jsonl or .ics; - for stdin as CSV).") var file: String
    @Option(help: "Rows per durable commit.") var chunk = 1000
    @Option(help: "csv, jsonl or ics (default: from the file name).") var format: String?
    @Flag(help: "Migrate past bookings: rows must be completed, no_show or cancelled and have started; no policy applies; recorded as imported history (no events).")
    var history = false
    @Option(help: "With --history: the manager's reason for recording past bookings without any policy (kept in each booking's history).")
    var override: String?

    static let columns = ["resource", "customer", "start", "end", "status", "idempotency_key", "notes"]
    /// Columns a file may add, which export writes: `resources`, every resource the booking
    /// holds separated by `;` (the home first; `resource` may then be empty), and `service`,
    /// the catalog service the booking is made as (its price, deposit and fees, and its
    /// duration when `end` is empty).
    static let optionalColumns = ["resources", "service"]
    /// Columns only an import reads: `price`, a price set by hand (a manager's override), and
    /// `reason`, why (default "import").
    static let priceColumns = ["price", "reason"]
    /// Columns `export --format csv` adds, which an import skips.
    static let ignoredColumns = ["id", "ref", "version"]

    func run() throws {
        guard chunk > 0 else { throw CLIError.invalidInput(field: "chunk", message: "must be at least 1") }
        if history && (override ?? "").allSatisfy(\.isWhitespace) {
            throw CLIError.usage("--history records past bookings without applying any policy, a manager's decision: give the reason with --override REASON")
        }
        if override != nil && !history {
            throw CLIError.usage("--override goes with --history (an import of live bookings applies every policy)")
        }
        let session = try Session.open(global, for: .importBookings, source: .import)
        if override != nil { try session.authorize(.overridePolicy) }
        var bytes: [UInt8]
        if file == "-" {
            do { bytes = try StandardStream.input.readToEnd() } catch { throw CLIError.io(path: file, message: "cannot read: \(error)") }
        } else {
            try CallerFiles.refuseInSecureExecution("import \(Format.safe(file))", instead: "give it on standard input: frontdesk import - [--format jsonl] < FILE")
            bytes = try LocalFiles.read(file)
        }
        // A UTF-8 byte order mark is not text (Foundation's String(data:encoding:) drops it too).
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.invalidInput(field: "file", message: "\(file) is not UTF-8 text")
        }
        let lower = file.lowercased()
        let kind = format?.lowercased() ?? (lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? "jsonl" : lower.hasSuffix(".ics") ? "ics" : "csv")
        let rows: [ImportRow]
        switch kind {
        case "csv": rows = try ImportRow.fromCSV(text)
        case "jsonl", "json": rows = ImportRow.fromJSONL(text)
        case "ics": rows = try ICalendarReader.rows(text)
        default: throw CLIError.invalidInput(field: "format", message: "\"\(kind)\" is not csv, jsonl or ics")
        }
        // A price set by hand is a manager's override, refused before any row is stored (the
        // import's own action asks as much today; this keeps it so if that ever changes).
        if rows.contains(where: { !($0.fields["price"] ?? "").allSatisfy(\.isWhitespace) }) { try session.authorize(.setPrice) }
        var tally: [String: Int] = [:]
        var customers = ImportCustomers()
        var start = 0
        while start < rows.count {
            let slice = Array(rows[start..<min(start + chunk, rows.count)])
            let outcomes = try ImportJudge.commit(slice, session: session, customers: &customers, history: history, overrideReason: override)
            var out = ""
            for o in outcomes { out += Format.json(o) + "\n"; tally[o.outcome, default: 0] += 1 }
            StandardStream.output.write(out)
            start += chunk
        }
        let summary = ["created", "duplicate", "conflict", "refused", "invalid"].map { "\(tally[$0] ?? 0) \($0)" }.joined(separator: ", ")
        Console.err("imported \(rows.count) rows: \(summary)")
        // A script checking only the exit status must not take a partial import for a whole one.
        let notStored = ["conflict", "refused", "invalid"].reduce(0) { $0 + (tally[$1] ?? 0) }
        if notStored > 0 {
            Console.err("frontdesk: \(notStored) of \(rows.count) rows were not stored (see their outcome lines); exit \(ExitStatus.rowsNotStored)")
            throw ExitCode(ExitStatus.rowsNotStored)
        }
    }
}

/// One input row before it is judged: its fields, or why it could not be read.
struct ImportRow {
    var number: Int
    var fields: [String: String]
    var malformed: String?
    /// Columns given as a list rather than text (an iCalendar event's `RESOURCES`, whose
    /// names may hold `;`); a list stands in for the text column of the same name.
    var lists: [String: [String]] = [:]

    static func fromCSV(_ text: String) throws -> [ImportRow] {
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch let e as CSV.ParseError {
            throw CLIError.invalidInput(field: "file", message: "CSV \(e)")
        }
        guard let header = records.first else { throw CLIError.invalidInput(field: "file", message: "empty; expected the header \(ImportCommand.columns.joined(separator: ","))") }
        let names = header.fields.map { $0.trimming(.whitespaces).lowercased() }
        // Export adds id, ref and version; they are accepted and ignored so exports re-import.
        let allowed = Set(ImportCommand.columns + ImportCommand.optionalColumns + ImportCommand.priceColumns + ImportCommand.ignoredColumns)
        guard Set(ImportCommand.columns).isSubset(of: names), Set(names).isSubset(of: allowed), Set(names).count == names.count else {
            throw CLIError.invalidInput(field: "header", message: "expected \(ImportCommand.columns.joined(separator: ",")) (optionally also \((ImportCommand.optionalColumns + ImportCommand.priceColumns + ImportCommand.ignoredColumns).joined(separator: ","))), got \(names.joined(separator: ","))")
        }
        return records.dropFirst().enumerated().map { i, rec in
            guard rec.fields.count == names.count else {
                return ImportRow(number: i + 1, fields: [:], malformed: "line \(rec.line): \(rec.fields.count) fields, expected \(names.count)")
            }
            return ImportRow(number: i + 1, fields: Dictionary(uniqueKeysWithValues: zip(names, rec.fields)), malformed: nil)
        }
    }

    static func fromJSONL(_ text: String) -> [ImportRow] {
        var rows: [ImportRow] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimming(.whitespaces)
            if t.isEmpty { continue }
            let n = rows.count + 1
            guard let obj = (try? JSONTree(parsing: Array(t.utf8)))?.objectValue else {
                rows.append(ImportRow(number: n, fields: [:], malformed: "not a JSON object")); continue
            }
            var fields: [String: String] = [:]
            var bad: String?
            // Fields in name order, so a row with several problems always reports the same one.
            for k in obj.keys.sorted() {
                if ImportCommand.ignoredColumns.contains(k) { continue }
                guard ImportCommand.columns.contains(k) || ImportCommand.optionalColumns.contains(k) || ImportCommand.priceColumns.contains(k) else { bad = "unknown field \"\(k)\""; break }
                if obj[k] == .null { continue }
                guard let s = obj[k]?.stringValue else { bad = "field \"\(k)\" must be a string"; break }
                fields[k] = s
            }
            rows.append(ImportRow(number: n, fields: fields, malformed: bad))
        }
        return rows
    }
}

/// The outcome line printed for each row.
struct ImportOutcome: JSONRepresentable {
    var row: Int
    var outcome: String
    var id: String?
    var conflicts_with: [String]?
    var error: ErrorInfo?
    /// A `duplicate` row: its key had stored this very row before, and `id` is what it booked then.
    var replayed = false
    struct ErrorInfo { var code: String; var message: String }

    /// The line's object; what is not set is left out.
    var json: JSONTree {
        var o: [String: JSONTree] = ["row": .integer(row), "outcome": .string(outcome)]
        o["id"] = .optional(id)
        if replayed { o["replayed"] = .bool(true) }
        o["conflicts_with"] = conflicts_with?.json
        o["error"] = error.map { ["code": .string($0.code), "message": .string($0.message)] }
        return .object(o)
    }
}
