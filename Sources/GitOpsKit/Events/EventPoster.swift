import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP POST of an event to notification-controller; the seam between the recorder and an HTTP client.
public protocol EventPoster: Sendable {
    /// POSTs `body` as `application/json` to `url`.
    /// - Returns: the HTTP status code.
    /// - Throws: when no response arrived (connection refused, timeout, …).
    func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int
}

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

/// An ``EventPoster`` on Foundation's URLSession: enough for plain-HTTP posts inside the cluster until the
/// libcurl client (Sources/GitOpsKit/HTTP) is wired in.
public struct URLSessionEventPoster: EventPoster {
    public init() {}

    public func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw EventPostError(url: url, reason: "not an http(s) URL")
        }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw EventPostError(url: url, reason: "not an HTTP response")
            }
            return http.statusCode
        } catch let error as EventPostError {
            throw error
        } catch {
            throw EventPostError(url: url, reason: "\(error)")
        }
    }
}
