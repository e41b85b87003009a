/// A YAML text that could not be parsed or converted to JSON, with the position where the problem is.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the problem; 0 when the error concerns the input as a whole (e.g. its size).
    public var line: Int
    /// 1-based column (in characters) of the problem; 0 when ``line`` is 0.
    public var column: Int
    /// What is wrong, e.g. "did not find expected key".
    public var message: String
    /// What the parser was doing, e.g. "while parsing a block mapping that started at line 1, column 1".
    public var context: String?

    public init(line: Int, column: Int, message: String, context: String? = nil) {
        self.line = line
        self.column = column
        self.message = message
        self.context = context
    }

    /// "did not find expected key at line 3, column 1 (while parsing a block mapping …)".
    public var description: String {
        var text = message
        if line > 0 { text += " at line \(line), column \(column)" }
        if let context { text += " (\(context))" }
        return text
    }
}
