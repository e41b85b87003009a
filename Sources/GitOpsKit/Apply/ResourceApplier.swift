import Logging

/// Server-side apply of a set of objects the way Flux's `ssa.ResourceManager` does it, for kustomize-controller and
/// helm-controller.
///
/// - objects are applied in stages: CRDs, Namespaces and ClusterRoles first (then the applier waits until the CRDs
///   are Established), `*Class` kinds next, everything else last; within a stage in Flux's kind order;
/// - each object is first applied with `dryRun=All` and compared with the live object, so an unchanged object is
///   never written (no resourceVersion churn, no watch events) and a drifted one is put back;
/// - fields of `kubectl` edits are taken over first (``takeoverPatch(for:fieldManager:apiVersion:)``), so what they
///   added is removed, unless the manifest or the live object says `kustomize.toolkit.fluxcd.io/ssa: Merge` (then
///   every other manager's fields are kept);
/// - ``Options/ignoreRules`` (`spec.ignore`): the JSON pointers they select are left out of the drift comparison,
///   and when an object is applied for another change they keep their live values (left out of the payload when
///   another `Apply` manager owns them, sent with the live value otherwise), so e.g. an HPA's `/spec/replicas` is
///   never reset and never causes a write; a new object is created with every field;
/// - per-object labels or annotations (on the manifest or the live object, as Flux): `kustomize.toolkit.fluxcd.io/ssa`
///   `IfNotPresent` (create only) and `Ignore`, `kustomize.toolkit.fluxcd.io/reconcile: disabled` (skip),
///   `kustomize.toolkit.fluxcd.io/force: Enabled` (recreate on an immutable-field error, as `force` does for all).
///
/// Usage:
/// ```swift
/// let applier = ResourceApplier(api: api, fieldManager: "kustomize-controller")
/// let changes = try await applier.applyAllStaged(objects, options: .init(force: false, timeout: .seconds(60)))
/// let stale = oldInventory.subtracting(changes.entries.map(\.identity))
/// let pruned = await applier.deleteAll(stale, ownerLabels: labels)
/// ```
public struct ResourceApplier: Sendable {
    public let api: any KubernetesAPI
    public let fieldManager: String
    public var logger: Logger
    /// Field managers (name prefixes) whose fields are taken over like `kubectl`'s (`--override-manager`).
    public var overrideManagers: [String] = []

    public struct Options: Sendable, Hashable {
        /// Recreate objects whose immutable fields changed.
        public var force: Bool
        /// How long to wait for CRDs to be Established between stages, and for a forced deletion.
        public var timeout: Duration
        /// Poll interval of those waits.
        public var pollInterval: Duration
        /// Objects of one stage applied at the same time.
        public var concurrency: Int
        /// Fields excluded from the drift comparison and kept at their live values (`spec.ignore`).
        public var ignoreRules: [DriftIgnoreRule]
        /// Only tell what applying would do (`created` for a missing object, `configured` for a drifted one):
        /// nothing is written (helm-controller's drift detection).
        public var dryRun: Bool

        public init(force: Bool = false, timeout: Duration = .seconds(60), pollInterval: Duration = .milliseconds(250),
                    concurrency: Int = 4, ignoreRules: [DriftIgnoreRule] = [], dryRun: Bool = false) {
            self.force = force
            self.timeout = timeout
            self.pollInterval = pollInterval
            self.concurrency = concurrency
            self.ignoreRules = ignoreRules
            self.dryRun = dryRun
        }
    }

    public init(api: any KubernetesAPI, fieldManager: String, logger: Logger = Logger(label: "apply")) {
        self.api = api
        self.fieldManager = fieldManager
        self.logger = logger
    }

    static let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")

    // MARK: Apply

    /// Applies `objects` stage by stage; stops at the first object the server rejects.
    ///
    /// - Throws: ``ResourceApplyError`` naming the object, with the change set of what was applied before.
    public func applyAllStaged(_ objects: [JSONValue], options: Options = Options()) async throws(ResourceApplyError)
        -> ChangeSet
    {
        var changeSet = ChangeSet()
        for stage in ApplyOrder.stages(objects) where !stage.objects.isEmpty {
            // Up to `concurrency` objects at a time (Flux's `--concurrent-ssa`); results keep the stage's order, and
            // a failure is reported after the others finished, with everything that was applied in the change set.
            var failure: ResourceApplyError?
            for result in await applyConcurrently(stage.objects, options: options) {
                switch result {
                case .success(let entry): changeSet.append(entry)
                case .failure(let error): if failure == nil { failure = error }
                }
            }
            if let failure { throw ResourceApplyError(failure.message, changeSet: changeSet) }
            if stage.waitsForReadiness && !options.dryRun {
                let crds = stage.objects.compactMap(ResourceIdentity.init(of:)).filter { $0.kind.group == Self.crdKind.group && $0.kind.kind == Self.crdKind.kind }
                do {
                    try await waitForEstablished(crds, options: options)
                } catch {
                    throw ResourceApplyError(error.message, changeSet: changeSet)
                }
            }
        }
        return changeSet
    }

    private func applyConcurrently(_ objects: [JSONValue], options: Options) async
        -> [Result<ChangeSet.Entry, ResourceApplyError>]
    {
        var results = [Result<ChangeSet.Entry, ResourceApplyError>?](repeating: nil, count: objects.count)
        // Plain loops over explicit indices: a nested function mutating a captured counter, with a typed-throws
        // do/catch inside the child task, was miscompiled by Swift 6.3 in release builds (an index out of range).
        await withTaskGroup(of: (Int, Result<ChangeSet.Entry, ResourceApplyError>).self) { group in
            let width = min(objects.count, max(1, options.concurrency))
            for index in 0..<width {
                let object = objects[index]
                group.addTask { (index, await applyResult(object, options: options)) }
            }
            var next = width
            while let (index, result) = await group.next() {
                results[index] = result
                guard next < objects.count else { continue }
                let (position, object) = (next, objects[next])
                group.addTask { (position, await applyResult(object, options: options)) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }

    private func applyResult(_ object: JSONValue, options: Options) async -> Result<ChangeSet.Entry, ResourceApplyError> {
        do throws(ResourceApplyError) {
            return .success(try await apply(object, options: options))
        } catch {
            return .failure(error)
        }
    }

    /// Applies one object after a dry-run diff against the live one.
    public func apply(_ object: JSONValue, options: Options = Options()) async throws(ResourceApplyError) -> ChangeSet.Entry {
        guard var identity = ResourceIdentity(of: object) else {
            throw ResourceApplyError("object has no apiVersion, kind or metadata.name: \(String(decoding: object.jsonBytes().prefix(200), as: UTF8.self))")
        }
        let mapping: ResourceMapping
        do {
            mapping = try await api.mapping(for: identity.kind)
        } catch {
            let detail = error.code == .unknownKind
                ? "no matches for kind \"\(identity.kind.kind)\" in version \"\(identity.kind.apiVersion)\"" : "\(error)"
            throw ResourceApplyError("\(identity.subject) dry-run failed: \(detail)")
        }
        var object = object
        if mapping.namespaced {
            if identity.namespace == nil {
                identity.namespace = "default"
                object[path: "metadata", "namespace"] = "default"
            }
        } else if identity.namespace != nil {
            identity.namespace = nil
            if case .object(var metadata) = object["metadata"] {
                metadata["namespace"] = nil
                object["metadata"] = .object(metadata)
            }
        }
        var existing: JSONValue?
        do {
            existing = try await api.getIfPresent(identity.kind, identity.key)
        } catch where error.code == .forbidden {
            // As Flux: a forbidden read is not fatal by itself; the dry-run below reports what the identity may
            // not do (e.g. `cannot patch resource "configmaps"`).
            existing = nil
        } catch {
            throw ResourceApplyError("\(identity.subject) query failed: \(error.serverMessage)")
        }
        if Self.isExcluded(object) || existing.map(Self.isExcluded) == true {
            return ChangeSet.Entry(identity, .skipped)
        }
        if existing != nil, Self.metadata(object, FluxAnnotation.kustomizeSSA, is: FluxAnnotationValue.ssaIfNotPresent) {
            return ChangeSet.Entry(identity, .skipped)
        }
        // `ssa: Merge` on the manifest or the live object: fields other managers (kubectl too) set are kept.
        let merge = Self.metadata(object, FluxAnnotation.kustomizeSSA, is: FluxAnnotationValue.ssaMerge)
            || existing.map { Self.metadata($0, FluxAnnotation.kustomizeSSA, is: FluxAnnotationValue.ssaMerge) } == true
        if let live = existing, !merge, !options.dryRun,
           let takeover = Self.takeoverPatch(for: live, fieldManager: fieldManager, apiVersion: identity.kind.apiVersion,
                                             overrideManagers: overrideManagers)
        {
            do throws(KubeError) {
                existing = try await api.patch(identity.kind, identity.key, patch: takeover, type: .merge, subresource: nil,
                                               options: WriteOptions(fieldManager: fieldManager))
            } catch {
                throw ResourceApplyError("\(identity.subject) managed fields cleanup failed: \(error.serverMessage)")
            }
        }
        let dryRun: JSONValue
        do {
            dryRun = try await api.apply(object, fieldManager: fieldManager, force: true, dryRun: true)
        } catch {
            let force = options.force || Self.metadata(object, FluxAnnotation.kustomizeForce, is: FluxAnnotationValue.enabled)
                || existing.map { Self.metadata($0, FluxAnnotation.kustomizeForce, is: FluxAnnotationValue.enabled) } == true
            if force, existing != nil, !options.dryRun, Self.isImmutableFieldError(error) {
                try await recreate(object, identity: identity, options: options)
                return ChangeSet.Entry(identity, .created)
            }
            throw ResourceApplyError("\(identity.subject) dry-run failed\(error.reason.map { " (\($0))" } ?? ""): \(error.serverMessage)")
        }
        var payload = object
        if let existing {
            // Ignored fields (`spec.ignore`) neither count as drift nor get overwritten when something else drifted.
            let ignored = options.ignoreRules.isEmpty ? [] : DriftIgnoreRule.paths(for: dryRun, in: options.ignoreRules)
            // A manifest without `status` cannot change it: the live status (which the cluster may have updated
            // between the GET and the dry-run) is not drift.
            var result = dryRun
            if object["status"] == nil { result["status"] = existing["status"] }
            if Self.comparable(Self.stripping(result, ignored)) == Self.comparable(Self.stripping(existing, ignored)) {
                return ChangeSet.Entry(identity, .unchanged)
            }
            if !ignored.isEmpty {
                let resolutions = Self.ignoredFieldResolutions(existing: existing, dryRun: dryRun, paths: ignored,
                                                               fieldManager: fieldManager)
                payload = Self.resolving(payload, resolutions)
            }
        }
        if options.dryRun { return ChangeSet.Entry(identity, existing == nil ? .created : .configured) }
        do {
            _ = try await api.apply(payload, fieldManager: fieldManager, force: true)
        } catch {
            throw ResourceApplyError("\(identity.subject) apply failed\(error.reason.map { " (\($0))" } ?? ""): \(error.serverMessage)")
        }
        return ChangeSet.Entry(identity, existing == nil ? .created : .configured)
    }

    /// Deletes the object and applies it again once it is gone (an immutable field changed and `force` is on).
    private func recreate(_ object: JSONValue, identity: ResourceIdentity, options: Options) async throws(ResourceApplyError) {
        do throws(KubeError) {
            try await api.delete(identity.kind, identity.key, options: DeleteOptions(propagationPolicy: .background))
            let deadline = ContinuousClock.now + options.timeout
            while try await api.getIfPresent(identity.kind, identity.key) != nil {
                if ContinuousClock.now >= deadline {
                    throw KubeError(code: .timeout, message: "timeout waiting for the old object to be deleted")
                }
                try? await Task.sleep(for: options.pollInterval)
            }
            _ = try await api.apply(object, fieldManager: fieldManager, force: true)
        } catch {
            throw ResourceApplyError("\(identity.subject) recreate failed: \(error.serverMessage)")
        }
    }

    /// Waits until every CRD in `crds` is Established (so the next stage can use its kinds).
    private func waitForEstablished(_ crds: [ResourceIdentity], options: Options) async throws(ResourceApplyError) {
        let deadline = ContinuousClock.now + options.timeout
        for crd in crds {
            while true {
                let object: JSONValue?
                do {
                    object = try await api.getIfPresent(crd.kind, crd.key)
                } catch {
                    throw ResourceApplyError("\(crd.subject) query failed: \(error.serverMessage)")
                }
                let health = object.map(ResourceHealth.evaluate) ?? ResourceHealth(.inProgress, "not found")
                if health.status == .current { break }
                if health.status == .failed { throw ResourceApplyError("\(crd.subject) is not usable: \(health.message)") }
                if ContinuousClock.now >= deadline {
                    throw ResourceApplyError("timeout waiting for \(crd.subject) to be established: \(health.message)")
                }
                try? await Task.sleep(for: options.pollInterval)
            }
        }
    }

    // MARK: Helpers

    /// The object as compared for drift: without the fields every write (or dry-run) changes by itself.
    static func comparable(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, case .object(var metadata) = members["metadata"] else { return object }
        for field in ["managedFields", "resourceVersion", "generation"] { metadata[field] = nil }
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    static func annotation(_ annotations: JSONValue?, _ key: String, is value: String) -> Bool {
        annotations?[key]?.stringValue?.lowercased() == value.lowercased()
    }

    /// Whether the object has `key: value` as a label or an annotation, the value compared case-insensitively
    /// (Flux `utils.AnyInMetadata`).
    static func metadata(_ object: JSONValue, _ key: String, is value: String) -> Bool {
        annotation(object[path: "metadata", "labels"], key, is: value)
            || annotation(object[path: "metadata", "annotations"], key, is: value)
    }

    /// Objects the applier never touches: `kustomize.toolkit.fluxcd.io/reconcile: disabled` or `…/ssa: Ignore`.
    static func isExcluded(_ object: JSONValue) -> Bool {
        metadata(object, FluxAnnotation.kustomizeReconcile, is: FluxAnnotationValue.disabled)
            || metadata(object, FluxAnnotation.kustomizeSSA, is: FluxAnnotationValue.ssaIgnore)
    }

    static func isImmutableFieldError(_ error: KubeError) -> Bool {
        error.code == .invalid && (error.message.contains("immutable") || error.causes.contains { $0.message.contains("immutable") })
    }
}
