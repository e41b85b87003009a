import GitOpsKit
import Logging

/// Builds image-automation-controller inside a ``Manager``: the ImageRepository, ImagePolicy and
/// ImageUpdateAutomation reconcilers (Flux splits them over image-reflector- and image-automation-controller; here
/// one binary runs all three).
public enum ImageAutomationSetup {
    public static func register(on manager: Manager, storagePath: String, logger: Logger) {
        registerReflector(on: manager, storagePath: storagePath, logger: logger)
        registerUpdateAutomation(on: manager, workDirectory: storagePath + "/update-work", logger: logger)
    }
}
