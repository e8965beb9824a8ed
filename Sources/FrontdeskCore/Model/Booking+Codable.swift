extension Booking: Codable {
    /// The same keys and shape as the inline struct had: the fields' synthesized coding.
    public init(from decoder: any Decoder) throws {
        self.init(fields: try Fields(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}
