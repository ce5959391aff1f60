import Foundation
@testable import Matrices
import Testing

@Suite("Memory limit: the least of physical memory, rlimits and the cgroup's")
struct MemoryLimitTests {
    /// A fake /proc/self/cgroup and cgroup folder tree under a scratch folder.
    static func tree(_ cgroup: String, _ files: [String: String]) throws -> (String, String) {
        let root = NSTemporaryDirectory() + "mftool-cgroup-\(UUID().uuidString)"
        for (path, text) in files {
            let full = root + "/fs" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try cgroup.write(toFile: root + "/cgroup", atomically: false, encoding: .utf8)
        return (root + "/cgroup", root + "/fs")
    }

    @Test("cgroup v2: the least memory.max of the process's cgroup and its ancestors; 'max' is no limit")
    func cgroupV2() throws {
        let (proc, root) = try Self.tree("0::/job/step\n", [
            "/job/step/memory.max": "max\n", "/job/memory.max": "2147483648\n", "/job/memory.current": "1073741824\n",
            "/memory.max": "8589934592\n",
        ])
        // The job's limit less what the job holds already.
        #expect(MemoryLimit.cgroupLimit(procSelf: proc, root: root) == 1_073_741_824)
        let (unlimited, root2) = try Self.tree("0::/a\n", ["/a/memory.max": "max\n"])
        #expect(MemoryLimit.cgroupLimit(procSelf: unlimited, root: root2) == nil)
    }

    @Test("cgroup v1: memory.limit_in_bytes under the memory controller")
    func cgroupV1() throws {
        let (proc, root) = try Self.tree("4:cpu,cpuacct:/x\n7:memory:/slurm/job_1\n", [
            "/memory/slurm/job_1/memory.limit_in_bytes": "1073741824\n",
        ])
        #expect(MemoryLimit.cgroupLimit(procSelf: proc, root: root) == 1_073_741_824)
    }

    @Test("inactive page cache is not counted as held: v2 inactive_file, v1 total_inactive_file")
    func reclaimableCache() throws {
        let (proc, root) = try Self.tree("0::/job\n", [
            "/job/memory.max": "2147483648\n", "/job/memory.current": "1610612736\n",
            "/job/memory.stat": "anon 536870912\nfile 1073741824\nactive_file 536870912\ninactive_file 536870912\n",
        ])
        // 2 GiB less (1.5 GiB held − 0.5 GiB inactive cache).
        #expect(MemoryLimit.cgroupLimit(procSelf: proc, root: root) == 1_073_741_824)
        let (proc1, root1) = try Self.tree("7:memory:/slurm/job_2\n", [
            "/memory/slurm/job_2/memory.limit_in_bytes": "1073741824\n", "/memory/slurm/job_2/memory.usage_in_bytes": "1000000000\n",
            "/memory/slurm/job_2/memory.stat": "cache 900000000\nrss 100000000\ninactive_file 1\ntotal_inactive_file 600000000\n",
        ])
        #expect(MemoryLimit.cgroupLimit(procSelf: proc1, root: root1) == 1_073_741_824 - 400_000_000)
        // Cache that is all active still counts, and more cache than usage holds nothing.
        let (proc2, root2) = try Self.tree("0::/a\n", ["/a/memory.max": "1000\n", "/a/memory.current": "600\n", "/a/memory.stat": "inactive_file 900\n"])
        #expect(MemoryLimit.cgroupLimit(procSelf: proc2, root: root2) == 1000)
    }

    @Test("the default is no more than the physical memory and this process's RLIMIT_AS")
    func defaultLimit() {
        var value = rlimit()
        let limit = MemoryLimit.systemDefault()
        #expect(limit <= Int(clamping: ProcessInfo.processInfo.physicalMemory))
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &value) == 0, value.rlim_cur != rlim_t.max {
            #expect(limit <= Int(clamping: value.rlim_cur))
        }
    }
}

extension MemoryLimitTests {
    @Test("/proc/self/status values are read past their tab and padding")
    func statusLines() {
        let status = "Name:\tmftool\nVmSize:\t  123456 kB\nVmData:\t    4096 kB\n"
        #expect(MemoryLimit.kilobytes(status, "VmSize:") == 123_456)
        #expect(MemoryLimit.kilobytes(status, "VmData:") == 4096)
        #expect(MemoryLimit.kilobytes(status, "VmRSS:") == 0)
    }
}
