import Testing
@testable import GitOpsKit

/// Unsupported-field detection and decoding errors.
struct APIDecodingTests {
    @Test func unsupportedFieldsNameEveryUnmodelledPath() throws {
        var json = try fixture("gitRepositoryReconciled")
        json[path: "spec", "verify", "provider"] = "cosign"
        json[path: "spec", "include"] = [["repository": ["name": "a"], "copyMode": "merge"]]
        json[path: "spec", "sparseCheckoutMode"] = ["cone": true]
        json[path: "status", "observedFoo"] = "bar"
        json["extra"] = 1
        #expect(GitRepository.unsupportedFields(in: json) == [
            "extra",
            "spec.include[0].copyMode",
            "spec.sparseCheckoutMode",
            "spec.verify.provider",
            "status.observedFoo",
        ])
        #expect(GitRepository.unsupportedSpecFields(in: json) == [
            "spec.include[0].copyMode",
            "spec.sparseCheckoutMode",
            "spec.verify.provider",
        ])
    }

    @Test func oldApiFieldsAreReportedNotDropped() throws {
        // Fields of kustomize.toolkit.fluxcd.io/v1beta2 that v1 removed.
        var json = try fixture("kustomizationFluxSystem")
        json[path: "spec", "patchesStrategicMerge"] = [["kind": "Deployment"]]
        json[path: "spec", "validation"] = "client"
        #expect(Kustomization.unsupportedFields(in: json) == ["spec.patchesStrategicMerge", "spec.validation"])
        // The decoded object simply lacks them, so a reconciler that ignored the list would silently drop them.
        #expect(try Kustomization(from: json).toJSON()[path: "spec", "validation"] == nil)
    }

    @Test func metadataExtrasNullsAndFreeFormMapsAreNotUnsupported() throws {
        var json = try fixture("helmReleaseWithChartTemplate")
        json[path: "metadata", "generateName"] = "podinfo-"
        json[path: "metadata", "deletionGracePeriodSeconds"] = 0
        json[path: "metadata", "labels"] = ["any.domain/key": "v"]
        json[path: "spec", "values", "brandNew"] = ["nested": [1, 2]]
        json[path: "spec", "suspend"] = .null
        #expect(HelmRelease.unsupportedFields(in: json) == [])
        let release = try HelmRelease(from: json)
        #expect(release.metadata.otherFields["generateName"] == "podinfo-")
        #expect(release.toJSON()[path: "metadata", "deletionGracePeriodSeconds"] == 0)
        #expect(release.spec.suspend == nil)
    }

    @Test func unsupportedFieldsIsEmptyWhenTheObjectDoesNotDecode() throws {
        var json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "url"] = nil
        json[path: "spec", "unknown"] = true
        #expect(GitRepository.unsupportedFields(in: json) == [])
    }

    @Test func decodingErrorsNameTheField() throws {
        func error<T: FluxObject>(_ type: T.Type, _ json: JSONValue) -> String? {
            do {
                _ = try T(from: json)
                return nil
            } catch {
                return error.description
            }
        }
        var json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "interval"] = 300
        #expect(error(GitRepository.self, json) == "spec.interval: expected string, found integer")

        json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "url"] = nil
        #expect(error(GitRepository.self, json) == "spec.url: required field missing")

        json = try fixture("kustomizationAppsFull")
        json[path: "spec", "dependsOn"] = [["name": "a"], ["namespace": "b"]]
        #expect(error(Kustomization.self, json) == "spec.dependsOn[1].name: required field missing")

        json = try fixture("kustomizationAppsFull")
        json[path: "spec", "prune"] = "true"
        #expect(error(Kustomization.self, json) == "spec.prune: expected boolean, found string")

        json = try fixture("kustomizationAppsFull")
        json[path: "status", "history"] = [["digest": "sha256:1", "firstReconciled": "yesterday"]]
        #expect(error(Kustomization.self, json) == #"status.history[0].firstReconciled: invalid RFC 3339 time "yesterday""#)

        json = try fixture("helmReleaseChartRefReconciled")
        json[path: "status", "lastAttemptedReleaseActionDuration"] = "41.5 seconds"
        #expect(error(HelmRelease.self, json)?.hasPrefix(#"status.lastAttemptedReleaseActionDuration: invalid duration "41.5 seconds""#) == true)

        json = try fixture("helmReleaseChartRefReconciled")
        json[path: "spec", "maxHistory"] = 2.5
        #expect(error(HelmRelease.self, json) == "spec.maxHistory: expected integer, found number")

        json = try fixture("gitRepositoryMinimal")
        json["spec"] = nil
        #expect(error(GitRepository.self, json) == "spec: required field missing")

        json = try fixture("gitRepositoryMinimal")
        json["spec"] = ["url", "interval"]
        #expect(error(GitRepository.self, json) == "spec: expected object, found array")

        #expect(error(GitRepository.self, "not an object") == "expected object, found string")

        json = try fixture("gitRepositoryMinimal")
        json[path: "metadata", "labels"] = ["123": 4]
        #expect(error(GitRepository.self, json) == "metadata.labels.123: expected string, found integer")
    }

    @Test func wholeNumbersAreAcceptedForIntegerFields() throws {
        var json = try fixture("helmReleaseChartRefReconciled")
        json[path: "spec", "maxHistory"] = 3.0
        #expect(try HelmRelease(from: json).spec.maxHistory == 3)
    }

    @Test func apiVersionAndKindMustMatch() throws {
        var json = try fixture("kustomizationFluxSystem")
        json["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1beta2"
        #expect(throws: FluxFieldError(path: "apiVersion", message: #"expected "kustomize.toolkit.fluxcd.io/v1" for Kustomization, found "kustomize.toolkit.fluxcd.io/v1beta2""#)) {
            try Kustomization(from: json)
        }
        json = try fixture("kustomizationFluxSystem")
        json["apiVersion"] = "source.toolkit.fluxcd.io/v1"
        #expect(throws: FluxFieldError(path: "kind", message: #"expected "GitRepository", found "Kustomization""#)) {
            try GitRepository(from: json)
        }
        // Absent apiVersion/kind are accepted and filled in on encoding.
        json["apiVersion"] = nil
        json["kind"] = nil
        let decoded = try Kustomization(from: json)
        #expect(decoded.toJSON()["kind"] == "Kustomization")
        #expect(decoded.toJSON()["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1")
    }

    @Test func kindRegistryAndResourceNames() {
        let found = FluxKinds.type(for: GroupVersionKind(apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease"))
        #expect(found?.kind == HelmRelease.kind)
        let old = FluxKinds.type(for: GroupVersionKind(apiVersion: "helm.toolkit.fluxcd.io/v2beta2", kind: "HelmRelease"))
        #expect(old?.kind == nil)
        #expect(GitRepository.resource.description == "source.toolkit.fluxcd.io/v1/gitrepositories")
        #expect(ImagePolicy.mapping.namespaced)
        var plurals: Set<String> = []
        for type in FluxKinds.all { plurals.insert(type.plural) }
        #expect(plurals.count == 11)
        #expect(Alert.kind.apiVersion == "notification.toolkit.fluxcd.io/v1beta3")
        #expect(Receiver.kind.apiVersion == "notification.toolkit.fluxcd.io/v1")
        #expect(Kustomization.finalizer == "finalizers.fluxcd.io")
    }
}
