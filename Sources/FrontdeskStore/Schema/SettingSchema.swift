import FrontdeskCore
import FrontdeskJSON

/// The settings schema: `settings.json` and a record's `{"setting":…}` mutation (see
/// docs/STORAGE.md, "Money").
///
/// `{"name":S,"value":S,"version":N,"at":T,"by":A}` in that order. A `currency` setting's value
/// is an ISO 4217 code this build knows; settings of other names are kept as they are.
package enum SettingSchema {
    /// The generation file that holds every setting.
    static let file = "settings.json"

    /// Appends `s` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ s: StoreSetting, to out: inout JSONWriter) throws {
        out.raw(#"{"name":"#); out.string(s.name)
        out.raw(#","value":"#); out.string(s.value)
        out.raw(#","version":"#); out.signed(Int64(s.version))
        out.raw(#","at":"#); try BookingSchema.instant(s.at, to: &out)
        out.raw(#","by":"#); BookingSchema.actor(s.by, to: &out)
        out.byte(0x7D)
    }

    /// The setting at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> StoreSetting {
        let o = try v.object()
        let name = try o.value("name").string()
        guard !name.isEmpty else { throw v.error("a setting's name is empty") }
        let valueValue = try o.value("value")
        let value = try valueValue.string()
        if name == StoreSetting.currency, Currency(code: value)?.code != value {
            throw valueValue.error("\"\(value)\" is not a currency code this build knows")
        }
        let version = try o.value("version").integer(Int.self)
        guard version >= 1 else { throw v.error("a setting's version starts at 1") }
        return StoreSetting(name: name, value: value, version: version, at: try o.value("at").instant(), by: try o.value("by").actor())
    }
}
