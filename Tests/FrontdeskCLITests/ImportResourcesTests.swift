import Testing
import FrontdeskCore
@testable import FrontdeskCLI

/// An import resolves each row's resource through maps built once per chunk; it must find what
/// `Resolver.resource` finds, and refuse what it refuses with the same error.
@Suite struct ImportResourcesTests {
    /// A state of `count` resources with names drawn from a few (so some repeat, in other cases).
    func state(_ count: Int, names: [String], rng: inout some RandomNumberGenerator) -> BookingState {
        var state = BookingState()
        let actor = Author(user: "t", origin: "local", source: .cli)
        var mutations: [Mutation] = []
        for i in 0..<count {
            let name = names.randomElement(using: &rng)!
            let cased = Bool.random(using: &rng) ? name.uppercased() : name
            mutations.append(.resource(Resource(id: ResourceID("res_\(i)"), ref: "R-\(String(format3: i))", name: cased, kind: .room, zone: .utc)))
        }
        state.apply(Transaction(at: Instant(seconds: 0), actor: actor, mutations: mutations))
        return state
    }

    func outcome(_ body: () throws -> Resource) -> String {
        do { return "found \(try body().id.rawValue)" } catch { return "error \(error)" }
    }

    @Test func findsAndRefusesExactlyAsTheResolver() {
        var rng = SystemRandomNumberGenerator()
        let names = ["Room 1", "room 2", "Chair", "Zoë's chair", "Desk A"]
        for _ in 0..<30 {
            let s = state(Int.random(in: 0...12, using: &rng), names: names, rng: &rng)
            var memo = ImportResources()
            var texts = names + names.map { $0.uppercased() } + [" Room 1 ", "nowhere", "", "res_0", "res_3", "r-001", "R-002 ", "R-999"]
            texts.shuffle(using: &rng)
            for t in texts + texts {
                #expect(outcome { try memo.resource(t, in: s) } == outcome { try Resolver.resource(t, in: s) }, "\"\(t)\"")
            }
        }
    }
}

private extension String {
    /// `i` as at least three digits.
    init(format3 i: Int) { self = i < 10 ? "00\(i)" : i < 100 ? "0\(i)" : "\(i)" }
}
