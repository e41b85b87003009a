/// How a ``Watcher`` lists and watches, and how it backs off on errors.
public struct WatcherConfiguration: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Objects per list page.
    public var pageSize: Int
    /// Server-side watch timeout; must stay below the API server's 295 s cap on idle streams behind proxies.
    public var timeoutSeconds: Int
    /// Delay before retrying after the first error; doubled per consecutive error up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// ± spread of each backoff delay in percent, so many watchers do not retry in lockstep.
    public var backoffJitterPercentage: Double

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500,
                timeoutSeconds: Int = 290, initialBackoff: Duration = .milliseconds(800),
                maximumBackoff: Duration = .seconds(30), backoffJitterPercentage: Double = 20)
    {
        self.labelSelector = labelSelector?.isEmpty == true ? nil : labelSelector
        self.fieldSelector = fieldSelector?.isEmpty == true ? nil : fieldSelector
        self.pageSize = max(1, pageSize)
        self.timeoutSeconds = min(max(1, timeoutSeconds), 294)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.backoffJitterPercentage = backoffJitterPercentage
    }
}
