import FrontdeskCore

/// Writes bookings as an RFC 5545 calendar: CRLF line ends, 75-octet folding, escaped text.
enum ICalendarWriter {
    static func calendar(_ bookings: [Booking], state: BookingState, now: Instant) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Frontdesk//Frontdesk booking scheduler//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        for b in bookings {
            let r = state.resources[b.resource]
            let customer = b.customer.flatMap { state.customers[$0]?.name } ?? "Blocked"
            lines += [
                "BEGIN:VEVENT",
                "UID:\(b.id.rawValue)@frontdesk",
                "DTSTAMP:\(stamp(b.updatedAt))",
                "DTSTART:\(stamp(b.start))",
                "DTEND:\(stamp(b.end))",
                "SUMMARY:" + escape("\(customer) – \(r?.name ?? b.resource.rawValue)"),
                "LOCATION:" + escape(r?.name ?? b.resource.rawValue),
                // Every resource it holds, the home first (RFC 5545 §3.8.1.10: a list of TEXT).
                "RESOURCES:" + b.resources.map { escape(state.resources[$0]?.name ?? $0.rawValue) }.joined(separator: ","),
                "STATUS:\(status(b.status))",
                "SEQUENCE:\(b.version - 1)",
                "CREATED:\(stamp(b.createdAt))",
                "LAST-MODIFIED:\(stamp(b.updatedAt))",
                "X-FRONTDESK-REF:" + escape(b.ref),
                "X-FRONTDESK-STATUS:\(b.status.rawValue)",
            ]
            if !b.notes.isEmpty { lines.append("DESCRIPTION:" + escape(b.notes)) }
            // What `import` needs to book it again: the customer, the service, the key.
            if let c = b.customer.flatMap({ state.customers[$0]?.name }) { lines.append("X-FRONTDESK-CUSTOMER:" + escape(c)) }
            if let s = b.service { lines.append("X-FRONTDESK-SERVICE:" + escape(state.services[s]?.name ?? s.rawValue)) }
            if let k = b.idempotencyKey { lines.append("X-FRONTDESK-IDEMPOTENCY-KEY:" + escape(k)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20270301T090000Z`.
    static func stamp(_ i: Instant) -> String {
        String(i.iso8601.filter { $0 != "-" && $0 != ":" })
    }

    static func status(_ s: BookingStatus) -> String {
        switch s {
        case .confirmed, .completed: "CONFIRMED"
        case .tentative, .pendingPayment: "TENTATIVE"
        case .cancelled, .noShow: "CANCELLED"
        }
    }

    /// TEXT escaping (RFC 5545 §3.3.11); control characters other than newline are dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                if u.value < 0x20 || u.value == 0x7F { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for ch in line.unicodeScalars {
            let n = String(ch).utf8.count
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(ch)
            count += n
        }
        return out
    }
}
