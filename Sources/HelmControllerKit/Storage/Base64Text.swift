import FoundationEssentials

/// Standard base64 with padding (Go's `base64.StdEncoding`), as Helm writes release records and Kubernetes Secret data.
enum Base64Text {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// The decoded bytes, or nil when `text` is not standard base64.
    static func decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { Array($0) } }
}
