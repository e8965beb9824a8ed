/// A one-line question at the bottom of the screen (go to date, search, agenda filter).
struct InputPrompt {
    enum Purpose { case gotoDate, search, agendaFilter, moveOverride, customer }
    enum Outcome: Equatable { case none, abort, submit(String) }

    let purpose: Purpose
    let label: String
    var field: TextField
    var error: String?
    /// The previous answer, put back by Up or Ctrl-P (the prompt itself starts empty).
    let recall: String?

    init(_ purpose: Purpose, label: String, text: String = "", recall: String? = nil) {
        self.purpose = purpose; self.label = label; field = TextField(text); self.recall = recall
    }

    mutating func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .enter: return .submit(field.text)
        case .escape: return .abort
        case .up, .ctrl("p"):
            if let recall { field = TextField(recall) }
            return .none
        default: _ = field.handle(key); return .none
        }
    }

    func draw(into grid: inout CellGrid) {
        let row = grid.rows - 2
        guard row >= 0 else { return }
        let used = grid.put(label + " ", row: row, col: 0, role: .dialogTitle)
        field.draw(into: &grid, row: row, col: used, width: grid.cols - used, focused: true)
        if let error, row > 0 { grid.putPadded(error, row: row - 1, col: 0, width: grid.cols, role: .error) }
    }
}
