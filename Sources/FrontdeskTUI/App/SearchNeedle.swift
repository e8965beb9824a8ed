/// The desk's in-memory search text: whether a text, lowercased, contains the query,
/// lowercased (`text.lowercased().contains(query.lowercased())`, compared by `Character`).
///
/// `/` matches every booking in memory (tens of thousands once a day of many resources is
/// loaded) against it on each Enter, `n` and `N`; lowercasing a copy of every reference, note
/// and name made that the keystroke's largest cost. A query of printable ASCII is therefore
/// compared with an ASCII text byte by byte, A–Z folded; any other text (a byte outside ASCII,
/// which may lowercase to ASCII or combine with the letter before it, or a carriage return,
/// which joins a following line feed into one `Character`) takes the `lowercased()` path, so the
/// answer is the same for every text.
struct SearchNeedle {
    /// The query lowercased.
    let lowered: String
    /// `lowered`'s bytes when they are all printable ASCII; nil otherwise (every text then
    /// takes the `lowercased()` path).
    private let bytes: [UInt8]?

    init(_ query: String) {
        lowered = query.lowercased()
        let u = Array(lowered.utf8)
        bytes = !u.isEmpty && u.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? u : nil
    }

    /// Whether `text`, lowercased, contains the query, lowercased.
    ///
    /// - Complexity: O(text × query) bytes on the ASCII path, without allocating.
    func matches(_ text: String) -> Bool {
        guard let needle = bytes else { return text.lowercased().contains(lowered) }
        var copy = text
        let answer: Bool? = copy.withUTF8 { hay -> Bool? in
            for c in hay where c >= 0x80 || c == 0x0D { return nil }
            let m = needle.count
            guard hay.count >= m else { return false }
            let first = needle[0]
            var i = 0
            while i <= hay.count - m {
                if Self.folded(hay[i]) == first {
                    var j = 1
                    while j < m && Self.folded(hay[i + j]) == needle[j] { j += 1 }
                    if j == m { return true }
                }
                i += 1
            }
            return false
        }
        return answer ?? text.lowercased().contains(lowered)
    }

    /// An ASCII byte lowercased (A–Z to a–z, the rest unchanged).
    private static func folded(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }
}
