import FrontdeskCore

/// The customers an import names, each resolved once: maps from normalised name and from
/// reference to customer, filled from the store's customer index the first time a chunk
/// names a text (``lookUp(_:in:)``, outside the write lock) and kept up to date with the
/// customers the import creates.
///
/// Every row's customer is then found through ``resolve(_:in:)`` without reading anything.
///
/// - Complexity: one index lookup per distinct customer text; O(1) amortised per row.
struct ImportCustomers {
    private var byName: [String: [CustomerID]] = [:]
    private var byRef: [String: CustomerID] = [:]
    /// Texts already asked of the store's index, found or not (by ``key(_:)``).
    private var looked: Set<String> = []
    /// Texts the index found several customers for, with its refusal.
    private var ambiguous: [String: CoreError] = [:]
    /// The reference counter of the state the maps reflect. It moves only when a customer is
    /// created, so a state with another figure holds customers the maps do not know (someone
    /// else's, added between two chunks), and the maps learn the ones in memory.
    private var seenCounter: Int?

    /// The key a name is found under: case- and accent-insensitive, as the store's customer
    /// index matches names.
    static func key(_ name: String) -> String { CustomerKey.foldedName(name) }

    /// Asks the store's customer index for every text not asked before, so that
    /// ``resolve(_:in:)`` finds customers on file that are not in memory. Loads what it finds
    /// into the storage's state.
    ///
    /// - Complexity: one index lookup per new distinct text.
    mutating func lookUp<S: Sequence>(_ texts: S, in storage: any BookingStorage) throws where S.Element == String {
        for text in texts {
            let t = text.trimming(.whitespaces)
            guard !t.isEmpty, looked.insert(Self.key(t)).inserted else { continue }
            do {
                insert(try storage.resolveCustomer(t))
            } catch CoreError.notFound {
                continue
            } catch let e as CoreError {
                if case .ambiguous = e { ambiguous[Self.key(t)] = e } else { throw e }
            }
        }
    }

    /// Whether the index found several customers for `text`.
    func isAmbiguous(_ text: String) -> Bool { ambiguous[Self.key(text.trimming(.whitespaces))] != nil }

    /// Learns the customers in memory the first time, and again when someone else created
    /// customers since the maps last looked.
    ///
    /// - Complexity: O(1) when nothing changed; O(customers in memory) otherwise.
    mutating func refresh(from state: BookingState) {
        let counter = state.counters.customers
        if let seenCounter, seenCounter == counter { return }
        for c in state.customers.values { insert(c) }
        seenCounter = counter
    }

    /// Adds the customers a committed chunk created; `state` is the store's state after it.
    ///
    /// - Complexity: O(c), c the customers created.
    mutating func add(_ created: [Customer], committedIn state: BookingState) {
        for c in created { insert(c) }
        if let seen = seenCounter, seen + created.count == state.counters.customers {
            seenCounter = state.counters.customers
        }
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
        if let id = byRef[t.lowercased()] { return id }
        if let refusal = ambiguous[lower] { throw refusal }
        // A customer renamed since the maps learnt it no longer answers to the old name.
        let named = Set(byName[lower] ?? []).filter { id in state.customers[id].map { Self.key($0.name) == lower } ?? true }
        if named.count <= 1 { return named.first }
        let sorted = named.compactMap { state.customers[$0] }.sorted { $0.ref < $1.ref }
        throw .ambiguous(kind: "customer", text: t, candidates: sorted.map { "\($0.ref) \($0.name)" + ($0.phone.map { " \($0)" } ?? "") })
    }

    private mutating func insert(_ c: Customer) {
        let name = Self.key(c.name)
        if !(byName[name]?.contains(c.id) ?? false) { byName[name, default: []].append(c.id) }
        byRef[c.ref.lowercased()] = c.id
    }
}
