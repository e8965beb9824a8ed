/// A booking's price as a request sets it, in the store currency's minor units.
public struct PriceDraft: Hashable, Sendable {
    public var price: Int64
    public var deposit: Int64
    public var lateCancelFee: Int64
    public var noShowFee: Int64
    /// Why a manager sets the price by hand; required unless `fromService`.
    public var reason: String?
    /// The amounts were copied from the booking's service, so no manager override is involved.
    public var fromService: Bool

    public init(price: Int64, deposit: Int64 = 0, lateCancelFee: Int64 = 0, noShowFee: Int64 = 0, reason: String? = nil,
                fromService: Bool = false) {
        self.price = price; self.deposit = deposit; self.lateCancelFee = lateCancelFee; self.noShowFee = noShowFee
        self.reason = reason; self.fromService = fromService
    }

    /// The canonical text an idempotency fingerprint records.
    var fingerprint: String { "price:\(price)/\(deposit)/\(lateCancelFee)/\(noShowFee)/\(reason ?? "-")/\(fromService ? "service" : "manual")" }
}
