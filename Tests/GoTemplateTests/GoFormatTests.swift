import GitOpsKit
import GoTemplate
import Testing

/// `fmt` formatting. The expected outputs were produced by Go's own `fmt` (go1.19 `fmt.Sprintf`; helm 3.17's go1.23
/// formats these verbs the same, spot-checked through `helm template`, e.g. `%06s` still pads with zeros).
/// Rows: [format, [tagged args], expected].
@Suite struct GoFormatTests {
    static let sprintfTable = TaggedValue.rows(#"""
[
["%v", [{"i":1}], "1"],
["%v", [{"f":1}], "1"],
["%v", [{"f":1e+06}], "1e+06"],
["%v", [{"f":1e+21}], "1e+21"],
["%v", [{"f":123456}], "123456"],
["%v", [{"f":1.2e-05}], "1.2e-05"],
["%v", [{"f":-0.0001}], "-0.0001"],
["%v", [{"f":3.14159}], "3.14159"],
["%v", [{"s":"s"}], "s"],
["%v", [null], "\u003cnil\u003e"],
["%v", [{"b":true}], "true"],
["%v", [{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "map[a:1.5 b:2 c:x d:\u003cnil\u003e e:[1 y]]"],
["%v", [{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]}], "[1 a 2.5 \u003cnil\u003e true map[k:v]]"],
["%+v", [{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "map[a:1.5 b:2 c:x d:\u003cnil\u003e e:[1 y]]"],
["%#v", [{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "map[string]interface {}{\"a\":1.5, \"b\":2, \"c\":\"x\", \"d\":interface {}(nil), \"e\":[]interface {}{1, \"y\"}}"],
["%#v", [{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]}], "[]interface {}{1, \"a\", 2.5, interface {}(nil), true, map[string]interface {}{\"k\":\"v\"}}"],
["%#v", [null], "\u003cnil\u003e"],
["%#v", [{"s":"q\"s"}], "\"q\\\"s\""],
["%#v", [{"f":1}], "1"],
["%#v", [{"i":42}], "42"],
["%d", [{"i":42}], "42"],
["%5d|%-5d|%05d", [{"i":42},{"i":42},{"i":-42}], "   42|42   |-0042"],
["%+d % d", [{"i":42},{"i":42}], "+42  42"],
["%.3d %8.3d", [{"i":7},{"i":-7}], "007     -007"],
["%.0d|%5.0d", [{"i":0},{"i":0}], "|     "],
["%x %X %#x %#X %o %#o %O %b %#b", [{"i":255},{"i":255},{"i":255},{"i":255},{"i":8},{"i":8},{"i":8},{"i":5},{"i":5}], "ff FF 0xff 0XFF 10 010 0o10 101 0b101"],
["%x", [{"i":-255}], "-ff"],
["%c%c%c", [{"i":65},{"i":19990},{"i":128512}], "A世😀"],
["%q %+q", [{"i":19990},{"i":19990}], "'世' '\\u4e16'"],
["%U %#U", [{"i":19990},{"i":65}], "U+4E16 U+0041 'A'"],
["%d", [{"s":"x"}], "%!d(string=x)"],
["%d", [{"f":1.5}], "%!d(float64=1.5)"],
["%s", [{"i":1}], "%!s(int=1)"],
["%s", [{"f":1.5}], "%!s(float64=1.5)"],
["%t", [{"i":1}], "%!t(int=1)"],
["%d", [null], "%!d(\u003cnil\u003e)"],
["%s", [null], "%!s(\u003cnil\u003e)"],
["%d", [{"b":true}], "%!d(bool=true)"],
["%5d", [{"s":"ab"}], "%!d(string=   ab)"],
["%s", [{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]}], "[%!s(int=1) a %!s(float64=2.5) \u003cnil\u003e %!s(bool=true) map[k:v]]"],
["%d", [{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]}], "[1 %!d(string=a) %!d(float64=2.5) \u003cnil\u003e %!d(bool=true) map[%!d(string=k):%!d(string=v)]]"],
["%d", [{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "map[%!d(string=a):%!d(float64=1.5) %!d(string=b):2 %!d(string=c):%!d(string=x) %!d(string=d):\u003cnil\u003e %!d(string=e):[1 %!d(string=y)]]"],
["%s %s", [{"s":"a"}], "a %!s(MISSING)"],
["%s", [{"s":"a"},{"s":"b"},{"i":3}], "a%!(EXTRA string=b, int=3)"],
["%s", [{"s":"a"},null], "a%!(EXTRA \u003cnil\u003e)"],
["%", [{"i":1}], "%!(NOVERB)%!(EXTRA int=1)"],
["%!", [], "%!!(MISSING)"],
["%z", [{"i":1}], "%!z(int=1)"],
["%[2]s %[1]s", [{"s":"a"},{"s":"b"}], "b a"],
["%[3]s", [{"s":"a"}], "%!s(BADINDEX)"],
["%[1]d %d", [{"i":1},{"i":2}], "1 2"],
["%*d|%-*d", [{"i":5},{"i":1},{"i":5},{"i":1}], "    1|1    "],
["%*d", [{"s":"x"},{"i":1}], "%!(BADWIDTH)1"],
["%.*f", [{"i":2},{"f":3.14159}], "3.14"],
["%.*f", [{"i":-1},{"f":3.14159}], "%!(BADPREC)3.141590"],
["%%|%5%|%d%%", [{"i":5}], "%|%|5%"],
["%f %F %e %E %g %G", [{"f":1234.5678},{"f":1234.5678},{"f":1234.5678},{"f":1234.5678},{"f":1234.5678},{"f":1234.5678}], "1234.567800 1234.567800 1.234568e+03 1.234568E+03 1234.5678 1234.5678"],
["%.2f %.0f %.0f %.0f %.1f", [{"f":2.675},{"f":0.5},{"f":1.5},{"f":2.5},{"f":0.05}], "2.67 0 2 2 0.1"],
["%8.3f|%-8.3f|%08.3f|%+.2f|% .2f", [{"f":3.14159},{"f":3.14159},{"f":-3.14159},{"f":3},{"f":3}], "   3.142|3.142   |-003.142|+3.00| 3.00"],
["%e %.2e %.0e %E", [{"f":0},{"f":123456.789},{"f":5.5},{"f":1e-10}], "0.000000e+00 1.23e+05 6e+00 1.000000E-10"],
["%g %g %g %g %g", [{"f":100000},{"f":1e+06},{"f":0.0001},{"f":1e-05},{"f":1e+100}], "100000 1e+06 0.0001 1e-05 1e+100"],
["%.3g %.3g %.3g %.3g %.1g %.10g", [{"f":1},{"f":100},{"f":1000},{"f":1234.5678},{"f":0.15},{"f":0.3333333333333333}], "1 100 1e+03 1.23e+03 0.1 0.3333333333"],
["%G %.3G", [{"f":1e-07},{"f":1e+10}], "1E-07 1E+10"],
["%#g %#.3g %#.0f %#e %#v", [{"f":1},{"f":1},{"f":3},{"f":1},{"f":2}], "1.00000 1.00 3. 1.000000e+00 2"],
["%v %v %v %5.1f %05.1f", [{"f":"+Inf"},{"f":"-Inf"},{"f":"NaN"},{"f":"+Inf"},{"f":"NaN"}], "+Inf -Inf NaN  +Inf   NaN"],
["%+v %+.1f % v", [{"f":"NaN"},{"f":"+Inf"},{"f":"NaN"}], "NaN +Inf  NaN"],
["%b", [{"f":1}], "4503599627370496p-52"],
["%x %X %.2x", [{"f":1.5},{"f":1.5},{"f":0.3333333333333333}], "0x1.8p+00 0X1.8P+00 0x1.55p-02"],
["%x", [{"f":1}], "0x1p+00"],
["%v", [{"f":0.3333333333333333}], "0.3333333333333333"],
["%v", [{"f":1e+20}], "1e+20"],
["%v %v", [{"f":9.007199254740992e+15},{"f":2.5e-05}], "9.007199254740992e+15 2.5e-05"],
["%f", [{"f":1e+21}], "1000000000000000000000.000000"],
["%s|%10s|%-10s|%.2s|%5.1s", [{"s":"héllo"},{"s":"héllo"},{"s":"héllo"},{"s":"héllo"},{"s":"héllo"}], "héllo|     héllo|héllo     |hé|    h"],
["%q %+q %#q %#q", [{"s":"a\"b\n"},{"s":"héllo"},{"s":"back`q"},{"s":"tab\there"}], "\"a\\\"b\\n\" \"h\\u00e9llo\" \"back`q\" `tab\there`"],
["%q", [{"s":"\u0000\u007f \u2028😀"}], "\"\\x00\\x7f\\u00a0\\u2028😀\""],
["%x % x %#x %# X %X", [{"s":"hi"},{"s":"hi"},{"s":"hi"},{"s":"hi"},{"s":"héllo"}], "6869 68 69 0x6869 0X68 0X69 68C3A96C6C6F"],
["%.1x|%5x|%-5x|", [{"s":"hi"},{"s":""},{"s":"a"}], "68|     |61   |"],
["%06s|%-06s|%06d|%06.2f|%-06d", [{"s":"ab"},{"s":"ab"},{"i":-12},{"f":-1.5},{"i":12}], "0000ab|ab    |-00012|-01.50|12    "],
["%06v|%06q", [{"s":"ab"},{"s":"ab"}], "0000ab|00\"ab\""],
["%t %5t %-6t|", [{"b":true},{"b":false},{"b":true}], "true false true  |"],
["%v %d %s", [{"l":[]},{"l":[]},{"m":{}}], "[] [] map[]"],
["%q", [{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]}], "['\\x01' \"a\" %!q(float64=2.5) \u003cnil\u003e %!q(bool=true) map[\"k\":\"v\"]]"],
["%x", [{"l":[{"i":255},{"s":"a"}]}], "[ff 61]"],
["%5v", [{"l":[{"i":1},{"s":"a"}]}], "[    1     a]"],
["%T %T %T %T %T %T %T", [{"i":1},{"f":1.5},{"s":"s"},{"b":true},null,{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]},{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "int float64 string bool \u003cnil\u003e []interface {} map[string]interface {}"],
["%10T|", [{"i":1}], "       int|"],
["%v", [{"l":[null]}], "[\u003cnil\u003e]"],
["%s", [{"l":[null]}], "[\u003cnil\u003e]"],
["%d", [{"m":{"a":null}}], "map[%!d(string=a):\u003cnil\u003e]"],
["%-5d|%+5d|%+05d|% 05d", [{"i":1},{"i":1},{"i":1},{"i":1}], "1    |   +1|+0001| 0001"],
["%.d %.5s", [{"i":5},{"s":"abc"}], "5 abc"],
["%3c|%-3c|%q", [{"i":65},{"i":65},{"i":10}], "  A|A  |'\\n'"],
["%c %q %U", [{"i":-1},{"i":-1},{"i":-1}], "� '�' U+FFFFFFFFFFFFFFFF"],
["%v", [{"f":0}], "0"],
["%.2f", [{"f":-0.001}], "-0.00"],
["%08.3e", [{"f":-1.5}], "-1.500e+00"],
["%5.1v|%-8.3v|", [{"f":3.14159},{"f":3.14159}], "    3|3.14    |"],
["%[2]*[1]d", [{"i":12},{"i":5}], "   12"],
["%[5]d", [{"i":1},{"i":2}], "%!d(BADINDEX)"],
["%[x]d", [{"i":1}], "%!d(BADINDEX)"],
["%.[2]d", [{"i":1},{"i":2}], "2"],
["%d %d", [{"i":1}], "1 %!d(MISSING)"],
["%!s(x)", [], "%!!(MISSING)s(x)"],
["%é", [{"i":1}], "%!é(int=1)"],
["%v", [{"s":"日本語"}], "日本語"],
["%5s|", [{"s":"日本"}], "   日本|"]
]
"""#)

    @Test func tablesLoaded() {
        #expect(Self.sprintfTable.count > 100)
        #expect(Self.sprintTable.count == 6)
    }

    @Test(arguments: 0..<sprintfTable.count)
    func sprintfMatchesGo(_ index: Int) {
        let row = Self.sprintfTable[index]
        let format = row[0].stringValue
        let args = row[1].arrayValue.map(TaggedValue.decode)
        #expect(GoFormat.sprintf(format, args) == row[2].stringValue, "Sprintf(\(format), \(args))")
    }

    /// Rows: [[tagged args], Sprint, Sprintln].
    static let sprintTable = TaggedValue.rows(#"""
[
[[{"s":"a"},{"s":"b"}], "ab", "a b\n"],
[[{"i":1},{"i":2}], "1 2", "1 2\n"],
[[{"s":"a"},{"i":1},{"i":2},{"s":"b"},{"f":3.5},null,null], "a1 2b3.5 \u003cnil\u003e \u003cnil\u003e", "a 1 2 b 3.5 \u003cnil\u003e \u003cnil\u003e\n"],
[[{"l":[{"i":1},{"s":"a"},{"f":2.5},null,{"b":true},{"m":{"k":{"s":"v"}}}]},{"m":{"a":{"f":1.5},"b":{"i":2},"c":{"s":"x"},"d":null,"e":{"l":[{"i":1},{"s":"y"}]}}}], "[1 a 2.5 \u003cnil\u003e true map[k:v]] map[a:1.5 b:2 c:x d:\u003cnil\u003e e:[1 y]]", "[1 a 2.5 \u003cnil\u003e true map[k:v]] map[a:1.5 b:2 c:x d:\u003cnil\u003e e:[1 y]]\n"],
[[null], "\u003cnil\u003e", "\u003cnil\u003e\n"],
[[], "", "\n"]
]
"""#)

    @Test(arguments: 0..<sprintTable.count)
    func sprintAndSprintlnMatchGo(_ index: Int) {
        let row = Self.sprintTable[index]
        let args = row[0].arrayValue.map(TaggedValue.decode)
        #expect(GoFormat.sprint(args) == row[1].stringValue)
        #expect(GoFormat.sprintln(args) == row[2].stringValue)
    }

    @Test func formatIsPercentV() {
        #expect(GoFormat.format(.float(1e6)) == "1e+06")
        #expect(GoFormat.format(.float(3)) == "3")
        #expect(GoFormat.format(.null) == "<nil>")
        #expect(GoFormat.format(.map(["b": .int(2), "a": .list([.string("x"), .null])])) == "map[a:[x <nil>] b:2]")
    }
}
