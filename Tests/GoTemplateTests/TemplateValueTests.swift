import GitOpsKit
import GoTemplate
import Testing

@Suite struct TemplateValueTests {
    @Test func helmValuesTurnEveryNumberIntoAFloat() throws {
        let value = TemplateValue(helmValues: try YAML.decode("replicas: 3\nratio: 0.5\nname: web\nlist: [1, null]\n"))
        guard case .map(let members) = value else { Issue.record("not a map: \(value)"); return }
        guard case .float(3) = members["replicas"], case .float(0.5) = members["ratio"],
            case .string("web") = members["name"], case .list(let list) = members["list"],
            case .float(1) = list.first, case .null = list.last
        else { Issue.record("unexpected members: \(members)"); return }
        #expect(value.jsonValue == .object([
            "replicas": .double(3), "ratio": .double(0.5), "name": .string("web"), "list": .array([.double(1), .null]),
        ]))
    }
}

@Suite struct TemplateValueGoTests {
    @Test func truthFollowsTextTemplate() {
        let falsy: [TemplateValue] = [.null, .bool(false), .int(0), .float(0), .string(""), .list([]), .map([:])]
        let truthy: [TemplateValue] = [.bool(true), .int(-1), .float(0.5), .string("0"), .list([.null]), .map(["": .null]),
                                       .function(TemplateFunction("f") { _ in .null })]
        #expect(falsy.allSatisfy { !$0.isTruthy })
        #expect(truthy.allSatisfy { $0.isTruthy })
    }

    @Test func kindsAndTypeNamesAreGos() {
        let values: [(TemplateValue, String, String)] = [
            (.null, "invalid", "<nil>"), (.bool(true), "bool", "bool"), (.int(1), "int", "int"), (.float(1), "float64", "float64"),
            (.string(""), "string", "string"), (.list([]), "slice", "[]interface {}"), (.map([:]), "map", "map[string]interface {}"),
        ]
        for (value, kind, type) in values {
            #expect(value.goKind == kind)
            #expect(value.goTypeName == type)
        }
        #expect(TemplateValue.function(TemplateFunction("f") { _ in .null }).goKind == "func")
    }

    @Test func deepEqualsIsReflectDeepEqual() {
        let a: TemplateValue = .map(["x": .list([.int(1), .string("s"), .null]), "y": .float(2)])
        let b: TemplateValue = .map(["y": .float(2), "x": .list([.int(1), .string("s"), .null])])
        #expect(a.deepEquals(b))
        #expect(!TemplateValue.int(1).deepEquals(.float(1)))
        #expect(!TemplateValue.list([.int(1)]).deepEquals(.list([.int(1), .int(2)])))
        #expect(!TemplateValue.map(["x": .null]).deepEquals(.map(["y": .null])))
        let f = TemplateFunction("f") { _ in .null }
        #expect(!TemplateValue.function(f).deepEquals(.function(f)))
    }
}
