import FrontdeskCore

/// Finds resources and customers by id, short reference or exact name (case-insensitive; a
/// customer's also accent-insensitive, or by phone or e-mail).
/// An ambiguous name is an error that lists the candidates.
enum Resolver {
    static func resource(_ text: String, in state: BookingState) throws -> Resource {
        let t = text.trimming(.whitespaces)
        if let r = state.resources[ResourceID(t)] { return r }
        let lower = t.lowercased()
        if let r = state.resources.values.first(where: { $0.ref.lowercased() == lower }) { return r }
        let named = state.resources.values.filter { $0.name.lowercased() == lower }.sorted { $0.ref < $1.ref }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw CoreError.ambiguous(kind: "resource", text: t, candidates: named.map { "\($0.ref) \($0.name)" })
        }
        throw CoreError.notFound(kind: "resource", id: t)
    }

    static func resources(_ list: String, in state: BookingState) throws -> [Resource] {
        try list.split(separator: ",").map { try resource(String($0), in: state) }
    }

    /// The customer `text` names (id, reference, name ignoring case and accents, phone or
    /// e-mail), through the storage's customer index: nothing is scanned.
    static func customer(_ text: String, in storage: any BookingStorage) throws -> Customer {
        try storage.resolveCustomer(text)
    }

    /// ``customer(_:in:)``, saying on standard error when `text` named a customer since merged
    /// into the one returned.
    static func customerNoting(_ text: String, in storage: any BookingStorage) throws -> Customer {
        let found = try storage.resolveCustomerAlias(text)
        if let alias = found.alias { Console.err("note: \(alias.ref) was merged into \(found.customer.ref); showing \(found.customer.ref).") }
        return found.customer
    }

    /// The customer `text` names itself, an alias included (what `merge` and `erase` act on:
    /// naming an alias there is refused with the customer it was merged into).
    static func customerExact(_ text: String, in storage: any BookingStorage) throws -> Customer {
        let found = try storage.resolveCustomerAlias(text)
        return found.alias ?? found.customer
    }
}
