import FrontdeskCore

/// The form for a new booking: customer search-as-you-type (with "create new"), status and
/// notes. Enter saves, Esc cancels; after a refused save the form keeps everything typed.
struct BookingForm {
    enum Field: CaseIterable { case customer, status, notes }
    enum Outcome: Equatable { case none, save, cancel }
    /// One line of the customer list.
    enum Option: Equatable {
        case none
        case existing(Customer)
        case new(String)
    }

    let resource: Resource
    let range: TimeRange
    var customer = TextField(maxLength: 120)
    var notes = TextField(maxLength: 500)
    /// Index into `options(in:)`.
    var choice = 0
    var status: BookingStatus = .confirmed
    var focus: Field = .customer
    /// The last refusal, shown in the form.
    var error: String?

    static let statuses: [BookingStatus] = [.confirmed, .tentative, .pendingPayment]
    static let maxMatches = 5

    /// True once something was typed (quitting then asks first).
    var hasInput: Bool { !customer.text.isEmpty || !notes.text.isEmpty }

    /// Customers whose name, reference, phone or e-mail contain the typed text; names that
    /// start with it first.
    func matches(in state: BookingState) -> [Customer] {
        let q = customer.text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !q.isEmpty else { return [] }
        let found = state.customers.values.filter {
            $0.name.lowercased().contains(q) || $0.ref.lowercased() == q
                || ($0.phone?.lowercased().contains(q) ?? false) || ($0.email?.lowercased().contains(q) ?? false)
        }
        return found.sorted { a, b in
            let pa = a.name.lowercased().hasPrefix(q), pb = b.name.lowercased().hasPrefix(q)
            return pa != pb ? pa : (a.name, a.ref) < (b.name, b.ref)
        }.prefix(Self.maxMatches).map { $0 }
    }

    /// The choices under the customer field.
    func options(in state: BookingState) -> [Option] {
        let t = customer.text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return [.none] }
        return matches(in: state).map(Option.existing) + [.new(t)]
    }

    /// The customer the booking will be for.
    func customerChoice(in state: BookingState) -> CustomerChoice? {
        let opts = options(in: state)
        switch opts[min(choice, opts.count - 1)] {
        case .none: return nil
        case .existing(let c): return .existing(c.id)
        case .new(let name): return .new(name: name)
        }
    }

    mutating func handle(_ key: KeyEvent, state: BookingState) -> Outcome {
        switch key {
        case .enter: return .save
        case .escape: return .cancel
        case .tab: focus = Field.allCases[(Field.allCases.firstIndex(of: focus)! + 1) % 3]; return .none
        case .backTab: focus = Field.allCases[(Field.allCases.firstIndex(of: focus)! + 2) % 3]; return .none
        default: break
        }
        switch focus {
        case .customer:
            let count = options(in: state).count
            if key == .down { choice = min(choice + 1, count - 1); return .none }
            if key == .up { choice = max(0, choice - 1); return .none }
            if customer.handle(key) { choice = 0; error = nil }
        case .status:
            let i = Self.statuses.firstIndex(of: status) ?? 0
            switch key {
            case .right, .char(" "), .char("l"): status = Self.statuses[(i + 1) % Self.statuses.count]
            case .left, .char("h"): status = Self.statuses[(i + Self.statuses.count - 1) % Self.statuses.count]
            case .down: focus = .notes
            case .up: focus = .customer
            default: break
            }
        case .notes:
            if key == .up { focus = .status; return .none }
            _ = notes.handle(key)
        }
        return .none
    }

    func draw(into grid: inout CellGrid, state: BookingState) {
        let opts = options(in: state)
        let box = Box.centred(in: grid, height: 11 + opts.count, width: 64)
        box.draw(into: &grid, title: "New booking")
        var line = 0
        box.line(line, "\(resource.name) · \(Format.range(range, resource.zone)) \(resource.zone)", into: &grid); line += 1
        let labelWidth = 10
        let fieldWidth = box.innerWidth - labelWidth
        line += 1
        grid.putPadded("Customer", row: box.row + 1 + line, col: box.col + 2, width: labelWidth, role: focus == .customer ? .dialogTitle : .dialog)
        customer.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + labelWidth, width: fieldWidth, focused: focus == .customer)
        line += 1
        for (i, o) in opts.enumerated() {
            let text: String
            switch o {
            case .none: text = "no customer (blocked time)"
            case .existing(let c): text = "\(c.name)  \(c.ref)" + (c.phone.map { "  \($0)" } ?? "")
            case .new(let name): text = "+ create new customer \"\(name)\""
            }
            let selected = i == min(choice, opts.count - 1)
            box.line(line, (selected ? "  › " : "    ") + text, into: &grid, role: selected && focus == .customer ? .selection : .dialog)
            line += 1
        }
        line += 1
        grid.putPadded("Status", row: box.row + 1 + line, col: box.col + 2, width: labelWidth, role: focus == .status ? .dialogTitle : .dialog)
        grid.putPadded("‹ \(Format.status(status)) ›", row: box.row + 1 + line, col: box.col + 2 + labelWidth, width: fieldWidth,
                       role: focus == .status ? .fieldFocus : .field)
        line += 1
        grid.putPadded("Notes", row: box.row + 1 + line, col: box.col + 2, width: labelWidth, role: focus == .notes ? .dialogTitle : .dialog)
        notes.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + labelWidth, width: fieldWidth, focused: focus == .notes)
        line += 2
        if let error { box.line(line, error, into: &grid, role: .error) }
        line += 1
        box.line(line, "Enter save · Esc cancel · Tab next field · ↑↓ pick", into: &grid, role: .dim)
    }
}

import Foundation
