import FrontdeskCore
import FrontdeskTUI

/// Reads the VEVENTs of an RFC 5545 calendar as import rows: the properties
/// ``ICalendarWriter`` writes, so an `export --format ics` imports back.
///
/// Each VEVENT is one row (numbered from 1 in file order) whose fields carry the import's
/// column names: `DTSTART`/`DTEND` → `start`/`end` (UTC `…Z`, or local to the resource without
/// it), `RESOURCES` → `resources` (every resource, the home first; §3.8.1.10, a comma-separated
/// TEXT list, which may be given more than once), else `LOCATION` → `resource`;
/// `X-FRONTDESK-CUSTOMER` → `customer`; `X-FRONTDESK-STATUS` (else `STATUS`) → `status`;
/// `DESCRIPTION` → `notes`; `X-FRONTDESK-SERVICE` → `service`;
/// `X-FRONTDESK-IDEMPOTENCY-KEY` → `idempotency_key`. Other properties are ignored. An event
/// that cannot be read is a malformed row naming the event and the property.
enum ICalendarReader {
    /// The rows of `text`.
    ///
    /// - Throws: ``CLIError/invalidInput(field:message:)`` when the text is not a calendar
    ///   (no `BEGIN:VCALENDAR`, an unterminated event).
    /// - Complexity: O(n) in the length of `text`.
    static func rows(_ text: String) throws -> [ImportRow] {
        let lines = unfolded(text)
        guard lines.contains(where: { $0.uppercased() == "BEGIN:VCALENDAR" }) else {
            throw CLIError.invalidInput(field: "file", message: "not an iCalendar file (no BEGIN:VCALENDAR)")
        }
        var rows: [ImportRow] = []
        var current: [(name: String, params: String, value: String)]?
        for line in lines where !line.isEmpty {
            guard let (name, params, value) = property(line) else {
                if current != nil {
                    rows.append(ImportRow(number: rows.count + 1, fields: [:], malformed: "event \(rows.count + 1): \"\(Format.safe(String(line.prefix(40))))\" is not a property (NAME:value)"))
                    current = nil
                }
                continue
            }
            if name == "BEGIN", value.uppercased() == "VEVENT" { current = []; continue }
            if name == "END", value.uppercased() == "VEVENT", let props = current {
                rows.append(row(props, number: rows.count + 1))
                current = nil
                continue
            }
            current?.append((name, params, value))
        }
        if current != nil { throw CLIError.invalidInput(field: "file", message: "event \(rows.count + 1) has no END:VEVENT") }
        return rows
    }

    /// Content lines with folding undone (a line starting with a space or tab continues the
    /// one before it, §3.1); CRLF or LF line ends.
    static func unfolded(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var pending = ""
        var started = false
        // By scalars: `\r\n` is one Character, and other line separators (U+2028) are text.
        for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(scalars)
            if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
            if let first = line.first, first == " " || first == "\t" {
                pending += line.dropFirst()
                continue
            }
            if started { out.append(Substring(pending)) }
            pending = String(line)
            started = true
        }
        if started { out.append(Substring(pending)) }
        return out
    }

    /// `NAME;PARAMS:value` split at the first colon outside a quoted parameter value; the
    /// name upper-cased. Nil when there is no name or colon.
    static func property(_ line: Substring) -> (String, String, String)? {
        var inQuotes = false
        for i in line.indices {
            let c = line[i]
            if c == "\"" { inQuotes.toggle() }
            if c == ":" && !inQuotes {
                let head = line[..<i]
                let name = head.prefix { $0 != ";" }
                guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
                return (name.uppercased(), String(head.dropFirst(name.count)), String(line[line.index(after: i)...]))
            }
        }
        return nil
    }

    /// One event's row.
    static func row(_ props: [(name: String, params: String, value: String)], number: Int) -> ImportRow {
        var fields: [String: String] = [:]
        var lists: [String: [String]] = [:]
        func fail(_ property: String, _ message: String) -> ImportRow {
            ImportRow(number: number, fields: [:], malformed: "event \(number), \(property): \(message)")
        }
        var seen: Set<String> = []
        for p in props {
            let once = ["DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "STATUS", "X-FRONTDESK-STATUS", "X-FRONTDESK-CUSTOMER",
                        "X-FRONTDESK-SERVICE", "X-FRONTDESK-IDEMPOTENCY-KEY"]
            if once.contains(p.name), !seen.insert(p.name).inserted { return fail(p.name, "is given twice") }
            switch p.name {
            case "DTSTART", "DTEND":
                guard !p.params.uppercased().contains("TZID=") else {
                    return fail(p.name, "a time with TZID is not read; give it in UTC (20270302T090000Z) or local to the resource")
                }
                guard let t = time(p.value) else { return fail(p.name, "\"\(Format.safe(p.value))\" is not a date-time (20270302T090000Z)") }
                fields[p.name == "DTSTART" ? "start" : "end"] = t
            case "RESOURCES":
                guard let values = list(p.value) else { return fail(p.name, "holds a bad escape (\\\\, \\;, \\, or \\n)") }
                lists["resources", default: []] += values
            case "LOCATION", "DESCRIPTION", "X-FRONTDESK-CUSTOMER", "X-FRONTDESK-SERVICE", "X-FRONTDESK-IDEMPOTENCY-KEY", "X-FRONTDESK-STATUS":
                guard let v = text(p.value) else { return fail(p.name, "holds a bad escape (\\\\, \\;, \\, or \\n)") }
                let column = ["LOCATION": "resource", "DESCRIPTION": "notes", "X-FRONTDESK-CUSTOMER": "customer", "X-FRONTDESK-SERVICE": "service",
                              "X-FRONTDESK-IDEMPOTENCY-KEY": "idempotency_key", "X-FRONTDESK-STATUS": "status"][p.name]!
                fields[column] = v
            case "STATUS":
                // Frontdesk's own status, when present, says more than the calendar's three.
                guard fields["status"] == nil else { continue }
                switch p.value.uppercased() {
                case "CONFIRMED": fields["status"] = "confirmed"
                case "TENTATIVE": fields["status"] = "tentative"
                case "CANCELLED": fields["status"] = "cancelled"
                default: return fail(p.name, "\"\(Format.safe(p.value))\" is not CONFIRMED, TENTATIVE or CANCELLED")
                }
            default:
                continue
            }
        }
        if let resources = lists["resources"] {
            // The home resource is the first listed; LOCATION, the home's name, then need not agree by spelling.
            fields["resource"] = nil
            return ImportRow(number: number, fields: fields, malformed: nil, lists: ["resources": resources])
        }
        return ImportRow(number: number, fields: fields, malformed: nil)
    }

    /// `20270302T090000Z` as `2027-03-02T09:00:00Z`, `20270302T090000` as the local
    /// `2027-03-02T09:00:00`, `20270302` as the date; nil for anything else.
    static func time(_ v: String) -> String? {
        let t = Array(v.trimming(.whitespaces).utf8)
        func digits(_ r: Range<Int>) -> String? {
            guard r.upperBound <= t.count, t[r].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return String(decoding: t[r], as: UTF8.self)
        }
        guard let y = digits(0..<4), let mo = digits(4..<6), let d = digits(6..<8) else { return nil }
        if t.count == 8 { return "\(y)-\(mo)-\(d)" }
        guard t.count == 15 || t.count == 16, t[8] == UInt8(ascii: "T"), let h = digits(9..<11), let mi = digits(11..<13), let s = digits(13..<15) else { return nil }
        if t.count == 16 { return t[15] == UInt8(ascii: "Z") ? "\(y)-\(mo)-\(d)T\(h):\(mi):\(s)Z" : nil }
        return "\(y)-\(mo)-\(d)T\(h):\(mi):\(s)"
    }

    /// A TEXT value unescaped (§3.3.11); nil for a backslash before anything else.
    static func text(_ v: String) -> String? { list(v, split: false)?.first }

    /// A TEXT list: values separated by unescaped commas, each unescaped; nil for a bad escape.
    static func list(_ v: String, split: Bool = true) -> [String]? {
        var out: [String] = []
        var cur = ""
        var escaped = false
        for c in v {
            if escaped {
                switch c {
                case "\\", ";", ",": cur.append(c)
                case "n", "N": cur.append("\n")
                default: return nil
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," && split {
                out.append(cur.trimming(.whitespaces)); cur = ""
            } else {
                cur.append(c)
            }
        }
        if escaped { return nil }
        out.append(split ? cur.trimming(.whitespaces) : cur)
        return out
    }
}
