#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import FrontdeskCore

/// The `Encoder` that ``CompactJSONEncoder`` hands to `Encodable` types: it streams their values
/// as JSON text into one ``JSONWriter``, keeping only a stack of the containers still open.
///
/// **How streaming works.** Every value being written has an entry on ``stack`` at some level
/// (the root is level 0; a member of the container at level L is at level L + 1). An entry starts
/// as an empty slot; the value's `encode(to:)` turns it into an object or array (writing `{`/`[`)
/// or fills it with a single value. Before a container at level L writes a member, every entry
/// above L is closed (`}`/`]`), so a nested container is finished as soon as its parent moves on;
/// when a value's `encode(to:)` returns, whatever it left open is closed, and a slot it never
/// filled becomes `{}`, as with `JSONEncoder`. Asking for the keyed (or unkeyed) container of
/// the same value twice returns the same open object (`JSONEncoder` merges them too).
///
/// A container that is used after its parent moved on (one that streaming has already closed)
/// cannot be written to any more: the write throws, and the encode fails, rather than producing
/// misplaced output. `Codable` types written in the usual way (containers used while they are
/// the innermost open one, as every synthesized conformance does) never do that.
///
/// **Dictionaries.** A `Dictionary` encodes itself as `Dictionary.encode(to:)` decides (an object
/// for `String`, `Int` and `CodingKeyRepresentable` keys, an array of alternating keys and values
/// otherwise); its members are then reordered by key so equal dictionaries give identical bytes.
final class JSONValueEncoder: Encoder {
    /// One open value.
    struct Entry {
        enum Kind: UInt8 {
            /// Nothing written yet; closing it writes `{}`.
            case empty
            case object
            case array
            /// A complete value (a single value, or a container already closed in place).
            case done
        }

        var kind: Kind
        /// Reorder the members by key when closing (the value is a `Dictionary`).
        var sorted: Bool
        /// The type whose `encode(to:)` writes this value, if known: checked with
        /// ``DictionaryTypes`` only when it opens a container (most values are single values).
        var type: Any.Type?
        /// Members or elements written so far.
        var count: Int
        /// Tells apart entries that occupied the same level at different times, so a stale
        /// container is detected.
        var id: Int
        /// The key of this value in its parent (nil for the root), for coding paths.
        var key: (any CodingKey)?
    }

    /// The member offsets of an open dictionary, to reorder them when it closes.
    struct SortFrame {
        var level: Int
        /// Offset of the `{` or `[`.
        var start: Int
        /// Offset of each member's (or element's) first byte.
        var members: [Int]
    }

    // Unchecked exclusivity: touched for every value written, only by this encode's thread.
    @exclusivity(unchecked) var out: JSONWriter
    @exclusivity(unchecked) var stack: [Entry] = []
    /// The level of the value whose `encode(to:)` is running (what `container(keyedBy:)` opens).
    @exclusivity(unchecked) var base = 0
    @exclusivity(unchecked) var nextID = 0
    @exclusivity(unchecked) var sortFrames: [SortFrame] = []
    /// The first misuse found by a non-throwing call (e.g. `nestedContainer` on a closed
    /// container); the encode throws it at the end.
    var failure: EncodingError?

    var codingPath: [any CodingKey] { path(to: base) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(output: [UInt8]) {
        out = JSONWriter(bytes: output)
        stack.reserveCapacity(16)
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        keyedContainer(at: base, id: stack[base].id)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        unkeyedContainer(at: base, id: stack[base].id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self, level: base, id: stack[base].id)
    }

    // MARK: Encoding values

    /// Encodes `value` as the whole text.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite number, a misused container, or
    ///   a value that encodes nothing (as `JSONEncoder` does), and whatever `encode(to:)` throws.
    func encodeRoot<T: Encodable>(_ value: T) throws {
        _ = push(.empty, key: nil)
        if try primitive(value, path: []) {
            stack[0].kind = .done
        } else {
            try composite(value, at: 0)
            if let failure { throw failure }
            if stack[0].kind == .empty {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
            }
            finish(0)
        }
        stack.removeAll()
        if let failure { throw failure }
    }

    /// Encodes `value` as a new member of the container at `parent`, whose key (or comma) has
    /// just been written.
    @inline(__always)
    func member<T: Encodable>(_ value: T, parent: Int, key: @autoclosure () -> any CodingKey) throws {
        if try primitive(value, path: self.path(to: parent) + [key()]) { return }
        _ = push(.empty, key: key())
        try composite(value, at: parent + 1)
        finish(parent + 1)
        stack.removeLast()
    }

    /// Encodes `value` into the empty slot at `level` (a single-value container's value).
    func single<T: Encodable>(_ value: T, at level: Int) throws {
        if try primitive(value, path: self.path(to: level)) {
            stack[level].kind = .done
            return
        }
        try composite(value, at: level)
        finish(level)
    }

    /// Writes `value` directly if it is a type written as a JSON scalar (`String`, the common
    /// number types, `Bool`, and the types `JSONEncoder` special-cases: `Data` as base64, `URL`
    /// as its absolute string, `Decimal` as a number), and returns whether it did.
    @inline(__always)
    private func primitive<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        if T.self == String.self { out.string(value as! String); return true }
        if try HandWrittenCodecs.encode(value, to: &out) { return true }
        if T.self == Int.self { out.signed(Int64(value as! Int)); return true }
        if T.self == Int64.self { out.signed(value as! Int64); return true }
        if T.self == UInt64.self { out.unsigned(value as! UInt64); return true }
        if T.self == Bool.self { out.bool(value as! Bool); return true }
        if T.self == Double.self { try float(value as! Double, path: path()); return true }
        if T.self == Float.self { try float(value as! Float, path: path()); return true }
        if T.self == Data.self { out.string((value as! Data).base64EncodedString()); return true }
        if T.self == URL.self { out.string((value as! URL).absoluteString); return true }
        if T.self == Decimal.self {
            let d = value as! Decimal
            guard d.isFinite else { throw nonConforming(d, path: path()) }
            out.raw(d.description)
            return true
        }
        return false
    }

    /// Runs `value.encode(to:)` on the slot at `level`, then closes what it left open above it.
    private func composite<T: Encodable>(_ value: T, at level: Int) throws {
        stack[level].type = T.self
        let saved = base
        base = level
        defer { base = saved }
        try value.encode(to: self)
        close(above: level)
    }

    /// A finite floating-point number, or `invalidValue` as `JSONEncoder`'s default
    /// `nonConformingFloatEncodingStrategy` (`.throw`) gives.
    @inline(__always)
    func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ v: F, path: @autoclosure () -> [any CodingKey]) throws {
        guard v.isFinite else { throw nonConforming(v, path: path()) }
        out.float(v)
    }

    private func nonConforming<V>(_ v: V, path: [any CodingKey]) -> EncodingError {
        .invalidValue(v, .init(codingPath: path, debugDescription: "Unable to encode \(V.self).\(v) directly in JSON."))
    }

    // MARK: The stack

    /// Pushes a new entry (writing `{` or `[` for a container) and returns its id.
    @inline(__always)
    func push(_ kind: Entry.Kind, key: (any CodingKey)?) -> Int {
        let id = nextID
        nextID &+= 1
        stack.append(Entry(kind: kind, sorted: false, type: nil, count: 0, id: id, key: key))
        if kind == .object { out.byte(0x7B) } else if kind == .array { out.byte(0x5B) }
        return id
    }

    /// Closes and removes every entry above `level`.
    @inline(__always)
    func close(above level: Int) {
        while stack.count > level + 1 {
            finish(stack.count - 1)
            stack.removeLast()
        }
    }

    /// Writes the end of the entry at `level` (`}`, `]`, or `{}` for a slot nothing filled),
    /// sorts a dictionary's members, and marks it done.
    func finish(_ level: Int) {
        switch stack[level].kind {
        case .empty: out.pair(0x7B, 0x7D)
        case .object: out.byte(0x7D)
        case .array: out.byte(0x5D)
        case .done: return
        }
        if stack[level].sorted, stack[level].kind != .empty, let frame = sortFrames.last, frame.level == level {
            sortFrames.removeLast()
            reorder(frame, object: stack[level].kind == .object)
        }
        stack[level].kind = .done
    }

    /// Starts the object or array of the value at `level`: opens it if nothing was written yet,
    /// or returns to it if the value already opened one of that kind (merging, like JSONEncoder).
    /// False (and a recorded failure) if that value is gone or already holds something else.
    private func open(_ kind: Entry.Kind, at level: Int, id: Int) -> Bool {
        guard level < stack.count, stack[level].id == id else {
            fail("a container was requested from an encoder whose value is already complete", level: level)
            return false
        }
        close(above: level)
        switch stack[level].kind {
        case .empty:
            stack[level].kind = kind
            out.byte(kind == .object ? 0x7B : 0x5B)
            if let type = stack[level].type, DictionaryTypes.contains(type) { stack[level].sorted = true }
            if stack[level].sorted { sortFrames.append(SortFrame(level: level, start: out.bytes.count - 1, members: [])) }
            return true
        case kind:
            return true
        default:
            fail("a \(kind == .object ? "keyed" : "unkeyed") container was requested for a value that already encoded something else", level: level)
            return false
        }
    }

    func keyedContainer<Key: CodingKey>(at level: Int, id: Int) -> KeyedEncodingContainer<Key> {
        guard open(.object, at: level, id: id) else { return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, level: 0, id: -1)) }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, level: level, id: id))
    }

    func unkeyedContainer(at level: Int, id: Int) -> any UnkeyedEncodingContainer {
        guard open(.array, at: level, id: id) else { return JSONUnkeyedEncodingContainer(encoder: self, level: 0, id: -1) }
        return JSONUnkeyedEncodingContainer(encoder: self, level: level, id: id)
    }

    /// Starts a member of the object at `level`: closes what is open inside it, then writes the
    /// comma and `"key":`. False if that container is no longer the one open at its level.
    @inline(__always)
    func beginMember(_ key: String, level: Int, id: Int) -> Bool {
        guard level < stack.count, stack[level].id == id, stack[level].kind == .object else { return false }
        close(above: level)
        if stack[level].count > 0 { out.byte(0x2C) }
        stack[level].count += 1
        if stack[level].sorted { sortFrames[sortFrames.count - 1].members.append(out.bytes.count) }
        out.string(key)
        out.byte(0x3A)
        return true
    }

    /// Starts an element of the array at `level`: closes what is open inside it, writes the comma.
    @inline(__always)
    func beginElement(level: Int, id: Int) -> Bool {
        guard level < stack.count, stack[level].id == id, stack[level].kind == .array else { return false }
        close(above: level)
        if stack[level].count > 0 { out.byte(0x2C) }
        stack[level].count += 1
        if stack[level].sorted { sortFrames[sortFrames.count - 1].members.append(out.bytes.count) }
        return true
    }

    /// Prepares the single-value slot at `level` for one value. False if it is gone or full.
    @inline(__always)
    func beginSingle(level: Int, id: Int) -> Bool {
        guard level < stack.count, stack[level].id == id else { return false }
        close(above: level)
        return stack[level].kind == .empty
    }

    // MARK: Errors and paths

    /// The coding path of the value at `level`.
    func path(to level: Int) -> [any CodingKey] {
        var p: [any CodingKey] = []
        var i = 1
        while i <= level && i < stack.count {
            if let k = stack[i].key { p.append(k) }
            i += 1
        }
        return p
    }

    /// Records a misuse found where no error can be thrown; the encode throws it at the end.
    func fail(_ message: String, level: Int) {
        if failure == nil { failure = misuse(message, level: level) }
    }

    /// The error for a container used out of order: streaming already closed it.
    func misuse(_ message: String, level: Int) -> EncodingError {
        .invalidValue((), .init(codingPath: path(to: level), debugDescription: "CompactJSONEncoder: \(message)"))
    }

    /// The error a stale container's write throws (also recorded, in case the caller ignores it).
    func staleContainer(level: Int) -> EncodingError {
        let e = misuse("a container was written to after a later sibling value (streaming had already closed it)", level: level)
        if failure == nil { failure = e }
        return e
    }

    // MARK: Sorting dictionaries

    /// Reorders the members of a just-closed dictionary (object members, or key/value pairs of
    /// an array) by their keys' bytes, ties broken by the whole member, in place.
    ///
    /// - Complexity: O(n log n) comparisons of keys plus O(bytes) to move them.
    private func reorder(_ frame: SortFrame, object: Bool) {
        let m = frame.members
        let n = m.count
        let step = object ? 1 : 2
        guard n >= 2 * step, n % step == 0 else { return }
        let end = out.bytes.count        // just after the closing bracket
        out.bytes.withUnsafeMutableBufferPointer { buf in
            // Each unit: its byte range, and the range of its key.
            var units: [(start: Int, end: Int, keyStart: Int, keyEnd: Int)] = []
            units.reserveCapacity(n / step)
            var k = 0
            while k < n {
                let s = m[k]
                let e = k + step < n ? m[k + step] - 1 : end - 1
                if object {
                    var j = s + 1               // inside the key's quotes
                    while buf[j] != 0x22 { j += buf[j] == 0x5C ? 2 : 1 }
                    units.append((s, e, s + 1, j))
                } else {
                    units.append((s, e, s, m[k + 1] - 1))
                }
                k += step
            }
            let view = UnsafeBufferPointer(buf)
            func less(_ a: (start: Int, end: Int, keyStart: Int, keyEnd: Int), _ b: (start: Int, end: Int, keyStart: Int, keyEnd: Int)) -> Bool {
                let ka = UnsafeBufferPointer(rebasing: view[a.keyStart..<a.keyEnd])
                let kb = UnsafeBufferPointer(rebasing: view[b.keyStart..<b.keyEnd])
                if !ka.elementsEqual(kb) { return ka.lexicographicallyPrecedes(kb) }
                return UnsafeBufferPointer(rebasing: view[a.start..<a.end]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: view[b.start..<b.end]))
            }
            var inOrder = true
            for i in 1..<units.count where less(units[i], units[i - 1]) { inOrder = false; break }
            if inOrder { return }
            units.sort(by: less)
            var region: [UInt8] = []
            region.reserveCapacity(end - frame.start)
            region.append(buf[frame.start])
            for (i, u) in units.enumerated() {
                if i > 0 { region.append(0x2C) }
                region.append(contentsOf: UnsafeBufferPointer(rebasing: view[u.start..<u.end]))
            }
            region.append(buf[end - 1])
            for (i, b) in region.enumerated() { buf[frame.start + i] = b }
        }
    }
}

/// Recognizes `Dictionary` types, whose members ``JSONValueEncoder`` sorts by key (their
/// iteration order differs between equal values).
///
/// By type name, remembered per type. The obvious test, `type is any SomeMarkerProtocol.Type`
/// with `Dictionary` conforming, costs a scan of every conformance record in the binary the
/// first time each type is asked about, and a one-booking command asks about a dozen types;
/// a type name is far cheaper.
enum DictionaryTypes {
    private static let known = Mutex<[ObjectIdentifier: Bool]>([:])

    static func contains(_ type: Any.Type) -> Bool {
        let id = ObjectIdentifier(type)
        if let answer = known.withLock({ $0[id] }) { return answer }
        let answer = _typeName(type, qualified: true).hasPrefix("Swift.Dictionary<")
        known.withLock { $0[id] = answer }
        return answer
    }
}
