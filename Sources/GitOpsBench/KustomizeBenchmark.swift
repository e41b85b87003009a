import ArgumentParser
import Foundation
import GitOpsKit
import Kustomize

/// The in-process kustomize engine against `kubectl kustomize` on a 3-level overlay of 50 resources, and the
/// memory of 1,000 builds of a small overlay in one process.
struct KustomizeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kustomize",
        abstract: "Kustomize build: engine vs kubectl kustomize (budget ≥ 3× faster); 1,000 builds without RSS growth.")

    @Option(help: "Timed builds of the large overlay per tool.")
    var runs = 5

    @Option(help: "Builds of the small overlay in one process.")
    var builds = 1_000

    func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gok-bench-kustomize-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try KustomizeBenchTree.write(root: root, resources: 50)
        let builder = try KustomizeBuilder(root: root)

        let reference = try Self.kubectl(root + "/top")
        let ours = YAML.encodeAll(try builder.build(path: "top"))
        print("3-level overlay, 50 resources: output \(ours == reference ? "identical to" : "DIFFERS from") kubectl kustomize")

        var engine: [Double] = []
        var kubectl: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = YAML.encodeAll(try builder.build(path: "top"))
            engine.append(Self.seconds(ContinuousClock.now - start))
            let kubectlStart = ContinuousClock.now
            _ = try Self.kubectl(root + "/top")
            kubectl.append(Self.seconds(ContinuousClock.now - kubectlStart))
        }
        let engineMedian = Self.median(engine)
        let kubectlMedian = Self.median(kubectl)
        let speedup = kubectlMedian / max(engineMedian, 1e-9)
        print(String(format: "engine %.2f ms, kubectl kustomize %.2f ms (medians of %d): %.1f× faster (budget ≥ 3×): %@",
                     engineMedian * 1000, kubectlMedian * 1000, runs, speedup, speedup >= 3 ? "PASS" : "FAIL"))

        let before = Self.rssMiB()
        for _ in 0..<builds { _ = YAML.encodeAll(try builder.build(path: "small")) }
        let middle = Self.rssMiB()
        for _ in 0..<builds { _ = YAML.encodeAll(try builder.build(path: "small")) }
        let after = Self.rssMiB()
        print(String(format: "%d small builds: RSS before %.1f MiB, after %d %.1f MiB, after %d %.1f MiB (growth in second half %.1f MiB)",
                     builds, before, builds, middle, 2 * builds, after, after - middle))
    }

    static func kubectl(_ directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "kustomize", directory]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func rssMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return digits / 1024
        }
        return 0
    }
}

/// The benchmark's overlays: `base` (50 resources) ← `mid` (prefix, labels, images, patches) ← `top`
/// (namespace, suffix, annotations, replicas, JSON patches), and a small one-level overlay.
enum KustomizeBenchTree {
    static func write(root: String, resources: Int) throws {
        var base = "resources:\n"
        for i in 0..<resources {
            let name = "svc\(i)"
            let text: String
            switch i % 5 {
            case 0:
                text = """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: \(name)
                    spec:
                      selector:
                        matchLabels: {app: \(name)}
                      template:
                        metadata:
                          labels: {app: \(name)}
                        spec:
                          serviceAccountName: sa\(i + 3)
                          containers:
                          - name: app
                            image: nginx:1.25
                            envFrom:
                            - configMapRef: {name: cm\(i + 1)}
                            - secretRef: {name: secret\(i + 2)}

                    """
            case 1: text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\(i)\ndata:\n  key: value\(i)\n"
            case 2: text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret\(i)\nstringData:\n  token: t\(i)\n"
            case 3: text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\(i)\n"
            default:
                text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: \(name)\nspec:\n  selector: {app: svc\(i - 4)}\n  ports:\n  - port: 80\n"
            }
            try file(root + "/base/r\(i).yaml", text)
            base += "- r\(i).yaml\n"
        }
        try file(root + "/base/kustomization.yaml", base)
        try file(root + "/mid/kustomization.yaml", """
            resources:
            - ../base
            namePrefix: mid-
            labels:
            - pairs: {tier: backend}
              includeSelectors: true
            images:
            - name: nginx
              newTag: "1.27"
            patches:
            - target: {kind: Deployment}
              patch: |-
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: any
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        resources:
                          limits: {memory: 128Mi}

            """)
        try file(root + "/top/kustomization.yaml", """
            resources:
            - ../mid
            namespace: production
            nameSuffix: -prod
            commonAnnotations:
              owner: platform
            replicas:
            - name: mid-svc0
              count: 3
            patches:
            - target: {kind: Service}
              patch: |-
                - op: add
                  path: /metadata/labels/exposed
                  value: "true"

            """)
        // kustomize restricts files to the kustomization's directory: the small overlay has its own copies.
        try file(root + "/small/kustomization.yaml", "resources:\n- r0.yaml\n- r1.yaml\nnamePrefix: s-\nnamespace: small\n")
        try FileManager.default.copyItem(atPath: root + "/base/r0.yaml", toPath: root + "/small/r0.yaml")
        try FileManager.default.copyItem(atPath: root + "/base/r1.yaml", toPath: root + "/small/r1.yaml")
    }

    private static func file(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
