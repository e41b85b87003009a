import GitOpsKit

print("source-controller \(GitOpsKit.version)")
