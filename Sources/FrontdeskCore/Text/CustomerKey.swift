/// The normal forms customers are found by: a folded name, a reference, a phone number in
/// E.164 digits and an e-mail address, each as an index key (`n:…`, `r:…`, `p:…`, `e:…`).
///
/// Every index of customers (the store's on disk, the one in memory, a scan of the state) keys
/// on these, and every lookup normalises its text the same way, so they all agree.
public enum CustomerKey {
    /// A name folded for comparison that ignores case, accents and spacing: lowercased, combining
    /// marks dropped, Latin letters with diacritics replaced by their base letter, runs of
    /// whitespace collapsed to one space, leading and trailing whitespace removed.
    ///
    /// Core uses no Foundation, and the standard library offers no public canonical
    /// decomposition, so a precomposed Latin letter ("é", U+00E9) is mapped to its base letter by
    /// its Unicode name ("LATIN SMALL LETTER E WITH ACUTE"); a decomposed one ("e" + U+0301)
    /// loses its combining mark. Precomposed letters of other scripts keep their marks.
    ///
    /// - Complexity: O(n) in the length of `text`; ASCII scalars take no table lookup, and an
    ///   all-ASCII text is folded byte by byte.
    public static func foldedName(_ text: String) -> String {
        foldedASCIIName(text) ?? foldedScalars(text)
    }

    /// ``foldedName(_:)`` scalar by scalar, for any text.
    static func foldedScalars(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        func put(_ u: Unicode.Scalar) {
            if space && !out.isEmpty { out.append(" ") }
            space = false
            out.append(u)
        }
        for u in text.unicodeScalars {
            if u.value < 0x80 {
                switch u.value {
                case 0x41...0x5A: put(Unicode.Scalar(u.value + 0x20)!)
                case 0x09...0x0D, 0x20: space = true
                default: put(u)
                }
                continue
            }
            let p = u.properties
            if p.isWhitespace { space = true; continue }
            switch p.generalCategory {
            case .nonspacingMark, .enclosingMark: continue
            default: break
            }
            if let base = latinBase(u) { put(base); continue }
            for l in p.lowercaseMapping.unicodeScalars {
                switch l.properties.generalCategory {
                case .nonspacingMark, .enclosingMark: continue
                default: put(l)
                }
            }
        }
        return String(out)
    }

    /// ``foldedName(_:)`` of an all-ASCII text, folded on its UTF-8 bytes (the same result as
    /// the scalar loop: capitals lowered, runs of whitespace one space, none at either end);
    /// nil when the text has a non-ASCII byte.
    ///
    /// Names are folded on every lookup and every index update, and most are ASCII: a byte
    /// loop builds the result without a scalar view's per-scalar appends.
    static func foldedASCIIName(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var space = false
            for b in bytes {
                switch b {
                case 0x80...: return nil
                case 0x09...0x0D, 0x20: space = true; continue
                case 0x41...0x5A:
                    if space && !out.isEmpty { out.append(0x20) }
                    out.append(b + 0x20)
                default:
                    if space && !out.isEmpty { out.append(0x20) }
                    out.append(b)
                }
                space = false
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The lowercase ASCII base letter of a precomposed Latin letter with diacritics
    /// ("LATIN CAPITAL LETTER O WITH STROKE" → "o"), nil for anything else.
    static func latinBase(_ u: Unicode.Scalar) -> Unicode.Scalar? {
        guard let name = u.properties.name else { return nil }
        let rest: Substring
        if name.hasPrefix("LATIN SMALL LETTER ") {
            rest = name.dropFirst("LATIN SMALL LETTER ".count)
        } else if name.hasPrefix("LATIN CAPITAL LETTER ") {
            rest = name.dropFirst("LATIN CAPITAL LETTER ".count)
        } else {
            return nil
        }
        let letter = rest.utf8.first
        guard rest.utf8.count > 6, let letter, (0x41...0x5A).contains(letter),
              rest.utf8.dropFirst().starts(with: " WITH ".utf8) else { return nil }
        return Unicode.Scalar(letter + 0x20)
    }

    /// A phone number as E.164 digits (no `+`), or nil when the text holds no digit.
    ///
    /// Only digits count; a number written with `+` or `00` in front is international as
    /// written. The default country is the North American Numbering Plan (`+1`): ten digits
    /// not starting with 0 or 1 get a leading `1`. Any other number is kept as its digits,
    /// since which country it belongs to cannot be known from it.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public static func phone(_ text: String) -> String? {
        var digits: [UInt8] = []
        var plus = false
        for u in text.utf8 {
            if (0x30...0x39).contains(u) { digits.append(u) } else if u == 0x2B && digits.isEmpty { plus = true }
        }
        guard !digits.isEmpty else { return nil }
        if !plus {
            if digits.count > 2 && digits[0] == 0x30 && digits[1] == 0x30 {
                digits.removeFirst(2)
            } else if digits.count == 10 && digits[0] != 0x30 && digits[0] != 0x31 {
                digits.insert(0x31, at: 0)
            }
        }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }

    /// An e-mail address trimmed and lowercased; nil when empty.
    public static func email(_ text: String) -> String? {
        let t = text.trimming(.whitespaces).lowercased()
        return t.isEmpty ? nil : t
    }

    /// The index key of a folded name.
    public static func name(_ text: String) -> String { "n:" + foldedName(text) }
    /// The index key of a reference (case-insensitive, as references are typed).
    public static func reference(_ text: String) -> String { "r:" + text.trimming(.whitespaces).lowercased() }
    /// The index key of a phone number; nil when it holds no digit.
    public static func phoneKey(_ text: String) -> String? { phone(text).map { "p:" + $0 } }
    /// The index key of an e-mail address; nil when empty.
    public static func emailKey(_ text: String) -> String? { email(text).map { "e:" + $0 } }

    /// Every index key of `c`: its name, reference, and phone and e-mail if it has them.
    public static func keys(of c: Customer) -> [String] {
        var keys = [name(c.name), reference(c.ref)]
        if let p = c.phone.flatMap(phoneKey) { keys.append(p) }
        if let e = c.email.flatMap(emailKey) { keys.append(e) }
        return keys
    }

    /// The keys text typed to find a customer may be, in the order they are tried after the
    /// id: reference (text without spaces: references have none), name, phone, e-mail.
    public static func candidates(_ text: String) -> [String] {
        let t = text.trimming(.whitespaces)
        var keys = t.unicodeScalars.contains(where: { $0.properties.isWhitespace }) ? [] : [reference(t)]
        keys.append(name(text))
        if let p = phoneKey(text), text.unicodeScalars.allSatisfy({ !$0.properties.isAlphabetic }) { keys.append(p) }
        if text.contains("@"), let e = emailKey(text) { keys.append(e) }
        return keys
    }

    /// The name index's keys for a folded name: the name, and its rest from each later word
    /// ("ann lee" → "ann lee", "lee"), so that typing a surname finds the customer too.
    public static func nameSearchKeys(folded: String) -> [String] {
        var keys = [folded]
        var i = folded.startIndex
        while let space = folded[i...].firstIndex(of: " ") {
            i = folded.index(after: space)
            if i < folded.endIndex { keys.append(String(folded[i...])) }
        }
        return keys
    }

    /// What a name search for `prefix` (folded) finds a customer named `name` by: the least of
    /// its search keys (``nameSearchKeys(folded:)``) that starts with it; nil when none does.
    /// Searches return customers in the order of this key, then id: those whose whole name
    /// starts with the text first among equals, by name.
    public static func searchKey(_ name: String, prefix: String) -> String? {
        nameSearchKeys(folded: foldedName(name)).filter { $0.hasPrefix(prefix) }.min()
    }

    /// Whether a name search for `prefix` (folded) finds a customer named `name`.
    public static func nameMatches(_ name: String, prefix: String) -> Bool { searchKey(name, prefix: prefix) != nil }

    /// The first `limit` of `customers` a name search for `prefix` (folded) finds, in search order.
    public static func nameSearch<S: Sequence>(_ customers: S, prefix: String, limit: Int) -> [Customer] where S.Element == Customer {
        let found = customers.compactMap { c in searchKey(c.name, prefix: prefix).map { (key: $0, c: c) } }
        return found.sorted { ($0.key, $0.c.id.rawValue) < ($1.key, $1.c.id.rawValue) }.prefix(limit).map(\.c)
    }

    /// Customers by folded name, then reference, then id (the order of customers found other
    /// than by a name search, under those it found).
    public static func nameOrder(_ a: Customer, _ b: Customer) -> Bool {
        let fa = foldedName(a.name), fb = foldedName(b.name)
        if fa != fb { return fa < fb }
        return (a.ref, a.id.rawValue) < (b.ref, b.id.rawValue)
    }
}
