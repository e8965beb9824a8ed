import FrontdeskCore

/// Upcoming bookings as a list, filtered by resource, customer, status, date range and text,
/// in a chosen order; Enter opens the detail.
struct AgendaView {
    /// How the list is ordered (`o` cycles).
    enum Sort: String, CaseIterable { case time, customer, resource, status }

    /// The filter typed after `f`: `status:confirmed resource:"Room 1" customer:ann from:2027-03-01
    /// to:2027-03-31 days:7` plus free text matched against name, reference and notes.
    struct Filter: Equatable {
        var text = ""
        var status: BookingStatus?
        var resource: String?
        var customer: String?
        var from: LocalDate?
        var to: LocalDate?
        var days = 14

        init() {}

        /// Parses the filter line; unknown `key:` words count as text.
        init(parsing line: String) throws(AgendaFilterError) {
            var words: [String] = []
            var current = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle(); continue }
                if ch == " " && !quoted { if !current.isEmpty { words.append(current) }; current = ""; continue }
                current.append(ch)
            }
            if !current.isEmpty { words.append(current) }
            var text: [String] = []
            for w in words {
                guard let colon = w.firstIndex(of: ":") else { text.append(w); continue }
                let key = w[..<colon].lowercased(), value = String(w[w.index(after: colon)...])
                switch key {
                case "status":
                    guard let s = BookingStatus(text: value) else { throw AgendaFilterError(message: "unknown status \"\(value)\"") }
                    status = s
                case "resource": resource = value
                case "customer": customer = value
                case "from":
                    guard let d = LocalDate(value) else { throw AgendaFilterError(message: "from: expects YYYY-MM-DD") }
                    from = d
                case "to":
                    guard let d = LocalDate(value) else { throw AgendaFilterError(message: "to: expects YYYY-MM-DD") }
                    to = d
                case "days":
                    guard let n = Int(value), (1...366).contains(n) else { throw AgendaFilterError(message: "days: expects 1-366") }
                    days = n
                default: text.append(w)
                }
            }
            self.text = text.joined(separator: " ")
        }

        var summary: String {
            var parts: [String] = []
            if let status { parts.append("status:\(status)") }
            if let resource { parts.append("resource:\(resource)") }
            if let customer { parts.append("customer:\(customer)") }
            if let from { parts.append("from:\(from)") }
            if let to { parts.append("to:\(to)") } else { parts.append("days:\(days)") }
            if !text.isEmpty { parts.append("\"\(text)\"") }
            return parts.joined(separator: " ")
        }
    }

    /// The bookings the filter selects, from `start` (a date) onwards, in `sort` order.
    static func rows(state: BookingState, filter: Filter, sort: Sort, start: LocalDate, zone: Zone) -> [Booking] {
        let from = filter.from ?? start
        let to = filter.to?.adding(days: 1) ?? from.adding(days: filter.days)
        let window = TimeRange(start: zone.startOfDay(from), end: zone.startOfDay(to))
        let text = filter.text.lowercased()
        let list = state.bookings.values.filter { b in
            guard b.range.overlaps(window) else { return false }
            if let s = filter.status, b.status != s { return false }
            let resourceName = b.otherResources.isEmpty ? state.resources[b.resource]?.name ?? "" : state.resourceNames(b.resources)
            let customer = b.customer.flatMap { state.customers[$0] }
            // A booking holding several resources matches the filter by any of them.
            if let r = filter.resource?.lowercased(), !b.resources.contains(where: { id in
                let res = state.resources[id]
                return (res?.name.lowercased().contains(r) ?? false) || res?.ref.lowercased() == r
            }) { return false }
            if let c = filter.customer?.lowercased(), !(customer?.name.lowercased().contains(c) ?? false),
               customer?.ref.lowercased() != c { return false }
            if !text.isEmpty {
                let hay = [customer?.name ?? "", b.ref, b.notes, resourceName].joined(separator: "\u{1F}").lowercased()
                if !hay.contains(text) { return false }
            }
            return true
        }
        func name(_ b: Booking) -> String { Format.customer(b, state).lowercased() }
        switch sort {
        case .time: return list.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
        case .customer: return list.sorted { (name($0), $0.start) < (name($1), $1.start) }
        case .resource:
            return list.sorted { (state.resources[$0.resource]?.name ?? "", $0.start) < (state.resources[$1.resource]?.name ?? "", $1.start) }
        case .status: return list.sorted { ($0.status.rawValue, $0.start) < ($1.status.rawValue, $1.start) }
        }
    }

    let bookings: [Booking]
    let state: BookingState
    let selected: Int
    let firstRow: Int
    let filter: Filter
    let sort: Sort

    func draw(into grid: inout CellGrid, top: Int, height: Int) {
        grid.putPadded(" \(filter.summary) · sorted by \(sort.rawValue) · \(bookings.count) booking\(bookings.count == 1 ? "" : "s")",
                       row: top, col: 0, width: grid.cols, role: .columnHeader)
        if bookings.isEmpty {
            grid.put("  No bookings match. f changes the filter.", row: top + 2, col: 0, role: .dim)
            return
        }
        for i in 0..<max(0, height - 1) {
            let k = firstRow + i
            guard k < bookings.count else { break }
            let b = bookings[k]
            let r = state.resources[b.resource]
            let zone = r?.zone ?? .utc
            let line = " \(Format.range(b.range, zone))  \(b.ref)  \(pad(r?.name ?? "?", 14))  \(pad(Format.customer(b, state), 20))  \(pad(Format.status(b.status), 15))  \(b.notes)"
            let y = top + 1 + i
            grid.putPadded(line, row: y, col: 0, width: grid.cols, role: k == selected ? .cursor : .grid)
            if k != selected {
                // The status word in its colour.
                let prefix = " \(Format.range(b.range, zone))  \(b.ref)  \(pad(r?.name ?? "?", 14))  \(pad(Format.customer(b, state), 20))  "
                grid.put(Format.status(b.status), row: y, col: DisplayWidth.of(TextSanitizer.clean(prefix)), role: .status(b.status))
            }
        }
    }

    private func pad(_ s: String, _ w: Int) -> String {
        let clean = TextSanitizer.clean(s)
        var out = "", used = 0
        for ch in clean {
            let cw = DisplayWidth.of(ch)
            if used + cw > w { break }
            out.append(ch); used += cw
        }
        return out + String(repeating: " ", count: w - used)
    }
}

/// An agenda filter that could not be read.
struct AgendaFilterError: Error { var message: String }
