/// One data entry a generator source produced, with the field it came from (for errors).
struct KeyValuePair {
    var key: String
    var value: [UInt8]
    var field: String
}
