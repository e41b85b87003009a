import GitOpsKit
print("gok \(GitOpsKit.version)")
