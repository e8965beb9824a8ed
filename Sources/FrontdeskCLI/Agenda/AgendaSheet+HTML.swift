import FrontdeskCore
import FrontdeskTUI

extension AgendaSheet {
    /// The sheet as one HTML document that prints one resource per page.
    ///
    /// Every stored text (names, notes, phone numbers, the resource's name) goes through
    /// ``escape(_:)``, so a customer called `<script>` prints as those characters and runs
    /// nothing. The page has no scripts and loads nothing.
    func html() -> String {
        let title = "Agenda · \(Format.day(date))"
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(Self.escape(title))</title>
        <style>
        body { font-family: sans-serif; font-size: 11pt; margin: 1.5em; }
        h1 { font-size: 14pt; margin: 0 0 .2em; }
        h2 { font-size: 13pt; margin: 0 0 .5em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: .25em .5em; border-bottom: 1px solid #999; }
        td.time, td.due { white-space: nowrap; }
        section { margin-bottom: 2em; }
        @media print {
          body { margin: 0; }
          section { break-after: page; page-break-after: always; margin: 0; }
          section:last-of-type { break-after: auto; page-break-after: auto; }
          tr { break-inside: avoid; page-break-inside: avoid; }
        }
        </style>
        </head>
        <body>

        """
        if sections.isEmpty { out += "<h1>\(Self.escape(title))</h1>\n<p>Nothing booked.</p>\n" }
        let cols = columns
        for s in sections {
            out += "<section>\n<h1>\(Self.escape(title))</h1>\n<h2>\(Self.escape(Self.heading(s.resource)))</h2>\n"
            if s.entries.isEmpty { out += "<p>Nothing booked.</p>\n</section>\n"; continue }
            out += "<table>\n<thead><tr>" + cols.map { "<th>\(Self.escape($0.title.prefix(1) + $0.title.dropFirst().lowercased()))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for e in s.entries {
                out += "<tr>" + cols.map { c in
                    let cls = c.title == "TIME" ? " class=\"time\"" : c.title == "DUE" ? " class=\"due\"" : ""
                    return "<td\(cls)>\(Self.escape(c.value(e)))</td>"
                }.joined() + "</tr>\n"
            }
            out += "</tbody>\n</table>\n</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    /// `text` safe inside HTML element content and attribute values: `& < > " '` as character
    /// references, and control characters (which HTML does not allow) as U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
