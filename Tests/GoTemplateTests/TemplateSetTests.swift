import GitOpsKit
import GoTemplate
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A struct-like value with methods, as Helm's `.Capabilities` or `.Files` are.
private struct Widget: TemplateObject {
    var name: String
    var goTypeName: String { "*test.Widget" }
    var formatted: String { "widget(\(name))" }

    func method(named name: String) -> TemplateFunction? {
        switch name {
        case "Greet":
            return TemplateFunction("Greet", signature: .init([.string])) { args in
                .string("hi \(args[0].stringValue), I am \(self.name)")
            }
        case "Fail":
            return TemplateFunction("Fail") { _ in throw TestError(text: "widget broke") }
        case "Self":
            return TemplateFunction("Self") { _ in .object(self) }
        default:
            return nil
        }
    }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "Name": return .string(self.name)
        case "Tags": return .list([.string("x"), .string("y")])
        case "Nothing": return .null
        default: return nil
        }
    }
}

private struct TestError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

extension TemplateValue {
    fileprivate var stringValue: String {
        if case .string(let string) = self { return string }
        return GoFormat.format(self)
    }
}

/// Behaviour the oracle tables cannot reach: user functions, objects with methods, the set's API, recursion,
/// concurrency, range over integers and speed.
@Suite struct TemplateSetTests {
    private func render(_ text: String, data: TemplateValue = .null, functions: [String: TemplateFunction] = [:],
                        missingKey: MissingKeyMode = .invalid) throws -> String {
        var set = TemplateSet(functions: functions, missingKey: missingKey)
        try set.parse(name: "t", text: text)
        return try set.execute("t", data: data)
    }

    private func executionError(_ text: String, data: TemplateValue = .null, functions: [String: TemplateFunction] = [:])
        -> TemplateError?
    {
        var set = TemplateSet(functions: functions)
        do {
            try set.parse(name: "t", text: text)
            _ = try set.execute("t", data: data)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Functions

    @Test func userFunctionsAreCalledWithEvaluatedArguments() throws {
        let join = TemplateFunction("join") { args in .string(args.map(\.stringValue).joined(separator: "+")) }
        let data = TemplateValue.map(["a": .string("A")])
        #expect(try render(#"{{ join .a "b" 3 .missing }}"#, data: data, functions: ["join": join]) == "A+b+3+<nil>")
        #expect(try render(#"{{ .a | join "x" }}"#, data: data, functions: ["join": join]) == "x+A")
    }

    @Test func userFunctionsOverrideBuiltins() throws {
        let len = TemplateFunction("len") { _ in .string("mine") }
        #expect(try render("{{ len 1 2 3 }}", functions: ["len": len]) == "mine")
        #expect(try render("{{ len \"abc\" }}") == "3")
    }

    @Test func functionErrorsBecomeErrorCalling() throws {
        let boom = TemplateFunction("boom") { _ in throw TestError(text: "it exploded") }
        let error = try #require(executionError("x\n  {{ boom 1 }}", functions: ["boom": boom]))
        #expect(error.description == #"template: t:2:5: executing "t" at <boom 1>: error calling boom: it exploded"#)
        #expect(error.kind == .execution)
        #expect(error.line == 2 && error.column == 5)
        #expect(error.templateName == "t" && error.executing == "t" && error.context == "boom 1")
        #expect(error.message == "error calling boom: it exploded")
    }

    @Test func signaturesAreCheckedAsGoChecksParameters() throws {
        let indent = TemplateFunction("indent", signature: .init([.int, .string])) { args in
            guard case .int(let count) = args[0], case .string(let text) = args[1] else { return .null }
            return .string(String(repeating: " ", count: count) + text)
        }
        let functions = ["indent": indent]
        let data = TemplateValue.map(["n": .float(2), "s": .string("x")])
        #expect(try render(#"{{ indent 2 "x" }}|{{ "y" | indent 1 }}"#, functions: functions) == "  x| y")
        #expect(executionError(#"{{ indent 2 }}"#, functions: functions)?.message == "wrong number of args for indent: want 2 got 1")
        #expect(executionError(#"{{ indent "2" "x" }}"#, functions: functions)?.message == #"expected integer; found "2""#)
        #expect(executionError(#"{{ indent 1.5 "x" }}"#, functions: functions)?.message == "expected integer; found 1.5")
        #expect(executionError(#"{{ indent .n .s }}"#, data: data, functions: functions)?.message
            == "wrong type for value; expected int; got float64")
        #expect(executionError(#"{{ indent 1 .missing }}"#, data: data, functions: functions)?.message
            == "invalid value; expected string")
        #expect(executionError(#"{{ indent nil "x" }}"#, functions: functions)?.message == "cannot assign nil to int")
        let variadic = TemplateFunction("cat", signature: .init([.string], variadic: .int)) { args in .int(args.count) }
        #expect(try render(#"{{ cat "a" 1 2 3 }}"#, functions: ["cat": variadic]) == "4")
        #expect(executionError("{{ cat }}", functions: ["cat": variadic])?.message
            == "wrong number of args for cat: want at least 1 got 0")
    }

    @Test func unknownFunctionIsAParseErrorNamingIt() {
        var set = TemplateSet()
        #expect(throws: TemplateError.self) { try set.parse(name: "x.yaml", text: "ok\n{{ toYaml . }}") }
        do {
            try set.parse(name: "x.yaml", text: "ok\n{{ toYaml . }}")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.description == #"template: x.yaml:2: function "toYaml" not defined"#)
        }
        #expect(!set.has("x.yaml"))
    }

    @Test func callInvokesFunctionValues() throws {
        let double = TemplateFunction("double") { args in
            guard case .int(let value) = args.first else { throw TestError(text: "not an int") }
            return .int(value * 2)
        }
        let data = TemplateValue.map(["f": .function(double)])
        #expect(try render("{{ call .f 21 }}", data: data) == "42")
        #expect(executionError(#"{{ call .f "x" }}"#, data: data)?.message == "error calling call: not an int")
        #expect(executionError("{{ .f }}", data: data)?.message.hasPrefix("can't print {{.f}} of type func") == true)
    }

    @Test func aUserFunctionNamedBreakReplacesTheKeyword() throws {
        let breakFunction = TemplateFunction("break") { _ in .string("called") }
        #expect(try render("{{ break }}", functions: ["break": breakFunction]) == "called")
    }

    // MARK: Objects

    @Test func objectsExposeMethodsAndFields() throws {
        let data = TemplateValue.map(["w": .object(Widget(name: "bolt"))])
        #expect(try render(#"{{ .w.Greet "you" }}|{{ .w.Name }}|{{ .w.Tags }}|{{ .w }}|{{ .w.Self.Name }}"#, data: data)
            == "hi you, I am bolt|bolt|[x y]|widget(bolt)|bolt")
        #expect(try render(#"{{ "me" | .w.Greet }}|{{ printf "%v %s %T" .w .w .w }}"#, data: data)
            == "hi me, I am bolt|widget(bolt) widget(bolt) *test.Widget")
        // Read out of a map, the object's static type is interface {} (as in Go); returned by a method, its own.
        #expect(executionError("{{ .w.Nope }}", data: data)?.message == "can't evaluate field Nope in type interface {}")
        #expect(executionError("{{ .w.Self.Nope }}", data: data)?.message == "can't evaluate field Nope in type *test.Widget")
        #expect(executionError("{{ .w.Name 1 }}", data: data)?.message == "Name has arguments but cannot be invoked as function")
        #expect(executionError("{{ .w.Greet }}", data: data)?.message == "wrong number of args for Greet: want 1 got 0")
        #expect(executionError("{{ .w.Fail }}", data: data)?.message == "error calling Fail: widget broke")
        #expect(executionError("{{ .w.Nothing.x }}", data: data)?.message == "nil pointer evaluating interface {}.x")
        #expect(try render("{{ if .w }}true{{ end }}|{{ len .w.Tags }}", data: data) == "true|2")
    }

    // MARK: The set

    @Test func setTracksNamesAndDefinitions() throws {
        var set = TemplateSet()
        try set.parse(name: "b.yaml", text: #"{{ define "helper" }}H{{ . }}{{ end }}body {{ template "helper" 1 }}"#)
        try set.parse(name: "a.yaml", text: "A")
        #expect(set.names == ["a.yaml", "b.yaml", "helper"])
        #expect(set.has("helper") && !set.has("nope"))
        #expect(try set.execute("b.yaml", data: .null) == "body H1")
        #expect(try set.execute("helper", data: .int(2)) == "H2")
        // A later definition replaces an earlier one; an empty one never replaces a non-empty one.
        try set.parse(name: "c.yaml", text: #"{{ define "helper" }}new{{ end }}"#)
        #expect(try set.execute("b.yaml", data: .null) == "body new")
        try set.parse(name: "d.yaml", text: #"{{ define "helper" }}  {{ end }}"#)
        #expect(try set.execute("helper", data: .null) == "new")
        #expect(try set.execute("c.yaml", data: .null) == "")
    }

    @Test func executingAMissingTemplateNamesTheSet() {
        var set = TemplateSet()
        set.name = "gotpl"
        do {
            _ = try set.execute("missing.tpl", data: .null)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .other)
            #expect(error.description == #"template: no template "missing.tpl" associated with template "gotpl""#)
        }
    }

    @Test func aFailedParseLeavesTheSetUnchanged() throws {
        var set = TemplateSet()
        try set.parse(name: "ok", text: "fine")
        #expect(throws: TemplateError.self) { try set.parse(name: "bad", text: #"{{ define "x" }}x{{ end }}{{ if }}"#) }
        #expect(set.names == ["ok"])
    }

    // MARK: Range over integers (go1.24 semantics)

    @Test func rangeOverIntegers() throws {
        #expect(try render("{{ range 3 }}{{ . }}{{ end }}") == "012")
        #expect(try render("{{ range $i := 3 }}[{{ $i }}]{{ end }}") == "[0][1][2]")
        #expect(try render("{{ range 0 }}x{{ else }}none{{ end }}|{{ range -1 }}x{{ else }}neg{{ end }}") == "none|neg")
        #expect(try render("{{ range 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}") == "012")
        #expect(try render("{{ range len . }}{{ . }}{{ end }}", data: .list([.null, .null])) == "01")
        #expect(executionError("{{ range $i, $v := 3 }}{{ end }}")?.message == "can't use 3 to iterate over more than one variable")
        // Values from YAML are float64, which range cannot iterate over (as in Go).
        #expect(executionError("{{ range . }}{{ end }}", data: .float(3))?.message == "range can't iterate over 3")
    }

    /// Before Go 1.24 (Helm 3.17 is built with Go 1.23) an integer is not a range operand.
    @Test func rangeOverIntegersCanBeTurnedOff() throws {
        var set = TemplateSet()
        set.rangesOverIntegers = false
        try set.parse(name: "t", text: "{{ range 3 }}{{ . }}{{ end }}")
        #expect(throws: TemplateError.self) { try set.execute("t", data: .null) }
        do {
            _ = try set.execute("t", data: .null)
        } catch {
            #expect(error.description == #"template: t:1:9: executing "t" at <3>: range can't iterate over 3"#)
        }
    }

    // MARK: Recursion and concurrency

    private static let recursive = #"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#
    private static let depthError = "exceeded maximum template depth (100000)"

    @Test func selfRecursionIsAnErrorNotACrash() {
        let error = executionError(Self.recursive)
        #expect(error?.message == Self.depthError)
        #expect(error?.executing == "r")
    }

    @Test func selfRecursionIsAnErrorInADetachedTask() async {
        let message = await Task.detached { () -> String? in
            var set = TemplateSet()
            do throws(TemplateError) {
                try set.parse(name: "t", text: Self.recursive)
                _ = try set.execute("t", data: .null)
                return nil
            } catch {
                return error.message
            }
        }.value
        #expect(message == Self.depthError)
    }

    #if canImport(Glibc)
    /// A thread with a 256 KiB stack (Go's own limit would overflow it many times over) still gets an error.
    @Test func selfRecursionIsAnErrorOnASmallStack() throws {
        final class Box: @unchecked Sendable {  // written by the thread before join, read after
            var message: String?
        }
        let box = Box()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 256 << 10)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box).toOpaque()
        let status = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
            var set = TemplateSet()
            do throws(TemplateError) {
                try set.parse(name: "t", text: TemplateSetTests.recursive)
                _ = try set.execute("t", data: .null)
            } catch {
                box.message = error.message
            }
            return nil
        }, context)
        #expect(status == 0)
        pthread_join(thread, nil)
        pthread_attr_destroy(&attributes)
        #expect(box.message == Self.depthError)
    }
    #endif

    /// Helm's `include` calls back into `execute` from a function; unbounded, that too must end in an error.
    @Test func reentrantExecutionFromAFunctionIsGuarded() throws {
        final class SetBox: Sendable {
            let set = Mutex<TemplateSet?>(nil)
        }
        let box = SetBox()
        let include = TemplateFunction("include", signature: .init([.string, .any])) { args in
            guard let set = box.set.withLock({ $0 }) else { return .null }
            return .string(try set.execute(args[0].stringValue, data: args[1]))
        }
        var set = TemplateSet(functions: ["include": include])
        try set.parse(name: "t", text: #"{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ define "once" }}[{{ . }}]{{ end }}"#)
        box.set.withLock { $0 = set }
        #expect(try set.execute("t", data: .null) == "")
        var nested = set
        try nested.parse(name: "u", text: #"{{ include "once" 7 }}"#)
        box.set.withLock { $0 = nested }
        #expect(try nested.execute("u", data: .null) == "[7]")
        #expect(throws: TemplateError.self) { _ = try nested.execute("loop", data: .null) }
    }

    /// `TemplateSet.current` lets a function re-enter the executing set, the way Helm's `include` and `tpl` work.
    @Test func functionsReachTheExecutingSet() throws {
        let include = TemplateFunction("include", signature: .init([.string, .any])) { args in
            guard let set = TemplateSet.current else { throw TestError(text: "no current set") }
            return .string(try set.execute(args[0].stringValue, data: args[1]))
        }
        let tpl = TemplateFunction("tpl", signature: .init([.string, .any])) { args in
            guard var set = TemplateSet.current else { throw TestError(text: "no current set") }
            try set.parse(name: "inline", text: args[0].stringValue)
            return .string(try set.execute("inline", data: args[1]))
        }
        #expect(TemplateSet.current == nil)
        var set = TemplateSet(functions: ["include": include, "tpl": tpl], missingKey: .zero)
        let text = #"{{ define "name" }}<{{ . }}>{{ end }}{{ include "name" "a" | upper }}|{{ tpl "{{ define \"x\" }}X{{ end }}{{ include \"name\" . }}{{ include \"x\" . }}" "b" }}"#
        #expect(throws: TemplateError.self) { try set.parse(name: "t", text: text) }  // "upper" is not defined yet
        set.addFunctions(["upper": TemplateFunction("upper") { args in .string(args[0].stringValue.uppercased()) }])
        #expect(set.functions["upper"] != nil)
        try set.parse(name: "t", text: text)
        #expect(try set.execute("t", data: .null) == "<A>|<b>X")
        #expect(!set.has("x"))  // tpl parsed into its own copy
        let loop = TemplateFunction("loop", signature: .init([.string])) { args in
            guard let set = TemplateSet.current else { return .null }
            return .string(try set.execute(args[0].stringValue, data: .null))
        }
        var looping = TemplateSet(functions: ["loop": loop])
        try looping.parse(name: "l", text: #"{{ loop "l" }}"#)
        #expect(throws: TemplateError.self) { _ = try looping.execute("l", data: .null) }
    }

    @Test func concurrentExecutionsOfOneSetAgree() async throws {
        var set = TemplateSet(missingKey: .zero)
        try set.parse(name: "t", text: #"{{ range $k, $v := . }}{{ $k }}={{ printf "%03d" $v }};{{ end }}"#)
        let data = TemplateValue.map(Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", TemplateValue.int($0)) }))
        let expected = try set.execute("t", data: data)
        let shared = set
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try shared.execute("t", data: data) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == expected })
        #expect(expected.hasPrefix("k0=000;k1=001;k10=010;"))
    }

    // MARK: Speed

    /// A 200-line template in the shape of a chart's (ranges, ifs, printf, defines) executed 1,000 times.
    @Test func executesA200LineTemplateQuickly() throws {
        var lines: [String] = [#"{{- define "labels" }}app: {{ .name }}{{ end }}"#]
        for index in 0..<40 {
            lines += [
                "item\(index):",
                #"  name: {{ printf "%s-%d" .name "# + String(index) + #" }}"#,
                #"  {{- if .enabled }} enabled: {{ .enabled }}{{ else }} disabled{{ end }}"#,
                #"  labels: {{ template "labels" . }}"#,
                #"  ports:{{ range $i, $p := .ports }} {{ $i }}:{{ $p }}{{ end }}"#,
            ]
        }
        let text = lines.joined(separator: "\n")
        #expect(lines.count > 200)
        var set = TemplateSet(missingKey: .zero)
        try set.parse(name: "big", text: text)
        let data = TemplateValue.map([
            "name": .string("web"), "enabled": .bool(true), "ports": .list([.float(80), .float(443)]),
        ])
        let clock = ContinuousClock()
        var output = ""
        let elapsed = try clock.measure {
            for _ in 0..<1_000 { output = try set.execute("big", data: data) }
        }
        #expect(output.contains("item39:\n  name: web-39 enabled: true\n  labels: app: web\n  ports: 0:80 1:443"))
        print("GoTemplate: 1,000 executions of a \(lines.count)-line template took \(elapsed)")
    }
}
