/// How booking search reads text: folded as customer names are (``CustomerKey/foldedName(_:)``:
/// case, accents and spacing ignored), split into words, each query word matched as a prefix.
///
/// A booking matches a query when every query word is a prefix of one of its tokens:
/// - its reference, whole (`b-01f`);
/// - a word of its notes: a run of characters between whitespace with punctuation at either
///   end dropped, and for a word with punctuation inside (`follow-up`) also its parts, so `up`
///   finds `follow-up`;
/// - a word of its customer's current name, as the customer name index splits it (at
///   whitespace, ``CustomerKey/nameMatches(_:prefix:)``), so a rename needs no re-index.
public enum SearchWords {
    /// `text` folded as customer names are.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public static func fold(_ text: String) -> String { CustomerKey.foldedName(text) }

    /// Whether a character counts as part of a word's content (a letter or a digit).
    public static func isContent(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// The folded words of `text`: split at whitespace, punctuation at either end dropped.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        for raw in fold(text).split(separator: " ") {
            guard let first = raw.firstIndex(where: isContent), let last = raw.lastIndex(where: isContent) else { continue }
            out.append(String(raw[first...last]))
        }
        return out
    }

    /// The words a query is made of (folded), each to be matched as a prefix of some token.
    public static func queryWords(_ text: String) -> [String] { words(text) }

    /// The tokens of a booking's reference and notes: the folded reference, the words of the
    /// notes and, for a word with punctuation inside, its parts.
    public static func textTokens(ref: String, notes: String) -> Set<String> {
        var out: Set<String> = []
        let r = fold(ref)
        if !r.isEmpty { out.insert(r) }
        for w in words(notes) {
            out.insert(w)
            let parts = w.split(whereSeparator: { !isContent($0) })
            if parts.count > 1 { for p in parts { out.insert(String(p)) } }
        }
        return out
    }

    /// The tokens of booking `b`'s reference and notes.
    public static func textTokens(of b: Booking) -> Set<String> { textTokens(ref: b.ref, notes: b.notes) }

    /// Whether `word` is a prefix of one of `tokens`.
    ///
    /// - Complexity: O(tokens).
    public static func prefixes(_ word: String, _ tokens: Set<String>) -> Bool {
        tokens.contains(word) || tokens.contains { $0.hasPrefix(word) }
    }

    /// Whether `word` matches booking text `tokens` or a word of `customerName`.
    public static func matches(_ word: String, tokens: Set<String>, customerName: String?) -> Bool {
        prefixes(word, tokens) || (customerName.map { CustomerKey.nameMatches($0, prefix: word) } ?? false)
    }

    /// Whether booking `b`, whose customer is named `customerName`, matches every word.
    public static func matches(_ b: Booking, _ words: [String], customerName: String?) -> Bool {
        let tokens = textTokens(of: b)
        return words.allSatisfy { matches($0, tokens: tokens, customerName: customerName) }
    }

    /// Whether booking `b` matches every word, with its customer's name in `state`.
    public static func matches(_ b: Booking, _ words: [String], in state: BookingState) -> Bool {
        matches(b, words, customerName: b.customer.flatMap { state.customers[$0]?.name })
    }

    /// Search order: start, then id.
    public static func before(_ a: Booking, _ b: Booking) -> Bool { (a.start, a.id) < (b.start, b.id) }

    /// The bookings in `state` that match `text`, overlapping `range` if given: the first
    /// `limit` in search order, or with `backward` the last `limit` in reverse search order.
    ///
    /// - Complexity: O(bookings in memory × tokens).
    public static func search(_ text: String, range: TimeRange?, limit: Int, backward: Bool = false, in state: BookingState) -> [Booking] {
        let words = queryWords(text)
        guard !words.isEmpty, limit > 0 else { return [] }
        let found = state.bookings.values.filter { b in (range.map { b.range.overlaps($0) } ?? true) && matches(b, words, in: state) }
            .sorted(by: before)
        return backward ? Array(found.reversed().prefix(limit)) : Array(found.prefix(limit))
    }
}
