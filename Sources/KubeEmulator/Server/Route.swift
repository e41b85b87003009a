/// What a request path addresses.
enum Route: Sendable {
    case version
    case health
    case coreVersions
    case groups
    case group(String)
    case groupVersion(group: String, version: String)
    case openAPIV2
    case openAPIV3Root
    case openAPIV3(path: String)
    case resource(ResourceRoute)
    case notFound
}

/// A path under a group version that names a resource collection, an object or a subresource.
struct ResourceRoute: Sendable {
    var type: ResourceType
    /// The namespace from the path (nil: cluster-scoped, or all namespaces for a namespaced collection).
    var namespace: String?
    var name: String?
    var subresource: String?
}

extension Route {
    /// Parses a request path against the resources the registry serves.
    static func parse(_ path: String, registry: ResourceRegistry) -> Route {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { QueryParameters.decodePathSegment($0) }
        guard let first = segments.first else { return .notFound }
        switch first {
        case "version": return segments.count == 1 ? .version : .notFound
        case "healthz", "livez", "readyz": return .health
        case "openapi":
            if segments.count == 2, segments[1] == "v2" { return .openAPIV2 }
            if segments.count >= 2, segments[1] == "v3" {
                return segments.count == 2 ? .openAPIV3Root : .openAPIV3(path: segments[2...].joined(separator: "/"))
            }
            return .notFound
        case "api":
            if segments.count == 1 { return .coreVersions }
            guard segments[1] == "v1" else { return .notFound }
            if segments.count == 2 { return .groupVersion(group: "", version: "v1") }
            return resourceRoute(group: "", version: "v1", rest: Array(segments[2...]), registry: registry)
        case "apis":
            if segments.count == 1 { return .groups }
            if segments.count == 2 { return .group(segments[1]) }
            guard registry.serves(group: segments[1], version: segments[2]) else { return .notFound }
            if segments.count == 3 { return .groupVersion(group: segments[1], version: segments[2]) }
            return resourceRoute(group: segments[1], version: segments[2], rest: Array(segments[3...]), registry: registry)
        default:
            return .notFound
        }
    }

    private static func resourceRoute(group: String, version: String, rest: [String], registry: ResourceRegistry) -> Route {
        if rest.count >= 3, rest[0] == "namespaces",
           let type = registry.lookup(group: group, version: version, resource: rest[2]), type.namespaced {
            guard rest.count <= 5 else { return .notFound }
            return subresourceChecked(ResourceRoute(type: type, namespace: rest[1], name: rest.count > 3 ? rest[3] : nil,
                                                    subresource: rest.count > 4 ? rest[4] : nil))
        }
        guard let type = registry.lookup(group: group, version: version, resource: rest[0]), rest.count <= 3 else {
            return .notFound
        }
        if type.namespaced && rest.count > 1 { return .notFound }
        return subresourceChecked(ResourceRoute(type: type, namespace: nil, name: rest.count > 1 ? rest[1] : nil,
                                                subresource: rest.count > 2 ? rest[2] : nil))
    }

    private static func subresourceChecked(_ route: ResourceRoute) -> Route {
        switch route.subresource {
        case nil: return .resource(route)
        case "status" where route.type.hasStatus: return .resource(route)
        case "scale" where route.type.hasScale: return .resource(route)
        case "finalize" where route.type.kind == "Namespace" && route.type.group.isEmpty: return .resource(route)
        default: return .notFound
        }
    }
}
