import FrontdeskCore
import FrontdeskJSON

/// The service schema: `services.json` and a record's `{"service":…}` mutation (see
/// docs/STORAGE.md, "Schema").
///
/// `{"id","name","duration","bufferBefore","bufferAfter","needs":[{"tag"|"kind":TEXT,"count":N}…],"price"?,"deposit"?,"lateCancellationFee"?,"noShowFee"?,"archived","version"}`
/// in that order, absent amounts left out; durations whole seconds, amounts integer minor units.
enum ServiceSchema {
    /// The generation file that holds the catalog.
    static let file = "services.json"

    /// Appends `s` as JSON.
    static func write(_ s: Service, to out: inout JSONWriter) {
        out.raw(#"{"id":"#); out.string(s.id.rawValue)
        out.raw(#","name":"#); out.string(s.name)
        out.raw(#","duration":"#); out.signed(s.duration.seconds)
        out.raw(#","bufferBefore":"#); out.signed(s.bufferBefore.seconds)
        out.raw(#","bufferAfter":"#); out.signed(s.bufferAfter.seconds)
        out.raw(#","needs":["#)
        for (i, r) in s.requirements.enumerated() {
            if i > 0 { out.byte(0x2C) }
            switch r.match {
            case .tag(let t): out.raw(#"{"tag":"#); out.string(t)
            case .kind(let k): out.raw(#"{"kind":"#); out.string(k.description)
            }
            out.raw(#","count":"#); out.signed(Int64(r.count))
            out.byte(0x7D)
        }
        out.byte(0x5D)
        for (key, amount) in [("price", s.price), ("deposit", s.deposit), ("lateCancellationFee", s.lateCancellationFee), ("noShowFee", s.noShowFee)] {
            guard let amount else { continue }
            out.raw(",\"\(key)\":"); out.signed(amount)
        }
        out.raw(#","archived":"#); out.bool(s.archived)
        out.raw(#","version":"#); out.signed(Int64(s.version))
        out.byte(0x7D)
    }

    /// The service at `v`, checked as the engine would accept it (a name, a positive duration,
    /// buffers and amounts not negative, at least one requirement with a count of 1 to
    /// ``Service/maximumCount``, normalised tags, a version from 1).
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> Service {
        let o = try v.object()
        let name = try o.value("name").string()
        guard !name.isEmpty else { throw v.error("a service's name is empty") }
        let duration = try o.value("duration").duration()
        guard duration.seconds > 0 else { throw v.error("a service's duration must be positive") }
        let before = try o.value("bufferBefore").duration(), after = try o.value("bufferAfter").duration()
        guard before.seconds >= 0, after.seconds >= 0 else { throw v.error("a service's buffers must not be negative") }
        let needs = try o.value("needs").array { (r: SchemaValue) throws(SchemaError) -> ServiceRequirement in
            let ro = try r.object()
            let count = try ro.value("count").integer(Int.self)
            guard (1...Service.maximumCount).contains(count) else { throw r.error("a requirement's count must be 1 to \(Service.maximumCount)") }
            switch (ro.optional("tag"), ro.optional("kind")) {
            case (let t?, nil):
                let text = try t.string()
                guard let tag = try? ResourceTags.normalise(text), tag == text else { throw t.error("\"\(text)\" is not a normalised tag") }
                return ServiceRequirement(.tag(tag), count: count)
            case (nil, let k?):
                let text = try k.string()
                guard !text.isEmpty else { throw k.error("a requirement's kind is empty") }
                return ServiceRequirement(.kind(ResourceKind(text)), count: count)
            default: throw r.error("a requirement names exactly one of \"tag\" and \"kind\"")
            }
        }
        guard !needs.isEmpty else { throw v.error("a service needs at least one requirement") }
        func amount(_ key: String) throws(SchemaError) -> Int64? {
            guard let a = o.optional(key) else { return nil }
            let n = try a.integer(Int64.self)
            guard n >= 0 else { throw a.error("an amount must not be negative") }
            return n
        }
        let version = try o.value("version").integer(Int.self)
        guard version >= 1 else { throw v.error("a service's version starts at 1") }
        return Service(id: ServiceID(try o.value("id").string()), name: name, duration: duration, bufferBefore: before, bufferAfter: after,
                       requirements: needs, price: try amount("price"), deposit: try amount("deposit"),
                       lateCancellationFee: try amount("lateCancellationFee"), noShowFee: try amount("noShowFee"),
                       archived: try o.value("archived").bool(), version: version)
    }
}
