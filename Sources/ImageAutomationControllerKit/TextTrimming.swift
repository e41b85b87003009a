extension StringProtocol {
    /// The text without leading and trailing whitespace.
    var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

extension Character {
    /// `0`…`9` only (not other Unicode digits).
    var isDecimalDigitASCII: Bool { isASCII && isWholeNumber }
}
