import ArgumentParser
import GitOpsKit

/// Runs a command body, turning failures into one `✗` line on stderr and exit status 1 (usage errors stay with
/// ArgumentParser).
enum CLIRun {
    static func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as KubeError {
            Terminal.failure(error.code == .notFound ? "\(error.message)" : "\(error)")
            throw ExitCode(1)
        } catch {
            Terminal.failure("\(error)")
            throw ExitCode(1)
        }
    }
}
