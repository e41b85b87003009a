#!/usr/bin/env python3
"""Writes cases.json: Sprig snippets rendered by helm-oracle.py (../gotemplate-oracle) against values.yaml."""
import json

C = []
def add(*snippets):
    C.extend(snippets)

# Strings
add('{{ trim .spaces | quote }}', '{{ trim "\\t x \\n" }}', '{{ trimAll "$" "$$a$b$$" }}', '{{ trimall "ab" "abcba" }}',
    '{{ trimSuffix "-" "a-b-" }}', '{{ trimSuffix "" "ab" }}', '{{ trimPrefix "a" "aab" }}', '{{ trimPrefix "x" "ab" }}',
    '{{ upper .str }}', '{{ lower "HeLLo" }}', '{{ upper .unicode }}', '{{ title "hello wORLD foo-bar x_y" }}',
    '{{ untitle "Hello World" }}', '{{ repeat 3 "ab" }}', '{{ repeat 0 "ab" }}', '{{ repeat -1 "ab" }}',
    '{{ substr 1 3 "hello" }}', '{{ substr -1 3 "hello" }}', '{{ substr 2 -1 "hello" }}', '{{ substr 2 10 "hello" }}',
    '{{ substr 0 10 "" }}', '{{ substr 4 2 "hello" }}', '{{ substr 7 9 "hello" }}', '{{ substr -1 9 "hello" }}',
    '{{ nospace " a b\\tc " }}', '{{ nospace .unicode }}', '{{ initials "hello big world" }}', '{{ initials "" }}',
    '{{ swapcase "Hello World abc" }}', '{{ snakecase "HTTPServer" }}', '{{ snakecase "fooBarBaz" }}',
    '{{ snakecase "Bld4Floor" }}', '{{ snakecase "HTTP2xx" }}', '{{ snakecase "foo-bar baz" }}', '{{ snakecase "" }}',
    '{{ kebabcase "FooBar" }}', '{{ kebabcase "foo_bar" }}', '{{ camelcase "foo_bar" }}', '{{ camelcase "foo-bar baz" }}',
    '{{ camelcase "_foo" }}', '{{ camelcase "http_server" }}', '{{ camelcase "" }}',
    '{{ wrap 5 "hello world foo bar" }}', '{{ wrap 3 "abcdefgh ij" }}', '{{ wrap 0 "a b" }}',
    '{{ wrapWith 5 "\\t" "Hello World" }}', '{{ wrapWith 3 "|" "abcdefgh" }}',
    '{{ contains "ell" .str }}', '{{ contains "" "x" }}', '{{ contains "z" .str }}', '{{ hasPrefix "he" .str }}',
    '{{ hasSuffix "lo" .str }}', '{{ hasSuffix "x" .str }}',
    '{{ quote "a" }}', '{{ quote "a\\"b" }}', '{{ quote .num }}', '{{ quote .float }}', '{{ quote .nul }}', '{{ quote nil "x" }}',
    '{{ quote .t }}', '{{ quote .list }}', '{{ quote .map }}', '{{ quote 1 2 }}', '{{ quote }}', '{{ quote .missing }}',
    '{{ quote .unicode }}', '{{ quote "tab\\there" }}', '{{ quote .big }}',
    '{{ squote "a" }}', '{{ squote .num }}', '{{ squote nil }}', '{{ squote .list }}', '{{ squote "a" "b" }}',
    '{{ cat "a" "b" }}', '{{ cat "a" nil "b" }}', '{{ cat 1 2.5 .t }}', '{{ cat }}', '{{ cat .list .map }}',
    '{{ indent 2 "a\\nb" }}', '{{ indent 0 "a" }}', '{{ nindent 4 "x\\ny" }}', '{{ indent 2 "" }}', '{{ indent -2 "a" }}',
    '{{ replace "l" "L" .str }}', '{{ replace "" "-" "abc" }}', '{{ replace "x" "y" "" }}',
    '{{ plural "one" "many" 1 }}', '{{ plural "one" "many" 2 }}', '{{ plural "one" "many" 0 }}',
    '{{ split "," .csv }}', '{{ (split "," .csv)._1 }}', '{{ split "" "abc" }}', '{{ splitList "," .csv }}',
    '{{ splitList "" "abc" }}', '{{ splitList "," "" }}', '{{ splitn "," 2 .csv }}', '{{ splitn "," 0 .csv }}',
    '{{ splitn "," -1 .csv }}', '{{ join "-" .list }}', '{{ join "," .nums }}', '{{ join "," .mixed }}',
    '{{ join "," "abc" }}', '{{ join "," .nul }}', '{{ join "," .map }}', '{{ join "," (list 1 nil "x") }}',
    '{{ trunc 3 "hello" }}', '{{ trunc -3 "hello" }}', '{{ trunc 10 "hi" }}', '{{ trunc -10 "hi" }}', '{{ trunc 0 "hi" }}',
    '{{ abbrev 5 "hello world" }}', '{{ abbrev 3 "hello" }}', '{{ abbrev 20 "hello" }}',
    '{{ abbrevboth 5 10 "1234 5678 9123" }}', '{{ abbrevboth 0 5 "hello world" }}', '{{ abbrevboth 1 6 "hello world" }}',
    '{{ toString 1 }}', '{{ toString .float }}', '{{ toString .big }}', '{{ toString .nul }}', '{{ toString .list }}',
    '{{ toString .map }}', '{{ toString .t }}', '{{ toStrings .mixed }}', '{{ toStrings "a" }}', '{{ toStrings .nul }}',
    '{{ hello }}', '{{ upper 1 }}', '{{ trunc .num "hello" }}', '{{ indent "2" "x" }}', '{{ trim .nul }}', '{{ trim .missing }}')

# Conversions
add('{{ int "42" }}', '{{ int .numstr }}', '{{ int .octal }}', '{{ int "0x1F" }}', '{{ int "1_000" }}', '{{ int "10.00" }}',
    '{{ int "10.5" }}', '{{ int "abc" }}', '{{ int .float }}', '{{ int .neg }}', '{{ int .t }}', '{{ int .nul }}',
    '{{ int .list }}', '{{ int "-7" }}', '{{ int "+7" }}', '{{ int "0b101" }}', '{{ int "0o17" }}', '{{ int "" }}',
    '{{ int 3.99 }}', '{{ int -3.99 }}', '{{ int64 "12" }}', '{{ int64 .big }}', '{{ int64 "9223372036854775808" }}',
    '{{ float64 "3.5" }}', '{{ float64 .num }}', '{{ float64 1 }}', '{{ float64 "x" }}', '{{ float64 .t }}',
    '{{ float64 "1e3" }}', '{{ float64 .nul }}', '{{ atoi "12" }}', '{{ atoi "1.5" }}', '{{ atoi "-3" }}', '{{ atoi "0x10" }}',
    '{{ toDecimal "777" }}', '{{ toDecimal 777 }}', '{{ toDecimal "9" }}', '{{ typeOf (int "3") }}', '{{ typeOf (float64 "3") }}',
    '{{ int .floatstr }}', '{{ float64 .floatstr }}', '{{ int64 "0x" }}', '{{ int "08" }}', '{{ int "1__0" }}')

# Math
add('{{ add 1 2 3 }}', '{{ add }}', '{{ add .num .float }}', '{{ add "3" 4 }}', '{{ add1 .num }}', '{{ add1 "x" }}',
    '{{ sub 5 7 }}', '{{ sub .num 1.9 }}', '{{ div 7 2 }}', '{{ div -7 2 }}', '{{ div 1 0 }}', '{{ mod 7 3 }}', '{{ mod -7 3 }}',
    '{{ mod 1 0 }}', '{{ mul 2 3 4 }}', '{{ mul .float 2 }}', '{{ max 1 5 3 }}', '{{ max .neg }}', '{{ biggest 2 9 }}',
    '{{ min 4 2 8 }}', '{{ min "3" 9 }}', '{{ addf 1.5 2.25 }}', '{{ addf 0.1 0.2 }}', '{{ addf }}', '{{ add1f 1.5 }}',
    '{{ subf 1 0.9 }}', '{{ subf 10 }}', '{{ mulf 1.1 3 }}', '{{ mulf 0.1 0.2 }}', '{{ divf 1 3 }}', '{{ divf 10 4 }}',
    '{{ divf 1 0 }}', '{{ maxf 1 2.5 .float }}', '{{ minf 1 -2.5 }}', '{{ maxf "3.5" 2 }}', '{{ ceil 1.2 }}', '{{ ceil "2.1" }}',
    '{{ floor 1.8 }}', '{{ floor -1.2 }}', '{{ round 3.14159 2 }}', '{{ round 2.5 0 }}', '{{ round 1.2345 3 0.4 }}',
    '{{ round -1.5 0 }}', '{{ until 5 }}', '{{ until 0 }}', '{{ until -3 }}', '{{ untilStep 0 10 3 }}',
    '{{ untilStep 10 0 -4 }}', '{{ untilStep 0 10 -1 }}', '{{ untilStep 3 3 1 }}', '{{ seq 5 }}', '{{ seq 0 }}',
    '{{ seq -2 }}', '{{ seq 2 5 }}', '{{ seq 5 2 }}', '{{ seq 0 2 9 }}', '{{ seq 9 -3 1 }}', '{{ seq 9 3 1 }}', '{{ seq }}',
    '{{ seq 1 2 3 4 }}', '{{ typeOf (add 1 2) }}', '{{ typeOf (addf 1 2) }}', '{{ typeOf (ceil 1) }}', '{{ add1 .big }}',
    '{{ mul .big .big }}', '{{ until .num }}', '{{ range until 3 }}{{ . }}{{ end }}', '{{ max }}', '{{ sub 1 }}')

# Defaults and reflection
add('{{ default "d" .missing }}', '{{ default "d" .empty }}', '{{ default "d" .str }}', '{{ default "d" .zero }}',
    '{{ default "d" .f }}', '{{ default "d" .emptyList }}', '{{ default "d" .emptyMap }}', '{{ default "d" .num }}',
    '{{ default "d" }}', '{{ default .list .nul }}', '{{ .missing | default "x" }}', '{{ default 5 0 }}',
    '{{ empty .missing }}', '{{ empty .empty }}', '{{ empty .zero }}', '{{ empty .str }}', '{{ empty .emptyMap }}',
    '{{ empty .map }}', '{{ empty .f }}', '{{ empty 0.0 }}', '{{ empty (list) }}', '{{ empty (dict) }}',
    '{{ coalesce .missing .empty "x" "y" }}', '{{ coalesce .nul .zero }}', '{{ coalesce }}', '{{ coalesce .map .list }}',
    '{{ all 1 "a" .t }}', '{{ all 1 "" }}', '{{ all }}', '{{ any 0 "" .nul }}', '{{ any 0 "x" }}', '{{ any }}',
    '{{ ternary "y" "n" true }}', '{{ ternary "y" "n" false }}', '{{ ternary "y" "n" .t }}', '{{ ternary "y" "n" .nul }}',
    '{{ ternary "y" "n" 1 }}', '{{ true | ternary "a" "b" }}',
    '{{ typeOf .str }}', '{{ typeOf .num }}', '{{ typeOf .list }}', '{{ typeOf .map }}', '{{ typeOf .nul }}', '{{ typeOf 1 }}',
    '{{ typeOf .t }}', '{{ typeIs "string" .str }}', '{{ typeIs "int" .num }}', '{{ typeIsLike "float64" .num }}',
    '{{ kindOf .str }}', '{{ kindOf .list }}', '{{ kindOf .map }}', '{{ kindOf .nul }}', '{{ kindOf 1 }}', '{{ kindOf .num }}',
    '{{ kindIs "map" .map }}', '{{ kindIs "slice" .list }}', '{{ kindIs "string" .num }}', '{{ kindIs "invalid" .nul }}',
    '{{ deepEqual .list (list "a" "b" "c") }}', '{{ deepEqual 1 1.0 }}', '{{ deepEqual .map .map }}', '{{ deepEqual .nul nil }}',
    '{{ fail "boom" }}', '{{ fail "" }}', '{{ fail .num }}',
    '{{ toJson .map }}', '{{ toPrettyJson .map }}', '{{ toRawJson (dict "h" "<a>&") }}', '{{ toJson (dict "h" "<a>&") }}',
    '{{ mustToJson .mixed }}', '{{ mustToPrettyJson (list) }}', '{{ mustToPrettyJson (dict) }}', '{{ toPrettyJson .nested }}',
    '{{ mustToRawJson .list }}', '{{ toJson 1e21 }}', '{{ toJson 1e-7 }}', '{{ toJson 0.000001 }}', '{{ toJson .big }}',
    '{{ toJson 123456789.5 }}', '{{ toJson "\\u2028\\b\\f" }}', '{{ toRawJson nil }}', '{{ toJson (add 1 2) }}',
    '{{ mustFromJson "{\\"a\\":[1,2]}" }}', '{{ (mustFromJson "{\\"a\\":1}").a }}', '{{ fromJson "[1,\\"x\\"]" | len }}')

# Lists
add('{{ list 1 "a" .nul }}', '{{ list }}', '{{ tuple 1 2 }}', '{{ append .list "d" }}', '{{ push .nums 4 }}',
    '{{ append .nul "x" }}', '{{ append "abc" "x" }}', '{{ mustAppend .map 1 }}', '{{ mustPush .emptyList 1 }}',
    '{{ prepend .list "z" }}', '{{ mustPrepend 1 2 }}', '{{ first .list }}', '{{ first .emptyList }}', '{{ first .nul }}',
    '{{ first "abc" }}', '{{ mustFirst .map }}', '{{ last .list }}', '{{ last .emptyList }}', '{{ rest .list }}',
    '{{ rest .emptyList }}', '{{ initial .list }}', '{{ initial .emptyList }}', '{{ reverse .list }}', '{{ reverse .emptyList }}',
    '{{ mustReverse 5 }}', '{{ uniq .dup }}', '{{ uniq .emptyList }}', '{{ mustUniq "x" }}', '{{ without .list "b" }}',
    '{{ without .nums 1 }}', '{{ without .nums 1.0 }}', '{{ without .dup 1.0 "a" }}', '{{ mustWithout .map "a" }}',
    '{{ has "b" .list }}', '{{ has "z" .list }}', '{{ has 1 .nums }}', '{{ has 1.0 .nums }}', '{{ has 1 .nul }}',
    '{{ has "a" "abc" }}', '{{ mustHas 1 .map }}', '{{ compact .mixed }}', '{{ compact (list 0 "" nil false "x" (list)) }}',
    '{{ mustCompact "s" }}', '{{ slice .list 1 }}', '{{ slice .list 1 2 }}', '{{ slice .list }}', '{{ slice .emptyList 0 }}',
    '{{ slice .list 2 1 }}', '{{ slice .list 0 5 }}', '{{ slice "abc" 1 }}', '{{ mustSlice .list "1" }}', '{{ slice .list 1.5 }}',
    '{{ concat .list .nums }}', '{{ concat }}', '{{ concat .list "x" }}', '{{ concat .list .nul }}', '{{ concat (list) (list) }}',
    '{{ chunk 2 .nums }}', '{{ chunk 3 .emptyList }}', '{{ chunk 5 .nums }}', '{{ mustChunk 2 "x" }}', '{{ chunk 1 .list }}',
    '{{ sortAlpha (list "b" "C" "a" 10 2) }}', '{{ sortAlpha "x" }}', '{{ sortAlpha .nul }}', '{{ sortAlpha .map }}',
    '{{ len (list 1 2) }}', '{{ index (list 1 2) 1 }}', '{{ typeOf (list) }}', '{{ first (rest (rest .list)) }}')

# Dicts
add('{{ dict "a" 1 "b" "x" }}', '{{ dict }}', '{{ dict "a" }}', '{{ dict "a" 1 "b" }}', '{{ dict 1 2 }}', '{{ dict nil 1 }}',
    '{{ dict .float "f" }}', '{{ (dict "a" 1).a }}', '{{ get .map "b" }}', '{{ get .map "z" }}', '{{ get .emptyMap "z" | typeOf }}',
    '{{ get .nul "a" }}', '{{ get "x" "a" }}', '{{ set (dict "a" 1) "b" 2 }}', '{{ set .map "a" 9 }}', '{{ set .nul "a" 1 }}',
    '{{ unset (dict "a" 1 "b" 2) "a" }}', '{{ unset .map "zz" }}', '{{ hasKey .map "a" }}', '{{ hasKey .map "z" }}',
    '{{ hasKey .emptyMap "z" }}', '{{ hasKey .missing "z" }}', '{{ hasKey .list "a" }}', '{{ hasKey (dict "n" nil) "n" }}',
    '{{ pluck "a" .map (dict "a" 2) (dict "b" 3) }}', '{{ pluck "a" }}', '{{ keys .map | sortAlpha }}', '{{ keys }}',
    '{{ keys (dict "b" 1) (dict "a" 2) | sortAlpha }}', '{{ keys .emptyMap }}', '{{ pick .map "a" "c" "z" }}',
    '{{ pick .map }}', '{{ omit .map "a" }}', '{{ omit .map "a" "b" "c" }}', '{{ omit .nul "a" }}', '{{ values (dict "a" 1) }}',
    '{{ values .emptyMap }}', '{{ values .map | len }}', '{{ deepCopy .map }}', '{{ deepCopy .nul }}', '{{ mustDeepCopy .list }}',
    '{{ deepCopy 1 }}', '{{ dig "c" "d" "def" .map }}', '{{ dig "c" "z" "def" .map }}', '{{ dig "a" "def" .map }}',
    '{{ dig "z" "y" "def" .map }}', '{{ dig "a" "b" "def" .map }}', '{{ dig "a" "def" }}', '{{ dig "a" "def" .nul }}',
    '{{ dig "a" "def" "x" }}', '{{ dig 1 "def" .map }}', '{{ dig "x" "y" "z" "none" .nested }}', '{{ dig "x" "q" "none" .nested }}',
    '{{ merge (dict "a" 1) (dict "a" 2 "b" 3) }}', '{{ merge .dst .src | toJson }}', '{{ mergeOverwrite .dst .src | toJson }}',
    '{{ merge (dict) .src | toJson }}', '{{ mergeOverwrite (dict "a" (dict "x" 1)) (dict "a" "s") }}',
    '{{ merge (dict "a" (dict "x" 1)) (dict "a" "s") }}', '{{ merge (dict "a" "s") (dict "a" (dict "x" 1)) }}',
    '{{ mergeOverwrite (dict "a" "s") (dict "a" (dict "x" 1)) }}', '{{ merge (dict "a" nil) (dict "a" 1) }}',
    '{{ mergeOverwrite (dict "a" 1) (dict "a" nil) }}', '{{ merge (dict "a" 1) (dict "a" nil) }}',
    '{{ mergeOverwrite (dict "a" (list 1)) (dict "a" (list)) }}', '{{ merge (dict "a" (list)) (dict "a" (list 1)) }}',
    '{{ merge (dict "a" 0) (dict "a" 5) (dict "a" 6) }}', '{{ mergeOverwrite (dict "a" (dict "b" 1 "c" 2)) (dict "a" (dict "b" 0)) }}',
    '{{ mustMerge (dict "x" 1) (dict "y" 2) }}', '{{ mustMergeOverwrite (dict "x" 1) (dict "x" 2) }}', '{{ merge .nul .map }}',
    '{{ merge .map "x" }}', '{{ mergeOverwrite (dict "a" (dict)) (dict "a" (dict "b" 1)) }}', '{{ merge (dict "a" false) (dict "a" true) }}')

# Encoding and checksums
add('{{ b64enc "hello" }}', '{{ b64enc "" }}', '{{ b64enc "ab" }}', '{{ b64dec "aGVsbG8=" }}', '{{ b64dec "aGVsbG8" }}',
    '{{ b64dec "!!!" }}', '{{ b64dec "" }}', '{{ b64dec "YQ==" }}', '{{ b64dec "YQ=" }}', '{{ b64dec "YWJj\\nZGVm" }}',
    '{{ b32enc "hello" }}', '{{ b32dec "NBSWY3DP" }}', '{{ b32dec "bad!" }}', '{{ b32enc "a" }}', '{{ b32dec "ME======" }}',
    '{{ sha1sum "hello" }}', '{{ sha256sum "hello" }}', '{{ sha512sum "" }}', '{{ adler32sum "hello" }}',
    '{{ adler32sum "" }}', '{{ sha256sum .str }}', '{{ b64enc .unicode }}', '{{ .str | b64enc | b64dec }}')

# Regex
add('{{ regexMatch "^h.*o$" .str }}', '{{ regexMatch "[" "x" }}', '{{ mustRegexMatch "[" "x" }}', '{{ regexMatch "L" .str }}',
    '{{ regexFind "l+" .str }}', '{{ regexFind "z" .str }}', '{{ regexFindAll "l" "hello hello" -1 }}',
    '{{ regexFindAll "l" "hello hello" 2 }}', '{{ regexFindAll "l" "hello" 0 }}', '{{ regexFindAll "a*" "baaac" -1 }}',
    '{{ regexFindAll "[0-9]+" "a1b22c333" -1 }}', '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}',
    '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', '{{ regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "John Smith" "$last, $first" }}',
    '{{ regexReplaceAll "a*" "baaac" "X" }}', '{{ regexReplaceAll "[aeiou]" .str "$$" }}', '{{ regexReplaceAllLiteral "l" .str "$1" }}',
    '{{ regexReplaceAll "(l)" .str "<$1>" }}', '{{ regexReplaceAll "(l)" .str "$2" }}', '{{ regexSplit "," .csv -1 }}',
    '{{ regexSplit ",+" .csv -1 }}', '{{ regexSplit "," .csv 2 }}', '{{ regexSplit "x*" "axbc" -1 }}', '{{ regexSplit "," "" -1 }}',
    '{{ regexQuoteMeta "1.2+[x]" }}', '{{ regexFind "(?i)HEL" .str }}', '{{ regexMatch "^[a-z]+$" "abc\\n" }}',
    '{{ regexMatch "(?m)^b$" "a\\nb\\nc" }}', '{{ regexFind "\\\\d{2,3}" "a1234" }}', '{{ regexFind "[[:upper:]]+" "abCDe" }}',
    '{{ regexReplaceAll "\\\\s+" "a  b \\t c" " " }}', '{{ regexFind "^$" "" }}', '{{ mustRegexFind "(" "x" }}',
    '{{ regexFind "(" "x" }}', '{{ mustRegexFindAll "." "ab" -1 }}', '{{ mustRegexReplaceAll "b" "abc" "X" }}',
    '{{ mustRegexReplaceAllLiteral "b" "abc" "$0" }}', '{{ mustRegexSplit "b" "abc" -1 }}', '{{ regexFind "é" .unicode }}',
    '{{ regexReplaceAll "." "héllo" "x" }}', '{{ regexFindAll "\\\\bh\\\\w*" "hi there hello" -1 }}')

# Semver
add('{{ semverCompare ">=1.2.0" "1.2.3" }}', '{{ semverCompare ">=1.2.0" "1.1.9" }}', '{{ semverCompare "^1.2" "1.9.0" }}',
    '{{ semverCompare "^1.2" "2.0.0" }}', '{{ semverCompare "~1.2" "1.2.9" }}', '{{ semverCompare "~1.2" "1.3.0" }}',
    '{{ semverCompare "~1" "1.9.0" }}', '{{ semverCompare "1.2.x" "1.2.7" }}', '{{ semverCompare "1.x" "2.0.0" }}',
    '{{ semverCompare "*" "3.4.5" }}', '{{ semverCompare ">=1.2 <2" "1.5.0" }}', '{{ semverCompare ">=1.2, <2" "2.0.0" }}',
    '{{ semverCompare "<1 || >=3" "3.1.0" }}', '{{ semverCompare "<1 || >=3" "2.0.0" }}', '{{ semverCompare "1.2 - 1.4" "1.4.9" }}',
    '{{ semverCompare "1.2 - 1.4" "1.5.0" }}', '{{ semverCompare ">=1.21-0" "1.27.3-gke.100" }}',
    '{{ semverCompare ">=1.21" "1.27.3-gke.100" }}', '{{ semverCompare ">=1.21.0-0" "v1.21.0" }}', '{{ semverCompare "!=1.2.3" "1.2.3" }}',
    '{{ semverCompare "!=1.2.x" "1.3.0" }}', '{{ semverCompare "=1.2.3" "1.2.3+build" }}', '{{ semverCompare "1.2.3" "1.2.4" }}',
    '{{ semverCompare ">1.2" "1.2.5" }}', '{{ semverCompare ">1.2" "1.3.0" }}', '{{ semverCompare "<=1.2" "1.2.9" }}',
    '{{ semverCompare "<=1.2" "1.3.0" }}', '{{ semverCompare "^0.2.3" "0.2.9" }}', '{{ semverCompare "^0.2.3" "0.3.0" }}',
    '{{ semverCompare "^0.0.3" "0.0.4" }}', '{{ semverCompare "^0.0.3" "0.0.3" }}', '{{ semverCompare "~0.0.0" "0.5.0" }}',
    '{{ semverCompare ">=1.0.0-alpha" "1.0.0-beta" }}', '{{ semverCompare "<1.0.0-beta" "1.0.0-alpha.1" }}',
    '{{ semverCompare ">=1.0.0-rc.2" "1.0.0-rc.10" }}', '{{ semverCompare "~> 1.2" "1.2.3" }}', '{{ semverCompare "=> 1.2" "1.2.3" }}',
    '{{ semverCompare ">= 1.2" "v1.3" }}', '{{ semverCompare "bad" "1.0.0" }}', '{{ semverCompare ">=1.0" "bad" }}',
    '{{ semverCompare "" "1.0.0" }}', '{{ semverCompare ">=1.0 <" "1.0.0" }}', '{{ semverCompare ">=1.0" "" }}',
    '{{ semverCompare ">=1.0" "1.0.0-01" }}', '{{ semverCompare ">=1.0" "1.2.3.4" }}', '{{ semverCompare ">= 1.0.0 ,<= 2.0.0" "1.5.0" }}',
    '{{ semverCompare ">=1.24.0-0" .Capabilities }}', '{{ semverCompare "x" "0.0.1" }}', '{{ semverCompare "1.2.3 - 2.x" "2.9.0" }}',
    '{{ semver "1.2.3-rc.1+b5" }}', '{{ (semver "v1.2.3").Major }}', '{{ (semver "1.2").Minor }}', '{{ (semver "1.2.3").Patch }}',
    '{{ (semver "1.2.3-rc.1").Prerelease }}', '{{ (semver "1.2.3+meta").Metadata }}', '{{ (semver "v1.2").Original }}',
    '{{ semver "x" }}', '{{ semver "01.2.3" }}', '{{ semver "1.2.3-01" }}', '{{ (semver "1.2.3").Compare (semver "1.3.0") }}',
    '{{ (semver "1.2.3").LessThan (semver "1.3.0") }}', '{{ (semver "1.2.3").GreaterThan (semver "1.3.0") }}',
    '{{ (semver "1.2.3").Equal (semver "1.2.3+x") }}', '{{ typeOf (semver "1.0.0") }}', '{{ semver "v1" }}',
    '{{ semver "1.2.3-" }}', '{{ semver "99999999999999999999.0.0" }}', '{{ semver "1.2.3+a..b" }}')

# Dates (deterministic inputs)
add('{{ date "2006-01-02" 0 }}', '{{ date "2006-01-02T15:04:05Z07:00" 1700000000 }}', '{{ htmlDate 86400 }}',
    '{{ dateInZone "Jan 2, 2006 3:04pm MST" 1700000000 "UTC" }}', '{{ dateInZone "Mon Monday Jan January 06 1 2 _2 15 3 03 04 4 05 5 PM pm -0700 -07:00 Z07:00 .000 002" 1700000000 "UTC" }}',
    '{{ htmlDateInZone 1700000000 "UTC" }}', '{{ toDate "2006-01-02" "2024-03-04" | date "2006/01/02" }}',
    '{{ toDate "2006-01-02 15:04:05" "2024-03-04 05:06:07" | unixEpoch }}', '{{ toDate "2006-01-02" "bad" | unixEpoch }}',
    '{{ mustToDate "2006-01-02" "bad" }}', '{{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-04T05:06:07+02:00" | unixEpoch }}',
    '{{ (toDate "2006-01-02" "2024-03-04").Year }}', '{{ toDate "2006-01-02" "2024-03-04" | dateModify "1h30m" | unixEpoch }}',
    '{{ toDate "2006-01-02" "2024-03-04" | dateModify "bad" | unixEpoch }}', '{{ toDate "2006-01-02" "2024-03-04" | mustDateModify "bad" }}',
    '{{ toDate "2006-01-02" "2024-03-04" | dateModify "-24h" | date "2006-01-02" }}', '{{ duration 95 }}', '{{ duration "3700" }}',
    '{{ duration (int64 90061) }}', '{{ duration "x" }}', '{{ durationRound "2h10m" }}', '{{ durationRound "400h" }}',
    '{{ durationRound "9000h" }}', '{{ durationRound "61s" }}', '{{ durationRound "1s" }}', '{{ durationRound (int64 3600000000001) }}',
    '{{ durationRound "-3h1m" }}', '{{ toDate "2006-01-02" "2024-03-04" }}', '{{ unixEpoch "x" }}', '{{ dateModify "1h" "x" }}',
    '{{ date "2006" .nul | len }}', '{{ toDate "02/01/2006 15:04" "31/12/2023 23:59" | unixEpoch }}',
    '{{ toDate "Jan 2 2006" "Feb 29 2024" | htmlDate }}')

# Paths and URLs
add('{{ base "/a/b.txt" }}', '{{ base "" }}', '{{ base "/" }}', '{{ base "a/b/" }}', '{{ dir "/a/b/c" }}', '{{ dir "a" }}',
    '{{ dir "" }}', '{{ clean "a//b/../c/." }}', '{{ clean "/../a" }}', '{{ clean "" }}', '{{ clean "../../x" }}',
    '{{ ext "a/b.tar.gz" }}', '{{ ext "a.d/b" }}', '{{ isAbs "/x" }}', '{{ isAbs "x" }}', '{{ osBase "/a/b" }}',
    '{{ osDir "/a/b" }}', '{{ osClean "/a/./b" }}', '{{ osExt "x.y" }}', '{{ osIsAbs "/" }}',
    '{{ urlParse "https://user:pw@example.com:8443/p/a%20th?q=1&r=2#frag" | toJson }}', '{{ (urlParse "mailto:x@y.z").opaque }}',
    '{{ urlParse "/rel/path?x" | toJson }}', '{{ urlJoin (dict "scheme" "https" "host" "h.io" "path" "/a b" "query" "x=1" "fragment" "f") }}',
    '{{ urlJoin (dict "host" "h" "path" "p") }}', '{{ urlJoin (dict "scheme" "mailto" "opaque" "a@b") }}',
    '{{ urlJoin (dict "scheme" "http" "host" "h" "userinfo" "u:p") }}', '{{ urlJoin (dict "host" 1) }}', '{{ urlJoin (dict) }}')

# Crypto that is deterministic, plus errors
add('{{ genPrivateKey "foo" }}', '{{ genCA "x" }}', '{{ genSignedCert "x" nil nil 1 "notacert" }}',
    '{{ genSelfSignedCert "x" (list 1) nil 1 }}', '{{ genSelfSignedCert "x" (list "bad") nil 1 }}',
    '{{ genSelfSignedCert "x" nil (list 1) 1 }}', '{{ buildCustomCert "!!" "x" }}', '{{ buildCustomCert "eA==" "!!" }}',
    '{{ buildCustomCert "eA==" "eA==" }}', '{{ genCAWithKey "x" 1 "nokey" }}', '{{ randAlphaNum -1 }}', '{{ randAlpha 0 }}',
    '{{ randInt 5 5 }}', '{{ randInt 3 4 }}', '{{ len (randBytes 12) }}')

json.dump(C, open("cases.json", "w"), indent=0)
print(len(C), "cases")
