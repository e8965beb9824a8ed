import FrontdeskCore

extension Store {
    /// Checks the service catalog as the engine would keep it: names unique among services
    /// not archived (ignoring case), each requirement given once, and at least one resource
    /// somewhere that could fill each requirement (a warning when none: the service cannot be
    /// booked, but nothing is damaged).
    ///
    /// - Complexity: O(s·(q + m)) for s services, q requirements each and m resources.
    func checkServices(fail: (String) -> Void, warn: (String) -> Void, note: (String) -> Void) {
        let services = state.services.values.sorted { $0.id < $1.id }
        guard !services.isEmpty else { return }
        var names: [String: ServiceID] = [:]
        for s in services where !s.archived {
            if let other = names[s.name.lowercased()] {
                fail("\(ServiceSchema.file): services \(other) and \(s.id) are both named \"\(s.name)\"")
            }
            names[s.name.lowercased()] = s.id
            if Set(s.requirements.map(\.match)).count != s.requirements.count {
                fail("\(ServiceSchema.file): service \(s.id) \"\(s.name)\" gives a requirement twice")
            }
            for r in s.requirements where !state.resources.values.contains(where: { !$0.archived && r.matches($0) }) {
                warn("service \"\(s.name)\": no resource can fill \(r) (add a tag with `resource edit --tag`)")
            }
        }
        note("ok   \(services.count) services checked")
    }
}
