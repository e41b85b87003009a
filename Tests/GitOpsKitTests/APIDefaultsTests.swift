import Testing
@testable import GitOpsKit

struct APIDefaultsTests {
    private func gitRepository(_ spec: JSONValue) throws -> GitRepository {
        try GitRepository(from: ["metadata": ["name": "r", "namespace": "ns"], "spec": spec])
    }

    @Test func gitRepositoryDefaults() throws {
        let repo = try gitRepository(["url": "https://example.com/r", "interval": "1m"])
        #expect(try repo.timeout == .seconds(60))
        #expect(try repo.interval == .minutes(1))
        #expect(repo.provider == .generic)
        #expect(repo.checkout == .branch("master"))
        #expect(repo.verificationMode == nil)
        // Defaults are accessors: nothing is written into the spec.
        #expect(repo.toJSON()[path: "spec"] == ["url": "https://example.com/r", "interval": "1m"])
    }

    @Test func gitReferencePrecedence() throws {
        func checkout(_ ref: JSONValue) throws -> GitCheckout {
            try gitRepository(["url": "ssh://git@example.com/r", "interval": "1m", "ref": ref]).checkout
        }
        #expect(try checkout(["branch": "main"]) == .branch("main"))
        #expect(try checkout(["branch": ""]) == .branch("master"))
        #expect(try checkout(["branch": "main", "tag": "v1"]) == .tag("v1"))
        #expect(try checkout(["tag": "v1", "semver": ">=1.0.0"]) == .semver(">=1.0.0"))
        #expect(try checkout(["semver": "1.x", "name": "refs/pull/420/head"]) == .refName("refs/pull/420/head"))
        #expect(try checkout(["name": "refs/pull/1/head", "commit": "abc123"]) == .commit("abc123", branch: nil))
        #expect(try checkout(["branch": "main", "commit": "abc123"]) == .commit("abc123", branch: "main"))
    }

    @Test func gitVerificationModeIsNormalised() throws {
        func mode(_ value: String?) throws -> GitRepository.VerificationMode? {
            var verify: JSONValue = ["secretRef": ["name": "keys"]]
            if let value { verify["mode"] = .string(value) }
            return try gitRepository(["url": "https://e/r", "interval": "1m", "verify": verify]).verificationMode
        }
        #expect(try mode(nil) == .head)
        #expect(try mode("head") == .head)
        #expect(try mode("Tag") == .tag)
        #expect(try mode("TagAndHEAD") == .tagAndHEAD)
    }

    @Test func invalidDurationAccessorNamesTheField() throws {
        let repo = try gitRepository(["url": "https://e/r", "interval": "5x", "timeout": "1q"])
        #expect(throws: FluxFieldError(path: "spec.interval", message: #"invalid duration "5x": unknown unit "x""#)) {
            try repo.interval
        }
        #expect(throws: FluxFieldError(path: "spec.timeout", message: #"invalid duration "1q": unknown unit "q""#)) {
            try repo.timeout
        }
    }

    private func kustomization(interval: String, timeout: String? = nil, retry: String? = nil) throws -> Kustomization {
        var spec: JSONValue = ["interval": .string(interval), "prune": true,
                               "sourceRef": ["kind": "GitRepository", "name": "flux-system"]]
        if let timeout { spec["timeout"] = .string(timeout) }
        if let retry { spec["retryInterval"] = .string(retry) }
        return try Kustomization(from: ["metadata": ["name": "k", "namespace": "ns"], "spec": spec])
    }

    @Test func kustomizationTimeoutIsIntervalMinus30sWithA30sFloor() throws {
        #expect(try kustomization(interval: "10m").timeout == .seconds(570))
        #expect(try kustomization(interval: "10m").timeout.description == "9m30s")
        #expect(try kustomization(interval: "1m").timeout == .seconds(30))
        #expect(try kustomization(interval: "40s").timeout == .seconds(30))
        #expect(try kustomization(interval: "5s").timeout == .seconds(30))
        #expect(try kustomization(interval: "10m", timeout: "2m").timeout == .minutes(2))
        #expect(try kustomization(interval: "10m", timeout: "10s").timeout == .seconds(30))
    }

    @Test func kustomizationOtherDefaults() throws {
        let ks = try kustomization(interval: "10m")
        #expect(try ks.retryInterval == .minutes(10))
        #expect(try kustomization(interval: "10m", retry: "2m").retryInterval == .minutes(2))
        #expect(ks.deletionPolicy == .mirrorPrune)
        #expect(ks.substituteStrategy == .withVariables)
        #expect(ks.deletesObjectsOnDeletion)
        #expect(ks.sourceKey == ObjectKey(namespace: "ns", name: "flux-system"))
        var orphan = ks
        orphan.spec.deletionPolicy = .orphan
        #expect(!orphan.deletesObjectsOnDeletion)
        orphan.spec.deletionPolicy = .mirrorPrune
        orphan.spec.prune = false
        #expect(!orphan.deletesObjectsOnDeletion)
        #expect(throws: FluxFieldError.self) { try kustomization(interval: "forever").timeout }
    }

    @Test func helmReleaseDefaults() throws {
        let minimal = try HelmRelease(from: [
            "metadata": ["name": "podinfo", "namespace": "apps"],
            "spec": ["interval": "10m", "chart": ["spec": ["chart": "podinfo", "sourceRef": ["kind": "HelmRepository", "name": "podinfo"]]]],
        ])
        #expect(minimal.maxHistory == 5)
        #expect(try minimal.timeout == .minutes(5))
        #expect(try minimal.installTimeout == .minutes(5))
        #expect(try minimal.uninstallTimeout == .minutes(5))
        #expect(try minimal.chartInterval == .minutes(10))
        #expect(minimal.releaseName == "podinfo")
        #expect(minimal.releaseNamespace == "apps")
        #expect(minimal.storageNamespace == "apps")
        #expect(minimal.helmChartName == "apps-podinfo")
        #expect(minimal.helmChartNamespace == "apps")
        #expect(minimal.usesPersistentClient)
        #expect(minimal.driftDetectionMode == .disabled)
        #expect(!minimal.detectsDrift)
        #expect(minimal.postRenderStrategy == .combined)
        #expect(minimal.waitStrategy == .poller)
        #expect(minimal.installCRDsPolicy == .create)
        #expect(minimal.upgradeCRDsPolicy == .skip)
        #expect(minimal.upgradeRemediationStrategy == .rollback)
        #expect(minimal.chartNameChangeStrategy == .reinstall)
        #expect(minimal.deletionPropagation == .background)
        #expect(try minimal.retryInterval(of: nil, at: "spec.install.strategy.retryInterval") == nil)
        #expect(try minimal.retryInterval(of: .init(name: .retryOnFailure), at: "x") == .minutes(5))
        #expect(try minimal.retryInterval(of: .init(name: .remediateOnFailure), at: "x") == nil)

        let full = try HelmRelease(from: fixture("helmReleaseWithChartTemplate"))
        #expect(full.maxHistory == 10)
        #expect(full.releaseName == "podinfo")
        #expect(try full.chartInterval == .minutes(5))
        #expect(full.helmChartNamespace == "flux-system")
        #expect(full.detectsDrift)
        #expect(full.deletionPropagation == .foreground)
        #expect(full.upgradeCRDsPolicy == .createReplace)
        #expect(try full.retryInterval(of: full.spec.install?.strategy, at: "spec.install.strategy.retryInterval") == .minutes(2))
        #expect(full.spec.upgrade?.remediation?.mustRemediateLastFailure == false)
        #expect(HelmRelease.UpgradeRemediation(retries: 2).mustRemediateLastFailure)
        #expect(!HelmRelease.UpgradeRemediation().mustRemediateLastFailure)
    }

    @Test func helmReleaseNameUsesTargetNamespace() throws {
        let release = try HelmRelease(from: [
            "metadata": ["name": "podinfo", "namespace": "flux-system"],
            "spec": ["interval": "1h", "targetNamespace": "apps", "timeout": "2m", "install": ["timeout": "10m"],
                     "chartRef": ["kind": "OCIRepository", "name": "podinfo"]],
        ])
        #expect(release.releaseName == "apps-podinfo")
        #expect(release.releaseNamespace == "apps")
        #expect(release.storageNamespace == "flux-system")
        #expect(try release.installTimeout == .minutes(10))
        #expect(try release.upgradeTimeout == .minutes(2))
        #expect(try release.chartInterval == nil)
    }

    @Test func helmReleaseForceAndResetRequests() throws {
        let handled = try HelmRelease(from: fixture("helmReleaseChartRefReconciled"))
        #expect(!handled.isForceRequested)
        var pending = handled
        pending.metadata.annotations?[FluxAnnotation.reconcileRequestedAt] = "token-2"
        pending.metadata.annotations?[FluxAnnotation.forceRequestedAt] = "token-2"
        #expect(pending.isForceRequested)
        #expect(!pending.isResetRequested)
        pending.metadata.annotations?[FluxAnnotation.resetRequestedAt] = "token-2"
        #expect(pending.isResetRequested)
        // forceAt must equal requestedAt.
        pending.metadata.annotations?[FluxAnnotation.forceRequestedAt] = "token-3"
        #expect(!pending.isForceRequested)
        #expect(pending.hasPendingReconcileRequest)
        #expect(handled.status?.helmChartKey == ObjectKey(namespace: "flux-system", name: "apps-redis"))
        #expect(handled.status?.latestSnapshot?.version == 3)
        #expect(handled.status?.latestSnapshot?.fullReleaseName == "apps/redis.v3")
        #expect(handled.status?.latestSnapshot?.versionedChartName == "redis@19.0.2+8a3f1e4d2c5b")
        #expect(handled.status?.lastAttemptedReleaseActionDuration == .milliseconds(41_500))
    }

    @Test func notificationAndImageDefaults() throws {
        let provider = try Provider(from: fixture("providerSlack"))
        #expect(try provider.timeout == .seconds(15))
        #expect(try Provider(from: fixture("providerGitHub")).timeout == .seconds(30))

        let alert = try Alert(from: fixture("alertOnCall"))
        #expect(alert.eventSeverity == .error)
        var infoAlert = alert
        infoAlert.spec.eventSeverity = nil
        #expect(infoAlert.eventSeverity == .info)

        let receiver = try Receiver(from: fixture("receiverOIDC"))
        #expect(try receiver.interval == .minutes(10))
        #expect(receiver.spec.oidcProviders?.first?.effectiveAudience == "flux")
        #expect(Receiver.OIDCProvider(issuerURL: "https://i", validations: []).effectiveAudience == "notification-controller")

        let imageRepo = try ImageRepository(from: fixture("imageRepositoryReconciled"))
        #expect(try imageRepo.timeout == .minutes(5))
        #expect(imageRepo.exclusionList == [#"^.*\.sig$"#, #"^.*-rc\.[0-9]+$"#])
        var bare = imageRepo
        bare.spec.exclusionList = []
        bare.spec.provider = nil
        bare.spec.interval = "500ms"
        #expect(bare.exclusionList == [#"^.*\.sig$"#])
        #expect(bare.provider == .generic)
        #expect(try bare.timeout == .seconds(1))

        let policy = try ImagePolicy(from: fixture("imagePolicyReconciled"))
        #expect(try policy.interval == .hours(1))
        #expect(policy.imageRepositoryKey == ObjectKey(namespace: "flux-system", name: "podinfo"))
        let nightly = try ImagePolicy(from: fixture("imagePolicyAlphabetical"))
        #expect(try nightly.interval == nil)
        #expect(nightly.spec.policy.alphabetical?.effectiveOrder == .ascending)
        #expect(nightly.imageRepositoryKey == ObjectKey(namespace: "flux-system", name: "app"))
        #expect(nightly.status?.latestRef == nil)
        #expect(policy.status?.latestRef?.description == "ghcr.io/stefanprodan/podinfo:5.0.3@sha256:8f1b6a2c")

        let automation = try ImageUpdateAutomation(from: fixture("imageUpdateAutomationReconciled"))
        #expect(try automation.interval == .minutes(30))
        #expect(automation.updateStrategy == .setters)
        #expect(automation.updatePath == "./clusters/my-cluster")
        #expect(automation.sourceKey == ObjectKey(namespace: "flux-system", name: "flux-system"))
        var plain = automation
        plain.spec.git?.commit.messageTemplate = nil
        plain.spec.update = nil
        #expect(plain.commitMessageTemplate == "Update from image update automation")
        #expect(plain.updateStrategy == .setters)
        #expect(plain.updatePath == "")
    }

    @Test func sourceDefaults() throws {
        let oci = try HelmRepository(from: fixture("helmRepositoryOCI"))
        #expect(oci.isOCI)
        #expect(try oci.timeout == .seconds(60))
        #expect(try oci.interval == .minutes(5))
        var noInterval = oci
        noInterval.spec.interval = nil
        #expect(try noInterval.interval == nil)
        let http = try HelmRepository(from: fixture("helmRepositoryReconciled"))
        #expect(!http.isOCI)
        #expect(http.repositoryType == .default)

        let chart = try HelmChart(from: fixture("helmChartReconciled"))
        #expect(chart.version == ">=6.0.0 <7.0.0")
        #expect(chart.reconcileStrategy == .chartVersion)
        var anyVersion = chart
        anyVersion.spec.version = nil
        #expect(anyVersion.version == "*")
    }
}
