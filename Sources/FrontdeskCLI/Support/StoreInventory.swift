import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore

/// The objects of a store by kind and id, each as the SHA-256 of its canonical document (the
/// journal's mutation object, ``MutationDocument``), with each kind's count and checksum: what
/// `frontdesk migrate` compares on both sides.
///
/// Built from batches (``add(contentsOf:)``) in any order, then ``finish()``ed: it keeps 32
/// bytes and the id per object, not the objects, so a store of millions of objects is
/// compared in hundreds of megabytes. A kind's checksum is the SHA-256 of its documents'
/// SHA-256 digests (32 bytes each) in the order of their ids, computed the same way whichever
/// store the objects were read from.
struct StoreInventory {
    /// One object: its kind (``kinds``) and id (a booking's id, a setting's name, a grant's
    /// subject, a key's text).
    struct Key: Hashable, Comparable {
        var kind: String
        var id: String
        static func < (a: Key, b: Key) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
        /// As a message names it: `booking bk_…`, `counters`.
        var text: String { kind == id ? kind : kind + " " + id }
    }

    /// One kind's figures.
    struct Figures: Equatable {
        var count: Int
        var sha256: String
    }

    /// The SHA-256 of one document, as four words (an array would cost a heap block each).
    struct Digest: Equatable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(_ bytes: [UInt8]) {
            func word(_ i: Int) -> UInt64 { bytes[i..<i + 8].reduce(0) { $0 << 8 | UInt64($1) } }
            words = (word(0), word(8), word(16), word(24))
        }

        static func == (a: Digest, b: Digest) -> Bool { a.words == b.words }

        /// The 32 bytes, most significant first.
        var bytes: [UInt8] {
            [words.0, words.1, words.2, words.3].flatMap { w in (0..<8).reversed().map { UInt8(truncatingIfNeeded: w >> ($0 * 8)) } }
        }
    }

    /// One object of a kind.
    struct Entry {
        var id: String
        var digest: Digest
    }

    /// The kinds, in the order they are printed.
    static let kinds = ["setting", "schedule", "resource", "service", "customer", "staff", "counters", "waitlist", "booking",
                        "idempotency_key"]

    /// Idempotency keys created before this are left out (the engine no longer honours them;
    /// a file store forgets them).
    let liveSince: Instant
    /// Each kind's objects; sorted by id once finished.
    private var entries: [String: [Entry]] = [:]
    /// Count and checksum of every kind in ``kinds`` (zero and the empty input's digest when
    /// there is none), once finished.
    private(set) var figures: [String: Figures] = [:]
    private var finished = false

    /// An empty inventory; ``add(contentsOf:)`` fills it.
    init(liveSince: Instant) {
        self.liveSince = liveSince
    }

    /// How many objects there are.
    var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    /// Adds the objects of `batch` and returns those it kept: not audit entries or forgotten
    /// keys, nor idempotency keys older than ``liveSince``.
    ///
    /// - Throws: `StoreError` when an object cannot be written as a document.
    @discardableResult
    mutating func add(contentsOf batch: [Mutation]) throws -> [Mutation] {
        precondition(!finished, "an inventory is filled before it is finished")
        var kept: [Mutation] = []
        kept.reserveCapacity(batch.count)
        for m in batch {
            if case .idempotencyKey(let r) = m, r.createdAt < liveSince { continue }
            guard let key = Self.key(of: m) else { continue }
            entries[key.kind, default: []].append(Entry(id: key.id, digest: try Self.digest(of: m)))
            kept.append(m)
        }
        return kept
    }

    /// Sorts every kind by id and computes the figures; an id read twice (a store changed
    /// while it was read) counts once, its last reading.
    mutating func finish() {
        for (kind, list) in entries {
            // A stable sort keeps the readings of one id in the order they were added.
            let sorted = list.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
            var unique: [Entry] = []
            unique.reserveCapacity(sorted.count)
            for e in sorted {
                if let last = unique.last, last.id == e.id { unique[unique.count - 1] = e } else { unique.append(e) }
            }
            entries[kind] = unique
        }
        for kind in Self.kinds {
            var hash = SHA256()
            let list = entries[kind] ?? []
            for e in list { hash.update(e.digest.bytes) }
            figures[kind] = Figures(count: list.count, sha256: HMACSHA256.hex(hash.finish()))
        }
        finished = true
    }

    /// The digest of the object `key` names, nil when there is none. Needs ``finish()``.
    func digest(of key: Key) -> Digest? {
        guard let list = entries[key.kind] else { return nil }
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].id < key.id { low = mid + 1 } else { high = mid }
        }
        return low < list.count && list[low].id == key.id ? list[low].digest : nil
    }

    /// Whether `m` is an object this inventory holds and `target` lacks: what a migration
    /// into `target` still has to write.
    func isMissing(_ m: Mutation, from target: StoreInventory) -> Bool {
        guard let key = Self.key(of: m) else { return false }
        return digest(of: key) != nil && target.digest(of: key) == nil
    }

    /// The kind and id of `m`; nil for what is not an object (an audit entry, a forgotten key).
    static func key(of m: Mutation) -> Key? {
        switch m {
        case .setting(let v): Key(kind: "setting", id: v.name)
        case .schedule(let v): Key(kind: "schedule", id: v.id.rawValue)
        case .resource(let v): Key(kind: "resource", id: v.id.rawValue)
        case .service(let v): Key(kind: "service", id: v.id.rawValue)
        case .customer(let v): Key(kind: "customer", id: v.id.rawValue)
        case .staff(let v):
            switch v.subject {
            case .user(let n): Key(kind: "staff", id: "user:" + n)
            case .group(let n): Key(kind: "staff", id: "group:" + n)
            }
        case .counters: Key(kind: "counters", id: "counters")
        case .waitlist(let v): Key(kind: "waitlist", id: v.id.rawValue)
        case .booking(let v): Key(kind: "booking", id: v.id.rawValue)
        case .idempotencyKey(let v): Key(kind: "idempotency_key", id: v.key)
        case .audit, .forgetIdempotencyKey: nil
        }
    }

    /// The SHA-256 of `m`'s canonical document.
    static func digest(of m: Mutation) throws -> Digest {
        var hash = SHA256()
        hash.update(try MutationDocument.text(m).utf8)
        return Digest(hash.finish())
    }

    /// How many of this inventory's objects `target` lacks, after checking that everything
    /// `target` holds is one of them, unchanged: `target` is empty, or an interrupted
    /// migration of the same objects. Both finished.
    ///
    /// - Throws: ``CLIError/invalidInput(field:message:)`` naming the first object that differs
    ///   or that this inventory does not hold.
    func missingCount(from target: StoreInventory, location: String) throws -> Int {
        var changed: Key?
        for kind in Self.kinds {
            for e in target.entries[kind] ?? [] {
                let key = Key(kind: kind, id: e.id)
                guard let mine = digest(of: key) else {
                    // An object the source lacks says most plainly that the target is someone else's.
                    throw CLIError.invalidInput(field: "to", message: "\(location) holds data that is not in the source (\(key.text)); nothing was changed. migrate writes into an empty store, or completes an interrupted migration of the same source")
                }
                if mine != e.digest && changed == nil { changed = key }
            }
        }
        if let changed {
            throw CLIError.invalidInput(field: "to", message: "\(location) holds different data (\(changed.text) differs from the source); nothing was changed. migrate writes into an empty store, or completes an interrupted migration of the same source")
        }
        return count - target.count
    }

    /// The first kind whose count or checksum differs from `other`'s, nil when none does.
    func firstDifference(from other: StoreInventory) -> String? {
        for kind in Self.kinds where figures[kind] != other.figures[kind] {
            let a = figures[kind], b = other.figures[kind]
            return "\(kind): \(a?.count ?? 0) in the source, \(b?.count ?? 0) in the target" + (a?.count == b?.count ? " (the documents differ)" : "")
        }
        return nil
    }
}
