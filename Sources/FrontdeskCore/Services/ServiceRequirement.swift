/// What a service needs at once: `count` resources that each carry a tag, or are of a kind.
public struct ServiceRequirement: Hashable, Sendable, CustomStringConvertible {
    /// How a resource is matched.
    public enum Match: Hashable, Sendable {
        /// Resources carrying this tag (normalised, ``ResourceTags``).
        case tag(String)
        /// Resources of this kind.
        case kind(ResourceKind)
    }

    public var match: Match
    /// How many different resources it takes (at least 1).
    public var count: Int

    public init(_ match: Match, count: Int = 1) { self.match = match; self.count = count }

    /// Whether `r` can fill this requirement (archived or not: the caller filters).
    public func matches(_ r: Resource) -> Bool {
        switch match {
        case .tag(let t): r.tags.contains(t)
        case .kind(let k): r.kind.description == k.description
        }
    }

    /// `stylist`, `2 × chair`, `kind:room`: as a message or a list shows it.
    public var description: String {
        let what: String
        switch match {
        case .tag(let t): what = t
        case .kind(let k): what = "kind:\(k)"
        }
        return count == 1 ? what : "\(count) × \(what)"
    }

    /// Parses `--needs` text: `stylist`, `2xchair`, `kind:room`, `2xkind:room`, `tag:room`. A
    /// bare word is a tag; `kind:` names a resource kind.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` naming the text.
    public init(parsing text: String, field: String = "needs") throws(CoreError) {
        var rest = Substring(text.trimmingSpaces)
        var count = 1
        if let x = rest.firstIndex(where: { $0 == "x" || $0 == "×" }), x > rest.startIndex,
           rest[rest.startIndex..<x].allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let n = Int(rest[rest.startIndex..<x]), n >= 1, n <= Service.maximumCount else {
                throw .invalidInput(field: field, message: "\"\(text)\": the count must be 1 to \(Service.maximumCount)")
            }
            count = n
            rest = rest[rest.index(after: x)...]
        }
        let word = String(rest)
        if word.lowercased().hasPrefix("kind:") {
            let k = String(word.dropFirst(5)).trimmingSpaces
            guard !k.isEmpty else { throw .invalidInput(field: field, message: "\"\(text)\": name a kind after kind:") }
            try BookingEngine.checkKind(ResourceKind(k))
            self.init(.kind(ResourceKind(k)), count: count)
        } else {
            let t = word.lowercased().hasPrefix("tag:") ? String(word.dropFirst(4)) : word
            self.init(.tag(try ResourceTags.normalise(t, field: field)), count: count)
        }
    }
}
