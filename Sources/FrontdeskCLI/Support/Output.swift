import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI

/// The booking object printed by `--json` commands, written by `export --format json` and sent
/// as the `data` of webhook and hook payloads.
///
/// Optional fields that are not set are left out; `history` is present only when asked for.
struct BookingJSON: JSONRepresentable {
    let json: JSONTree

    init(_ b: Booking, state: BookingState, withHistory: Bool = false) {
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        // Assigning nil leaves a member out.
        var o: [String: JSONTree] = [:]
        o["id"] = .string(b.id.rawValue)
        o["ref"] = .string(b.ref)
        o["resource"] = .string(b.resource.rawValue)
        o["resource_name"] = .string(r?.name ?? b.resource.rawValue)
        o["customer"] = .optional(b.customer?.rawValue)
        o["customer_name"] = .optional(b.customer.flatMap { state.customers[$0]?.name })
        o["start"] = .string(b.start.iso8601)
        o["end"] = .string(b.end.iso8601)
        o["start_local"] = .string(Format.localISO(b.start, zone))
        o["end_local"] = .string(Format.localISO(b.end, zone))
        o["time_zone"] = .string(zone.identifier)
        o["status"] = .string(b.status.rawValue)
        o["version"] = .integer(b.version)
        o["source"] = .string(b.updatedBy.source.rawValue)
        o["actor"] = .string(b.updatedBy.user)
        o["origin"] = .string(b.updatedBy.origin)
        o["created_at"] = .string(b.createdAt.iso8601)
        o["updated_at"] = .string(b.updatedAt.iso8601)
        o["notes"] = .string(b.notes)
        o["series"] = .optional(b.series?.rawValue)
        o["occurrence_date"] = .optional(b.occurrenceDate?.description)
        o["hold_expires_at"] = .optional(b.holdExpiresAt?.iso8601)
        if let c = b.cancellation {
            o["cancellation"] = ["at": .string(c.at.iso8601), "by": .string(c.by), "reason": .string(c.reason), "late": .bool(c.late)]
        }
        o["idempotency_key"] = .optional(b.idempotencyKey)
        o["override_reason"] = .optional(b.overrideReason)
        if withHistory {
            o["history"] = .array(b.history.map { h -> JSONTree in
                var e: [String: JSONTree] = [:]
                e["at"] = .string(h.at.iso8601)
                e["user"] = .string(h.actor.user)
                e["origin"] = .string(h.actor.origin)
                e["source"] = .string(h.actor.source.rawValue)
                e["action"] = .string(h.action)
                e["changes"] = .array(h.changes.map { .string($0) })
                e["version"] = .integer(h.version)
                return .object(e)
            })
        }
        json = .object(o)
    }
}

/// Formatting shared by the commands.
enum Format {
    /// `2027-03-01T09:00:00+01:00`: local wall time with its offset.
    static func localISO(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        let off = zone.offset(at: i)
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        return "\(l.date)T\(two(l.hour)):\(two(l.minute)):\(two(l.second))\(sign)\(two(a / 3600)):\(two(a / 60 % 60))"
    }

    /// `2027-03-01 09:00`.
    static func local(_ i: Instant, _ zone: Zone) -> String { zone.local(i).text }

    /// `09:00`.
    static func clock(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        return "\(two(l.hour)):\(two(l.minute))"
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Text safe for a terminal: control characters and bidi overrides shown as visible marks,
    /// so a hostile name cannot move the cursor or reorder a line.
    static func safe(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += u == "\n" ? "⏎" : "�" }
            else if (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value) { out += "�" }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// A plain table: columns padded to their widest cell in terminal columns, measured as the
    /// TUI measures them (``DisplayWidth``), so CJK and emoji names (two columns a character)
    /// and combining accents (none) keep the columns aligned.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let cells = ([header] + rows).map { $0.map(safe) }
        let measured = cells.map { $0.map(DisplayWidth.of) }
        var widths = Array(repeating: 0, count: header.count)
        for row in measured { for (i, w) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], w) } }
        return zip(cells, measured).map { row, w in
            row.enumerated().map { i, c in i == row.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - w[i])) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `text` padded with spaces to `columns` terminal columns (the label column of `show`).
    static func padded(_ text: String, toColumns columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - DisplayWidth.of(text)))
    }
}

/// Writes lines to stdout/stderr unbuffered, one write(2) per line where the stream takes it
/// (see ``StandardStream``).
enum Console {
    static func out(_ s: String) { StandardStream.output.write(s + "\n") }
    static func err(_ s: String) { StandardStream.error.write(s + "\n") }
}
