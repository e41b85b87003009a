/// Realistic notification-controller and image automation objects.
enum APIFixturesNotificationImage {
    static let providerSlack = #"""
    {
      "apiVersion": "notification.toolkit.fluxcd.io/v1beta3",
      "kind": "Provider",
      "metadata": {"name": "slack-bot", "namespace": "flux-system"},
      "spec": {"type": "slack", "channel": "general", "address": "https://slack.com/api/chat.postMessage", "secretRef": {"name": "slack-bot-token"}}
    }
    """#

    static let providerGitHub = #"""
    {
      "apiVersion": "notification.toolkit.fluxcd.io/v1beta3",
      "kind": "Provider",
      "metadata": {"name": "github-status", "namespace": "flux-system", "generation": 2, "uid": "55aa66bb-77cc-48dd-99ee-00ff11aa22bb"},
      "spec": {
        "type": "github",
        "address": "https://github.com/acme/fleet-infra",
        "secretRef": {"name": "github-token"},
        "timeout": "30s",
        "commitStatusExpr": "(event.involvedObject.kind + '/' + event.involvedObject.name + '/' + event.metadata.foo + '/' + provider.metadata.uid.split('-').first().value()).lowerAscii()",
        "certSecretRef": {"name": "github-ca"},
        "proxySecretRef": {"name": "corp-proxy"},
        "suspend": false
      }
    }
    """#

    static let alertOnCall = #"""
    {
      "apiVersion": "notification.toolkit.fluxcd.io/v1beta3",
      "kind": "Alert",
      "metadata": {"name": "on-call-webapp", "namespace": "flux-system"},
      "spec": {
        "summary": "production cluster",
        "providerRef": {"name": "slack-bot"},
        "eventSeverity": "error",
        "eventSources": [
          {"kind": "GitRepository", "name": "*"},
          {"kind": "Kustomization", "name": "*", "matchLabels": {"team": "platform"}},
          {"kind": "HelmRelease", "name": "podinfo", "namespace": "apps"}
        ],
        "eventMetadata": {"env": "production", "cluster": "eu-central-1"},
        "inclusionList": [".*succeeded.*"],
        "exclusionList": ["^Dependencies.*"]
      }
    }
    """#

    static let receiverGitHubReconciled = #"""
    {
      "apiVersion": "notification.toolkit.fluxcd.io/v1",
      "kind": "Receiver",
      "metadata": {
        "creationTimestamp": "2024-05-01T09:05:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 1,
        "name": "github-receiver",
        "namespace": "flux-system",
        "resourceVersion": "3400",
        "uid": "c0ffee00-1234-4567-89ab-cdef01234567"
      },
      "spec": {
        "type": "github",
        "events": ["ping", "push"],
        "secretRef": {"name": "receiver-token"},
        "resources": [
          {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "name": "flux-system"},
          {"kind": "GitRepository", "name": "*", "matchLabels": {"repo": "fleet"}, "filter": "request.body.ref == 'refs/heads/main'"}
        ],
        "resourceFilter": "has(res.metadata.annotations) && res.metadata.annotations['deploy'] == 'auto'",
        "interval": "10m"
      },
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-01T09:05:01Z",
            "message": "Receiver initialized for path: /hook/bed6d00b5555b1603e1f59b94d7fdbca58089cb5663633fb83f2815dc626d92b",
            "observedGeneration": 1,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          }
        ],
        "observedGeneration": 1,
        "webhookPath": "/hook/bed6d00b5555b1603e1f59b94d7fdbca58089cb5663633fb83f2815dc626d92b"
      }
    }
    """#

    static let receiverOIDC = #"""
    {
      "apiVersion": "notification.toolkit.fluxcd.io/v1",
      "kind": "Receiver",
      "metadata": {"name": "ci-oidc", "namespace": "flux-system"},
      "spec": {
        "type": "generic-oidc",
        "resources": [{"kind": "OCIRepository", "name": "app"}],
        "oidcProviders": [
          {
            "issuerURL": "https://token.actions.githubusercontent.com",
            "audience": "flux",
            "variables": [{"name": "repo", "expression": "claims.repository"}],
            "validations": [{"expression": "variables.repo == 'acme/app'", "message": "wrong repository"}]
          }
        ]
      }
    }
    """#

    static let imageRepositoryReconciled = #"""
    {
      "apiVersion": "image.toolkit.fluxcd.io/v1",
      "kind": "ImageRepository",
      "metadata": {
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 1,
        "name": "podinfo",
        "namespace": "flux-system",
        "resourceVersion": "8123",
        "uid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
      },
      "spec": {
        "image": "ghcr.io/stefanprodan/podinfo",
        "interval": "5m",
        "provider": "generic",
        "exclusionList": ["^.*\\.sig$", "^.*-rc\\.[0-9]+$"],
        "accessFrom": {"namespaceSelectors": [{"matchLabels": {"kubernetes.io/metadata.name": "apps"}}]}
      },
      "status": {
        "canonicalImageName": "ghcr.io/stefanprodan/podinfo",
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T10:20:00Z",
            "message": "successful scan: found 42 tags",
            "observedGeneration": 1,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          }
        ],
        "lastScanResult": {
          "latestTags": ["latest", "6.5.4", "6.5.3", "6.5.2", "6.5.1", "6.5.0", "6.4.1", "6.4.0", "6.3.6", "6.3.5"],
          "revision": "8b5f8d2c0e1a3f4b",
          "scanTime": "2024-05-02T10:20:00Z",
          "tagCount": 42
        },
        "observedExclusionList": ["^.*\\.sig$", "^.*-rc\\.[0-9]+$"],
        "observedGeneration": 1
      }
    }
    """#

    static let imagePolicyReconciled = #"""
    {
      "apiVersion": "image.toolkit.fluxcd.io/v1",
      "kind": "ImagePolicy",
      "metadata": {"generation": 2, "name": "podinfo", "namespace": "flux-system"},
      "spec": {
        "imageRepositoryRef": {"name": "podinfo"},
        "policy": {"semver": {"range": "5.0.x"}},
        "filterTags": {"pattern": "^v(?P<version>.*)$", "extract": "$version"},
        "digestReflectionPolicy": "Always",
        "interval": "1h"
      },
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T10:21:00Z",
            "message": "Latest image tag for ghcr.io/stefanprodan/podinfo resolved to 5.0.3 with digest sha256:8f1b6a2c",
            "observedGeneration": 2,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          }
        ],
        "latestRef": {"name": "ghcr.io/stefanprodan/podinfo", "tag": "5.0.3", "digest": "sha256:8f1b6a2c"},
        "observedGeneration": 2,
        "observedPreviousRef": {"name": "ghcr.io/stefanprodan/podinfo", "tag": "5.0.2"}
      }
    }
    """#

    static let imagePolicyAlphabetical = #"""
    {
      "apiVersion": "image.toolkit.fluxcd.io/v1",
      "kind": "ImagePolicy",
      "metadata": {"name": "nightly", "namespace": "apps"},
      "spec": {
        "imageRepositoryRef": {"name": "app", "namespace": "flux-system"},
        "policy": {"alphabetical": {"order": "asc"}},
        "filterTags": {"pattern": "^main-[a-f0-9]+-(?P<ts>[0-9]+)", "extract": "$ts"},
        "digestReflectionPolicy": "Never"
      }
    }
    """#

    static let imageUpdateAutomationReconciled = #"""
    {
      "apiVersion": "image.toolkit.fluxcd.io/v1",
      "kind": "ImageUpdateAutomation",
      "metadata": {"generation": 1, "name": "flux-system", "namespace": "flux-system", "finalizers": ["finalizers.fluxcd.io"]},
      "spec": {
        "interval": "30m",
        "sourceRef": {"kind": "GitRepository", "name": "flux-system"},
        "git": {
          "checkout": {"ref": {"branch": "main"}},
          "commit": {
            "author": {"email": "fluxcdbot@users.noreply.github.com", "name": "fluxcdbot"},
            "messageTemplate": "Automated image update\n\n{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}\n",
            "messageTemplateValues": {"env": "production"},
            "signingKey": {"secretRef": {"name": "signing-key"}, "type": "ssh"}
          },
          "push": {"branch": "main", "options": {"ci.skip": ""}}
        },
        "policySelector": {"matchLabels": {"env": "production"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend", "backend"]}]},
        "update": {"path": "./clusters/my-cluster", "strategy": "Setters"}
      },
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T10:30:00Z",
            "message": "repository up-to-date",
            "observedGeneration": 1,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          }
        ],
        "lastAutomationRunTime": "2024-05-02T10:30:00Z",
        "lastPushCommit": "3f4e5d6c7b8a90123456789abcdef0123456789a",
        "lastPushTime": "2024-05-02T09:00:00Z",
        "observedGeneration": 1,
        "observedPolicies": {
          "podinfo": {"name": "ghcr.io/stefanprodan/podinfo", "tag": "5.0.3", "digest": "sha256:8f1b6a2c"}
        },
        "observedSourceRevision": "main@sha1:3f4e5d6c7b8a90123456789abcdef0123456789a"
      }
    }
    """#
}
