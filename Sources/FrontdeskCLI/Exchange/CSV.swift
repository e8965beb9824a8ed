
/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines.
enum CSV {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Splits text into records of fields. Accepts LF or CRLF line ends and a UTF-8 BOM.
    static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        var fieldWasQuoted = false
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 }
                    else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"":
                    guard field.isEmpty, !fieldWasQuoted else { throw ParseError(line: line, message: "a quote inside an unquoted field; wrap the field in quotes and double inner quotes") }
                    inQuotes = true; fieldWasQuoted = true
                case ",":
                    fields.append(field); field = ""; fieldWasQuoted = false
                case "\r":
                    break
                case "\n":
                    fields.append(field); field = ""; fieldWasQuoted = false
                    if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                    fields = []
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted { throw ParseError(line: line, message: "text after a closing quote") }
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }

    /// One field, quoted when it must be. A field starting with `=`, `+`, `-`, `@`, tab or
    /// carriage return is prefixed with `'` (OWASP CSV injection), so a spreadsheet shows it as
    /// text instead of running it as a formula: exported notes and names are written by staff
    /// and customers, and a negative number is not worth the exception.
    static func field(_ s: String) -> String {
        var v = s
        if let f = v.unicodeScalars.first, formulaStarts.contains(f) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            // Doubled scalar by scalar, as NSString's replacingOccurrences does (a quote with a
            // combining mark after it is one Character, but still a quote to a CSV reader).
            var quoted = String.UnicodeScalarView()
            for u in v.unicodeScalars {
                quoted.append(u)
                if u == "\"" { quoted.append(u) }
            }
            return "\"" + String(quoted) + "\""
        }
        return v
    }

    /// First characters that make a spreadsheet read a cell as a formula (or, tab and CR, that
    /// hide one after white space).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
}
