import GitOpsKit

print("kustomize-controller \(GitOpsKit.version)")
