import ArgumentParser

/// Parses the everyday single-booking commands (`book`, `cancel`, `list`, …) without the
/// root command's machinery, because scripts run them one process per action.
///
/// `FrontdeskCommand.parseAsRoot` builds the whole command tree and, on every run, parses the
/// arguments twice more to look for `--generate-completion-script`. Each of those steps makes
/// the Swift runtime look up protocol conformances for types it has not seen yet, and each
/// first lookup scans every conformance record in the binary: together a large share of a
/// `frontdesk book`, whose own work is small (docs/BENCHMARKS.md). This parser wraps
/// one leaf command in a root that ArgumentParser treats as a plugin-style pseudo-command
/// (`_superCommandName`), which skips the completion-script check, and parses only that leaf.
///
/// It is only a shortcut: it applies when the first argument names one of `leaves` and no
/// argument asks for help, a version or completions, and any error sends the arguments back
/// through `FrontdeskCommand.parseAsRoot`, which reports it as it reports any error.
enum LeafCommandParser {
    /// The commands the shortcut covers: the ones scripts call once per booking.
    static let leaves: [any ParsableCommand.Type] = [
        BookCommand.self, CancelCommand.self, RescheduleCommand.self, ConfirmCommand.self,
        CompleteCommand.self, NoShowCommand.self, ShowCommand.self, ListCommand.self, FreeCommand.self,
    ]

    /// Arguments that only the full parser answers (help, version, completion scripts).
    static func needsFullParser(_ argument: String) -> Bool {
        argument == "-h" || argument == "--help" || argument == "help" || argument == "--version"
            || argument.hasPrefix("--generate-completion") || argument.hasPrefix("---")
            || argument.hasPrefix("--experimental")
    }

    /// The parsed leaf command, or nil when the full parser must handle `arguments`.
    static func parse(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let name = arguments.first, !arguments.contains(where: needsFullParser) else { return nil }
        if name == "book", let book = BookArgumentScanner.parse(arguments.dropFirst()) { return book }
        for leaf in leaves where leaf.configuration.commandName == name {
            return parse(leaf, Array(arguments.dropFirst()))
        }
        return nil
    }

    static func parse<C: ParsableCommand>(_: C.Type, _ arguments: [String]) -> C? {
        guard var wrapped = try? Leaf<C>.parseAsRoot(arguments) as? Leaf<C> else { return nil }
        do { try wrapped.command.validate() } catch { return nil }
        return wrapped.command
    }

    /// One leaf command as the root of its own tree.
    struct Leaf<C: ParsableCommand>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: C.configuration.commandName, _superCommandName: "frontdesk")
        }
        @OptionGroup var command: C
        init() {}
    }
}
