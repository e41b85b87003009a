/// One entry as the tar stream describes it, after PAX and GNU long-name records were applied.
struct TarEntry: Sendable, Equatable {
    var name: String
    var type: TarHeader.EntryType?
    var rawType: UInt8
    var mode: Int64
    var size: Int64
    var linkName: String
}

/// Receives entries from a `TarStreamReader`.
protocol TarEntryHandler: AnyObject {
    /// A new entry begins; return `true` to receive its data.
    func beginEntry(_ entry: TarEntry) throws -> Bool
    /// The next bytes of the current entry's data.
    func entryData(_ bytes: UnsafeRawBufferPointer) throws
    /// The current entry's data is complete.
    func endEntry() throws
}

/// A push parser for (uncompressed) tar streams: feed it bytes in any chunking, it calls the handler per entry.
///
/// Understands ustar (with `prefix`), PAX `x` records (`path`, `linkpath`, `size`; `g` global headers ignored),
/// GNU `L`/`K` long names and base-256 sizes. Header checksums are verified; a stream that ends inside an entry, or
/// a non-zero block after the first end-marker block, is corrupt.
final class TarStreamReader {
    private enum State {
        case header
        /// Collecting a PAX or GNU long-name body before the header it applies to.
        case metadata(type: TarHeader.EntryType, remaining: Int64, padding: Int)
        case data(remaining: Int64, padding: Int, delivering: Bool)
        case padding(remaining: Int)
        /// One zero block seen; a second (or the end of input) finishes the archive.
        case firstZeroBlock
        case finished
    }

    /// Largest PAX or GNU long-name body accepted (a name is at most a few KiB in practice).
    static let maximumMetadataSize: Int64 = 1 << 20

    private let handler: any TarEntryHandler
    private var state: State = .header
    private var block: [UInt8] = []
    private var metadata: [UInt8] = []
    private var pendingPAX: [String: String] = [:]
    private var pendingLongName: String?
    private var pendingLongLink: String?

    init(handler: any TarEntryHandler) {
        self.handler = handler
        block.reserveCapacity(TarHeader.blockSize)
    }

    /// Parses the next chunk of the tar stream.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var input = bytes[...]
        while !input.isEmpty {
            switch state {
            case .finished:
                return  // data after the end marker is ignored, as tar does
            case .header, .firstZeroBlock:
                let take = min(TarHeader.blockSize - block.count, input.count)
                block += input.prefix(take)
                input = input.dropFirst(take)
                if block.count == TarHeader.blockSize {
                    try handleHeaderBlock()
                    block.removeAll(keepingCapacity: true)
                }
            case .metadata(let type, let remaining, let padding):
                let take = Int(min(Int64(input.count), remaining))
                metadata += input.prefix(take)
                input = input.dropFirst(take)
                if remaining - Int64(take) == 0 {
                    try applyMetadata(type)
                    state = padding > 0 ? .padding(remaining: padding) : .header
                } else {
                    state = .metadata(type: type, remaining: remaining - Int64(take), padding: padding)
                }
            case .data(let remaining, let padding, let delivering):
                let take = Int(min(Int64(input.count), remaining))
                if delivering && take > 0 { try handler.entryData(UnsafeRawBufferPointer(rebasing: input.prefix(take))) }
                input = input.dropFirst(take)
                if remaining - Int64(take) == 0 {
                    if delivering { try handler.endEntry() }
                    state = padding > 0 ? .padding(remaining: padding) : .header
                } else {
                    state = .data(remaining: remaining - Int64(take), padding: padding, delivering: delivering)
                }
            case .padding(let remaining):
                let take = min(input.count, remaining)
                input = input.dropFirst(take)
                state = remaining - take == 0 ? .header : .padding(remaining: remaining - take)
            }
        }
    }

    /// Checks that the stream ended at an entry boundary.
    func finish() throws(ArchiveError) {
        switch state {
        case .finished, .firstZeroBlock:
            return
        case .header where block.isEmpty:
            // Go's reader accepts an archive without the end marker; so do we, at a clean entry boundary.
            guard pendingPAX.isEmpty, pendingLongName == nil, pendingLongLink == nil else {
                throw .corrupt("archive ends after an extended header")
            }
        default:
            throw .corrupt("archive truncated")
        }
    }

    private func handleHeaderBlock() throws {
        if TarHeader.isZeroBlock(block[...]) {
            if case .firstZeroBlock = state {
                state = .finished
            } else {
                state = .firstZeroBlock
            }
            return
        }
        if case .firstZeroBlock = state { throw ArchiveError.corrupt("data after end-of-archive marker") }
        let header = try TarHeader.decode(block[...])
        let padding = TarHeader.padding(for: header.size)
        switch header.entryType {
        case .paxExtended, .paxGlobal, .gnuLongName, .gnuLongLink:
            guard header.size <= Self.maximumMetadataSize else {
                throw ArchiveError.corrupt("extended header of \(header.size) bytes is too large")
            }
            metadata.removeAll(keepingCapacity: true)
            // `entryType` is non-nil in this branch.
            let type = header.entryType ?? .paxExtended
            if header.size == 0 {
                try applyMetadata(type)
                state = .header
            } else {
                state = .metadata(type: type, remaining: header.size, padding: padding)
            }
        default:
            var entry = TarEntry(
                name: header.name, type: header.entryType, rawType: header.typeFlag, mode: header.mode,
                size: header.size, linkName: header.linkName)
            if let name = pendingLongName { entry.name = name }
            if let link = pendingLongLink { entry.linkName = link }
            if let path = pendingPAX["path"] { entry.name = path }
            if let link = pendingPAX["linkpath"] { entry.linkName = link }
            if let size = pendingPAX["size"] {
                guard let value = Int64(size), value >= 0 else { throw ArchiveError.corrupt("invalid PAX size \(size)") }
                entry.size = value
            }
            pendingPAX = [:]
            pendingLongName = nil
            pendingLongLink = nil
            // Links and directories carry no data even if a size is written.
            if entry.type == .directory || entry.type == .symbolicLink || entry.type == .hardLink { entry.size = 0 }
            let delivering = try handler.beginEntry(entry)
            let dataPadding = TarHeader.padding(for: entry.size)
            if entry.size == 0 {
                if delivering { try handler.endEntry() }
                state = .header
            } else {
                state = .data(remaining: entry.size, padding: dataPadding, delivering: delivering)
            }
        }
    }

    private func applyMetadata(_ type: TarHeader.EntryType) throws {
        switch type {
        case .paxExtended:
            pendingPAX.merge(try TarHeader.parsePAXRecords(metadata)) { _, new in new }
        case .gnuLongName:
            pendingLongName = String(decoding: metadata.prefix(while: { $0 != 0 }), as: UTF8.self)
        case .gnuLongLink:
            pendingLongLink = String(decoding: metadata.prefix(while: { $0 != 0 }), as: UTF8.self)
        default:
            break  // global PAX headers only carry defaults we do not use
        }
        metadata.removeAll(keepingCapacity: true)
    }
}
