import ArgumentParser
import GitOpsKit
import Logging
import NotificationControllerKit

/// `notification-controller`: forwards events to Slack and webhooks and turns incoming webhooks into reconciles.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notification-controller", abstract: "forwards events to Slack and webhooks and turns incoming webhooks into reconciles.", version: GitOpsKit.version)

    @OptionGroup var flags: ControllerFlags

    @Option(name: [.customLong("receiverAddr"), .customLong("receiver-addr")], help: "The address the webhook receiver binds to.")
    var receiverAddress = ":9292"

    @Option(name: .customLong("rate-limit-interval"), help: "Identical events within this interval are dropped (429).")
    var rateLimitInterval = FlagDuration(.seconds(300), text: "5m")

    func validate() throws {
        if ListenAddress(receiverAddress) == nil { throw ValidationError("--receiverAddr: invalid address \"\(receiverAddress)\" (want host:port)") }
        if !flags.eventsAddress.isEmpty, ListenAddress(flags.eventsAddress) == nil {
            throw ValidationError("--events-addr: notification-controller listens there: want host:port, got \"\(flags.eventsAddress)\"")
        }
    }

    func run() async throws {
        let events = flags.eventsAddress.isEmpty ? NotificationControllerSetup.defaultEventsAddress : ListenAddress(flags.eventsAddress)!
        let receivers = ListenAddress(receiverAddress)!
        try await ControllerProcess.run(name: "notification-controller", flags: flags, defaultConcurrency: 4) { manager, logger in
            NotificationControllerSetup.register(on: manager, eventsAddress: events, receiverAddress: receivers,
                                                 rateLimit: rateLimitInterval.duration, logger: logger)
        }
    }
}

ControllerCommand.mainNormalizingGoFlags()
