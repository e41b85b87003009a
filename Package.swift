// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode (strict concurrency) plus the upcoming features the model
/// codebases (hummingbird, swift-log) enable.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A thin controller executable: flags in `main.swift`, everything else in `GitOpsKit` (or the controller's own
/// library, `extraDependencies`).
func controller(_ name: String, product: String, path: String? = nil, extraDependencies: [Target.Dependency] = [])
    -> (Target, Product)
{
    (
        .executableTarget(
            name: name,
            dependencies: extraDependencies + [
                "GitOpsKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: path,
            swiftSettings: swiftSettings
        ),
        .executable(name: product, targets: [name])
    )
}

let controllers = [
    // The reconcilers live in the `SourceControllerKit` library (directory Sources/SourceController) so component
    // tests can drive them; the executable is its `main.swift`.
    controller("SourceController", product: "source-controller", path: "Sources/SourceControllerMain",
               extraDependencies: ["SourceControllerKit"]),
    controller("KustomizeController", product: "kustomize-controller", extraDependencies: ["KustomizeControllerKit"]),
    controller("HelmController", product: "helm-controller", extraDependencies: ["HelmControllerKit"]),
    controller("NotificationController", product: "notification-controller", extraDependencies: ["NotificationControllerKit"]),
    controller("ImageAutomation", product: "image-automation-controller", extraDependencies: ["ImageAutomationControllerKit"]),
]

let package = Package(
    name: "GitOpsKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GitOpsKit", targets: ["GitOpsKit"]),
        .library(name: "KubeEmulator", targets: ["KubeEmulator"]),
        .library(name: "Kustomize", targets: ["Kustomize"]),
        .library(name: "GoTemplate", targets: ["GoTemplate"]),
        .library(name: "HelmRender", targets: ["HelmRender"]),
        .executable(name: "kube-emulator", targets: ["KubeEmulatorMain"]),
        .executable(name: "gok", targets: ["GitOpsCLI"]),
        .executable(name: "gok-bench", targets: ["GitOpsBench"]),
    ] + controllers.map(\.1),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // No default traits: `FullFoundation` would link full Foundation (and ICU, 34 MB) into every controller and
        // `ConfigurationSupport` swift-configuration; the toolkit needs neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "GitOpsKit",
            dependencies: [
                "CGit2", "CCurl", "CYAML", "COpenSSL", "CZlib",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SourceControllerKit",
            dependencies: [
                "GitOpsKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/SourceController",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KustomizeControllerKit",
            dependencies: [
                "GitOpsKit", "Kustomize",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NotificationControllerKit",
            dependencies: [
                "GitOpsKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ImageAutomationControllerKit",
            dependencies: [
                "GitOpsKit", "GoTemplate", "HelmRender", "CYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HelmControllerKit",
            dependencies: [
                "GitOpsKit", "HelmRender", "GoTemplate", "Kustomize",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KubeEmulator",
            dependencies: [
                "GitOpsKit", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Kustomize",
            dependencies: ["GitOpsKit"],
            swiftSettings: swiftSettings
        ),
        // Go's text/template (lexer, parser, executor, builtins), and Helm's rendering layer on top of it.
        .target(name: "GoTemplate", dependencies: ["GitOpsKit"], swiftSettings: swiftSettings),
        .target(name: "HelmRender", dependencies: ["GoTemplate", "GitOpsKit"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "KubeEmulatorMain",
            dependencies: [
                "KubeEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GitOpsCLI",
            dependencies: [
                "GitOpsKit", "KubeEmulator", "Kustomize", "HelmRender", "HelmControllerKit", "KustomizeControllerKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `gok demo` serves its Helm repository and webhook itself.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GitOpsBench",
            dependencies: [
                "GitOpsKit", "KubeEmulator", "Kustomize", "HelmRender", "GitOpsTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real git/ssh servers, scratch directories and command helpers shared by the test targets and gok-bench.
        .target(
            name: "GitOpsTestSupport",
            dependencies: ["GitOpsKit"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GitOpsKitTests",
            dependencies: [
                "GitOpsKit", "KubeEmulator", "GitOpsTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["GitOpsKit", "KubeEmulator", "GitOpsTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SourceControllerTests",
            dependencies: [
                "SourceControllerKit", "GitOpsKit", "KubeEmulator", "GitOpsTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KustomizeControllerTests",
            dependencies: [
                "KustomizeControllerKit", "Kustomize", "GitOpsKit", "KubeEmulator", "GitOpsTestSupport", "SourceControllerKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KustomizeTests",
            dependencies: ["Kustomize", "GitOpsKit"],
            exclude: ["Corpus", "GeneratorCorpus"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GoTemplateTests",
            dependencies: ["GoTemplate", "GitOpsKit", "GitOpsTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HelmRenderTests",
            dependencies: ["HelmRender", "GoTemplate", "GitOpsKit", "GitOpsTestSupport"],
            exclude: ["Charts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationControllerTests",
            dependencies: [
                "NotificationControllerKit", "GitOpsKit", "KubeEmulator", "GitOpsTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HelmControllerTests",
            dependencies: [
                "HelmControllerKit", "GitOpsKit", "KubeEmulator", "GitOpsTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ImageAutomationTests",
            dependencies: [
                "ImageAutomationControllerKit", "GitOpsKit", "KubeEmulator", "GitOpsTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeEmulatorTests",
            dependencies: ["KubeEmulator", "GitOpsKit"],
            swiftSettings: swiftSettings
        ),
    ] + controllers.map(\.0)
)
