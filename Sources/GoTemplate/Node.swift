final class SourceText: Sendable {
    let text: [UInt8]
    init(_ text: [UInt8]) { self.text = text }
}
final class ListNode: Sendable {
    let position: Int
    let nodes: [Node]
    init(position: Int, nodes: [Node]) {
        self.position = position
        self.nodes = nodes
    }
    var isEmptyTree: Bool { nodes.isEmpty }
}
enum Node: Sendable {
    case text(Int)
}
