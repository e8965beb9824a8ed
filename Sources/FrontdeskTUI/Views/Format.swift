import FrontdeskCore

/// How times, dates and names read on screen.
enum Format {
    /// `09:05` in the zone.
    static func time(_ i: Instant, _ zone: Zone) -> String { clock(zone.local(i).secondOfDay) }

    /// `09:05` for seconds since midnight (`24:00` allowed).
    static func clock(_ secondOfDay: Int) -> String { "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60))" }

    /// `Mon 2027-03-01`.
    static func day(_ d: LocalDate) -> String { "\(weekday(d)) \(d)" }

    /// `Mon`.
    static func weekday(_ d: LocalDate) -> String {
        let n = d.weekday.shortName
        return n.prefix(1).uppercased() + n.dropFirst()
    }

    /// `Mon 2027-03-01 09:00–09:30` in the zone; the end's date when it ends on another day
    /// (`Mon 2027-03-01 10:00–2028-04-04 11:00`), and both UTC offsets when a same-day range
    /// crosses a clock change (`Sun 2027-10-31 01:30 +01:00–01:00 +00:00`), so no end reads
    /// as earlier than its start.
    static func range(_ r: TimeRange, _ zone: Zone) -> String {
        let a = zone.local(r.start), b = zone.local(r.end)
        let oa = zone.offset(at: r.start), ob = zone.offset(at: r.end)
        let marks = oa == ob || a.date != b.date ? ("", "") : (" " + offset(oa), " " + offset(ob))
        let end = b.date == a.date ? clock(b.secondOfDay) : "\(b.date) \(clock(b.secondOfDay))"
        return "\(day(a.date)) \(clock(a.secondOfDay))\(marks.0)–\(end)\(marks.1)"
    }

    /// `+01:00`, `-05:00`, `+05:45` for a UTC offset in seconds.
    static func offset(_ seconds: Int) -> String {
        let a = abs(seconds)
        return (seconds < 0 ? "-" : "+") + "\(pad(a / 3600)):\(pad(a / 60 % 60))"
    }

    /// Text shortened to `width` columns without cutting a word: whole parts (split at " · ",
    /// " │ ", then spaces) while they fit, then "…". A first word wider than `width` is clipped.
    static func fit(_ text: String, width: Int) -> String {
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
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> [String] {
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

    /// `2027-03-01 09:05` in the zone.
    static func stamp(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        return "\(l.date) \(clock(l.secondOfDay))"
    }

    /// A customer's name, or what a booking without one is.
    static func customer(_ b: Booking, _ state: BookingState) -> String {
        b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)"
    }

    /// Human status words (`no-show`, `pending payment`).
    static func status(_ s: BookingStatus) -> String {
        switch s {
        case .pendingPayment: "pending payment"
        case .noShow: "no-show"
        default: s.rawValue
        }
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
