import GitOpsKit

/// Reads one repository of an OCI distribution (Docker Registry v2) API: the tag list, page by page, and the
/// digest of a tag's manifest.
///
/// Authentication follows the registry's `401` challenge, as go-containerregistry does: `Basic` → the
/// credentials; `Bearer realm=…,service=…,scope=…` → a token from the realm (fetched with the credentials as
/// basic auth, or anonymously), then `Authorization: Bearer`. The authorization found for the first request is
/// reused for the following pages.
///
/// Every response is size-limited and the whole operation shares one deadline (`spec.timeout`).
///
/// Usage:
/// ```swift
/// let client = RegistryClient(http: http, image: try ImageReference(parsing: "ghcr.io/org/app"),
///                             credentials: nil, timeout: .seconds(30))
/// let tags = try await client.listTags()
/// let digest = try await client.digest(ofTag: "1.0.0")   // "sha256:…"
/// ```
public struct RegistryClient: Sendable {
    /// Tags asked for per page (`?n=`), go-containerregistry's default.
    public static let defaultPageSize = 1000
    /// A `Link` chain longer than this is treated as a registry bug.
    public static let maximumPages = 10_000
    /// The largest tag-list page accepted.
    public static let maximumTagListPageSize = 16 << 20
    /// The largest manifest (or manifest list) accepted when the digest has to be computed from the body.
    public static let maximumManifestSize = 4 << 20
    /// The largest token response accepted.
    public static let maximumTokenResponseSize = 1 << 20
    /// What a manifest HEAD accepts: OCI index and manifest, Docker manifest list and manifest (schema 2).
    public static let manifestMediaTypes = [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    public var http: HTTPClient
    public var image: ImageReference
    public var credentials: RegistryCredentials?
    public var timeout: Duration
    public var pageSize: Int
    /// The largest tag-list page accepted (default ``maximumTagListPageSize``).
    public var tagListLimit = RegistryClient.maximumTagListPageSize

    public init(http: HTTPClient, image: ImageReference, credentials: RegistryCredentials?, timeout: Duration,
                pageSize: Int = RegistryClient.defaultPageSize) {
        self.http = http
        self.image = image
        self.credentials = credentials
        self.timeout = timeout
        self.pageSize = max(1, pageSize)
    }

    // MARK: Tags

    /// Every tag of the repository, in the registry's order, following `Link: <…>; rel="next"` pages.
    public func listTags() async throws(RegistryError) -> [String] {
        var session = Session(deadline: .now + timeout)
        var url = image.tagsListURL(pageSize: pageSize)
        var seen: Set<String> = []
        var tags: [String] = []
        while true {
            guard seen.insert(url).inserted, seen.count <= Self.maximumPages else {
                throw .tooManyPages(url: image.tagsListURL(pageSize: pageSize), pages: seen.count)
            }
            let response = try await send(.get, url, headers: ["Accept": "application/json"],
                                          limit: tagListLimit, session: &session)
            tags += try Self.decodeTagList(response.body, url: url)
            guard let next = Self.nextPage(response.headers.values(for: "Link"), base: image.baseURL) else { return tags }
            url = next
        }
    }

    /// The tags of one `tags/list` document (`{"name": …, "tags": [...]}`; a missing or null `tags` is no tags).
    static func decodeTagList(_ body: [UInt8], url: String) throws(RegistryError) -> [String] {
        let json: JSONValue
        do {
            json = try JSONValue(json: body)
        } catch {
            throw .malformed(method: "GET", url: url, what: "tag list", reason: error.description)
        }
        guard let object = json.objectValue else {
            throw .malformed(method: "GET", url: url, what: "tag list", reason: "expected a JSON object, got \(json.typeName)")
        }
        guard let list = object["tags"], !list.isNull else { return [] }
        guard let items = list.arrayValue else {
            throw .malformed(method: "GET", url: url, what: "tag list", reason: "\"tags\" is \(list.typeName), not an array")
        }
        var tags: [String] = []
        tags.reserveCapacity(items.count)
        for item in items {
            guard let tag = item.stringValue else {
                throw .malformed(method: "GET", url: url, what: "tag list", reason: "a tag is \(item.typeName), not a string")
            }
            tags.append(tag)
        }
        return tags
    }

    /// The `rel="next"` target of `Link` headers, made absolute against `base` (`http(s)://registry`).
    static func nextPage(_ links: [String], base: String) -> String? {
        for header in links {
            for link in header.split(separator: ",") {
                let parts = link.split(separator: ";").map(\.trimmedWhitespace)
                guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">"),
                      parts.dropFirst().contains(where: { $0.replacingQuotes() == "rel=next" }) else { continue }
                let url = String(target.dropFirst().dropLast())
                if url.hasPrefix("http://") || url.hasPrefix("https://") { return url }
                return base + (url.hasPrefix("/") ? url : "/" + url)
            }
        }
        return nil
    }

    // MARK: Manifests

    /// The digest of `tag`'s manifest: `Docker-Content-Digest` of a HEAD, or (when a registry omits it) the SHA-256
    /// of the manifest a GET returns.
    public func digest(ofTag tag: String) async throws(RegistryError) -> String {
        var session = Session(deadline: .now + timeout)
        let url = image.manifestURL(tag)
        let accept = Self.manifestMediaTypes.joined(separator: ", ")
        let head = try await send(.head, url, headers: ["Accept": accept], limit: Self.maximumManifestSize, session: &session)
        if let digest = head.headers["Docker-Content-Digest"], digest.hasPrefix("sha256:") { return digest }
        let get = try await send(.get, url, headers: ["Accept": accept], limit: Self.maximumManifestSize, session: &session)
        if let digest = get.headers["Docker-Content-Digest"], digest.hasPrefix("sha256:") { return digest }
        return "sha256:" + Digest.sha256Hex(get.body)
    }

    // MARK: Requests and authentication

    /// The authorization found so far and the deadline of the whole operation.
    struct Session {
        var deadline: ContinuousClock.Instant
        var authorization: String?
        var challenged = false
    }

    /// Sends one request; on a first `401` answers the challenge and retries once.
    private func send(_ method: HTTPClientRequest.Method, _ url: String, headers: HTTPClientHeaders, limit: Int,
                      session: inout Session) async throws(RegistryError) -> HTTPClientResponse {
        var response = try await execute(method, url, headers: headers, authorization: session.authorization, limit: limit,
                                         deadline: session.deadline)
        if response.status == 401, !session.challenged {
            session.challenged = true
            let header = response.headers["WWW-Authenticate"] ?? ""
            if let challenge = RegistryChallenge(header: header),
               let authorization = try await authorize(challenge, requestURL: url, deadline: session.deadline) {
                session.authorization = authorization
                response = try await execute(method, url, headers: headers, authorization: authorization, limit: limit,
                                             deadline: session.deadline)
            }
        }
        guard response.isSuccess else {
            let detail = Self.errorDetail(response.body)
            if response.status == 401 || response.status == 403 {
                throw .unauthorized(method: method.rawValue, url: url, status: response.status, detail: detail,
                                    hadCredentials: credentials != nil)
            }
            throw .status(method: method.rawValue, url: url, status: response.status, detail: detail)
        }
        return response
    }

    /// The `Authorization` value answering `challenge`, or nil when there is nothing to answer with (Basic without
    /// credentials: the 401 stands).
    private func authorize(_ challenge: RegistryChallenge, requestURL: String,
                           deadline: ContinuousClock.Instant) async throws(RegistryError) -> String? {
        switch challenge.scheme {
        case .basic:
            return credentials?.basicAuthorization
        case .other:
            return nil
        case .bearer:
            guard let realm = challenge.realm, realm.hasPrefix("http://") || realm.hasPrefix("https://") else {
                throw .tokenFailed(url: requestURL, reason: "Bearer challenge without an http(s) realm")
            }
            var query: [String] = []
            if let service = challenge.service { query.append("service=" + PercentEncoding.encode(service)) }
            query.append("scope=" + PercentEncoding.encode(challenge.scope ?? image.pullScope))
            let tokenURL = realm + (realm.contains("?") ? "&" : "?") + query.joined(separator: "&")
            let response = try await execute(.get, tokenURL, headers: ["Accept": "application/json"],
                                             authorization: credentials?.basicAuthorization,
                                             limit: Self.maximumTokenResponseSize, deadline: deadline)
            guard response.isSuccess else {
                let detail = Self.errorDetail(response.body)
                if response.status == 401 || response.status == 403 {
                    throw .unauthorized(method: "GET", url: tokenURL, status: response.status, detail: detail,
                                        hadCredentials: credentials != nil)
                }
                throw .tokenFailed(url: tokenURL, reason: "\(response.status) \(RegistryError.statusText(response.status))")
            }
            guard let json = try? JSONValue(json: response.body),
                  let token = json["token"]?.stringValue.flatMap({ $0.isEmpty ? nil : $0 }) ?? json["access_token"]?.stringValue,
                  !token.isEmpty else {
                throw .tokenFailed(url: tokenURL, reason: "the response has no \"token\" or \"access_token\"")
            }
            return "Bearer " + token
        }
    }

    private func execute(_ method: HTTPClientRequest.Method, _ url: String, headers: HTTPClientHeaders,
                         authorization: String?, limit: Int,
                         deadline: ContinuousClock.Instant) async throws(RegistryError) -> HTTPClientResponse {
        let remaining = deadline - .now
        guard remaining > .zero else { throw .timedOut(url: url, timeout: timeout) }
        var request = HTTPClientRequest(method: method, url: url, headers: headers, timeout: remaining,
                                        maximumResponseSize: limit, followRedirects: true)
        if let authorization { request.headers["Authorization"] = authorization }
        do {
            return try await http.execute(request)
        } catch {
            if error.code == .tooLarge { throw .tooLarge(method: method.rawValue, url: url, limit: limit) }
            throw .unreachable(method: method.rawValue, url: url, error)
        }
    }

    /// `CODE: message` of the first entry of a distribution error body (`{"errors":[{"code":…,"message":…}]}`).
    static func errorDetail(_ body: [UInt8]) -> String {
        guard !body.isEmpty, body.count <= 64 << 10, let json = try? JSONValue(json: body),
              let first = json["errors"]?.arrayValue?.first else { return "" }
        let code = first["code"]?.stringValue ?? ""
        let message = first["message"]?.stringValue ?? ""
        return [code, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

extension String {
    /// `rel="next"` → `rel=next`, without spaces.
    fileprivate func replacingQuotes() -> String {
        String(filter { $0 != "\"" && !$0.isWhitespace })
    }
}
