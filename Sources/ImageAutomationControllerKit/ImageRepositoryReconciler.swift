import GitOpsKit
import Logging

/// Reconciles an `ImageRepository`: lists the image's tags from its registry every `spec.interval`, drops those
/// matching `spec.exclusionList`, stores the rest (newest first) in the ``TagStore`` and reports
/// `status.lastScanResult{revision, tagCount, scanTime, latestTags}`, `canonicalImageName` and
/// `observedExclusionList`, as Flux's image-reflector-controller does.
///
/// - A scan happens when the repository was never scanned, a `reconcile.fluxcd.io/requestedAt` request is new,
///   the image or exclusion list changed, the stored tags are missing, or the interval has passed; otherwise the
///   reconcile only requeues for the rest of the interval (so a restart does not rescan everything).
/// - Failures set `Ready=False` with Flux's reasons — `AuthenticationFailed` (Secrets unusable),
///   `ReadOperationFailed` (the scan: unreachable registry, 401, malformed tag list, too large) — keep the last
///   scan result and tags, emit a Warning event and are retried with backoff.
/// - An invalid `spec.image` stalls with `ImageURLInvalid`, an invalid spec or exclusion pattern with
///   `InvalidSpec`, an unimplemented `spec.provider` with `UnsupportedField`.
/// - Deletion removes the stored tags, then the finalizer.
public struct ImageRepositoryReconciler: Reconciler {
    /// Tags reported in `lastScanResult.latestTags`.
    public static let latestTagsCount = 10

    let context: ImageReflectorContext

    public init(context: ImageReflectorContext) {
        self.context = context
    }

    private var support: ReflectorReconcileSupport { ReflectorReconcileSupport(context: context) }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let tags = context.tags
        guard let started = try await support.begin(key, as: ImageRepository.self, finalize: { repository in
            tags.remove(namespace: repository.namespace ?? "default", name: repository.name)
        }, specProblem: Self.specProblem) else { return .done }
        let (repository, original) = started
        // specProblem has vetted the image, the interval and the exclusion patterns.
        guard let image = try? ImageReference(parsing: repository.spec.image, insecure: repository.spec.insecure ?? false),
              let interval = try? repository.interval.duration else { return .done }
        let exclusionList = repository.exclusionList
        let previous = repository
        var updated = repository
        var object = original

        let decision = scanDecision(repository, image: image, interval: interval)
        if let reason = decision.reason {
            updated.markReconciling(message: "scanning: \(reason)")
            object = try await context.statusWriter.write(updated, original: object)
            do {
                try await scan(&updated, image: image, exclusionList: exclusionList)
            } catch let failure as ReflectorFailure {
                await support.fail(updated, object: object, failure: failure)
                throw failure
            }
        }
        guard let result = updated.status?.lastScanResult else { return .requeue(after: decision.next) }
        updated.updateStatus {
            $0.canonicalImageName = image.canonicalName
            $0.observedExclusionList = exclusionList
        }
        let message = "successful scan: found \(result.tagCount) tags with checksum \(result.revision ?? "")"
        let next = FluxDuration(nanoseconds: Int64(decision.next.components.seconds) * 1_000_000_000)
        let quiet = decision.reason == nil ? "no change in repository configuration since last scan, next scan in \(next)"
            : previous.status?.lastScanResult?.revision == result.revision ? "tags did not change, next scan in \(next)"
            : "successful scan, next scan in \(next)"
        try await support.succeed(updated, previous: previous, object: object, message: message, quietMessage: quiet,
                                  metadata: ["revision": result.revision ?? ""])
        return .requeue(after: decision.next)
    }

    /// Whether to scan now (and why, in Flux's words), and when to look again.
    func scanDecision(_ repository: ImageRepository, image: ImageReference, interval: Duration,
                      now: KubeTime = .now()) -> (reason: String?, next: Duration) {
        guard let last = repository.status?.lastScanResult else { return ("first scan", interval) }
        if let request = repository.reconcileRequest, request != repository.lastHandledReconcileAt {
            return ("reconcile requested", interval)
        }
        if repository.status?.canonicalImageName != image.canonicalName { return ("new image name", interval) }
        if Set(repository.exclusionList) != Set(repository.status?.observedExclusionList ?? [])
            || repository.exclusionList.count != (repository.status?.observedExclusionList ?? []).count {
            return ("updated exclusion list", interval)
        }
        let stored = (try? context.tags.read(namespace: repository.namespace ?? "default", name: repository.name)) ?? nil
        if stored?.isEmpty ?? true { return ("no tags in database", interval) }
        guard let scanTime = last.scanTime else { return ("interval", interval) }
        let elapsed = now.since(scanTime).duration
        let remaining = interval - elapsed
        if remaining < .seconds(1) { return ("triggered by interval", interval) }
        return (nil, remaining)
    }

    /// Lists, filters, sorts and stores the tags; sets `lastScanResult`.
    private func scan(_ repository: inout ImageRepository, image: ImageReference, exclusionList: [String]) async throws {
        let client = try await RegistryAccess.client(for: repository, image: image, context: context)
        let listed: [String]
        do {
            listed = try await client.listTags()
        } catch {
            throw ReflectorFailure(reason: .readOperationFailed, message: "scan failed: \(error.description)")
        }
        // Patterns were compiled once by specProblem; compiling again here is cheap and keeps TagPattern local.
        let patterns = exclusionList.compactMap { try? TagPattern($0) }
        var kept = listed.filter { tag in !patterns.contains { $0.matches(tag) } }
        kept.sort { $1.utf8.lexicographicallyPrecedes($0.utf8) }
        let revision: String
        do {
            revision = try context.tags.write(kept, namespace: repository.namespace ?? "default", name: repository.name)
        } catch {
            throw ReflectorFailure(reason: .readOperationFailed,
                                   message: "scan failed: failed to set tags for \"\(image.canonicalName)\": \(error)")
        }
        let result = ImageRepository.ScanResult(
            revision: revision, tagCount: kept.count, scanTime: KubeTime.now().truncatedToSeconds,
            latestTags: kept.isEmpty ? nil : Array(kept.prefix(Self.latestTagsCount)))
        repository.updateStatus { $0.lastScanResult = result }
        Logger.current.debug("scanned tags", metadata: ["image": "\(image)", "tags": "\(kept.count)", "listed": "\(listed.count)"])
    }

    /// Why the spec cannot be reconciled as it is, or nil.
    static func specProblem(_ repository: ImageRepository, object: JSONValue) -> (reason: ConditionReason, message: String)? {
        var unsupported = ImageRepository.unsupportedSpecFields(in: object)
        if repository.provider != .generic { unsupported.append("spec.provider: \(repository.provider.rawValue)") }
        if !unsupported.isEmpty {
            return (.unsupportedField,
                    "unsupported field(s): \(unsupported.joined(separator: ", ")): not implemented by this image-automation-controller")
        }
        do {
            _ = try ImageReference(parsing: repository.spec.image, insecure: repository.spec.insecure ?? false)
        } catch {
            return (.imageURLInvalid, error.description)
        }
        let errors = repository.validate()
        if !errors.isEmpty { return (.invalidSpec, errors.map(\.description).joined(separator: "; ")) }
        for (index, pattern) in repository.exclusionList.enumerated() {
            do {
                _ = try TagPattern(pattern)
            } catch {
                return (.invalidSpec, "spec.exclusionList[\(index)]: \(error)")
            }
        }
        return nil
    }
}
