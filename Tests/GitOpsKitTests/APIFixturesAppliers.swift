/// Realistic Kustomization and HelmRelease objects, as written by users and as reconciled.
enum APIFixturesAppliers {
    static let kustomizationFluxSystem = #"""
    {
      "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
      "kind": "Kustomization",
      "metadata": {"name": "flux-system", "namespace": "flux-system"},
      "spec": {
        "interval": "10m0s",
        "path": "./clusters/my-cluster",
        "prune": true,
        "sourceRef": {"kind": "GitRepository", "name": "flux-system"}
      }
    }
    """#

    static let kustomizationAppsFull = #"""
    {
      "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
      "kind": "Kustomization",
      "metadata": {
        "creationTimestamp": "2024-05-01T09:01:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 7,
        "labels": {"app.kubernetes.io/part-of": "apps"},
        "name": "apps",
        "namespace": "flux-system",
        "resourceVersion": "99812",
        "uid": "3d2c1b0a-9f8e-4d7c-a6b5-c4d3e2f1a0b9"
      },
      "spec": {
        "commonMetadata": {"labels": {"team": "platform"}, "annotations": {"owner": "platform@acme.io"}},
        "components": ["../../components/monitoring"],
        "decryption": {"provider": "sops", "secretRef": {"name": "sops-age"}},
        "dependsOn": [{"name": "infra-controllers"}, {"name": "crds", "namespace": "flux-system", "readyExpr": "dep.status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')"}],
        "deletionPolicy": "MirrorPrune",
        "force": false,
        "healthCheckExprs": [
          {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "current": "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
            "failed": "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')"
          }
        ],
        "healthChecks": [
          {"apiVersion": "apps/v1", "kind": "Deployment", "name": "podinfo", "namespace": "apps"},
          {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "name": "redis", "namespace": "apps"}
        ],
        "ignore": [{"paths": ["/spec/replicas"], "target": {"kind": "Deployment", "labelSelector": "autoscaling=enabled"}}],
        "images": [{"name": "ghcr.io/stefanprodan/podinfo", "newTag": "6.5.4"}, {"name": "nginx", "newName": "registry.acme.io/nginx", "digest": "sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3"}],
        "interval": "10m0s",
        "namePrefix": "prod-",
        "patches": [
          {
            "patch": "- op: replace\n  path: /spec/replicas\n  value: 3\n",
            "target": {"group": "apps", "version": "v1", "kind": "Deployment", "name": "podinfo"}
          },
          {
            "patch": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-used\ndata:\n  LOG_LEVEL: info\n",
            "target": {"kind": "ConfigMap", "annotationSelector": "config.acme.io/inject=true"}
          }
        ],
        "path": "./apps/production",
        "postBuild": {
          "substitute": {"cluster_env": "prod", "cluster_region": "eu-central-1"},
          "substituteFrom": [{"kind": "ConfigMap", "name": "cluster-vars"}, {"kind": "Secret", "name": "cluster-secret-vars", "optional": true}],
          "substituteStrategy": "WithVariables"
        },
        "prune": true,
        "retryInterval": "2m0s",
        "serviceAccountName": "apps-reconciler",
        "sourceRef": {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"},
        "targetNamespace": "apps",
        "timeout": "5m0s",
        "wait": false
      },
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T10:16:02Z",
            "message": "Applied revision: main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738",
            "observedGeneration": 7,
            "reason": "ReconciliationSucceeded",
            "status": "True",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T10:16:02Z",
            "message": "Health check passed in 2.026356042s",
            "observedGeneration": 7,
            "reason": "Succeeded",
            "status": "True",
            "type": "Healthy"
          }
        ],
        "history": [
          {
            "digest": "sha256:43ad78c94b2655429d84f21488f29d7cca9cd45b7e54d1c2ef3a3ca2c7f4ec61",
            "firstReconciled": "2024-05-02T10:15:59Z",
            "lastReconciled": "2024-05-02T10:25:59Z",
            "lastReconciledDuration": "2.026356042s",
            "lastReconciledStatus": "ReconciliationSucceeded",
            "metadata": {"revision": "main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738"},
            "totalReconciliations": 2
          },
          {
            "digest": "sha256:ec8dbfe61777b65001190260cf873ffe454451bd2e464bd6f9a154cffcdcd7e5",
            "firstReconciled": "2024-05-01T09:01:10Z",
            "lastReconciled": "2024-05-02T10:05:59Z",
            "lastReconciledDuration": "1m0.5s",
            "lastReconciledStatus": "HealthCheckFailed",
            "metadata": {"revision": "main@sha1:90d3ab1e4f1c2b7a8e9d0c1b2a3f4e5d6c7b8a90"},
            "totalReconciliations": 151
          }
        ],
        "inventory": {
          "entries": [
            {"id": "apps_podinfo_apps_Deployment", "v": "v1"},
            {"id": "apps_podinfo__Service", "v": "v1"},
            {"id": "apps_podinfo_networking.k8s.io_Ingress", "v": "v1"},
            {"id": "_apps-view_rbac.authorization.k8s.io_ClusterRole", "v": "v1"},
            {"id": "_system__aggregate-to-view_rbac.authorization.k8s.io_ClusterRole", "v": "v1"}
          ]
        },
        "lastAppliedOriginRevision": "6.5.4@sha1:b3b00fe35424a45d373bf4c7214178bc36fd7872",
        "lastAppliedRevision": "main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738",
        "lastAttemptedRevision": "main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738",
        "lastHandledReconcileAt": "2024-05-02T10:15:58.000000001Z",
        "observedGeneration": 7
      }
    }
    """#

    static let helmReleaseWithChartTemplate = #"""
    {
      "apiVersion": "helm.toolkit.fluxcd.io/v2",
      "kind": "HelmRelease",
      "metadata": {"name": "podinfo", "namespace": "apps"},
      "spec": {
        "interval": "10m",
        "timeout": "5m",
        "chart": {
          "metadata": {"labels": {"app.kubernetes.io/managed-by": "flux"}},
          "spec": {
            "chart": "podinfo",
            "version": "6.5.*",
            "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"},
            "interval": "5m",
            "reconcileStrategy": "ChartVersion",
            "valuesFiles": ["values.yaml", "values-production.yaml"]
          }
        },
        "releaseName": "podinfo",
        "targetNamespace": "apps",
        "install": {
          "crds": "Create",
          "createNamespace": true,
          "remediation": {"retries": 3},
          "strategy": {"name": "RetryOnFailure", "retryInterval": "2m"}
        },
        "upgrade": {
          "cleanupOnFail": true,
          "crds": "CreateReplace",
          "remediation": {"retries": 3, "remediateLastFailure": false, "strategy": "rollback"},
          "serverSideApply": "auto"
        },
        "test": {"enable": true, "ignoreFailures": false, "filters": [{"name": "podinfo-grpc-test", "exclude": true}]},
        "rollback": {"cleanupOnFail": true, "recreate": false},
        "uninstall": {"keepHistory": false, "deletionPropagation": "foreground"},
        "driftDetection": {
          "mode": "enabled",
          "ignore": [{"paths": ["/spec/replicas"], "target": {"kind": "Deployment"}}]
        },
        "valuesFrom": [
          {"kind": "ConfigMap", "name": "podinfo-values"},
          {"kind": "Secret", "name": "podinfo-secrets", "valuesKey": "ingress-tls.yaml", "targetPath": "ingress.tls[0].secretName", "optional": true}
        ],
        "values": {
          "replicaCount": 2,
          "resources": {"limits": {"cpu": 0.5, "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}},
          "ingress": {"enabled": true, "hosts": [{"host": "podinfo.acme.io", "paths": [{"path": "/", "pathType": "ImplementationSpecific"}]}]},
          "podAnnotations": {},
          "tolerations": [],
          "nodeSelector": null,
          "scaling": {"factor": 1.0, "threshold": 1e3, "negative": -7}
        },
        "postRenderers": [
          {
            "kustomize": {
              "patches": [{"patch": "- op: add\n  path: /metadata/labels/team\n  value: platform\n", "target": {"kind": "Deployment"}}],
              "images": [{"name": "ghcr.io/stefanprodan/podinfo", "newTag": "6.5.4"}]
            }
          }
        ],
        "commonMetadata": {"labels": {"team": "platform"}},
        "dependsOn": [{"name": "redis"}],
        "maxHistory": 10,
        "persistentClient": true,
        "serviceAccountName": "helm-apps",
        "storageNamespace": "apps",
        "waitStrategy": {"name": "poller"}
      }
    }
    """#

    static let helmReleaseChartRefReconciled = #"""
    {
      "apiVersion": "helm.toolkit.fluxcd.io/v2",
      "kind": "HelmRelease",
      "metadata": {
        "annotations": {
          "reconcile.fluxcd.io/forceAt": "2024-05-02T12:00:00.5Z",
          "reconcile.fluxcd.io/requestedAt": "2024-05-02T12:00:00.5Z"
        },
        "creationTimestamp": "2024-05-01T10:00:00Z",
        "finalizers": ["finalizers.fluxcd.io"],
        "generation": 4,
        "name": "redis",
        "namespace": "apps",
        "resourceVersion": "77301",
        "uid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
      },
      "spec": {
        "chartRef": {"kind": "OCIRepository", "name": "redis", "namespace": "flux-system"},
        "interval": "1h",
        "values": {"architecture": "standalone", "auth": {"enabled": false}}
      },
      "status": {
        "conditions": [
          {
            "lastTransitionTime": "2024-05-02T11:59:10Z",
            "message": "Helm upgrade succeeded for release apps/redis.v3 with chart redis@19.0.2+8a3f1e4d2c5b",
            "observedGeneration": 4,
            "reason": "UpgradeSucceeded",
            "status": "True",
            "type": "Ready"
          },
          {
            "lastTransitionTime": "2024-05-02T11:59:10Z",
            "message": "Helm upgrade succeeded for release apps/redis.v3 with chart redis@19.0.2+8a3f1e4d2c5b",
            "observedGeneration": 4,
            "reason": "UpgradeSucceeded",
            "status": "True",
            "type": "Released"
          },
          {
            "lastTransitionTime": "2024-05-02T11:58:00Z",
            "message": "Helm test succeeded for release apps/redis.v3 with chart redis@19.0.2+8a3f1e4d2c5b: 1 test hook completed successfully",
            "observedGeneration": 4,
            "reason": "TestSucceeded",
            "status": "True",
            "type": "TestSuccess"
          }
        ],
        "failures": 1,
        "helmChart": "flux-system/apps-redis",
        "history": [
          {
            "apiVersion": "v2",
            "action": "upgrade",
            "appVersion": "7.2.4",
            "chartName": "redis",
            "chartVersion": "19.0.2+8a3f1e4d2c5b",
            "configDigest": "sha256:7f0a8e2c1e9d3b4c5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b",
            "digest": "sha256:e1d2c3b4a5f6978877665544332211ffeeddccbbaa0099887766554433221100",
            "firstDeployed": "2024-05-01T10:01:00Z",
            "lastDeployed": "2024-05-02T11:59:08Z",
            "name": "redis",
            "namespace": "apps",
            "ociDigest": "sha256:8a3f1e4d2c5b6a7988776655443322110ffeeddccbbaa99887766554433221100",
            "status": "deployed",
            "testHooks": {
              "redis-test-connection": {"lastCompleted": "2024-05-02T11:58:00Z", "lastStarted": "2024-05-02T11:57:50Z", "phase": "Succeeded"}
            },
            "version": 3
          },
          {
            "apiVersion": "v2",
            "action": "install",
            "appVersion": "7.2.4",
            "chartName": "redis",
            "chartVersion": "19.0.1+1b2c3d4e5f6a",
            "configDigest": "sha256:1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c",
            "digest": "sha256:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "firstDeployed": "2024-05-01T10:01:00Z",
            "lastDeployed": "2024-05-01T10:01:00Z",
            "name": "redis",
            "namespace": "apps",
            "status": "superseded",
            "testHooks": {},
            "version": 1
          }
        ],
        "installFailures": 0,
        "inventory": {"entries": [{"id": "apps_redis-master_apps_StatefulSet", "v": "v1"}, {"id": "apps_redis-headless__Service", "v": "v1"}]},
        "lastAttemptedConfigDigest": "sha256:7f0a8e2c1e9d3b4c5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b",
        "lastAttemptedGeneration": 4,
        "lastAttemptedReleaseAction": "upgrade",
        "lastAttemptedReleaseActionDuration": "41.5s",
        "lastAttemptedRevision": "19.0.2+8a3f1e4d2c5b",
        "lastAttemptedRevisionDigest": "sha256:8a3f1e4d2c5b6a7988776655443322110ffeeddccbbaa99887766554433221100",
        "lastHandledForceAt": "2024-05-02T12:00:00.5Z",
        "lastHandledReconcileAt": "2024-05-02T12:00:00.5Z",
        "observedCommonMetadataDigest": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
        "observedGeneration": 4,
        "observedPostRenderersDigest": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
        "storageNamespace": "apps",
        "upgradeFailures": 1
      }
    }
    """#
}
