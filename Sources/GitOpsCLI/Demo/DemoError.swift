/// Why the demo could not go on: what failed, and what to do about it when there is something to do.
struct DemoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(_ message: String) { self.message = message }
}
