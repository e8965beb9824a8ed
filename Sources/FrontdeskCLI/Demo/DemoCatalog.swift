import FrontdeskCore

extension DemoData {
    /// Plans the demo's service catalog on a state that holds the rest of the demo: tags on the
    /// salon's stylists, its chairs and the rooms, and a few services with prices (a salon
    /// service needs a stylist and a chair). Planned apart from
    /// ``plan(in:engine:actor:zone:)`` so the demo's resources and bookings stay as they were.
    static func planCatalog(in state: BookingState, engine: BookingEngine, actor: Author) throws(CoreError) -> Planned<Int> {
        var working = state
        var parts: [Transaction] = []
        func take<T>(_ p: Planned<T>) -> T { working.apply(p.transaction); parts.append(p.transaction); return p.value }
        let tags: [String: [String]] = [
            "Ana Silva": ["stylist", "colour"], "Ben Okafor": ["stylist"], "Chloé Martin": ["stylist", "colour"],
            "Chair 1": ["chair"], "Chair 2": ["chair"],
            "Studio A": ["studio"], "Studio B": ["studio"], "Meeting Room": ["meeting"],
        ]
        for r in state.resources.values.sorted(by: { $0.ref < $1.ref }) {
            guard let t = tags[r.name] else { continue }
            var tagged = r
            tagged.tags = t
            _ = take(try engine.updateResource(tagged, expectVersion: r.version, in: working, by: actor))
        }
        let services = [
            Service(name: "Cut & blow-dry", duration: .minutes(45), requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))],
                    price: 3800, deposit: 1000, lateCancellationFee: 1000, noShowFee: 1900),
            Service(name: "Colour", duration: .minutes(90), bufferAfter: .minutes(15), requirements: [ServiceRequirement(.tag("colour")), ServiceRequirement(.tag("chair"))],
                    price: 8500, deposit: 2000, lateCancellationFee: 2000, noShowFee: 4250),
            Service(name: "Photo shoot with styling", duration: .hours(2), requirements: [ServiceRequirement(.tag("studio")), ServiceRequirement(.tag("stylist"))],
                    price: 24000, deposit: 6000),
            Service(name: "Meeting room hire", duration: .hours(1), requirements: [ServiceRequirement(.tag("meeting"))], price: 2500),
            Service(name: "Van hire (half day)", duration: .hours(4), requirements: [ServiceRequirement(.kind(.vehicle))], price: 6000, deposit: 2000),
        ]
        for s in services { _ = take(try engine.addService(s, in: working, by: actor)) }
        return Planned(transaction: Transaction.combining(parts), value: services.count)
    }
}
