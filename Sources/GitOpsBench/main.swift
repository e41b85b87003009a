import GitOpsKit
