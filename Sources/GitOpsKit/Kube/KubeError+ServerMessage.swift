import FoundationEssentials

extension KubeError {
    /// The message without the `<METHOD> <path>: ` prefix the client adds to server answers: what the API server said
    /// (`configmaps "a" is forbidden: …`), the way Flux reports it in conditions.
    public var serverMessage: String {
        for method in ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD "] where message.hasPrefix(method) {
            let rest = message.dropFirst(method.count)
            guard rest.hasPrefix("/"), let separator = rest.firstRange(of: ": ") else { return message }
            return String(rest[separator.upperBound...])
        }
        return message
    }
}
