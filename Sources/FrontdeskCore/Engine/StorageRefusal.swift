/// A write refused by the storage itself (read-only).
public struct StorageRefusal: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
