import FrontdeskCore

/// The index of customers whose current version is in memory and newer than the generation's
/// index: those the journal changed since the snapshot, or every customer of a generation
/// that keeps them whole (`customers.json`). A lookup merges it with the generation's index,
/// and for a customer it holds, it alone counts: so a customer renamed since the snapshot is
/// found by its new name and not by its old one.
struct CustomerMemoryIndex {
    private var byKey: [String: Set<CustomerID>] = [:]
    private var keysOf: [CustomerID: [String]] = [:]
    private var names: [CustomerID: [String]] = [:]

    /// Whether `id`'s version in memory is the one that counts.
    func contains(_ id: CustomerID) -> Bool { keysOf[id] != nil }

    var count: Int { keysOf.count }

    /// Indexes `c`'s current version in place of any earlier one. - Complexity: O(1).
    mutating func put(_ c: Customer) {
        for k in keysOf[c.id] ?? [] {
            byKey[k]?.remove(c.id)
            if byKey[k]?.isEmpty == true { byKey[k] = nil }
        }
        let keys = CustomerKey.keys(of: c)
        for k in keys { byKey[k, default: []].insert(c.id) }
        keysOf[c.id] = keys
        names[c.id] = CustomerKey.nameSearchKeys(folded: CustomerKey.foldedName(c.name))
    }

    /// Customers with index key `key`. - Complexity: O(1) expected.
    func ids(key: String) -> Set<CustomerID> { byKey[key] ?? [] }

    /// Customers whose folded name, or its rest from a later word, starts with `prefix` (already folded).
    ///
    /// - Complexity: O(customers held): it holds the journal's changes since the snapshot,
    ///   or every customer of a store still in the whole-file layout.
    func ids(foldedPrefix prefix: String) -> [CustomerID] {
        names.compactMap { $0.value.contains { $0.hasPrefix(prefix) } ? $0.key : nil }
    }
}
