import GitOpsKit

print("image-automation-controller \(GitOpsKit.version)")
