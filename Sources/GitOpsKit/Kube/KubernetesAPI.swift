/// The Kubernetes API as the toolkit uses it: unstructured objects (`JSONValue`) by kind.
///
/// `KubeClient` implements it over HTTP; everything above (runtime, reconcilers, CLI) depends on this protocol.
public protocol KubernetesAPI: Sendable {
    /// How `kind` is served (resource name, scope), from discovery; `.unknownKind` when not served.
    func mapping(for kind: GroupVersionKind) async throws(KubeError) -> ResourceMapping

    func get(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue

    /// One page of objects; `namespace: nil` lists across all namespaces (or a cluster-scoped kind).
    func list(_ kind: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList

    func create(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue

    /// Replaces the object; its `metadata.resourceVersion` makes the write conditional (409 `.conflict` if stale).
    func update(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue

    /// Replaces the `status` subresource.
    func updateStatus(_ object: JSONValue, options: WriteOptions) async throws(KubeError) -> JSONValue

    /// Patches the object, or its `subresource` (e.g. `status`).
    func patch(_ kind: GroupVersionKind, _ key: ObjectKey, patch: JSONValue, type: PatchType, subresource: String?,
               options: WriteOptions) async throws(KubeError) -> JSONValue

    /// Deletes the object; returns it as the server answered (still present while finalizers block), or nil.
    @discardableResult
    func delete(_ kind: GroupVersionKind, _ key: ObjectKey, options: DeleteOptions) async throws(KubeError) -> JSONValue?

    /// A watch stream. It ends when the server closes it (timeout) or with a thrown `KubeError`.
    func watch(_ kind: GroupVersionKind, namespace: String?, options: WatchOptions) async throws(KubeError)
        -> AsyncThrowingStream<WatchEvent, any Error>
}

extension KubernetesAPI {
    /// Server-side apply of a full object as `fieldManager`.
    public func apply(_ object: JSONValue, fieldManager: String, force: Bool = true, dryRun: Bool = false,
                      subresource: String? = nil) async throws(KubeError) -> JSONValue {
        guard let kind = GroupVersionKind(of: object), let key = ObjectKey(of: object) else {
            throw KubeError(code: .invalid, message: "object to apply has no apiVersion, kind or metadata.name")
        }
        return try await patch(kind, key, patch: object, type: .apply(fieldManager: fieldManager, force: force),
                               subresource: subresource, options: WriteOptions(dryRun: dryRun, fieldManager: fieldManager))
    }

    /// The object, or nil when it does not exist.
    public func getIfPresent(_ kind: GroupVersionKind, _ key: ObjectKey) async throws(KubeError) -> JSONValue? {
        do {
            return try await get(kind, key)
        } catch where error.code == .notFound {
            return nil
        }
    }

    /// All pages of a list.
    public func listAll(_ kind: GroupVersionKind, namespace: String?, options: ListOptions = ListOptions(), pageSize: Int = 500)
        async throws(KubeError) -> ObjectList
    {
        var options = options
        options.limit = pageSize
        var items: [JSONValue] = []
        while true {
            let page = try await list(kind, namespace: namespace, options: options)
            items.append(contentsOf: page.items)
            guard let next = page.continueToken, !next.isEmpty else {
                return ObjectList(items: items, resourceVersion: page.resourceVersion, continueToken: nil)
            }
            options.continueToken = next
        }
    }
}
