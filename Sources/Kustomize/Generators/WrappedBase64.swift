import FoundationEssentials

/// Base64 as kustomize's kyaml writes generated Secret data and ConfigMap binaryData: standard alphabet with
/// padding, cut into 70-character lines each ending in `\n` once the text reaches 70 characters.
enum WrappedBase64 {
    static let lineLength = 70

    static func encode(_ bytes: [UInt8]) -> String {
        let plain = Data(bytes).base64EncodedString()
        guard plain.utf8.count >= lineLength else { return plain }
        var result = ""
        result.reserveCapacity(plain.utf8.count + plain.utf8.count / lineLength + 1)
        var line = Substring(plain)
        while !line.isEmpty {
            result += line.prefix(lineLength)
            result += "\n"
            line = line.dropFirst(lineLength)
        }
        return result
    }
}
