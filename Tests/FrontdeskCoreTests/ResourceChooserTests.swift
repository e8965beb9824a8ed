import Testing
@testable import FrontdeskCore

/// The resource chooser against brute force: every combination tried in rank order, the first
/// valid one kept. Random resources, tags, requirements, busy sets, fixed and preferred lists.
@Suite struct ResourceChooserTests {
    static let zone = Zone("UTC")!
    static let tagPool = ["stylist", "chair", "colour", "sink"]

    static func resource(_ i: Int, tags: [String], kind: ResourceKind = .staff, archived: Bool = false) -> Resource {
        Resource(id: ResourceID("res_\(i)"), ref: ShortReference.make(prefix: "R", number: i + 1), name: "R\(i)", kind: kind,
                 zone: zone, archived: archived, tags: tags.sorted())
    }

    /// Brute force: for each requirement in order, every set of `count` candidates in rank
    /// order; the first assignment (lexicographically by ranks) that is valid.
    static func bruteForce(_ reqs: [ServiceRequirement], _ resources: [Resource], fixed: [ResourceID], preferred: [ResourceID],
                           free: Set<ResourceID>) -> [[ResourceID]]? {
        let live = resources.filter { !$0.archived }
        for f in fixed {
            guard let r = live.first(where: { $0.id == f }), reqs.contains(where: { $0.matches(r) }), free.contains(f) else { return nil }
        }
        func rank(_ r: Resource) -> (Int, Int, Int) {
            let i = live.firstIndex { $0.id == r.id }!
            if let f = fixed.firstIndex(of: r.id) { return (0, f, i) }
            if let p = preferred.firstIndex(of: r.id) { return (1, p, i) }
            return (2, 0, i)
        }
        let lists = reqs.map { req in live.filter { req.matches($0) && free.contains($0.id) }.sorted { rank($0) < rank($1) }.map(\.id) }
        func combos(_ list: [ResourceID], _ k: Int, from: Int = 0) -> [[ResourceID]] {
            if k == 0 { return [[]] }
            guard from < list.count else { return [] }
            var out: [[ResourceID]] = []
            for i in from..<list.count { for rest in combos(list, k - 1, from: i + 1) { out.append([list[i]] + rest) } }
            return out
        }
        func search(_ i: Int, _ used: Set<ResourceID>) -> [[ResourceID]]? {
            if i == reqs.count { return Set(fixed).isSubset(of: used) ? [] : nil }
            for c in combos(lists[i], reqs[i].count) where used.isDisjoint(with: c) {
                if let rest = search(i + 1, used.union(c)) { return [c] + rest }
            }
            return nil
        }
        return search(0, [])
    }

    @Test("chooser = brute force", arguments: Array(1...8) as [UInt64])
    func matchesBruteForce(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for round in 0..<150 {
            let n = Int.random(in: 1...8, using: &rng)
            let resources = (0..<n).map { i in
                Self.resource(i, tags: Self.tagPool.filter { _ in Bool.random(using: &rng) },
                              kind: Bool.random(using: &rng) ? .staff : .room, archived: Int.random(in: 0..<8, using: &rng) == 0)
            }
            var reqs: [ServiceRequirement] = []
            var matches = Set<ServiceRequirement.Match>()
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let m: ServiceRequirement.Match = Int.random(in: 0..<5, using: &rng) == 0 ? .kind(.room) : .tag(Self.tagPool.randomElement(using: &rng)!)
                guard matches.insert(m).inserted else { continue }
                reqs.append(ServiceRequirement(m, count: Int.random(in: 1...2, using: &rng)))
            }
            let free = Set(resources.filter { _ in Int.random(in: 0..<4, using: &rng) > 0 }.map(\.id))
            let fixed = Array(Set(resources.filter { _ in Int.random(in: 0..<6, using: &rng) == 0 }.map(\.id))).sorted()
            let preferred = resources.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }.map(\.id).shuffled(using: &rng)
            var asked: [ResourceID] = []
            let got = ResourceChooser.choose(reqs, among: resources, fixed: fixed, preferred: preferred) { asked.append($0); return free.contains($0) }
            let want = Self.bruteForce(reqs, resources, fixed: fixed, preferred: preferred, free: free)
            switch got {
            case .success(let chosen):
                #expect(chosen == want, "seed \(seed) round \(round): \(reqs) fixed \(fixed)")
                // What was chosen is valid: matching, free, distinct, every fixed one used.
                let flat = chosen.flatMap { $0 }
                #expect(Set(flat).count == flat.count && Set(fixed).isSubset(of: Set(flat)))
                for (req, ids) in zip(reqs, chosen) {
                    #expect(ids.count == req.count)
                    for id in ids { #expect(free.contains(id) && req.matches(resources.first { $0.id == id }!)) }
                }
            case .failure(let why):
                #expect(want == nil, "seed \(seed) round \(round): chooser said \(why), brute force found \(String(describing: want))")
            }
            #expect(Set(asked).count == asked.count, "each resource is asked about once")
        }
    }

    @Test func failuresNameWhatIsMissing() {
        let rs = [Self.resource(0, tags: ["stylist"]), Self.resource(1, tags: ["chair"]), Self.resource(2, tags: ["stylist", "chair"])]
        let reqs = [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"), count: 2)]
        #expect(ResourceChooser.choose(reqs, among: rs) { _ in true } == .success([[rs[0].id], [rs[1].id, rs[2].id]]))
        // Resource 2 must serve as a chair, so the stylist is resource 0 even when 2 comes first.
        #expect(ResourceChooser.choose(reqs, among: rs, preferred: [rs[2].id]) { _ in true } == .success([[rs[0].id], [rs[2].id, rs[1].id]]))
        #expect(ResourceChooser.choose(reqs, among: rs) { $0 != rs[1].id } == .failure(.notEnough(requirement: 1)))
        #expect(ResourceChooser.choose(reqs, among: rs) { $0 != rs[0].id && $0 != rs[2].id } == .failure(.notEnough(requirement: 0)))
        let one = [ServiceRequirement(.tag("stylist"))]
        #expect(ResourceChooser.choose(one, among: rs, fixed: [rs[1].id]) { _ in true } == .failure(.fixedMatchesNothing(rs[1].id)))
        #expect(ResourceChooser.choose(one, among: rs, fixed: [rs[2].id]) { $0 != rs[2].id } == .failure(.fixedNotFree(rs[2].id)))
        #expect(ResourceChooser.choose(one, among: rs, fixed: [rs[0].id, rs[2].id]) { _ in true } == .failure(.fixedDoNotFit))
        #expect(ResourceChooser.choose(one, among: rs, preferred: [rs[2].id]) { _ in true } == .success([[rs[2].id]]))
        #expect(ResourceChooser.choose(one, among: rs, preferred: [rs[2].id]) { $0 != rs[2].id } == .success([[rs[0].id]]))
    }
}
