import Logging

extension ControllerFlags {
    /// The Kubernetes client these flags describe: `--kubeconfig` (else `KUBECONFIG`, `~/.kube/config`, then the
    /// in-cluster service account), `--context`, and `--kube-api-qps`/`--kube-api-burst`.
    /// - Throws: `KubeError(.configuration)` naming what is missing or malformed.
    public func makeKubeClient(logger: Logger) throws(KubeError) -> KubeClient {
        let config: KubeConfig
        if let kubeconfig, !kubeconfig.isEmpty {
            config = try KubeConfig.load(kubeconfigPaths: [kubeconfig], context: context)
        } else {
            config = try KubeConfig.load(context: context)
        }
        return KubeClient(config: config, options: KubeClient.Options(qps: kubeAPIQPS, burst: kubeAPIBurst), logger: logger)
    }
}
