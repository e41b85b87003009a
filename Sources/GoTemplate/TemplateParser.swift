enum TemplateParser {
    static func parse(name: String, text: String, functions: [String: TemplateFunction]) throws(TemplateError) -> [ParsedTemplate] {
        throw TemplateError(kind: .parse, templateName: name, line: 1, message: "not implemented yet")
    }
}
