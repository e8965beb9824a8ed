/// A set of keyed half-open time ranges that answers "which entries overlap this range"
/// without scanning every entry.
///
/// The tree is a treap (a binary search tree whose nodes also form a max-heap on random
/// priorities) ordered by `(start, key)`. Priorities come from a SplitMix64 generator with a
/// fixed seed, so the shape — and therefore every timing — is reproducible run to run. Nodes
/// live in flat arrays addressed by `Int32` index with a free list; there is no per-node object.
/// An entry is addressed by the handle `insert` returns (its node's index, stable until the
/// entry is removed); the tree keeps no `key → handle` map of its own, because its owner
/// (`ConflictIndex`) already keeps one per booking and a second probe of a large table on every
/// insertion would cost more than the treap walk itself.
///
/// Each node also stores the largest `end` of any non-empty range in its subtree. A query
/// `[qs, qe)` skips a whole subtree when that maximum end is `<= qs` (nothing in it finishes
/// after the query starts), and skips a node's right subtree once the node itself starts at or
/// after `qe` (everything to its right starts later still).
///
/// Semantics are half-open: `[a, b)` and `[b, c)` do not overlap, and an empty (or inverted)
/// range, stored or queried, overlaps nothing.
///
/// - Complexity: `insert`, `remove`: O(log n) expected (treap depth is O(log n) with high
///   probability). `range(at:)`, `key(at:)`: O(1).
///   Queries: O(log n + k) for k results when stored intervals overlap one another only
///   boundedly — the normal case, since blocking bookings on one resource never overlap by
///   construction. Worst case O((k + 1) log n): every node the walk enters either lies on
///   the search path for `qe` or is an ancestor of a reported entry, and with heavily
///   overlapping stored intervals those ancestor paths stop being shared.
struct IntervalTree<Key: Hashable & Comparable & Sendable>: Sendable {
    /// Hot per-node data, with no reference-counted fields, so a walk touches one array. The
    /// treap priority lives here too (36 bytes, a 40-byte stride): an insertion compares
    /// priorities at every level on its way back up, and with them in an array of their own
    /// each level would cost a second cache miss. Keys live apart.
    struct Node {
        var start: Int64
        var end: Int64
        /// Largest `end` among the non-empty ranges of this node and its descendants;
        /// `Int64.min` when there is none.
        var maxEnd: Int64
        var left: Int32
        var right: Int32
        var priority: UInt32
    }

    private static var none: Int32 { -1 }

    private var nodes: [Node] = []
    /// `keys[i]` is the key of node `i`, or nil when the slot is on the free list.
    private var keys: [Key?] = []
    private var freeList: [Int32] = []
    private var root: Int32 = -1
    private var rngState: UInt64

    /// An empty tree; `seed` fixes the priority sequence (and so the tree's shape).
    init(seed: UInt64 = 0x5EED_F0E5_D35C_0001) {
        rngState = seed
    }

    /// Number of entries. - Complexity: O(1).
    var count: Int { nodes.count - freeList.count }

    var isEmpty: Bool { count == 0 }

    /// Makes room for `n` entries in all, so a large load does not regrow the node arrays.
    mutating func reserveCapacity(_ n: Int) {
        nodes.reserveCapacity(n)
        keys.reserveCapacity(n)
    }

    /// The range stored at `handle`, which must be an entry's (from `insert`, not removed since).
    /// - Complexity: O(1).
    func range(at handle: Int32) -> TimeRange {
        let node = nodes[Int(handle)]
        return TimeRange(start: Instant(seconds: node.start), end: Instant(seconds: node.end))
    }

    /// The key stored at `handle`, or nil when the slot is free. - Complexity: O(1).
    func key(at handle: Int32) -> Key? {
        handle >= 0 && Int(handle) < keys.count ? keys[Int(handle)] : nil
    }

    // MARK: Mutation

    /// Stores `range` under `key` as a new entry and returns its handle. Keys need not be
    /// unique here: replacing an entry is the owner's `remove` of the old handle.
    /// - Complexity: O(log n) expected.
    @discardableResult
    mutating func insert(_ key: Key, _ range: TimeRange) -> Int32 {
        let n = allocate(key, range)
        link(n)
        return n
    }

    /// Takes a slot for a new entry without linking it into the tree yet, so the owner can
    /// record the handle (and remove an old entry for the same key) before `link(_:)`.
    /// - Complexity: O(1) amortized.
    mutating func allocate(_ key: Key, _ range: TimeRange) -> Int32 {
        let node = Node(start: range.start.seconds, end: range.end.seconds,
                        maxEnd: Self.effectiveEnd(range.start.seconds, range.end.seconds),
                        left: Self.none, right: Self.none, priority: nextPriority())
        if let slot = freeList.popLast() {
            nodes[Int(slot)] = node
            keys[Int(slot)] = key
            return slot
        }
        precondition(nodes.count < Int(Int32.max), "IntervalTree: too many nodes")
        nodes.append(node)
        keys.append(key)
        return Int32(nodes.count - 1)
    }

    /// Links a slot from `allocate(_:_:)` into the tree. - Complexity: O(log n) expected.
    mutating func link(_ handle: Int32) {
        root = insertNode(root, handle)
    }

    /// Removes the entry at `handle` (which must be an entry's) and returns its range.
    /// - Complexity: O(log n) expected.
    @discardableResult
    mutating func remove(at handle: Int32) -> TimeRange {
        precondition(key(at: handle) != nil, "IntervalTree: remove of a free slot")
        let node = nodes[Int(handle)]
        root = removeNode(root, handle)
        freeSlot(handle)
        return TimeRange(start: Instant(seconds: node.start), end: Instant(seconds: node.end))
    }

    // MARK: Queries

    /// Calls `body` for every entry whose range overlaps `q`, in `(start, key)` order.
    /// - Complexity: see the type's documentation.
    func forEachOverlapping(_ q: TimeRange, _ body: (Key, TimeRange) -> Void) {
        // The closures capture buffers, not `self`: capturing `self` copies the whole struct
        // (a retain and release per array) on every query.
        nodes.withUnsafeBufferPointer { nodeBuf in
            keys.withUnsafeBufferPointer { keyBuf in
                _ = visitOverlapping(q) { n in
                    let node = nodeBuf[Int(n)]
                    body(keyBuf[Int(n)]!, TimeRange(start: Instant(seconds: node.start), end: Instant(seconds: node.end)))
                    return true
                }
            }
        }
    }

    /// Keys of the entries whose range overlaps `q`, in `(start, key)` order.
    func overlapping(_ q: TimeRange) -> [Key] {
        var result: [Key] = []
        keys.withUnsafeBufferPointer { keyBuf in
            _ = visitOverlapping(q) { n in
                result.append(keyBuf[Int(n)]!)
                return true
            }
        }
        return result
    }

    /// True when some entry overlapping `q` satisfies `predicate`; stops at the first one.
    func anyOverlap(_ q: TimeRange, where predicate: (Key) -> Bool = { _ in true }) -> Bool {
        keys.withUnsafeBufferPointer { keyBuf in
            !visitOverlapping(q) { n in !predicate(keyBuf[Int(n)]!) }
        }
    }

    /// Visits overlapping nodes in order; `visit` returns false to stop. Returns false when
    /// stopped early, true when the walk completed.
    private func visitOverlapping(_ q: TimeRange, _ visit: (Int32) -> Bool) -> Bool {
        let qs = q.start.seconds, qe = q.end.seconds
        guard qs < qe, root != Self.none else { return true }
        return nodes.withUnsafeBufferPointer { buf in
            func walk(_ t: Int32) -> Bool {
                var t = t
                // Loop on the right child instead of recursing (tail position).
                while t != Self.none {
                    let node = buf[Int(t)]
                    // Nothing in this subtree ends after the query starts.
                    if node.maxEnd <= qs { return true }
                    if node.left != Self.none, !walk(node.left) { return false }
                    // This node and everything to its right start at or after the query ends.
                    if node.start >= qe { return true }
                    if node.end > qs, node.start < node.end, !visit(t) { return false }
                    t = node.right
                }
                return true
            }
            return walk(root)
        }
    }

    // MARK: Treap internals

    private mutating func nextPriority() -> UInt32 {
        // SplitMix64.
        rngState &+= 0x9E37_79B9_7F4A_7C15
        var z = rngState
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: (z ^ (z >> 31)) >> 32)
    }

    private mutating func freeSlot(_ n: Int32) {
        keys[Int(n)] = nil
        nodes[Int(n)].left = Self.none
        nodes[Int(n)].right = Self.none
        freeList.append(n)
    }

    /// Orders nodes by `(start, key)`.
    private func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let sa = nodes[Int(a)].start, sb = nodes[Int(b)].start
        if sa != sb { return sa < sb }
        return keys[Int(a)]! < keys[Int(b)]!
    }

    /// A range's contribution to `maxEnd`: empty ranges overlap nothing, so contribute nothing.
    private static func effectiveEnd(_ start: Int64, _ end: Int64) -> Int64 { start < end ? end : .min }

    private mutating func update(_ t: Int32) {
        var m = Self.effectiveEnd(nodes[Int(t)].start, nodes[Int(t)].end)
        let l = nodes[Int(t)].left, r = nodes[Int(t)].right
        if l != Self.none { m = max(m, nodes[Int(l)].maxEnd) }
        if r != Self.none { m = max(m, nodes[Int(r)].maxEnd) }
        nodes[Int(t)].maxEnd = m
    }

    private mutating func rotateRight(_ t: Int32) -> Int32 {
        let l = nodes[Int(t)].left
        nodes[Int(t)].left = nodes[Int(l)].right
        nodes[Int(l)].right = t
        update(t)
        update(l)
        return l
    }

    private mutating func rotateLeft(_ t: Int32) -> Int32 {
        let r = nodes[Int(t)].right
        nodes[Int(t)].right = nodes[Int(r)].left
        nodes[Int(r)].left = t
        update(t)
        update(r)
        return r
    }

    /// Inserts detached node `n` into the subtree rooted at `t`; returns the new subtree root.
    private mutating func insertNode(_ t: Int32, _ n: Int32) -> Int32 {
        if t == Self.none { return n }
        var t = t
        if precedes(n, t) {
            nodes[Int(t)].left = insertNode(nodes[Int(t)].left, n)
            if nodes[Int(nodes[Int(t)].left)].priority > nodes[Int(t)].priority { t = rotateRight(t) } else { gained(t, n) }
        } else {
            nodes[Int(t)].right = insertNode(nodes[Int(t)].right, n)
            if nodes[Int(nodes[Int(t)].right)].priority > nodes[Int(t)].priority { t = rotateLeft(t) } else { gained(t, n) }
        }
        return t
    }

    /// `t` stayed where it was and its subtree gained node `n` (rotations below it only moved
    /// nodes within it), so its `maxEnd` can only rise to `n`'s end. Unlike `update`, this does
    /// not read the child off the insertion path: one cache miss fewer at every level.
    private mutating func gained(_ t: Int32, _ n: Int32) {
        let node = nodes[Int(n)]
        nodes[Int(t)].maxEnd = max(nodes[Int(t)].maxEnd, Self.effectiveEnd(node.start, node.end))
    }

    /// Unlinks node `n` from the subtree rooted at `t`; returns the new subtree root.
    private mutating func removeNode(_ t: Int32, _ n: Int32) -> Int32 {
        precondition(t != Self.none, "IntervalTree: indexed node not found in tree")
        if t == n { return merge(nodes[Int(t)].left, nodes[Int(t)].right) }
        if precedes(n, t) {
            nodes[Int(t)].left = removeNode(nodes[Int(t)].left, n)
        } else {
            nodes[Int(t)].right = removeNode(nodes[Int(t)].right, n)
        }
        update(t)
        return t
    }

    /// Joins two treaps where every node of `a` precedes every node of `b`.
    private mutating func merge(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Self.none { return b }
        if b == Self.none { return a }
        if nodes[Int(a)].priority >= nodes[Int(b)].priority {
            nodes[Int(a)].right = merge(nodes[Int(a)].right, b)
            update(a)
            return a
        } else {
            nodes[Int(b)].left = merge(a, nodes[Int(b)].left)
            update(b)
            return b
        }
    }

    // MARK: Checking

    /// Height of the tree (0 when empty), for balance tests.
    var height: Int {
        func h(_ t: Int32) -> Int {
            t == Self.none ? 0 : 1 + max(h(nodes[Int(t)].left), h(nodes[Int(t)].right))
        }
        return h(root)
    }

    /// Describes the first broken structural invariant, or returns nil when all hold: nodes
    /// reachable from the root are exactly the slots not on the free list, in strictly increasing
    /// `(start, key)` order, with heap-ordered priorities and correct `maxEnd` values; freed
    /// slots are exactly the unreachable ones. - Complexity: O(n).
    func validate() -> String? {
        var seen = Set<Int32>()
        var previous: Int32? = nil
        var problem: String? = nil

        /// Returns the subtree's true maximum effective end, or nil when the subtree is empty.
        func check(_ t: Int32, depth: Int) -> Int64? {
            if problem != nil || t == Self.none { return nil }
            guard t >= 0, Int(t) < nodes.count else { problem = "node index \(t) out of bounds"; return nil }
            guard seen.insert(t).inserted, depth <= nodes.count else { problem = "node \(t) reached twice (cycle or shared child)"; return nil }
            let node = nodes[Int(t)]
            guard let key = keys[Int(t)] else { problem = "reachable node \(t) has no key (freed slot)"; return nil }
            for child in [node.left, node.right] where child != Self.none {
                if child >= 0, Int(child) < nodes.count, nodes[Int(child)].priority > node.priority {
                    problem = "heap order: child \(child) has higher priority than parent \(t)"; return nil
                }
            }
            let leftMax = check(node.left, depth: depth + 1)
            if problem != nil { return nil }
            if let p = previous, !precedes(p, t) {
                problem = "BST order: node \(p) (start \(nodes[Int(p)].start)) does not precede node \(t) (start \(node.start), key \(key))"
                return nil
            }
            previous = t
            let rightMax = check(node.right, depth: depth + 1)
            if problem != nil { return nil }
            let trueMax = max(Self.effectiveEnd(node.start, node.end), leftMax ?? .min, rightMax ?? .min)
            if node.maxEnd != trueMax {
                problem = "maxEnd of node \(t) is \(node.maxEnd), subtree maximum end is \(trueMax)"
                return nil
            }
            return trueMax
        }

        _ = check(root, depth: 0)
        if let problem { return problem }
        if seen.count + freeList.count != nodes.count {
            return "\(seen.count) reachable + \(freeList.count) free != \(nodes.count) slots"
        }
        for f in freeList {
            if seen.contains(f) { return "free slot \(f) is reachable" }
            if keys[Int(f)] != nil { return "free slot \(f) still holds a key" }
        }
        if Set(freeList).count != freeList.count { return "free list has duplicates" }
        return nil
    }

    enum Corruption { case maxEnd, order, priority }

    /// Deliberately breaks one invariant so tests can show `validate()` notices. Never call
    /// this outside tests.
    mutating func _corruptForTesting(_ corruption: Corruption) {
        precondition(root != Self.none, "nothing to corrupt")
        let t = Int(root)
        switch corruption {
        case .maxEnd:
            nodes[t].maxEnd &+= 1
        case .order:
            // Out of place relative to its in-order neighbour on whichever side exists.
            nodes[t].start = nodes[t].left != Self.none ? Int64.min / 2 : Int64.max / 2
        case .priority:
            nodes[t].priority = 0
        }
    }
}
