#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskTUI

/// The booking object printed by `--json` commands and written by `export --format json`.
struct BookingJSON: Codable {
    var id: String
    var ref: String
    var resource: String
    var resource_name: String
    var customer: String?
    var customer_name: String?
    var start: String
    var end: String
    var start_local: String
    var end_local: String
    var time_zone: String
    var status: String
    var version: Int
    var source: String
    var actor: String
    var origin: String
    var created_at: String
    var updated_at: String
    var notes: String
    var series: String?
    var occurrence_date: String?
    var hold_expires_at: String?
    var cancellation: CancellationJSON?
    var idempotency_key: String?
    var override_reason: String?
    var history: [HistoryJSON]?

    struct CancellationJSON: Codable { var at: String; var by: String; var reason: String; var late: Bool }
    struct HistoryJSON: Codable { var at: String; var user: String; var origin: String; var source: String; var action: String; var changes: [String]; var version: Int }

    init(_ b: Booking, state: BookingState, withHistory: Bool = false) {
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        id = b.id.rawValue; ref = b.ref; resource = b.resource.rawValue; resource_name = r?.name ?? b.resource.rawValue
        customer = b.customer?.rawValue; customer_name = b.customer.flatMap { state.customers[$0]?.name }
        start = b.start.iso8601; end = b.end.iso8601
        start_local = Format.localISO(b.start, zone); end_local = Format.localISO(b.end, zone); time_zone = zone.identifier
        status = b.status.rawValue; version = b.version; source = b.updatedBy.source.rawValue
        actor = b.updatedBy.user; origin = b.updatedBy.origin
        created_at = b.createdAt.iso8601; updated_at = b.updatedAt.iso8601; notes = b.notes
        series = b.series?.rawValue; occurrence_date = b.occurrenceDate?.description; hold_expires_at = b.holdExpiresAt?.iso8601
        cancellation = b.cancellation.map { CancellationJSON(at: $0.at.iso8601, by: $0.by, reason: $0.reason, late: $0.late) }
        idempotency_key = b.idempotencyKey; override_reason = b.overrideReason
        history = withHistory ? b.history.map {
            HistoryJSON(at: $0.at.iso8601, user: $0.actor.user, origin: $0.actor.origin, source: $0.actor.source.rawValue, action: $0.action, changes: $0.changes, version: $0.version)
        } : nil
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

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json<T: Encodable>(_ value: T) -> String {
        (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }

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
