/// Mutations are written as `{"booking": {...}}`: one key naming the record type.
extension Mutation: Codable {
    enum CodingKeys: String, CodingKey {
        case booking, resource, schedule, customer, waitlist
        case idempotencyKey = "idempotency_key"
        case forgetIdempotencyKey = "forget_idempotency_key"
        case counters
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "a mutation has exactly one key naming its record type"))
        }
        switch key {
        case .booking: self = .booking(try c.decode(Booking.self, forKey: key))
        case .resource: self = .resource(try c.decode(Resource.self, forKey: key))
        case .schedule: self = .schedule(try c.decode(Schedule.self, forKey: key))
        case .customer: self = .customer(try c.decode(Customer.self, forKey: key))
        case .waitlist: self = .waitlist(try c.decode(WaitlistEntry.self, forKey: key))
        case .idempotencyKey: self = .idempotencyKey(try c.decode(IdempotencyRecord.self, forKey: key))
        case .forgetIdempotencyKey: self = .forgetIdempotencyKey(try c.decode(String.self, forKey: key))
        case .counters: self = .counters(try c.decode(Counters.self, forKey: key))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .booking(let v): try c.encode(v, forKey: .booking)
        case .resource(let v): try c.encode(v, forKey: .resource)
        case .schedule(let v): try c.encode(v, forKey: .schedule)
        case .customer(let v): try c.encode(v, forKey: .customer)
        case .waitlist(let v): try c.encode(v, forKey: .waitlist)
        case .idempotencyKey(let v): try c.encode(v, forKey: .idempotencyKey)
        case .forgetIdempotencyKey(let v): try c.encode(v, forKey: .forgetIdempotencyKey)
        case .counters(let v): try c.encode(v, forKey: .counters)
        }
    }
}
