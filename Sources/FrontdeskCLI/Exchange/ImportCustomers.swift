import FrontdeskCore

/// The customers an import names, each resolved once: maps from normalised name and from
/// reference to customer, built from the store's customers when the import starts and kept
/// up to date with the customers it creates.
///
/// Every row's customer is found through ``resolve(_:in:)``, the one place that would ask the
/// store's customer index instead.
///
/// - Complexity: O(n) to build, n the customers on file; O(1) amortised per lookup.
struct ImportCustomers {
    private var byName: [String: [CustomerID]] = [:]
    private var byRef: [String: CustomerID] = [:]
    /// The customer count and reference counter of the state the maps reflect. Both only move
    /// when customers are added or removed, so a state with other figures holds customers the
    /// maps do not know (someone else's, added between two chunks), and they are rebuilt.
    private var seen: (count: Int, counter: Int)?

    /// The key a name is found under: case-insensitive, exactly as `Resolver.customer` matches.
    static func key(_ name: String) -> String { name.lowercased() }

    /// Rebuilds the maps when `state` holds customers they do not know.
    ///
    /// - Complexity: O(1) when nothing changed; O(n) to rebuild.
    mutating func refresh(from state: BookingState) {
        let figures = (count: state.customers.count, counter: state.counters.customers)
        if let seen, seen == figures { return }
        byName = [:]
        byRef = [:]
        byName.reserveCapacity(figures.count)
        byRef.reserveCapacity(figures.count)
        for c in state.customers.values { insert(c) }
        seen = figures
    }

    /// Adds the customers a committed chunk created; `state` is the store's state after it.
    ///
    /// - Complexity: O(c), c the customers created.
    mutating func add(_ created: [Customer], committedIn state: BookingState) {
        guard let seen, seen.count + created.count == state.customers.count else {
            // Not the state the maps plus these customers make: rebuild at the next refresh.
            self.seen = nil
            return
        }
        for c in created { insert(c) }
        self.seen = (state.customers.count, state.counters.customers)
    }

    /// The customer `text` names, by id, reference or name (as `Resolver.customer` finds one),
    /// or nil when none does, so the caller may create one.
    ///
    /// - Throws: `CoreError.ambiguous` when several customers have that name.
    /// - Complexity: O(1), plus O(k log k) for k customers of that name when it is ambiguous.
    func resolve(_ text: String, in state: BookingState) throws(CoreError) -> CustomerID? {
        let t = text.trimming(.whitespaces)
        if state.customers[CustomerID(t)] != nil { return CustomerID(t) }
        let lower = Self.key(t)
        if let id = byRef[lower], state.customers[id] != nil { return id }
        // A customer renamed since the maps were built no longer answers to the old name.
        let named = (byName[lower] ?? []).compactMap { state.customers[$0] }.filter { Self.key($0.name) == lower }
        if named.count <= 1 { return named.first?.id }
        let sorted = named.sorted { $0.ref < $1.ref }
        throw .ambiguous(kind: "customer", text: t, candidates: sorted.map { "\($0.ref) \($0.name)" + ($0.phone.map { " \($0)" } ?? "") })
    }

    private mutating func insert(_ c: Customer) {
        byName[Self.key(c.name), default: []].append(c.id)
        byRef[Self.key(c.ref)] = c.id
    }
}
