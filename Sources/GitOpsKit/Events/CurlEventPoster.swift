/// An ``EventPoster`` on the project's libcurl ``HTTPClient`` (connection reuse, proxies from the environment).
public struct CurlEventPoster: EventPoster {
    /// The response body is irrelevant; cap it so a misbehaving endpoint cannot make us buffer much.
    static let maximumResponseSize = 64 * 1024
    private let client: HTTPClient

    public init(client: HTTPClient = HTTPClient()) {
        self.client = client
    }

    public func post(url: String, body: [UInt8], timeout: Duration) async throws -> Int {
        let request = HTTPClientRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: body,
                                        timeout: timeout, maximumResponseSize: Self.maximumResponseSize)
        do {
            return try await client.execute(request).status
        } catch {
            throw EventPostError(url: url, reason: "\(error)")
        }
    }
}
