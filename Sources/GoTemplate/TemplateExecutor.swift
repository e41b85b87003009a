struct TemplateExecutor {
    let set: TemplateSet
    mutating func run(_ template: ParsedTemplate, data: TemplateValue) throws(TemplateError) -> String {
        throw TemplateError(kind: .other, templateName: template.name, message: "not implemented yet")
    }
}
