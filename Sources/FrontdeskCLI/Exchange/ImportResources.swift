import FrontdeskCore

/// The resources a chunk of import rows names, found as `Resolver.resource` finds them (by id,
/// then reference, then name, ignoring case), with the same outcome and the same error, but
/// through maps built once from the chunk's state.
///
/// A chunk names the same resources on many rows, and `Resolver.resource` compares the text
/// with every resource's reference and name: once per row, or even once per distinct text,
/// that is quadratic in the resources a chunk touches.
///
/// - Complexity: O(resources) once per chunk to build the maps; O(1) expected per row.
struct ImportResources {
    /// Lowercased reference → resource (references are unique).
    private var byRef: [String: ResourceID] = [:]
    /// Lowercased name → resources of that name, in reference order.
    private var byName: [String: [ResourceID]] = [:]
    private var built = false

    /// The resource `text` names in `state`, which must be the same state on every call. The
    /// memo holds ids, not the state: a copy of the state kept past the chunk's parse would make
    /// the batch write copy every table.
    ///
    /// - Throws: `CoreError.ambiguous` when several resources have that name (candidates in
    ///   reference order), `CoreError.notFound` when none answers to it.
    mutating func resource(_ text: String, in state: BookingState) throws -> Resource {
        let t = text.trimming(.whitespaces)
        if let r = state.resources[ResourceID(t)] { return r }
        if !built { build(state) }
        let lower = t.lowercased()
        if let id = byRef[lower], let r = state.resources[id] { return r }
        let named = (byName[lower] ?? []).compactMap { state.resources[$0] }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw CoreError.ambiguous(kind: "resource", text: t, candidates: named.map { "\($0.ref) \($0.name)" })
        }
        throw CoreError.notFound(kind: "resource", id: t)
    }

    private mutating func build(_ state: BookingState) {
        for r in state.resources.values.sorted(by: { $0.ref < $1.ref }) {
            byRef[r.ref.lowercased()] = byRef[r.ref.lowercased()] ?? r.id
            byName[r.name.lowercased(), default: []].append(r.id)
        }
        built = true
    }
}
