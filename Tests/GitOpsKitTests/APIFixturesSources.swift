/// Realistic source-controller objects: as users write them, and as stored after reconciliation (full status as
/// source-controller writes it, plus the metadata the API server adds).
enum APIFixturesSources {
    static let gitRepositoryMinimal = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "GitRepository",
      "metadata": {"name": "podinfo", "namespace": "flux-system"},
      "spec": {
        "interval": "5m0s",
        "url": "https://github.com/stefanprodan/podinfo",
        "ref": {"branch": "master"},
        "ignore": "# exclude all\n/*\n# include deploy dir\n!/deploy\n"
      }
    }
    """#

    static let gitRepositoryReconciled = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "GitRepository",
      "metadata": {
        "annotations": {
          "reconcile.fluxcd.io/requestedAt": "2024-05-02T10:15:30.123456789Z"
        },
        "creationTimestamp": "2024-05-01T09:00:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 3,
        "labels": {"kustomize.toolkit.fluxcd.io/name": "flux-system", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"},
        "managedFields": [
          {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:interval": {}, "f:ref": {"f:branch": {}}, "f:url": {}}},
            "manager": "kustomize-controller",
            "operation": "Apply",
            "time": "2024-05-01T09:00:00Z"
          },
          {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:status": {"f:artifact": {}, "f:conditions": {}}},
            "manager": "source-controller",
            "operation": "Update",
            "subresource": "status",
            "time": "2024-05-02T10:15:31Z"
          }
        ],
        "name": "flux-system",
        "namespace": "flux-system",
        "resourceVersion": "48213",
        "uid": "8c1f3c2e-6a0e-4a5f-9c59-1e2a3b4c5d6e"
      },
      "spec": {
        "interval": "1m0s",
        "ref": {"branch": "main"},
        "secretRef": {"name": "flux-system"},
        "timeout": "60s",
        "url": "ssh://git@github.com/acme/fleet-infra",
        "include": [
          {"repository": {"name": "shared-config"}, "fromPath": "deploy", "toPath": "shared"}
        ],
        "verify": {"mode": "HEAD", "secretRef": {"name": "pgp-public-keys"}},
        "recurseSubmodules": false,
        "sparseCheckout": ["clusters/production", "infrastructure"]
      },
      "status": {
        "artifact": {
          "digest": "sha256:3b0e8e8f0e0f9a3c0b1f7f8a6b8f6c2d9a5f2c1e0d3b4a5c6d7e8f9a0b1c2d3e",
          "lastUpdateTime": "2024-05-02T10:15:31Z",
          "path": "gitrepository/flux-system/flux-system/5394cb7f48332b2de7c17dd8b8384bbc84b7e738.tar.gz",
          "revision": "main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738",
          "size": 91318,
          "url": "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/5394cb7f48332b2de7c17dd8b8384bbc84b7e738.tar.gz"
        },
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T10:15:31Z",
            "message": "stored artifact for revision 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738'",
            "observedGeneration": 3,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T10:15:31Z",
            "message": "stored artifact for revision 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738'",
            "observedGeneration": 3,
            "reason": "Succeeded",
            "status": "True",
            "type": "ArtifactInStorage"
          },
          {
            "lastTransitionTime": "2024-05-02T10:15:31Z",
            "message": "verified signature of commit 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738'",
            "observedGeneration": 3,
            "reason": "Succeeded",
            "status": "True",
            "type": "SourceVerified"
          }
        ],
        "includedArtifacts": [
          {
            "digest": "sha256:9f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100",
            "lastUpdateTime": "2024-05-02T10:10:00Z",
            "path": "gitrepository/flux-system/shared-config/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d.tar.gz",
            "revision": "main@sha1:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d",
            "size": 2048,
            "url": "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/shared-config/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d.tar.gz"
          }
        ],
        "lastHandledReconcileAt": "2024-05-02T10:15:30.123456789Z",
        "observedGeneration": 3,
        "observedInclude": [
          {"repository": {"name": "shared-config"}, "fromPath": "deploy", "toPath": "shared"}
        ],
        "observedSparseCheckout": ["clusters/production", "infrastructure"],
        "sourceVerificationMode": "HEAD"
      }
    }
    """#

    static let helmRepositoryReconciled = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "HelmRepository",
      "metadata": {
        "creationTimestamp": "2024-04-30T08:00:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 1,
        "name": "podinfo",
        "namespace": "flux-system",
        "resourceVersion": "1200",
        "uid": "0a6f4e1c-8a33-4e5d-b4f9-3f4c9b0a1d2e"
      },
      "spec": {
        "interval": "10m0s",
        "url": "https://stefanprodan.github.io/podinfo",
        "timeout": "1m0s",
        "secretRef": {"name": "podinfo-basic-auth"},
        "passCredentials": false
      },
      "status": {
        "artifact": {
          "digest": "sha256:d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
          "lastUpdateTime": "2024-05-02T08:00:00Z",
          "path": "helmrepository/flux-system/podinfo/index-d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b.yaml",
          "revision": "sha256:d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
          "size": 43126,
          "url": "http://source-controller.flux-system.svc.cluster.local./helmrepository/flux-system/podinfo/index-d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b.yaml"
        },
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T08:00:00Z",
            "message": "stored artifact: revision 'sha256:d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b'",
            "observedGeneration": 1,
            "reason": "Succeeded",
            "status": "True",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T08:00:00Z",
            "message": "stored artifact: revision 'sha256:d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b'",
            "observedGeneration": 1,
            "reason": "Succeeded",
            "status": "True",
            "type": "ArtifactInStorage"
          }
        ],
        "observedGeneration": 1,
        "url": "http://source-controller.flux-system.svc.cluster.local./helmrepository/flux-system/podinfo/index.yaml"
      }
    }
    """#

    static let helmRepositoryOCI = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "HelmRepository",
      "metadata": {"name": "podinfo-oci", "namespace": "apps"},
      "spec": {
        "type": "oci",
        "interval": "5m0s",
        "url": "oci://ghcr.io/stefanprodan/charts",
        "provider": "generic",
        "certSecretRef": {"name": "registry-tls"},
        "accessFrom": {"namespaceSelectors": [{"matchLabels": {"kubernetes.io/metadata.name": "flux-system"}}]}
      }
    }
    """#

    static let helmChartReconciled = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "HelmChart",
      "metadata": {
        "creationTimestamp": "2024-05-01T12:00:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 2,
        "labels": {"helm.toolkit.fluxcd.io/name": "podinfo", "helm.toolkit.fluxcd.io/namespace": "apps"},
        "name": "apps-podinfo",
        "namespace": "flux-system",
        "ownerReferences": [],
        "resourceVersion": "5522",
        "uid": "f1e2d3c4-b5a6-4978-8877-665544332211"
      },
      "spec": {
        "chart": "podinfo",
        "interval": "5m",
        "reconcileStrategy": "ChartVersion",
        "sourceRef": {"kind": "HelmRepository", "name": "podinfo"},
        "valuesFiles": ["values.yaml", "values-production.yaml"],
        "ignoreMissingValuesFiles": true,
        "version": ">=6.0.0 <7.0.0"
      },
      "status": {
        "artifact": {
          "digest": "sha256:8e2d9f5b6a7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
          "lastUpdateTime": "2024-05-02T09:30:00Z",
          "path": "helmchart/flux-system/apps-podinfo/podinfo-6.5.4.tgz",
          "revision": "6.5.4+2",
          "size": 14230,
          "url": "http://source-controller.flux-system.svc.cluster.local./helmchart/flux-system/apps-podinfo/podinfo-6.5.4.tgz"
        },
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T09:30:00Z",
            "message": "pulled 'podinfo' chart with version '6.5.4+2'",
            "observedGeneration": 2,
            "reason": "ChartPullSucceeded",
            "status": "True",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T09:30:00Z",
            "message": "pulled 'podinfo' chart with version '6.5.4+2'",
            "observedGeneration": 2,
            "reason": "ChartPullSucceeded",
            "status": "True",
            "type": "ArtifactInStorage"
          }
        ],
        "observedChartName": "podinfo",
        "observedGeneration": 2,
        "observedSourceArtifactRevision": "sha256:d9b7f8f2f0a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
        "observedValuesFiles": ["values.yaml", "values-production.yaml"],
        "url": "http://source-controller.flux-system.svc.cluster.local./helmchart/flux-system/apps-podinfo/latest.tar.gz"
      }
    }
    """#

    /// A GitRepository that failed: Ready=False with Stalled, as source-controller reports a bad secret.
    static let gitRepositoryFailing = #"""
    {
      "apiVersion": "source.toolkit.fluxcd.io/v1",
      "kind": "GitRepository",
      "metadata": {"generation": 1, "name": "private", "namespace": "flux-system"},
      "spec": {"interval": "1m", "url": "https://github.com/acme/private", "secretRef": {"name": "missing"}},
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T11:00:00Z",
            "message": "failed to get secret 'flux-system/missing': secrets \"missing\" not found",
            "observedGeneration": 1,
            "reason": "AuthenticationFailed",
            "status": "True",
            "type": "FetchFailed"
          },
          {
            "lastTransitionTime": "2024-05-02T11:00:00Z",
            "message": "failed to get secret 'flux-system/missing': secrets \"missing\" not found",
            "observedGeneration": 1,
            "reason": "AuthenticationFailed",
            "status": "False",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T11:00:00Z",
            "message": "building artifact",
            "observedGeneration": 1,
            "reason": "ProgressingWithRetry",
            "status": "True",
            "type": "Reconciling"
          }
        ],
        "observedGeneration": -1
      }
    }
    """#
}
