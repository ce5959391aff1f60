import Foundation

/// libFuzzer's driver. SwiftPM renames an executable's `main` and links its own, which hides
/// the one in the fuzzer runtime, so this `main` starts the driver itself.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ body: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@main
enum FuzzMain {
    static func main() {
        _ = FuzzSession.current
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzz))
    }
}

/// libFuzzer's entry point: writes the input to the scratch file and reads it back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let session = FuzzSession.current
    let fd = open(session.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(session.path)") }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        guard n > 0 else { fatalError("cannot write \(session.path)") }
        written += n
    }
    close(fd)
    session.target.run(path: session.path)
    return 0
}
