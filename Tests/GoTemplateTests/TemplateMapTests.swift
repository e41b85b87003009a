import GitOpsKit
import GoTemplate
import Testing

/// Go maps are references: a change through one holder shows through every other.
@Suite struct TemplateMapTests {
    /// A set with Sprig-like `dict`, `set` and `unset`, mutating their argument as Go's do.
    static func render(_ text: String, data: TemplateValue = .null) throws -> String {
        let functions: [TemplateFunction] = [
            TemplateFunction("dict") { args in
                var members: [String: TemplateValue] = [:]
                for index in stride(from: 0, to: args.count - 1, by: 2) {
                    if case .string(let key) = args[index] { members[key] = args[index + 1] }
                }
                return .map(members)
            },
            TemplateFunction("set", signature: .init([.dictionary, .string, .any])) { args in
                guard case .dict(let map) = args[0], case .string(let key) = args[1] else { return .null }
                map.setValue(args[2], forKey: key)
                return args[0]
            },
            TemplateFunction("unset", signature: .init([.dictionary, .string])) { args in
                guard case .dict(let map) = args[0], case .string(let key) = args[1] else { return .null }
                map.removeValue(forKey: key)
                return args[0]
            },
        ]
        var set = TemplateSet(functions: Dictionary(uniqueKeysWithValues: functions.map { ($0.name, $0) }), missingKey: .zero)
        try set.parse(name: "t", text: text)
        return try set.execute("t", data: data)
    }

    @Test func setChangesTheMapEveryHolderSees() throws {
        #expect(try Self.render(#"{{ $d := dict "a" 1 }}{{ $e := $d }}{{ $_ := set $d "b" 2 }}{{ $e }}"#)
            == "map[a:1 b:2]")
        #expect(try Self.render(#"{{ $_ := set .inner "x" "y" }}{{ $_ := unset .inner "gone" }}{{ .inner }}"#,
                                data: .map(["inner": .map(["gone": .int(1)])])) == "map[x:y]")
        #expect(try Self.render(#"{{ $d := dict }}{{ $m := dict "m" $d }}{{ $_ := set $d "k" "v" }}{{ index $m "m" }}"#)
            == "map[k:v]")
    }

    @Test func mapParametersAreCheckedAtTheArgument() throws {
        var set = TemplateSet(functions: ["set": TemplateFunction("set", signature: .init([.dictionary, .string, .any])) { $0[0] }],
                              missingKey: .zero)
        try set.parse(name: "t", text: #"{{ set .missing "k" 1 }}"#)
        do {
            _ = try set.execute("t", data: .map([:]))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == #"template: t:1:7: executing "t" at <.missing>: wrong type for value; expected map[string]interface {}; got interface {}"#)
        }
    }

    @Test func typedMapsAndNamedMaps() {
        let strings = TemplateMap(["_0": .string("a")], element: .string)
        #expect(TemplateValue.dict(strings).goTypeName == "map[string]string")
        #expect(strings.zeroValue.isTruthy == false)
        let plain = TemplateMap(["a": .int(1)])
        let named = plain.named("chartutil.Values")
        named.setValue(.int(2), forKey: "b")
        #expect(plain.count == 2 && plain.isSame(as: named))
        #expect(TemplateValue.dict(named).goTypeName == "chartutil.Values")
        #expect(TemplateValue.dict(plain).deepEquals(.map(["a": .int(1), "b": .int(2)])))
    }

    @Test func deepCopyDetaches() {
        let inner = TemplateMap(["x": .int(1)])
        let copy = TemplateValue.dict(TemplateMap(["inner": .dict(inner)])).deepCopy()
        inner.setValue(.int(2), forKey: "x")
        #expect(copy.jsonValue == .object(["inner": .object(["x": .int(1)])]))
    }

    @Test func nilListsAndInt64s() {
        #expect(TemplateValue.nilList.jsonValue == .null)
        #expect(!TemplateValue.nilList.isTruthy && TemplateValue.nilList.goKind == "slice")
        #expect(!TemplateValue.nilList.deepEquals(.list([])))
        #expect(TemplateValue.int64(3).goTypeName == "int64" && !TemplateValue.int64(3).deepEquals(.int(3)))
        #expect(GoFormat.sprintf("%s %T", [.int64(2), .int64(2)]) == "%!s(int64=2) int64")
    }
}

extension TemplateMapTests {
    /// A map set into itself must not hang or overflow the stack: no JSON form, `<cycle>` where it recurs in print.
    @Test func mapsHoldingThemselves() throws {
        #expect(try Self.render(#"{{ $d := dict "a" 1 }}{{ $_ := set $d "self" $d }}{{ $d }}"#)
            == "map[a:1 self:<cycle>]")
        let map = TemplateMap(["a": .int(1)])
        map.setValue(.dict(map), forKey: "self")
        let value = TemplateValue.dict(map)
        #expect(value.containsCycle && value.jsonValue == nil)
        #expect(value.deepEquals(value.deepCopy()))
        guard case .dict(let copy) = value.deepCopy(), case .dict(let inner)? = copy["self"] else {
            Issue.record("copy lost its shape")
            return
        }
        #expect(inner.isSame(as: copy) && !copy.isSame(as: map))
    }
}
