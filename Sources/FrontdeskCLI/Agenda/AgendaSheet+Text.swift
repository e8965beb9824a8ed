import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI

extension AgendaSheet {
    /// The columns printed, in order: those no entry fills (service, phone, due) are left out.
    var columns: [(title: String, value: (Entry) -> String)] {
        var out: [(String, (Entry) -> String)] = [("TIME", { "\($0.start)–\($0.end)" }), ("CUSTOMER", { $0.customer })]
        if anyEntry({ $0.service != nil }) { out.append(("SERVICE", { $0.service ?? "" })) }
        if anyEntry({ $0.phone != nil }) { out.append(("PHONE", { $0.phone ?? "" })) }
        if anyEntry({ $0.due != nil }) { out.append(("DUE", { $0.dueText })) }
        out.append(("NOTES", { $0.notes }))
        return out
    }

    /// A section's heading: `Chair 1 · Europe/London`.
    static func heading(_ r: Resource) -> String { "\(r.name) (\(r.ref)) · \(r.zone)" }

    /// The sheet as aligned plain text: a title, then per resource a heading and a table
    /// padded by terminal columns (``Format/table(_:_:)``, so wide names keep columns aligned
    /// and control characters come out as visible marks).
    func text() -> String {
        var out = ["Agenda · \(Format.day(date))"]
        if sections.isEmpty { out.append(""); out.append("Nothing booked.") }
        let cols = columns
        for s in sections {
            out.append("")
            out.append(Format.safe(Self.heading(s.resource)))
            if s.entries.isEmpty { out.append("  nothing booked"); continue }
            let table = Format.table(cols.map(\.title), s.entries.map { e in cols.map { $0.value(e) } })
            out += table.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The sheet for `--json`: amounts in minor units beside the currency code.
    var json: JSONTree {
        .object([
            "date": .string(date.description),
            "resources": .array(sections.map { s in
                .object([
                    "id": .string(s.resource.id.rawValue), "ref": .string(s.resource.ref), "name": .string(s.resource.name),
                    "zone": .string(s.resource.zone.description),
                    "bookings": .array(s.entries.map { e in
                        .object([
                            "id": .string(e.booking.id.rawValue), "ref": .string(e.booking.ref),
                            "start": .string(e.booking.start.iso8601), "end": .string(e.booking.end.iso8601),
                            "local_start": .string(e.start), "local_end": .string(e.end),
                            "status": .string(e.booking.status.rawValue),
                            "customer": .string(e.booking.customer?.rawValue), "customer_name": .string(e.customer),
                            "customer_ref": .string(e.customerRef), "service": .string(e.service), "phone": .string(e.phone),
                            "notes": .string(e.booking.notes), "due": e.due.map { .integer($0) } ?? .null,
                            "currency": .string(e.currency?.code),
                        ])
                    }),
                ])
            }),
        ])
    }
}
