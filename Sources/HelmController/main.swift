import GitOpsKit

print("helm-controller \(GitOpsKit.version)")
