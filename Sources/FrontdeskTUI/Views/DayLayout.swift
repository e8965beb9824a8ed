import FrontdeskCore

/// What one grid cell holds.
enum SlotContent: Equatable, Sendable {
    case free, closed, blackout
    /// Part of a booking block: index into `DayLayout.bookings`, and the row within the block.
    case booking(Int, part: Int)
    /// Taken by a booking on a parent or child resource (index into `DayLayout.bookings`, row
    /// within the block): a booking on a suite occupies its rooms and the other way round.
    case occupiedByRelated(Int, part: Int)
    /// Free by the clock but kept clear by the buffer around a booking (index into
    /// `DayLayout.bookings`): a booking here would clash with the buffer.
    case buffer(Int)
}

/// The day grid's model: slot rows over the opening hours and, per resource, what each slot
/// holds. Built once per date, resource set and data change, then painted every frame.
package struct DayLayout: Sendable {
    let date: LocalDate
    let zone: Zone
    let slot: Int
    /// First row's local second of day, and the number of rows.
    let startSecond: Int
    package let rowCount: Int
    package let resources: [Resource]
    /// Per resource, per row.
    let cells: [[SlotContent]]
    package let bookings: [Booking]
    /// What a block shows, per entry of `bookings`: made once per build, so painting a frame
    /// neither copies bookings nor looks up customers.
    let labels: [BlockLabel]
    /// Row start instants, plus the end of the last row.
    let rowStarts: [Instant]

    /// The text of a block's first row, its second, the rows after, and its style.
    struct BlockLabel: Sendable {
        let first: String
        let second: String
        var rest: String = ""
        let role: StyleRole
        /// Shorter texts for the second row, longest first, for columns too narrow for
        /// `second`: a whole word rather than a clipped one ("confirmed", never "conf").
        var shorter: [String] = []
    }

    /// Slot rows for `date` in `zone`, with opening hours as the union of the resources' hours
    /// (08:00-18:00 when all are closed or always open), or `hours` when given.
    static func build(state: BookingState, resources: [Resource], date: LocalDate, zone: Zone,
                      hours: (Int, Int)? = nil) -> DayLayout {
        let slot = Int(max(300, resources.map(\.slotLength.seconds).min() ?? 900))
        let dayRange = TimeRange(start: zone.startOfDay(date), end: zone.startOfDay(date.adding(days: 1)))
        let (from, to) = hours ?? openingHours(state: state, resources: resources, dates: [date], zone: zone)
        let start = from / slot * slot
        let rowCount = max(1, (to - start + slot - 1) / slot)
        var rowStarts: [Instant] = []
        rowStarts.reserveCapacity(rowCount + 1)
        // With one UTC offset from a day before to a day after, every wall-clock time of the day
        // exists once and is midnight plus its seconds: no per-row zone lookups.
        let offset = zone.offset(at: dayRange.start)
        let steady = [dayRange.start - .days(1), dayRange.end, dayRange.end + .days(1)].allSatisfy { zone.offset(at: $0) == offset }
        for i in 0...rowCount {
            let sod = start + i * slot
            if sod >= 86400 { rowStarts.append(dayRange.end + TimeSpan(seconds: Int64(sod - 86400))); continue }
            if steady { rowStarts.append(dayRange.start + TimeSpan(seconds: Int64(sod))); continue }
            rowStarts.append(zone.instant(LocalDateTime(date: date, secondOfDay: sod)) ?? dayRange.start + TimeSpan(seconds: Int64(sod)))
        }
        let shown = TimeRange(start: rowStarts[0], end: rowStarts[rowCount])

        // Per shown resource through the calendar index: O(log n + k), not a scan of everything loaded.
        var perResource = resources.map { state.bookings(on: $0.id, overlapping: shown) }

        var bookings: [Booking] = []
        var labels: [BlockLabel] = []
        let expected = perResource.reduce(0) { $0 + $1.count }
        bookings.reserveCapacity(expected)
        labels.reserveCapacity(expected)
        var cells: [[SlotContent]] = []
        cells.reserveCapacity(resources.count)
        // Opening hours and blackouts depend only on the schedule and the zone: worked out once
        // per pair, however many resources share them.
        var hoursColumns: [ScheduleZone: [SlotContent]] = [:]
        let freeColumn = Array(repeating: SlotContent.free, count: rowCount)
        for (ri, r) in resources.enumerated() {
            var col = freeColumn
            if let sid = r.schedule {
                let key = ScheduleZone(schedule: sid, zone: r.zone)
                if let known = hoursColumns[key] {
                    col = known
                } else {
                    let rules = state.availability(for: r)
                    let open = rules.openRanges(within: shown)
                    let black = rules.blackouts(overlapping: shown).map(\.range)
                    for i in 0..<rowCount {
                        let cell = TimeRange(start: rowStarts[i], end: rowStarts[i + 1])
                        if black.contains(where: { $0.overlaps(cell) }) { col[i] = .blackout }
                        else if !open.contains(where: { $0.contains(cell) }) { col[i] = .closed }
                    }
                    hoursColumns[key] = col
                }
            }
            // Cancelled and no-show bookings first, so occupying ones paint over them.
            var list: [Booking] = []
            swap(&list, &perResource[ri])  // sorted in place, not copied
            list.sort { a, b in
                a.status.occupiesSlot != b.status.occupiesSlot ? !a.status.occupiesSlot : Booking.startOrder(a, b)
            }
            for b in list {
                let idx = bookings.count
                bookings.append(b)
                let name = b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)"
                // The status mark (✗ for cancelled) is painted before every row of the block. A
                // booking holding several resources shows in each of their columns, linked by
                // the mark `⧉+N` (N: the other columns it holds) after the name, its shared
                // reference, and, on the rows after, the other resources' names.
                let others = b.otherResources.isEmpty ? [] : b.resources.filter { $0 != r.id }
                let link = others.isEmpty ? "" : " " + Self.linkMark(others.count)
                let rest = others.isEmpty ? "" : " + " + state.resourceNames(others)
                labels.append(BlockLabel(first: " " + name + link, second: " \(b.ref) · \(Format.status(b.status))", rest: rest,
                                         role: StyleRole.status(b.status), shorter: [" " + Format.status(b.status), " " + b.ref]))
                let first = row(of: b.start, in: rowStarts, rowCount: rowCount)
                var part = 0
                var i = first
                while i < rowCount, rowStarts[i] < b.end {
                    if rowStarts[i + 1] > b.start { col[i] = .booking(idx, part: part); part += 1 }
                    i += 1
                }
            }
            // Buffers: only the time a booking here keeps clear itself (the resource's buffer
            // before and after it, or its service's where larger) is shaded; a resource with no
            // before-buffer shows none before a booking without one.
            let p = state.policy(for: r.id)
            for (idx, b) in bookings.enumerated() where b.holds(r.id) && b.status.occupiesSlot {
                let kept = p.buffered(b.range, before: b.bufferBefore, after: b.bufferAfter)
                if kept == b.range { continue }
                var i = row(of: kept.start, in: rowStarts, rowCount: rowCount)
                while i < rowCount, rowStarts[i] < kept.end {
                    let cell = TimeRange(start: rowStarts[i], end: rowStarts[i + 1])
                    if col[i] == .free, cell.overlaps(kept), !cell.overlaps(b.range) { col[i] = .buffer(idx) }
                    i += 1
                }
            }
            // Time taken through the hierarchy, shown on cells that are otherwise free.
            for rel in state.related(to: r.id) where rel != r.id {
                let via = " ↳ " + (state.resources[rel]?.name ?? rel.rawValue)
                for b in state.bookings(on: rel, overlapping: shown) where b.status.occupiesSlot {
                    let idx = bookings.count
                    bookings.append(b)
                    labels.append(BlockLabel(first: via, second: " ╎", rest: " ╎", role: .closed))
                    var part = 0
                    var i = row(of: b.start, in: rowStarts, rowCount: rowCount)
                    while i < rowCount, rowStarts[i] < b.end {
                        if rowStarts[i + 1] > b.start {
                            if col[i] == .free { col[i] = .occupiedByRelated(idx, part: part) }
                            part += 1
                        }
                        i += 1
                    }
                }
            }
            cells.append(col)
        }
        return DayLayout(date: date, zone: zone, slot: slot, startSecond: start, rowCount: rowCount, resources: resources,
                         cells: cells, bookings: bookings, labels: labels, rowStarts: rowStarts)
    }

    /// The mark after the name of a booking that holds `others` more resources than the
    /// column's: `⧉+1`, the same in every column it holds.
    static func linkMark(_ others: Int) -> String { "⧉+\(others)" }

    /// The key under which a column of opening hours is shared.
    private struct ScheduleZone: Hashable {
        let schedule: ScheduleID
        let zone: Zone
    }

    /// The row containing an instant (clamped to the grid).
    static func row(of t: Instant, in starts: [Instant], rowCount: Int) -> Int {
        var lo = 0, hi = rowCount - 1
        if t <= starts[0] { return 0 }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Union of the resources' opening hours on the dates, as local seconds of day; 08:00-18:00
    /// when every resource is closed or always open.
    static func openingHours(state: BookingState, resources: [Resource], dates: [LocalDate], zone: Zone) -> (Int, Int) {
        var lo = Int.max, hi = Int.min
        for r in resources {
            guard let sid = r.schedule, let s = state.schedules[sid] else { continue }
            for d in dates {
                // Hours are wall-clock in the resource's zone; shown in the grid's zone.
                for h in s.hours(on: d) {
                    if r.zone == zone { lo = min(lo, h.start); hi = max(hi, h.end); continue }
                    guard let a = r.zone.instant(LocalDateTime(date: d, secondOfDay: min(h.start, 86399))) else { continue }
                    let shift = (zone.offset(at: a) - r.zone.offset(at: a))
                    lo = min(lo, max(0, h.start + shift)); hi = max(hi, min(86400, h.end + shift))
                }
            }
        }
        return lo < hi ? (lo, hi) : (8 * 3600, 18 * 3600)
    }

    /// The range of row `i`.
    func range(row i: Int) -> TimeRange { TimeRange(start: rowStarts[i], end: rowStarts[i + 1]) }

    /// The row whose local start time is `secondOfDay` (clamped).
    func row(forSecond sod: Int) -> Int { min(max(0, (sod - startSecond) / slot), rowCount - 1) }

    /// Local second of day at the start of row `i`.
    func second(ofRow i: Int) -> Int { startSecond + i * slot }

    /// The booking in a cell, if any.
    func booking(resource: Int, row: Int) -> Booking? {
        guard resource >= 0, resource < cells.count, row >= 0, row < rowCount else { return nil }
        if case .booking(let i, _) = cells[resource][row] { return bookings[i] }
        return nil
    }
}
