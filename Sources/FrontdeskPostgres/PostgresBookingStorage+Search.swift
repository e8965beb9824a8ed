import FrontdeskCore
import PostgresNIO

extension PostgresBookingStorage {
    /// What `bookings.search_tokens` holds for `b`: the folded tokens of its reference and
    /// notes (``SearchWords/textTokens(of:)``), sorted so a row's value does not depend on a
    /// set's order.
    static func searchTokens(of b: Booking) -> [String] { SearchWords.textTokens(of: b).sorted() }

    /// A `LIKE` pattern matching the texts that start with `prefix`: its `\`, `%` and `_` escaped.
    static func prefixPattern(_ prefix: String) -> String {
        var out = ""
        for c in prefix {
            if c == "\\" || c == "%" || c == "_" { out.append("\\") }
            out.append(c)
        }
        return out + "%"
    }

    /// The bookings matching every word of `text` (``SearchWords``), overlapping `range` when
    /// given: the first `limit` by start and id, or the last `limit` with `backward`.
    ///
    /// The longest word picks the candidates through the indexes — bookings with a token that
    /// starts with it (`booking_tokens`), and bookings of customers with a name key that does
    /// (`customer_name_keys`) — and the other words are checked on those rows by the same
    /// indexes, so the database returns only matches, in order, `limit` at most. Bookings stored
    /// before their tokens were (schema version 4) are read and matched here instead.
    ///
    /// - Complexity: O(candidates of the longest word · words), index lookups, plus the
    ///   untokenized bookings of the range.
    func indexedSearch(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking] {
        let words = SearchWords.queryWords(text)
        guard !words.isEmpty, limit > 0 else { return [] }
        let driver = Self.prefixPattern(words.max { $0.count < $1.count }!)
        let patterns = words.map(Self.prefixPattern)
        let start = range.map { Double($0.start.seconds) }, end = range.map { Double($0.end.seconds) }
        let direction: PostgresQuery = backward ? "DESC" : "ASC"
        var query: PostgresQuery = """
            SELECT b.doc::text FROM bookings b
            JOIN (SELECT t.booking AS id FROM booking_tokens t WHERE t.token LIKE \(driver)
                  UNION
                  SELECT k2.id FROM customer_name_keys k JOIN bookings k2 ON k2.customer = k.customer WHERE k.key LIKE \(driver)) c ON c.id = b.id
            WHERE b.doc IS NOT NULL AND b.search_tokens IS NOT NULL
              AND (\(start)::float8 IS NULL OR (b.start_at < to_timestamp(\(end)) AND b.end_at > to_timestamp(\(start))))
              AND NOT EXISTS (
                  SELECT 1 FROM unnest(\(patterns)::text[]) AS w(p)
                  WHERE NOT EXISTS (SELECT 1 FROM booking_tokens t WHERE t.booking = b.id AND t.token LIKE w.p)
                    AND NOT EXISTS (SELECT 1 FROM customer_name_keys k WHERE k.customer = b.customer AND k.key LIKE w.p))
            ORDER BY b.start_at
            """
        query.sql += " " + direction.sql + ", b.id " + direction.sql
        query.sql += " LIMIT \(limit)"
        var found = try bookings(query)
        // Written before tokens existed: matched on their documents.
        let untokenized = try bookings("""
            SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND search_tokens IS NULL
            AND (\(start)::float8 IS NULL OR (start_at < to_timestamp(\(end)) AND end_at > to_timestamp(\(start))))
            """)
        var scratch = try readDirectory()
        try add(found + untokenized, to: &scratch)
        found += untokenized.filter { SearchWords.matches($0, words, in: scratch) }
        found.sort(by: SearchWords.before)
        let hits = backward ? Array(found.reversed().prefix(limit)) : Array(found.prefix(limit))
        try takeIn(hits)
        loadedBookings.formUnion(hits.map(\.id))
        return hits
    }
}
