import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The booking objects of a partition file's bytes (``BookingSchema/partitionBytes(_:)``),
/// found without decoding them: where each one lies, and its id and time range when they are
/// spelled plainly.
///
/// A command that needs a few bookings of a partition (the conflict check of a write, one
/// customer's bookings) decodes only the objects that may be among them: decoding a booking
/// costs far more than stepping over its bytes. The scan is a filter, never a judge: it
/// reads only the members it looks for, and an object whose id or range it cannot read
/// plainly (an escape, another spelling) counts as possibly wanted, so the decoder reads it.
/// What it picks is decoded by the full reader, which judges it as a whole-file read would.
/// A partition's customer list (`partition-customers/`) is scanned the same way: an array of
/// objects with an `id` (and no `range`, so every item's range is unknown).
struct PartitionScan {
    /// One top-level object of the array.
    struct Item: Equatable {
        /// Its bytes, from `{` to `}`.
        var bytes: Range<Int>
        /// The bytes between the quotes of its `id` member's string, when it has no escape.
        var id: Range<Int>?
        /// Its `range` member, when spelled `{"start":"<instant>","end":"<instant>"}`.
        var range: TimeRange?
    }

    /// The top-level objects in order.
    let items: [Item]

    /// Scans `bytes`, or returns nil when they are not an array of objects as far as bracket
    /// nesting and strings show (the full reader then says what is wrong).
    ///
    /// - Complexity: O(bytes).
    init?(_ bytes: [UInt8]) {
        guard let items = bytes.withUnsafeBufferPointer({ PartitionScan.scan($0) }) else { return nil }
        self.items = items
    }

    /// Whether the object may overlap `range`: its range is unknown or overlaps it.
    static func mayOverlap(_ item: Item, _ range: TimeRange) -> Bool {
        item.range.map { $0.overlaps(range) } ?? true
    }

    /// Whether the object may be one of `ids` (their UTF-8 bytes): its id is unknown or among them.
    static func mayBe(_ item: Item, in ids: Set<[UInt8]>, bytes: [UInt8]) -> Bool {
        guard let id = item.id else { return true }
        return ids.contains(Array(bytes[id]))
    }

    /// The JSON array of the objects of `bytes` that `items` names, in order: what the full
    /// reader decodes.
    static func array(of items: [Item], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(items.reduce(2) { $0 + $1.bytes.count + 1 })
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(0x2C) }
            out += bytes[item.bytes]
        }
        out.append(0x5D)
        return out
    }

    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    private static let idKey: [UInt8] = Array("id".utf8), rangeKey: [UInt8] = Array("range".utf8)
    private static let startPrefix: [UInt8] = Array(#"{"start":""#.utf8), endInfix: [UInt8] = Array(#"","end":""#.utf8)

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    private static func scan(_ u: UnsafeBufferPointer<UInt8>) -> [Item]? {
        let n = u.count
        var i = 0
        func skipSpace() { while i < n, isSpace(u[i]) { i += 1 } }
        skipSpace()
        guard i < n, u[i] == 0x5B else { return nil }
        i += 1
        skipSpace()
        var items: [Item] = []
        if i < n, u[i] == 0x5D {
            i += 1
            skipSpace()
            return i == n ? items : nil
        }
        while true {
            guard i < n, u[i] == 0x7B, let item = object(u, at: &i) else { return nil }
            items.append(item)
            skipSpace()
            guard i < n else { return nil }
            if u[i] == 0x2C { i += 1; skipSpace(); continue }
            guard u[i] == 0x5D else { return nil }
            i += 1
            skipSpace()
            return i == n ? items : nil
        }
    }

    /// The object starting at `i` (its `{`); leaves `i` after its `}`.
    private static func object(_ u: UnsafeBufferPointer<UInt8>, at i: inout Int) -> Item? {
        let n = u.count
        let start = i
        var item = Item(bytes: start..<start, id: nil, range: nil)
        var depth = 0
        // At depth 1: whether the next string is a member name, and which member's value comes.
        var expectKey = false
        var member = 0 // 0 another, 1 id, 2 range
        while i < n {
            let c = u[i]
            if c == quote {
                let s = i + 1
                var escaped = false
                // Most strings have no escape: the next quote ends them (two `memchr`s);
                // one with a backslash is stepped through byte by byte.
                guard let end = find(quote, u, from: s) else { return nil }
                if find(backslash, u, from: s, to: end) == nil {
                    i = end
                } else {
                    escaped = true
                    i = s
                    while i < n {
                        let d = u[i]
                        if d == quote { break }
                        i += d == backslash ? 2 : 1
                    }
                    guard i < n else { return nil }
                }
                if depth == 1 {
                    if expectKey {
                        let name = UnsafeBufferPointer(rebasing: u[s..<i])
                        member = escaped ? 0 : name.elementsEqual(idKey) ? 1 : name.elementsEqual(rangeKey) ? 2 : 0
                        expectKey = false
                    } else {
                        if member == 1 && !escaped { item.id = s..<i }
                        member = 0
                    }
                }
                i += 1
                continue
            }
            switch c {
            case 0x7B, 0x5B:
                if depth == 1 && member == 2 && c == 0x7B { item.range = range(u, at: i) }
                if depth == 1 { member = 0 }
                depth += 1
                if depth == 1 { expectKey = true }
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 {
                    guard c == 0x7D else { return nil }
                    i += 1
                    item.bytes = start..<i
                    return item
                }
            case 0x2C:
                if depth == 1 { expectKey = true; member = 0 }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The index of the first `byte` in `u[from..<to]` (`to` defaults to the end), or nil.
    private static func find(_ byte: UInt8, _ u: UnsafeBufferPointer<UInt8>, from: Int, to: Int? = nil) -> Int? {
        let end = to ?? u.count
        guard from < end, let base = u.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// `{"start":"<instant>","end":"<instant>"}` at `i` exactly, or nil.
    private static func range(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> TimeRange? {
        let n = u.count
        var at = i
        func literal(_ l: [UInt8]) -> Bool {
            guard at + l.count <= n, UnsafeBufferPointer(rebasing: u[at..<(at + l.count)]).elementsEqual(l) else { return false }
            at += l.count
            return true
        }
        func instant() -> Instant? {
            let s = at
            while at < n, u[at] != quote, u[at] != backslash { at += 1 }
            guard at < n, u[at] == quote else { return nil }
            return Instant(iso8601UTF8: UnsafeBufferPointer(rebasing: u[s..<at]))
        }
        guard literal(startPrefix), let start = instant(), literal(endInfix), let end = instant(),
              at + 1 < n, u[at] == quote, u[at + 1] == 0x7D else { return nil }
        return TimeRange(start: start, end: end)
    }
}
