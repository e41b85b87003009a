import GitOpsKit

print("notification-controller \(GitOpsKit.version)")
