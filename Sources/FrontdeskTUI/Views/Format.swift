import FrontdeskCore

/// How times, dates, names and tables read on screen and on the command line: the terminal UI
/// and the CLI (which sits above it) print through this one type, so a time or a span reads
/// the same in both.
package enum Format {
    /// `09:05` in the zone.
    package static func clock(_ i: Instant, _ zone: Zone) -> String { clock(zone.local(i).secondOfDay) }

    /// `09:05` for seconds since midnight (`24:00` allowed).
    package static func clock(_ secondOfDay: Int) -> String { "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60))" }

    /// `Mon 2027-03-01`.
    package static func day(_ d: LocalDate) -> String { "\(weekday(d)) \(d)" }

    /// `Mon`.
    package static func weekday(_ d: LocalDate) -> String { d.weekday.displayName }

    /// `Mon 2027-03-01 09:00–09:30` in the zone; the end's date when it ends on another day
    /// (`Mon 2027-03-01 10:00–2028-04-04 11:00`), and both UTC offsets when a same-day range
    /// crosses a clock change (`Sun 2027-10-31 01:30 +01:00–01:00 +00:00`), so no end reads
    /// as earlier than its start.
    package static func range(_ r: TimeRange, _ zone: Zone) -> String {
        let (start, end) = spanEnds(r, zone, weekdays: true, weekdayOnEnd: false)
        return "\(start)–\(end)"
    }

    /// `2027-03-01 10:00 – 11:00 Europe/London` for `show`: the end's date when it falls on
    /// another day (`2027-03-01 10:00 – 2028-04-04 11:00`), and both UTC offsets when a
    /// same-day range crosses a clock change (`2027-10-31 01:30 +01:00 – 01:00 +00:00`), so the end
    /// never reads as earlier than the start.
    package static func span(_ range: TimeRange, _ zone: Zone) -> String {
        let (start, end) = spanEnds(range, zone, weekdays: false)
        return "\(start) – \(end) \(zone)"
    }

    /// `Tue 2027-03-02 10:00–11:00 Europe/London` for one-line summaries (`book`, `cancel`,
    /// `list`, conflict messages): the same rules as `span`, so a 400-day booking reads
    /// `Tue 2026-12-08 10:00–Thu 2028-01-12 10:00` and a clock change shows both offsets.
    package static func spanLine(_ range: TimeRange, _ zone: Zone) -> String {
        let (start, end) = spanEnds(range, zone, weekdays: true)
        return "\(start)–\(end) \(zone)"
    }

    /// The start and end as written in a span: the end's date only when it is another day, both
    /// offsets only when they differ on the same day (also `list`'s START and END columns).
    /// `weekdays` names the start's weekday (and the end's, unless `weekdayOnEnd` says otherwise).
    package static func spanEnds(_ range: TimeRange, _ zone: Zone, weekdays: Bool, weekdayOnEnd: Bool? = nil) -> (String, String) {
        let a = zone.local(range.start), b = zone.local(range.end)
        let oa = zone.offset(at: range.start), ob = zone.offset(at: range.end)
        let marks = oa == ob || a.date != b.date ? ("", "") : (" " + offset(oa), " " + offset(ob))
        let endDay = (weekdayOnEnd ?? weekdays) ? day(b.date) : "\(b.date)"
        let end = b.date == a.date ? clock(b.secondOfDay) : "\(endDay) \(clock(b.secondOfDay))"
        let start = weekdays ? "\(day(a.date)) \(clock(a.secondOfDay))" : a.text
        return ("\(start)\(marks.0)", "\(end)\(marks.1)")
    }

    /// `+01:00`, `-05:00`, `+05:45` for a UTC offset in seconds.
    package static func offset(_ seconds: Int) -> String {
        let a = abs(seconds)
        return (seconds < 0 ? "-" : "+") + "\(two(a / 3600)):\(two(a / 60 % 60))"
    }

    /// `2027-03-01T09:00:00+01:00`: local wall time with its offset.
    package static func localISO(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        return "\(l.date)T\(two(l.hour)):\(two(l.minute)):\(two(l.second))\(offset(zone.offset(at: i)))"
    }

    /// `2027-03-01 09:00`, with `:SS` when the seconds are not zero (``LocalDateTime/text``).
    package static func local(_ i: Instant, _ zone: Zone) -> String { zone.local(i).text }

    /// `2027-03-01 09:05` in the zone, always without seconds.
    package static func stamp(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        return "\(l.date) \(clock(l.secondOfDay))"
    }

    /// Two digits: `09`.
    package static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Text shortened to `width` columns without cutting a word: whole parts (split at " · ",
    /// " │ ", then spaces) while they fit, then "…". A first word wider than `width` is clipped.
    package static func fit(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard width > 1 else { return "" }
        for sep in [" · ", " │ ", " "] where text.contains(sep) {
            var out = ""
            for part in text.split(separator: sep, omittingEmptySubsequences: false).map(String.init) {
                let next = out.isEmpty ? part : out + sep + part
                if DisplayWidth.of(next) + 2 > width { break }
                out = next
            }
            if !out.trimming(.whitespaces).isEmpty { return out + " …" }
        }
        var out = ""
        for ch in text {
            if DisplayWidth.of(out + String(ch)) + 1 > width { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// Text broken into lines of at most `width` columns at spaces; lines after the first
    /// start with `indent` spaces. A word wider than a line is left whole (the grid clips it).
    package static func wrap(_ text: String, width: Int, indent: Int = 0) -> [String] {
        guard DisplayWidth.of(text) > width, width > indent + 1 else { return [text] }
        var lines: [String] = []
        var line = ""
        let pad = String(repeating: " ", count: indent)
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = String(word)
            let candidate = line.isEmpty ? w : line + " " + w
            if DisplayWidth.of(candidate) <= width || line.trimming(.whitespaces).isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = pad + w
            }
        }
        lines.append(line)
        return lines
    }

    /// A customer's name, or what a booking without one is.
    package static func customer(_ b: Booking, _ state: BookingState) -> String {
        b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)"
    }

    /// Human status words (`no-show`, `pending payment`).
    package static func status(_ s: BookingStatus) -> String {
        switch s {
        case .pendingPayment: "pending payment"
        case .noShow: "no-show"
        default: s.rawValue
        }
    }

    /// Text safe for a terminal: control characters and bidi overrides shown as visible marks,
    /// so a hostile name cannot move the cursor or reorder a line.
    package static func safe(_ s: String) -> String {
        // Printable ASCII (most cells of a long listing) has nothing to replace.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += u == "\n" ? "⏎" : "�" }
            else if (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value) { out += "�" }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// A plain table: columns padded to their widest cell in terminal columns, measured as the
    /// screen measures them (``DisplayWidth``), so CJK and emoji names (two columns a character)
    /// and combining accents (none) keep the columns aligned.
    package static func table(_ header: [String], _ rows: [[String]]) -> String {
        let cells = ([header] + rows).map { $0.map(safe) }
        let measured = cells.map { $0.map(DisplayWidth.of) }
        var widths = Array(repeating: 0, count: header.count)
        for row in measured { for (i, w) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], w) } }
        // One string, each cell and its padding appended in place: a month's listing has
        // thousands of cells, and a padded string per cell and a joined one per row cost more
        // than the cells themselves.
        let spaces = String(repeating: " ", count: widths.max() ?? 0)
        var out = ""
        out.reserveCapacity(cells.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (r, row) in cells.enumerated() {
            if r > 0 { out += "\n" }
            for (i, c) in row.enumerated() {
                if i > 0 { out += "  " }
                out += c
                if i < row.count - 1 { out += spaces.prefix(max(0, widths[i] - measured[r][i])) }
            }
        }
        return out
    }

    /// `text` padded with spaces to `columns` terminal columns (the label column of `show`).
    package static func padded(_ text: String, toColumns columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - DisplayWidth.of(text)))
    }
}
