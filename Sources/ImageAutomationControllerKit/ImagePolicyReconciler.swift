import GitOpsKit
import Logging

/// Reconciles an `ImagePolicy`: elects the latest tag among the stored tags of its ImageRepository
/// (``TagPolicy``: semver, alphabetical or numerical, after `filterTags`), optionally looks up its digest, and
/// reports `status.latestRef{name, tag, digest}` (the previous value moves to `observedPreviousRef`), as Flux's
/// image-reflector-controller does.
///
/// - It runs when the policy changes, when its repository's scan revision changes (see
///   ``ImageAutomationSetup/registerReflector(on:storagePath:logger:)``) and, with `digestReflectionPolicy:
///   Always`, every `spec.interval`.
/// - A missing repository, or one in another namespace whose `accessFrom` does not admit the policy's
///   namespace, is `Ready=False` (`DependencyNotReady`, `AccessDenied`) and retried; a repository without scanned
///   tags yet is `DependencyNotReady`, requeued after `requeueDependency`.
/// - An invalid range, order or regex stalls with `InvalidPolicy`; `Always` without `interval` with
///   `IntervalNotConfigured`; no matching tag is `Ready=False` (`Failure`) and retried.
public struct ImagePolicyReconciler: Reconciler {
    let context: ImageReflectorContext

    public init(context: ImageReflectorContext) {
        self.context = context
    }

    private var support: ReflectorReconcileSupport { ReflectorReconcileSupport(context: context) }

    /// Flux reports errors it has no specific reason for as `metav1.StatusFailure`.
    static let failureReason: ConditionReason = "Failure"

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let started = try await support.begin(key, as: ImagePolicy.self, finalize: { _ in },
                                                    specProblem: Self.specProblem) else { return .done }
        let (policy, object) = started
        let interval = (try? policy.interval).flatMap { $0 }?.duration
        do {
            try await elect(policy, object: object)
        } catch let failure as PolicyOutcome {
            switch failure {
            case .stalled(let reason, let message):
                try await support.stall(policy, object: object, reason: reason, message: message)
                return .done
            case .waiting(let failure, let after):
                await support.fail(policy, object: object, failure: failure)
                return .requeue(after: after)
            case .failed(let failure):
                await support.fail(policy, object: object, failure: failure)
                throw failure
            }
        }
        return interval.map { .requeue(after: $0) } ?? .done
    }

    /// How an election that did not succeed ends.
    enum PolicyOutcome: Error {
        /// Only a spec change helps.
        case stalled(ConditionReason, String)
        /// Waiting for another object; look again after the delay.
        case waiting(ReflectorFailure, after: Duration)
        /// Retried with backoff.
        case failed(ReflectorFailure)
    }

    private func elect(_ policy: ImagePolicy, object: JSONValue) async throws {
        let (repository, tags) = try await repositoryTags(for: policy)
        let image: ImageReference
        do {
            image = try ImageReference(parsing: repository.spec.image, insecure: repository.spec.insecure ?? false)
        } catch {
            throw PolicyOutcome.stalled(.imageURLInvalid, error.description)
        }
        let latest: String
        do {
            latest = try TagPolicy(policy.spec).latest(of: tags)
        } catch {
            switch error {
            case .invalidPolicy(let message): throw PolicyOutcome.stalled(.invalidPolicy, message)
            case .noMatch(let message): throw PolicyOutcome.failed(ReflectorFailure(reason: Self.failureReason, message: message))
            }
        }
        var latestRef = ImageRef(name: repository.spec.image, tag: latest)
        let current = policy.status?.latestRef
        switch policy.digestReflectionPolicy {
        case .always:
            latestRef.digest = try await digest(of: latestRef, repository: repository, image: image)
        case .ifNotPresent:
            if let current, current.name == latestRef.name, current.tag == latestRef.tag, let digest = current.digest, !digest.isEmpty {
                latestRef.digest = digest
            } else {
                latestRef.digest = try await digest(of: latestRef, repository: repository, image: image)
            }
        default:
            break
        }
        var updated = policy
        if current != latestRef {
            updated.updateStatus {
                $0.observedPreviousRef = current
                $0.latestRef = latestRef
            }
        }
        try await support.succeed(updated, previous: policy, object: object, message: Self.readyMessage(updated),
                                  quietMessage: Self.readyMessage(updated),
                                  metadata: ["revision": latestRef.description])
    }

    /// The referenced repository (namespace and `accessFrom` checked) and its stored tags.
    private func repositoryTags(for policy: ImagePolicy) async throws -> (ImageRepository, [String]) {
        let key = policy.imageRepositoryKey
        let policyNamespace = policy.namespace ?? "default"
        let prefix = "failed to get the referred ImageRepository: "
        guard let object = try await context.api.getIfPresent(ImageRepository.kind, key) else {
            throw PolicyOutcome.failed(ReflectorFailure(
                reason: .dependencyNotReady,
                message: prefix + "referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io \"\(key.name)\" not found"))
        }
        let repository: ImageRepository
        do {
            repository = try ImageRepository(from: object)
        } catch {
            throw PolicyOutcome.failed(ReflectorFailure(reason: Self.failureReason, message: prefix + "\(error)"))
        }
        let repositoryNamespace = key.namespace ?? policyNamespace
        if repositoryNamespace != policyNamespace {
            guard try await isAccessAllowed(from: policyNamespace, to: repository) else {
                throw PolicyOutcome.failed(ReflectorFailure(
                    reason: .accessDenied,
                    message: prefix + "access denied: 'ImageRepository/\(repositoryNamespace)/\(key.name)' can't be accessed due to missing ACL labels on 'accessFrom' (namespace '\(policyNamespace)')"))
            }
        }
        let tags: [String]?
        do {
            tags = try context.tags.read(namespace: repositoryNamespace, name: key.name)
        } catch {
            throw PolicyOutcome.failed(ReflectorFailure(reason: Self.failureReason, message: "failed to read tags from database: \(error)"))
        }
        guard let tags, !tags.isEmpty else {
            let seconds = FluxDuration(nanoseconds: Int64(context.requeueDependency.components.seconds) * 1_000_000_000)
            throw PolicyOutcome.waiting(ReflectorFailure(reason: .dependencyNotReady,
                                                         message: "retrying in \(seconds) error: no tags in database"),
                                        after: context.requeueDependency)
        }
        return (repository, tags)
    }

    /// Flux's ACL: the repository's `accessFrom.namespaceSelectors` must match the labels of the policy's
    /// namespace (an empty selector matches every namespace; no `accessFrom` admits none).
    private func isAccessAllowed(from namespace: String, to repository: ImageRepository) async throws -> Bool {
        guard let selectors = repository.spec.accessFrom?.namespaceSelectors, !selectors.isEmpty else { return false }
        let object = try await context.api.getIfPresent(GroupVersionKind(group: "", version: "v1", kind: "Namespace"),
                                                        ObjectKey(namespace: nil, name: namespace))
        var labels: [String: String] = [:]
        for (key, value) in object?[path: "metadata", "labels"]?.objectValue ?? [:] {
            if let text = value.stringValue { labels[key] = text }
        }
        return selectors.contains { selector in (selector.matchLabels ?? [:]).allSatisfy { labels[$0.key] == $0.value } }
    }

    private func digest(of ref: ImageRef, repository: ImageRepository, image: ImageReference) async throws -> String {
        let client: RegistryClient
        do {
            client = try await RegistryAccess.client(for: repository, image: image, context: context)
        } catch {
            throw PolicyOutcome.failed(ReflectorFailure(reason: .authenticationFailed,
                                                        message: "failed fetching digest of \(ref): \(error.message)"))
        }
        do {
            return try await client.digest(ofTag: ref.tag)
        } catch {
            throw PolicyOutcome.failed(ReflectorFailure(
                reason: .readOperationFailed,
                message: "failed fetching digest of \(ref): failed fetching descriptor for \"\(image.canonicalName):\(ref.tag)\": \(error)"))
        }
    }

    /// Flux's message: `Latest image tag for <name> resolved to <tag>[ with digest <d>][ (previously <ref>)]`.
    static func readyMessage(_ policy: ImagePolicy) -> String {
        guard let latest = policy.status?.latestRef else { return "" }
        var message = "Latest image tag for \(latest.name) resolved to \(latest.tag)"
        if let digest = latest.digest, !digest.isEmpty { message += " with digest \(digest)" }
        if let previous = policy.status?.observedPreviousRef, previous != latest {
            message += " (previously \(previous.name):\(previous.tag)"
            if let digest = previous.digest, !digest.isEmpty { message += "@\(digest)" }
            message += ")"
        }
        return message
    }

    /// Why the spec cannot be reconciled as it is, or nil.
    static func specProblem(_ policy: ImagePolicy, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        let unsupported = ImagePolicy.unsupportedSpecFields(in: object)
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this image-automation-controller")
        }
        if policy.digestReflectionPolicy == .always, policy.spec.interval == nil {
            return (.intervalNotConfigured, "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'")
        }
        let errors = policy.validate()
        if !errors.isEmpty { return (.invalidSpec, errors.map(\.description).joined(separator: "; ")) }
        return nil
    }
}
