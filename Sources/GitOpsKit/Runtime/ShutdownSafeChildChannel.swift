import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// A Hummingbird child channel whose accepted connections are closed, instead of trapping the process, when the
/// server stops before it serves them.
///
/// NIO hands accepted connections to the server's accept loop through a buffer. A connection still in that buffer
/// when the loop ends (the server task is cancelled, or the listener closes while the connection is being set up)
/// is dropped without `executeThenClose`, and its `NIOAsyncWriter` traps in `deinit` ("Deinited NIOAsyncWriter
/// without calling finish()"). Wrapping the base channel's value in ``ShutdownSafeConnection`` makes a dropped
/// connection close itself, so no ordering of client activity and server shutdown can crash the process.
public struct ShutdownSafeChildChannel<Base: ServerChildChannel>: ServerChildChannel
where Base.Value == NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart> {
    public typealias Value = ShutdownSafeConnection

    public let base: Base

    public init(_ base: Base) {
        self.base = base
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<ShutdownSafeConnection> {
        base.setup(channel: channel, logger: logger).map { ShutdownSafeConnection($0) }
    }

    public func handle(value: ShutdownSafeConnection, logger: Logger) async {
        guard let connection = value.claim() else { return }
        await base.handle(value: connection, logger: logger)
    }
}

/// An accepted HTTP connection that is either claimed by the server (which then owns it) or, if it is released
/// unclaimed, closed through `executeThenClose` so its writer is finished.
public final class ShutdownSafeConnection: ServerChildChannelValue {
    public let channel: any Channel
    /// The connection until the server claims it; guarded by the mutex (claimed at most once).
    private let unclaimed: Mutex<NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>?>

    init(_ connection: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>) {
        channel = connection.channel
        unclaimed = Mutex(connection)
    }

    /// Takes the connection to serve it; nil if it was already taken.
    func claim() -> NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>? {
        unclaimed.withLock { connection in
            defer { connection = nil }
            return connection
        }
    }

    deinit {
        guard let connection = claim() else { return }
        // Keeps the connection alive until `executeThenClose` has finished its writer and closed it.
        Task { try? await connection.executeThenClose { _, _ in } }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 like `.http1(configuration:)`, but cancelling or stopping the server never traps on a connection
    /// it accepted and did not get to serve (see ``ShutdownSafeChildChannel``).
    public static func shutdownSafeHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        shutdownSafe { responder in HTTP1Channel(responder: responder, configuration: configuration) }
    }

    /// Any HTTP child channel (for example `TLSChannel(HTTP1Channel(...))`) made shutdown-safe.
    public static func shutdownSafe<Base: ServerChildChannel>(
        _ build: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) throws -> Base
    ) -> HTTPServerBuilder where Base.Value == NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart> {
        HTTPServerBuilder { responder in ShutdownSafeChildChannel(try build(responder)) }
    }
}
