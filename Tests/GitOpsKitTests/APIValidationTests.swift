import Testing
@testable import GitOpsKit

struct APIValidationTests {
    private func problems<T: FluxObject>(_ type: T.Type, _ json: JSONValue) throws -> [String] {
        try T(from: json).validate().map(\.description)
    }

    private func expectProblems<T: FluxObject>(_ type: T.Type, _ json: JSONValue, _ expected: [String],
                                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try problems(type, json)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    @Test func durationFieldsFollowTheCRDPatterns() throws {
        var json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "interval"] = "5x"
        json[path: "spec", "timeout"] = "1h"
        try expectProblems(GitRepository.self, json, [
            #"spec.interval: invalid duration "5x" (expected a number with a unit ms, s, m or h, e.g. "1m30s")"#,
            #"spec.timeout: invalid duration "1h": hours are not allowed here, use minutes (e.g. "90m")"#,
        ])
        json[path: "spec", "interval"] = "-1m"
        json[path: "spec", "timeout"] = "1us"
        try expectProblems(GitRepository.self, json, [
            #"spec.interval: invalid duration "-1m" (expected a number with a unit ms, s, m or h, e.g. "1m30s")"#,
            #"spec.timeout: invalid duration "1us" (expected a number with a unit ms, s or m, e.g. "1m30s")"#,
        ])
        json[path: "spec", "interval"] = "1h30m"
        json[path: "spec", "timeout"] = "90.5s"
        try expectProblems(GitRepository.self, json, [])
    }

    @Test func gitRepositoryRules() throws {
        var json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "url"] = "git@github.com:acme/repo.git"
        json[path: "spec", "serviceAccountName"] = "sa"
        json[path: "spec", "verify"] = ["mode": "Signed", "secretRef": ["name": ""]]
        try expectProblems(GitRepository.self, json, [
            #"spec.url: invalid URL "git@github.com:acme/repo.git": must start with http://, https://, ssh:// or file://"#,
            "spec.serviceAccountName: can only be set when spec.provider is 'azure' or 'aws'",
            #"spec.verify.mode: unsupported value "Signed" (supported: "head", "HEAD", "Tag", "TagAndHEAD")"#,
            "spec.verify.secretRef.name: required value",
        ])
        json[path: "spec", "provider"] = "azure"
        json[path: "spec", "url"] = "https://dev.azure.com/acme/_git/repo"
        json[path: "spec", "verify"] = nil
        try expectProblems(GitRepository.self, json, [])
    }

    @Test func sourceKindRules() throws {
        var helmRepo = try fixture("helmRepositoryOCI")
        helmRepo[path: "spec", "url"] = "s3://bucket"
        helmRepo[path: "spec", "type"] = "git"
        helmRepo[path: "spec", "provider"] = "github"
        try expectProblems(HelmRepository.self, helmRepo, [
            #"spec.url: invalid URL "s3://bucket": must start with http://, https:// or oci://"#,
            #"spec.type: unsupported value "git" (supported: "default", "oci")"#,
            #"spec.provider: unsupported value "github" (supported: "generic", "aws", "azure", "gcp")"#,
        ])

        var chart = try fixture("helmChartReconciled")
        chart[path: "spec", "sourceRef", "kind"] = "OCIRepository"
        chart[path: "spec", "reconcileStrategy"] = "Always"
        chart[path: "spec", "verify"] = ["provider": "cosign"]
        try expectProblems(HelmChart.self, chart, [
            #"spec.sourceRef.kind: unsupported value "OCIRepository" (supported: "HelmRepository", "GitRepository", "Bucket")"#,
            #"spec.reconcileStrategy: unsupported value "Always" (supported: "ChartVersion", "Revision")"#,
            "spec.verify: only supported when spec.sourceRef.kind is 'HelmRepository'",
        ])
    }

    @Test func kustomizationRules() throws {
        var json = try fixture("kustomizationFluxSystem")
        json[path: "spec", "sourceRef", "kind"] = "HelmRepository"
        json[path: "spec", "deletionPolicy"] = "Keep"
        json[path: "spec", "namePrefix"] = ""
        json[path: "spec", "targetNamespace"] = .string(String(repeating: "n", count: 64))
        json[path: "spec", "decryption"] = ["provider": "vault"]
        json[path: "spec", "postBuild"] = ["substituteStrategy": "Never", "substituteFrom": [["kind": "Pod", "name": ""]]]
        json[path: "spec", "buildMetadata"] = ["originAnnotations", "gitAnnotations"]
        json[path: "spec", "kubeConfig"] = ["configMapRef": ["name": "a"], "secretRef": ["name": "b"]]
        try expectProblems(Kustomization.self, json, [
            #"spec.sourceRef.kind: unsupported value "HelmRepository" (supported: "OCIRepository", "GitRepository", "Bucket", "ExternalArtifact")"#,
            #"spec.deletionPolicy: unsupported value "Keep" (supported: "MirrorPrune", "Delete", "WaitForTermination", "Orphan")"#,
            "spec.namePrefix: must not be empty",
            "spec.targetNamespace: must be at most 63 characters, got 64",
            #"spec.decryption.provider: unsupported value "vault" (supported: "sops")"#,
            #"spec.postBuild.substituteStrategy: unsupported value "Never" (supported: "WithVariables", "Always")"#,
            #"spec.postBuild.substituteFrom[0].kind: unsupported value "Pod" (supported: "Secret", "ConfigMap")"#,
            "spec.postBuild.substituteFrom[0].name: must not be empty",
            #"spec.buildMetadata[1]: unsupported value "gitAnnotations" (supported: "originAnnotations", "transformerAnnotations")"#,
            "spec.kubeConfig: configMapRef and secretRef are mutually exclusive",
        ])
    }

    @Test func helmReleaseRules() throws {
        var json = try fixture("helmReleaseWithChartTemplate")
        json[path: "spec", "chartRef"] = ["kind": "GitRepository", "name": "x"]
        json[path: "spec", "releaseName"] = .string(String(repeating: "r", count: 54))
        json[path: "spec", "install", "strategy"] = ["name": "RemediateOnFailure", "retryInterval": "1m"]
        json[path: "spec", "upgrade", "serverSideApply"] = "true"
        json[path: "spec", "uninstall", "deletionPropagation"] = "Background"
        json[path: "spec", "valuesFrom"] = [
            ["kind": "ConfigMap", "name": "v", "valuesKey": "values yaml", "targetPath": "a.b[123456]"],
        ]
        json[path: "spec", "driftDetection", "mode"] = "on"
        try expectProblems(HelmRelease.self, json, [
            "spec: either chart or chartRef must be set",
            "spec.releaseName: must be at most 53 characters, got 54",
            #"spec.chartRef.kind: unsupported value "GitRepository" (supported: "OCIRepository", "HelmChart", "ExternalArtifact")"#,
            #"spec.driftDetection.mode: unsupported value "on" (supported: "enabled", "warn", "disabled")"#,
            "spec.install.strategy.retryInterval: can only be set when spec.install.strategy.name is 'RetryOnFailure'",
            #"spec.upgrade.serverSideApply: unsupported value "true" (supported: "enabled", "disabled", "auto")"#,
            #"spec.uninstall.deletionPropagation: unsupported value "Background" (supported: "background", "foreground", "orphan")"#,
            #"spec.valuesFrom[0].valuesKey: invalid value "values yaml": must match ^[\-._a-zA-Z0-9]+$"#,
            #"spec.valuesFrom[0].targetPath: invalid value "a.b[123456]": must match ^([a-zA-Z0-9_\-.\\\/]|\[[0-9]{1,5}\])+$"#,
        ])
        json[path: "spec", "chart"] = nil
        json[path: "spec", "chartRef"] = nil
        let missing = try problems(HelmRelease.self, json)
        #expect(missing.first == "spec: either chart or chartRef must be set")
    }

    @Test func helmReleaseTargetPathPattern() {
        #expect(HelmRelease.isValidTargetPath("ingress.tls[0].secretName"))
        #expect(HelmRelease.isValidTargetPath(#"annotations.example\.com/name"#))
        #expect(HelmRelease.isValidTargetPath("list[12345]"))
        #expect(!HelmRelease.isValidTargetPath("list[123456]"))
        #expect(!HelmRelease.isValidTargetPath("list[]"))
        #expect(!HelmRelease.isValidTargetPath("a b"))
        #expect(!HelmRelease.isValidTargetPath(""))
        #expect(!HelmRelease.isValidTargetPath("a[1"))
    }

    @Test func notificationRules() throws {
        var provider = try fixture("providerSlack")
        provider[path: "spec", "type"] = "email"
        provider[path: "spec", "timeout"] = "2h"
        provider[path: "spec", "proxy"] = "socks5://proxy:1080"
        provider[path: "spec", "commitStatusExpr"] = "'x'"
        try expectProblems(Provider.self, provider, [
            #"spec.type: unsupported value "email" (supported: "slack", "discord", "msteams", "rocket", "generic", "generic-hmac", "github", "gitlab", "gitea", "giteapullrequestcomment", "bitbucketserver", "bitbucket", "azuredevops", "googlechat", "googlepubsub", "webex", "sentry", "azureeventhub", "telegram", "lark", "matrix", "opsgenie", "alertmanager", "grafana", "githubdispatch", "githubpullrequestcomment", "gitlabmergerequestcomment", "pagerduty", "datadog", "nats", "zulip", "otel", "zoom", "incident.io")"#,
            #"spec.timeout: invalid duration "2h": hours are not allowed here, use minutes (e.g. "90m")"#,
            #"spec.proxy: invalid URL "socks5://proxy:1080": must start with http:// or https://"#,
            "spec.commitStatusExpr: only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types",
        ])
        #expect(Provider.ProviderType.allowedValues.count == 34)

        var alert = try fixture("alertOnCall")
        alert[path: "spec", "eventSeverity"] = "warning"
        alert[path: "spec", "eventSources"] = [["kind": "Deployment", "name": ""]]
        try expectProblems(Alert.self, alert, [
            #"spec.eventSeverity: unsupported value "warning" (supported: "info", "error")"#,
            #"spec.eventSources[0].kind: unsupported value "Deployment" (supported: "Bucket", "GitRepository", "Kustomization", "HelmRelease", "HelmChart", "HelmRepository", "ImageRepository", "ImagePolicy", "ImageUpdateAutomation", "OCIRepository", "ArtifactGenerator", "ExternalArtifact")"#,
            "spec.eventSources[0].name: must not be empty",
        ])

        var receiver = try fixture("receiverOIDC")
        receiver[path: "spec", "secretRef"] = ["name": "token"]
        receiver[path: "spec", "oidcProviders"] = [
            ["issuerURL": "token.actions.githubusercontent.com", "validations": []],
            ["issuerURL": "token.actions.githubusercontent.com", "validations": [["expression": "true", "message": "m"]]],
        ]
        try expectProblems(Receiver.self, receiver, [
            "spec.secretRef: cannot be set when type is generic-oidc",
            #"spec.oidcProviders[0].issuerURL: invalid URL "token.actions.githubusercontent.com": must start with http:// or https://"#,
            "spec.oidcProviders[0].validations: must have at least 1 item",
            #"spec.oidcProviders[1].issuerURL: invalid URL "token.actions.githubusercontent.com": must start with http:// or https://"#,
            #"spec.oidcProviders[1].issuerURL: duplicate issuerURL "token.actions.githubusercontent.com""#,
        ])
        var github = try fixture("receiverGitHubReconciled")
        github[path: "spec", "secretRef"] = nil
        github[path: "spec", "oidcProviders"] = [["issuerURL": "https://i", "validations": [["expression": "true", "message": "m"]]]]
        try expectProblems(Receiver.self, github, [
            "spec.oidcProviders: can only be set when type is generic-oidc",
            "spec.secretRef: required when type is not generic-oidc",
        ])
        var emptyOIDC = try fixture("receiverOIDC")
        emptyOIDC[path: "spec", "oidcProviders"] = nil
        try expectProblems(Receiver.self, emptyOIDC, [
            "spec.oidcProviders: generic-oidc receivers must define at least one oidcProvider",
        ])
    }

    @Test func imageRules() throws {
        var repo = try fixture("imageRepositoryReconciled")
        repo[path: "spec", "exclusionList"] = .array(Array(repeating: "x", count: 26))
        repo[path: "spec", "provider"] = "quay"
        repo[path: "spec", "image"] = ""
        try expectProblems(ImageRepository.self, repo, [
            "spec.image: required value",
            "spec.exclusionList: must have at most 25 items, got 26",
            #"spec.provider: unsupported value "quay" (supported: "generic", "aws", "azure", "gcp")"#,
        ])

        var policy = try fixture("imagePolicyReconciled")
        policy[path: "spec", "policy", "numerical"] = ["order": "up"]
        policy[path: "spec", "digestReflectionPolicy"] = "IfNotPresent"
        try expectProblems(ImagePolicy.self, policy, [
            "spec.policy: exactly one of semver, alphabetical or numerical must be set",
            #"spec.policy.numerical.order: unsupported value "up" (supported: "asc", "desc")"#,
            "spec.interval: only accepted when spec.digestReflectionPolicy is set to 'Always'",
        ])
        policy[path: "spec", "policy", "numerical"] = nil
        policy[path: "spec", "digestReflectionPolicy"] = "Always"
        policy[path: "spec", "interval"] = nil
        try expectProblems(ImagePolicy.self, policy, [
            "spec.interval: must be set when spec.digestReflectionPolicy is set to 'Always'",
        ])

        var automation = try fixture("imageUpdateAutomationReconciled")
        automation[path: "spec", "sourceRef", "kind"] = "OCIRepository"
        automation[path: "spec", "update", "strategy"] = "Regex"
        automation[path: "spec", "git", "commit", "signingKey", "type"] = "x509"
        automation[path: "spec", "git", "commit", "author", "email"] = ""
        try expectProblems(ImageUpdateAutomation.self, automation, [
            #"spec.sourceRef.kind: unsupported value "OCIRepository" (supported: "GitRepository")"#,
            #"spec.update.strategy: unsupported value "Regex" (supported: "Setters")"#,
            "spec.git.commit.author.email: required value",
            #"spec.git.commit.signingKey.type: unsupported value "x509" (supported: "gpg", "ssh")"#,
        ])
    }
}
