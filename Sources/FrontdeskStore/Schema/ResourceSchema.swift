import FrontdeskCore
import FrontdeskJSON

/// The resource schema: `resources.json` and a record's `{"resource":…}` mutation (see
/// docs/STORAGE.md, "Schema").
///
/// `{"id","ref","name","kind","parent"?,"zone","slotLength","schedule"?,"policy":{…},"archived","version"}`
/// in that order, absent optionals left out; `kind` is ``ResourceKind``'s text, `zone` the
/// zone's identifier, durations whole seconds. The policy's members are all optional:
/// `{"bufferBefore"?,"bufferAfter"?,"minimumNotice"?,"maximumAdvance"?,"cancellationNotice"?,"reminderLead"?}`.
/// `"tags":[…]` (normalised, sorted, each once) follows the policy only when there are tags,
/// so a resource without tags is written as before format 5.
enum ResourceSchema {
    /// Appends `r` as JSON.
    static func write(_ r: Resource, to out: inout JSONWriter) {
        out.raw(#"{"id":"#); out.string(r.id.rawValue)
        out.raw(#","ref":"#); out.string(r.ref)
        out.raw(#","name":"#); out.string(r.name)
        out.raw(#","kind":"#); out.string(r.kind.description)
        if let p = r.parent { out.raw(#","parent":"#); out.string(p.rawValue) }
        out.raw(#","zone":"#); out.string(r.zone.identifier)
        out.raw(#","slotLength":"#); out.signed(r.slotLength.seconds)
        if let s = r.schedule { out.raw(#","schedule":"#); out.string(s.rawValue) }
        out.raw(#","policy":"#); policy(r.policy, to: &out)
        if !r.tags.isEmpty {
            out.raw(#","tags":["#)
            for (i, t) in r.tags.enumerated() {
                if i > 0 { out.byte(0x2C) }
                out.string(t)
            }
            out.byte(0x5D)
        }
        out.raw(#","archived":"#); out.bool(r.archived)
        out.raw(#","version":"#); out.signed(Int64(r.version))
        out.byte(0x7D)
    }

    private static func policy(_ p: PolicyOverrides, to out: inout JSONWriter) {
        out.byte(0x7B)
        var first = true
        func member(_ key: String, _ d: TimeSpan?) {
            guard let d else { return }
            if !first { out.byte(0x2C) }
            first = false
            out.string(key); out.byte(0x3A); out.signed(d.seconds)
        }
        member("bufferBefore", p.bufferBefore)
        member("bufferAfter", p.bufferAfter)
        member("minimumNotice", p.minimumNotice)
        member("maximumAdvance", p.maximumAdvance)
        member("cancellationNotice", p.cancellationNotice)
        member("reminderLead", p.reminderLead)
        out.byte(0x7D)
    }

    /// The resource at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> Resource {
        let o = try v.object()
        let zoneValue = try o.value("zone")
        let zoneName = try zoneValue.string()
        let zone: Zone
        switch ZoneDatabase.shared.zone(zoneName) {
        case .success(let z): zone = z
        case .failure(let error): throw zoneValue.error(error.description)
        }
        let p = try o.value("policy").object()
        let policy = PolicyOverrides(
            bufferBefore: try p.optional("bufferBefore")?.duration(), bufferAfter: try p.optional("bufferAfter")?.duration(),
            minimumNotice: try p.optional("minimumNotice")?.duration(), maximumAdvance: try p.optional("maximumAdvance")?.duration(),
            cancellationNotice: try p.optional("cancellationNotice")?.duration(), reminderLead: try p.optional("reminderLead")?.duration())
        var tags: [String] = []
        if let list = o.optional("tags") {
            tags = try list.array { (t: SchemaValue) throws(SchemaError) -> String in try t.string() }
            guard let normal = try? ResourceTags.normalise(tags), normal == tags else {
                throw list.error("tags must be normalised (a-z, 0-9, - and _), sorted and each once")
            }
        }
        return Resource(id: ResourceID(try o.value("id").string()), ref: try o.value("ref").string(), name: try o.value("name").string(),
                        kind: ResourceKind(try o.value("kind").string()), parent: (try o.optional("parent")?.string()).map(ResourceID.init),
                        zone: zone, slotLength: try o.value("slotLength").duration(),
                        schedule: (try o.optional("schedule")?.string()).map(ScheduleID.init), policy: policy,
                        archived: try o.value("archived").bool(), version: try o.value("version").integer(Int.self), tags: tags)
    }
}
