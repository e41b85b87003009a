/// Why an event POST failed before a response arrived.
public struct EventPostError: Error, CustomStringConvertible, Sendable {
    public var url: String
    public var reason: String
    public var description: String { "POST \(url): \(reason)" }

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }
}
