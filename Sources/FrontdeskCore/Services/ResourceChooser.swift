/// Chooses the resources a service booking holds: for each requirement, in order, `count`
/// different free resources that match it, no resource used twice.
///
/// "First" is by rank: within a requirement the caller's fixed resources come first, then the
/// preferred ones (the customer's last stylist), then the rest in the order given (the caller
/// sorts by reference). The answer is the combination whose ranks, read requirement by
/// requirement and within one in increasing order, come first — what trying every combination
/// in that order would find — but found without trying them: each choice is kept only if the
/// rest can still be completed, which a bipartite matching decides.
public enum ResourceChooser {
    /// Why no combination fits.
    public enum Failure: Error, Hashable, Sendable {
        /// A resource the caller fixed matches no requirement (or is archived or unknown).
        case fixedMatchesNothing(ResourceID)
        /// A resource the caller fixed is not free for the service's time.
        case fixedNotFree(ResourceID)
        /// Requirement `requirement` (an index) cannot be met together with those before it.
        case notEnough(requirement: Int)
        /// Every requirement can be met, but not while also using every fixed resource.
        case fixedDoNotFit
    }

    /// The resources chosen for each requirement (`count` of them each, in rank order), or why
    /// none fit. `isFree` answers whether a resource is free for the whole service (its
    /// buffered time, hours and policies): it is asked once for each resource that matches a
    /// requirement or is fixed, and binds the start itself.
    ///
    /// - Complexity: O(m·q + S·n·S·E) for m resources, q requirements, S resources needed in
    ///   all, n candidates of a requirement and E ≤ S·n candidate pairs: every choice runs one
    ///   matching of the remaining needs.
    public static func choose(_ requirements: [ServiceRequirement], among resources: [Resource], fixed: [ResourceID] = [],
                              preferred: [ResourceID] = [], isFree: (ResourceID) -> Bool) -> Result<[[ResourceID]], Failure> {
        let live = resources.filter { !$0.archived }
        let index = Dictionary(live.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var free: [Int: Bool] = [:]
        func isFreeIndex(_ i: Int) -> Bool {
            if let f = free[i] { return f }
            let f = isFree(live[i].id)
            free[i] = f
            return f
        }
        var fixedSet = Set<Int>()
        for id in fixed {
            guard let i = index[id], requirements.contains(where: { $0.matches(live[i]) }) else { return .failure(.fixedMatchesNothing(id)) }
            guard isFreeIndex(i) else { return .failure(.fixedNotFree(id)) }
            fixedSet.insert(i)
        }
        let preferredOrder = Dictionary(preferred.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let fixedOrder = Dictionary(fixed.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Ranked candidates of each requirement: fixed, preferred, the rest in the order given.
        let lists: [[Int]] = requirements.map { req in
            live.indices.filter { req.matches(live[$0]) && isFreeIndex($0) }.sorted { a, b in
                func key(_ i: Int) -> (Int, Int, Int) {
                    if let f = fixedOrder[live[i].id] { return (0, f, i) }
                    if let p = preferredOrder[live[i].id] { return (1, p, i) }
                    return (2, 0, i)
                }
                return key(a) < key(b)
            }
        }
        var search = Search(lists: lists, counts: requirements.map(\.count), fixed: fixedSet)
        guard search.feasible() else {
            // The first requirement that cannot be met with those before it, fixed ones aside.
            for i in requirements.indices {
                var prefix = Search(lists: Array(lists[...i]), counts: requirements[...i].map(\.count), fixed: [])
                if !prefix.feasible() { return .failure(.notEnough(requirement: i)) }
            }
            return .failure(.fixedDoNotFit)
        }
        var chosen: [[ResourceID]] = []
        for i in requirements.indices {
            var mine: [ResourceID] = []
            for _ in 0..<requirements[i].count {
                let r = search.chooseNext(in: i)
                mine.append(live[r].id)
            }
            chosen.append(mine)
        }
        return .success(chosen)
    }

    /// The greedy search with its feasibility test. Indices are positions in the live
    /// resources; `lists` are the ranked candidates of each requirement.
    struct Search {
        let lists: [[Int]]
        let counts: [Int]
        let fixed: Set<Int>
        var used = Set<Int>()
        /// The requirement being filled and the rank position of its last choice.
        var current = 0
        var lastPosition = -1
        var chosenInCurrent = 0

        /// Takes the first candidate of requirement `i` (ranked after this requirement's
        /// earlier choices) that leaves the rest completable. Called only while feasible, so
        /// one exists.
        mutating func chooseNext(in i: Int) -> Int {
            if i != current { current = i; lastPosition = -1; chosenInCurrent = 0 }
            let list = lists[i]
            for pos in (lastPosition + 1)..<list.count where !used.contains(list[pos]) {
                used.insert(list[pos])
                let (savedLast, savedCount) = (lastPosition, chosenInCurrent)
                lastPosition = pos
                chosenInCurrent += 1
                if feasible() { return list[pos] }
                used.remove(list[pos])
                (lastPosition, chosenInCurrent) = (savedLast, savedCount)
            }
            preconditionFailure("ResourceChooser: a feasible state has no feasible next choice")
        }

        /// Whether the remaining needs can all be met by unused resources while every unused
        /// fixed one is used too: a matching that saturates the remaining slots, and one that
        /// saturates the unused fixed resources (Mendelsohn–Dulmage: then one does both).
        mutating func feasible() -> Bool {
            var slots: [[Int]] = []
            for i in current..<lists.count {
                let remaining = i == current ? counts[i] - chosenInCurrent : counts[i]
                let from = i == current ? lastPosition + 1 : 0
                let allowed = lists[i].count > from ? lists[i][from...].filter { !used.contains($0) } : []
                if allowed.count < remaining { return false }
                for _ in 0..<max(0, remaining) { slots.append(allowed) }
            }
            if Self.matching(slots) < slots.count { return false }
            let open = fixed.subtracting(used).sorted()
            guard !open.isEmpty else { return true }
            // From the fixed side: each fixed resource to a slot that allows it.
            let bySlot = open.map { f in slots.indices.filter { slots[$0].contains(f) } }
            return Self.matching(bySlot) == open.count
        }

        /// The size of a maximum matching of left vertices to right vertices (Kuhn's
        /// augmenting paths). - Complexity: O(L·E).
        static func matching(_ left: [[Int]]) -> Int {
            var owner: [Int: Int] = [:]
            func augment(_ l: Int, _ seen: inout Set<Int>) -> Bool {
                for r in left[l] where !seen.contains(r) {
                    seen.insert(r)
                    if let o = owner[r] {
                        if augment(o, &seen) { owner[r] = l; return true }
                    } else {
                        owner[r] = l
                        return true
                    }
                }
                return false
            }
            var size = 0
            for l in left.indices {
                var seen = Set<Int>()
                if augment(l, &seen) { size += 1 }
            }
            return size
        }
    }
}
