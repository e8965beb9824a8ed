import ArgumentParser
import FrontdeskCore

/// `--price`, `--deposit`, `--late-cancel-fee`, `--no-show-fee` and `--reason`: a booking's
/// price set by hand, a manager override (`book`, `price`).
struct PriceOptions: ParsableArguments {
    @Option(help: "Price in the store's currency, e.g. 38.00 (a manager override, with --reason).") var price: String?
    @Option(help: "Deposit that confirms a pending_payment booking when paid (default 0).") var deposit: String?
    @Option(help: "Fee charged when the booking is cancelled inside its cancellation notice.") var lateCancelFee: String?
    @Option(help: "Fee charged when the booking is marked no-show.") var noShowFee: String?
    @Option(help: "Why the price is set by hand (required with --price).") var reason: String?

    /// Whether any money flag is on the line.
    var given: Bool { price != nil || deposit != nil || lateCancelFee != nil || noShowFee != nil || reason != nil }

    /// The price the flags set, nil when none is given; amounts read in the store's currency.
    func draft(state: BookingState) throws -> PriceDraft? {
        guard given else { return nil }
        guard let price else { throw CLIError.usage("--deposit, --late-cancel-fee, --no-show-fee and --reason go with --price") }
        func read(_ text: String?, _ field: String) throws -> Int64 {
            guard let text else { return 0 }
            return try MoneyOutput.amount(text, field: field, state: state)
        }
        return PriceDraft(price: try read(price, "--price"), deposit: try read(deposit, "--deposit"),
                          lateCancelFee: try read(lateCancelFee, "--late-cancel-fee"), noShowFee: try read(noShowFee, "--no-show-fee"),
                          reason: reason)
    }
}
