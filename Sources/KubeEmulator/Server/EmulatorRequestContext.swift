import Foundation
import Hummingbird
import Logging
import NIOCore

/// The request context: Hummingbird's core storage plus the connection, whose closing ends a watch.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
