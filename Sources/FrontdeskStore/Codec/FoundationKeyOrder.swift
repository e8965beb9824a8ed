/// The order in which Foundation's `JSONSerialization` with `.sortedKeys` wrote an object's
/// members on Linux, for keys of ASCII text.
///
/// That order is not byte order: it is `NSString.compare` with `[.numeric, .caseInsensitive,
/// .forcedOrdering]` in the system locale, which is ICU's root collation. Byte order would move
/// members of the bodies that webhooks sign (`created_at` sorts before `createdAt` here, after
/// it in bytes). For ASCII keys, as measured against Foundation (the tests compare thousands of
/// random keys):
///
/// 1. Keys compare element by element, a shorter key first when it is a prefix of the other.
///    An element is a space or punctuation mark, ordered `` _-,;:!?.'"()[]{}@*/\&#%`^+<=>|~$``,
///    all before a run of digits, ordered by its number (`a9` before `a10`, `1` equal to `01`),
///    all before a letter, ordered regardless of case. Control characters are ignored.
/// 2. Keys equal so far are ordered by their first element that differs in case (a lowercase
///    letter first) or in leading zeros (fewer first).
/// 3. Keys still equal are ordered by their UTF-16 code units.
///
/// Keys with other characters get no ICU treatment: a non-ASCII scalar sorts after every ASCII
/// element, by code point (Foundation sorts `é` next to `e`), and a control character is simply
/// skipped in step 1 (ICU gives it a weight of its own in later steps). Frontdesk's keys are
/// printable ASCII.
package enum FoundationKeyOrder {
    /// Whether `a` sorts before `b`.
    package static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = elements(a), y = elements(b)
        for (p, q) in zip(x, y) {
            if p.group != q.group { return p.group < q.group ? -1 : 1 }
            if p.group == .digits {
                if p.digits.count != q.digits.count { return p.digits.count < q.digits.count ? -1 : 1 }
                if p.digits != q.digits { return p.digits.lexicographicallyPrecedes(q.digits) ? -1 : 1 }
            } else if p.weight != q.weight {
                return p.weight < q.weight ? -1 : 1
            }
        }
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        for (p, q) in zip(x, y) where p.tieBreak != q.tieBreak { return p.tieBreak < q.tieBreak ? -1 : 1 }
        if a.utf16.elementsEqual(b.utf16) { return 0 }
        return a.utf16.lexicographicallyPrecedes(b.utf16) ? -1 : 1
    }

    /// Where an element sorts before its weight is looked at.
    enum Group: Int, Comparable {
        case punctuation, digits, letter, other
        static func < (a: Group, b: Group) -> Bool { a.rawValue < b.rawValue }
    }

    /// One element of a key (see the type's summary).
    struct Element {
        var group: Group
        /// The mark's rank, the lowercase letter or the scalar's value.
        var weight: UInt32
        /// A digit run's digits without its leading zeros.
        var digits: ArraySlice<UInt8> = []
        /// The second-round key: 1 for an uppercase letter, the number of leading zeros of a
        /// digit run, 0 otherwise.
        var tieBreak: Int = 0
    }

    /// Spaces and ASCII punctuation in ICU root order.
    private static let marks = Array(#" _-,;:!?.'"()[]{}@*/\&#%`^+<=>|~$"#.utf8)

    static func elements(_ key: String) -> [Element] {
        var out: [Element] = []
        let scalars = Array(key.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            switch v {
            case 0x30...0x39:
                var run: [UInt8] = []
                while i < scalars.count, (0x30...0x39).contains(scalars[i].value) {
                    run.append(UInt8(scalars[i].value))
                    i += 1
                }
                let zeros = run.prefix(while: { $0 == 0x30 }).count
                // All zeros: the number 0, one digit.
                let digits = zeros == run.count ? run[(run.count - 1)...] : run[zeros...]
                out.append(Element(group: .digits, weight: 0, digits: digits, tieBreak: run.count - digits.count))
                continue
            case 0x41...0x5A:
                out.append(Element(group: .letter, weight: v + 0x20, tieBreak: 1))
            case 0x61...0x7A:
                out.append(Element(group: .letter, weight: v))
            case 0x00...0x1F, 0x7F:
                break
            case 0x20...0x7E:
                out.append(Element(group: .punctuation, weight: UInt32(marks.firstIndex(of: UInt8(v))!)))
            default:
                out.append(Element(group: .other, weight: v))
            }
            i += 1
        }
        return out
    }
}
