/// One parsed template: its name, the name of the text it came from, the text (for positions) and its body.
struct ParsedTemplate: Sendable {
    var name: String
    var parseName: String
    var source: SourceText
    var root: ListNode
}
