
/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines.
enum CSV {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Splits text into records of fields. Accepts LF or CRLF line ends and a UTF-8 BOM.
    ///
    /// Works on the UTF-8 bytes: every character the grammar names (quote, comma, CR, LF) is
    /// one ASCII byte, which never occurs inside a multi-byte sequence, so the fields are the
    /// same as a scan by Unicode scalar gives, without building a scalar array of the file.
    ///
    /// - Complexity: O(n) in the length of `text`.
    static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var text = text
        return try text.withUTF8 { bytes throws -> [(line: Int, fields: [String])] in
            try parse(bytes)
        }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [(line: Int, fields: [String])] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var fieldWasQuoted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 1 }
                    else { inQuotes = false }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case quote:
                    guard field.isEmpty, !fieldWasQuoted else { throw ParseError(line: line, message: "a quote inside an unquoted field; wrap the field in quotes and double inner quotes") }
                    inQuotes = true; fieldWasQuoted = true
                case comma:
                    endField()
                case cr:
                    break
                case lf:
                    endField()
                    if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                    fields = []
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted { throw ParseError(line: line, message: "text after a closing quote") }
                    field.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            endField()
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
