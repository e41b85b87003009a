/// How the recorder retries POSTs to notification-controller (Flux: go-retryablehttp, 5 s timeout, retry on
/// connection errors and 5xx, never on 4xx — a 429 means "deduplicated", a 400 will not improve).
public struct EventDeliveryPolicy: Sendable, Hashable {
    public var timeout: Duration
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// Backoff between attempts: doubles from `minimumWait` up to `maximumWait`.
    public var minimumWait: Duration
    public var maximumWait: Duration

    public init(timeout: Duration = .seconds(5), maxRetries: Int = 4, minimumWait: Duration = .seconds(1),
                maximumWait: Duration = .seconds(30))
    {
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.minimumWait = minimumWait
        self.maximumWait = maximumWait
    }

    /// Whether a response status is worth retrying (5xx except 501 Not Implemented).
    public static func shouldRetry(status: Int) -> Bool {
        status >= 500 && status != 501
    }
}
