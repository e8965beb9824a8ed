/// The `Encoder` returned by `superEncoder()`: it writes into the slot already started for its
/// key (or array element), which becomes `{}` if nothing is encoded through it, as with
/// `JSONEncoder`.
///
/// It is valid until its parent container writes its next member, when streaming closes the
/// slot; that is how `superEncoder()` is used (`try super.encode(to: container.superEncoder())`).
final class JSONSuperEncoder: Encoder {
    let encoder: JSONValueEncoder
    /// The slot's level on the encoder's stack.
    let level: Int
    /// The slot's entry id (-1 for a refused one).
    let id: Int

    init(encoder: JSONValueEncoder, level: Int, id: Int) {
        self.encoder = encoder; self.level = level; self.id = id
    }

    var codingPath: [any CodingKey] { encoder.path(to: level) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        encoder.keyedContainer(at: level, id: id)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.unkeyedContainer(at: level, id: id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: encoder, level: level, id: id)
    }
}
