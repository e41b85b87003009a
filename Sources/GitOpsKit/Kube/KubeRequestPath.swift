/// Builds API paths and query strings: `/api/v1/namespaces/ns/configmaps/name`, `/apis/apps/v1/deployments`, …
struct KubeRequestPath {
    var mapping: ResourceMapping
    var namespace: String?
    var name: String?
    var subresource: String?

    var path: String {
        let gvr = mapping.resource
        var path = gvr.group.isEmpty ? "/api/\(gvr.version)" : "/apis/\(gvr.group)/\(gvr.version)"
        if mapping.namespaced, let namespace, !namespace.isEmpty {
            path += "/namespaces/\(PercentEncoding.encode(namespace))"
        }
        path += "/\(gvr.resource)"
        if let name {
            path += "/\(PercentEncoding.encode(name))"
            if let subresource, !subresource.isEmpty { path += "/\(PercentEncoding.encode(subresource))" }
        }
        return path
    }

    /// `?a=b&c=d` in the given order (empty when there are no items).
    static func query(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
    }
}

extension ListOptions {
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion, !resourceVersion.isEmpty { items.append(("resourceVersion", resourceVersion)) }
        return items
    }
}

extension WatchOptions {
    var queryItems: [(String, String)] {
        var items: [(String, String)] = [("watch", "1")]
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion, !resourceVersion.isEmpty { items.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds, timeoutSeconds > 0 { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

extension WriteOptions {
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        return items
    }
}

extension DeleteOptions {
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let propagationPolicy { items.append(("propagationPolicy", propagationPolicy.rawValue)) }
        if let gracePeriodSeconds { items.append(("gracePeriodSeconds", String(gracePeriodSeconds))) }
        return items
    }

    /// The `DeleteOptions` body (preconditions can only travel in the body).
    var body: JSONValue {
        var body: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if dryRun { body["dryRun"] = ["All"] }
        if let preconditionUID { body["preconditions"] = ["uid": .string(preconditionUID)] }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        return body
    }
}
