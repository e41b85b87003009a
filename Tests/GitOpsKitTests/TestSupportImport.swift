// Every file of this target sees the shared fixtures (git/ssh servers, scratch directories, commands).
@_exported import GitOpsTestSupport
