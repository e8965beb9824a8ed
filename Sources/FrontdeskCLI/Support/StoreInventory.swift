import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore

/// The objects of a store by kind and id, as canonical documents (the journal's mutation
/// objects, ``MutationDocument``), with each kind's count and checksum: what `frontdesk
/// migrate` compares on both sides.
///
/// A kind's checksum is the SHA-256 of its documents in the order of their ids, each followed
/// by a newline, computed the same way whichever store the objects were read from.
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

    /// The kinds, in the order they are printed.
    static let kinds = ["setting", "schedule", "resource", "service", "customer", "staff", "counters", "waitlist", "booking",
                        "idempotency_key"]

    /// Each object's document.
    let documents: [Key: String]
    /// The objects as read, in their order.
    let objects: [Mutation]
    /// Count and checksum of every kind in ``kinds`` (zero and the empty input's digest when
    /// there is none).
    let figures: [String: Figures]

    /// The inventory of `objects`: idempotency keys older than `liveSince` are left out (the
    /// engine no longer honours them; a file store forgets them).
    ///
    /// - Throws: `StoreError` when an object cannot be written as a document.
    init(_ objects: [Mutation], liveSince: Instant) throws {
        var docs: [Key: String] = [:]
        var kept: [Mutation] = []
        for m in objects {
            if case .idempotencyKey(let r) = m, r.createdAt < liveSince { continue }
            guard let key = Self.key(of: m) else { continue }
            docs[key] = try MutationDocument.text(m)
            kept.append(m)
        }
        var figures: [String: Figures] = [:]
        let byKind = Dictionary(grouping: docs.keys, by: \.kind)
        for kind in Self.kinds {
            var hash = SHA256()
            let keys = (byKind[kind] ?? []).sorted()
            for k in keys {
                hash.update(docs[k]!.utf8)
                hash.update(CollectionOfOne(UInt8(ascii: "\n")))
            }
            figures[kind] = Figures(count: keys.count, sha256: HMACSHA256.hex(hash.finish()))
        }
        self.documents = docs
        self.objects = kept
        self.figures = figures
    }

    /// How many objects there are.
    var count: Int { documents.count }

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

    /// The objects of this inventory that `target` lacks, after checking that everything
    /// `target` holds is one of them, unchanged: `target` is empty, or an interrupted
    /// migration of the same objects.
    ///
    /// - Throws: ``CLIError/invalidInput(field:message:)`` naming the first object that differs
    ///   or that this inventory does not hold.
    func missing(from target: StoreInventory, location: String) throws -> [Mutation] {
        let keys = target.documents.keys.sorted()
        // An object the source lacks says most plainly that the target is someone else's.
        if let alien = keys.first(where: { documents[$0] == nil }) {
            throw CLIError.invalidInput(field: "to", message: "\(location) holds data that is not in the source (\(alien.text)); nothing was changed. migrate writes into an empty store, or completes an interrupted migration of the same source")
        }
        if let changed = keys.first(where: { documents[$0] != target.documents[$0] }) {
            throw CLIError.invalidInput(field: "to", message: "\(location) holds different data (\(changed.text) differs from the source); nothing was changed. migrate writes into an empty store, or completes an interrupted migration of the same source")
        }
        return objects.filter { Self.key(of: $0).map { target.documents[$0] == nil } ?? false }
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
