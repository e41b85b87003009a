/// A failed parse or execution, carrying what Go's `text/template` reports: the template (file) name, the
/// position, and the message.
///
/// `description` is Go's text: `template: t:1: unexpected "}" in operand` for parse errors (line only),
/// `template: t:1:7: executing "t" at <.a.b>: nil pointer evaluating interface {}.b` for execution errors.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// Which of Go's error shapes this is.
    public enum Kind: Sendable, Equatable {
        /// A lexing or parsing error (`template: NAME:LINE: MESSAGE`).
        case parse
        /// An error while executing (`template: NAME:LINE:COL: executing "T" at <NODE>: MESSAGE`).
        case execution
        /// An error without a position, e.g. `template: no template "x" associated with template "y"`;
        /// `message` is the whole text.
        case other
    }

    /// The name the erroneous text was parsed under (Go's `ParseName`: the file, not the `define`).
    public var templateName: String
    public var line: Int
    /// The byte offset within the line (Go counts from 0 on later lines; on the first line it is the offset
    /// in the text).
    public var column: Int
    /// What failed, without the location prefix.
    public var message: String
    public var kind: Kind
    /// For execution errors: the name of the template being executed (a `define` name or the file's).
    public var executing: String
    /// For execution errors: the text of the node being evaluated (`.a.b`, `include "x" .`).
    public var context: String

    public init(
        kind: Kind, templateName: String, line: Int = 0, column: Int = 0, message: String,
        executing: String = "", context: String = ""
    ) {
        self.kind = kind
        self.templateName = templateName
        self.line = line
        self.column = column
        self.message = message
        self.executing = executing
        self.context = context
    }

    public var description: String {
        switch kind {
        case .parse: return "template: \(templateName):\(line): \(message)"
        case .execution:
            return "template: \(templateName):\(line):\(column): executing \"\(executing)\" at <\(context)>: \(message)"
        case .other: return message
        }
    }
}
