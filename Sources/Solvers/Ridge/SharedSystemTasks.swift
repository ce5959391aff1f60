import Dispatch
import Matrices

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shared system on the native kernels as one pool of tasks dealt to the threads in order:
/// task 0 copies V into rows padded to whole vectors and then factorizes VᵀV + λI from that copy
/// while it is in cache; task b + 1 computes B = R·V for block b of 48 users and solves it. The
/// other threads take blocks as soon as the copy is published, while the factorization runs; a
/// block multiplied before the factor is published waits, in its thread, until it is. Each
/// user's arithmetic does not depend on the thread that runs it.
final class SharedSystemTasks<S: LinearAlgebraScalar>: @unchecked Sendable {
    let kernel: RidgeKernel<S>
    let background: [Double]
    /// Users per task: eight of the dense kernel's 6-row tiles and three 16-user passes of the
    /// triangular solves.
    let block = 48
    let blocks: Int
    /// V's rows padded to whole vectors (`nativeVectorPadding`), which the products and the
    /// Gram kernel read.
    let ldv: Int
    let padded: SharedBuffer<S>
    /// The factor (kp × kp), then the reciprocals of its diagonal (kp).
    let factor: SharedBuffer<S>
    private let pool = TaskPool()

    init(kernel: RidgeKernel<S>, background: [Double]) {
        self.kernel = kernel
        self.background = background
        blocks = (kernel.problem.userCount + block - 1) / block
        ldv = S.nativeVectorPadding(kernel.variant, kernel.w)
        padded = SharedBuffer<S>(count: Swift.max(1, kernel.problem.itemCount) * ldv)
        factor = SharedBuffer<S>(count: kernel.kp * kernel.kp + kernel.kp)
    }

    /// One thread's share: tasks from the pool until none is left, then the blocks that waited
    /// for the factor. Thread 0 reports progress.
    func work(thread: Int, X: UnsafeMutablePointer<Double>, R: CSRPointers, items: UnsafePointer<S>) {
        let kp = kernel.kp
        var solveWork = [S](repeating: 0, count: 32 * kp)
        var rows: [Double] = []
        // The block in hand's B = R·V (row r for user u0 + r), and the blocks multiplied before
        // the factor was published with theirs.
        var product = [S](repeating: 0, count: block * kp)
        var waiting: [(block: Int, product: [S])] = []
        while true {
            let task = pool.next()
            if task > blocks { break }
            if task == 0 {
                factorize(items: items)
                continue
            }
            _ = padded.waitForState()
            let b = task - 1
            let users = b * block..<Swift.min(kernel.problem.userCount, (b + 1) * block)
            product.withUnsafeMutableBufferPointer { p in
                kernel.matrix.multiplyRows(users, R, padded: padded.base, ldv: ldv, into: p.baseAddress!, rows: &rows)
            }
            switch factor.state {
            case .ready:
                solve(users, &product, X: X, work: &solveWork)
                kernel.progress?.add(users.count, thread: thread)
            case .failed: break
            case .pending: waiting.append((b, product))   // the next block's product goes to a copy
            }
        }
        if !waiting.isEmpty && factor.waitForState() == .ready {
            for i in waiting.indices {
                let b = waiting[i].block
                let users = b * block..<Swift.min(kernel.problem.userCount, (b + 1) * block)
                solve(users, &waiting[i].product, X: X, work: &solveWork)
                kernel.progress?.add(users.count, thread: thread)
            }
        }
    }

    /// Task 0: the padded copy of V, published, then G + λI factorized from it and published.
    func factorize(items: UnsafePointer<S>) {
        let n = kernel.problem.itemCount, w = kernel.w, kp = kernel.kp
        if n > 0 { S.packRows(k: w, kp: ldv, count: n, v: items, ldv: w, out: padded.base) }
        padded.publish(.ready)
        let a = factor.base
        S.nativeGram(kernel.variant, kp: kp, ldx: ldv, count: n, x: padded.base, y: nil, base: nil, a: a)
        kernel.problem.addRegularization(S(kernel.terms.sharedLambda), to: a, stride: kp)
        factor.publish(kernel.nativeFactor(a, inverse: a + kp * kp) == 0 ? .ready : .failed)
    }

    /// Adds the background to the block's right-hand sides, solves them with the shared factor
    /// and writes the users' factors.
    func solve(_ users: Range<Int>, _ product: inout [S], X: UnsafeMutablePointer<Double>, work: inout [S]) {
        let w = kernel.w, kp = kernel.kp
        let a = UnsafePointer(factor.base), inverse = UnsafePointer(factor.base + kp * kp)
        product.withUnsafeMutableBufferPointer { p in
            let B = p.baseAddress!
            if kernel.terms.hasBackgroundTarget {
                for r in 0..<users.count { for c in 0..<w { B[r * kp + c] += S(background[c]) } }
            }
            work.withUnsafeMutableBufferPointer {
                S.nativeSolveMany(kernel.variant, k: w, lda: kp, u: a, inverse: inverse, count: users.count, b: B, ldb: kp,
                                  work: $0.baseAddress!)
            }
            for r in 0..<users.count { for c in 0..<w { X[(users.lowerBound + r) * w + c] = Double(B[r * kp + c]) } }
        }
    }

    /// Runs `body` on `threads` threads. The caller yields its CPU once, and a helper woken onto
    /// the caller's CPU moves away (``ThreadPlacement``): otherwise such a helper would wait
    /// until the caller had done every block.
    static func runPlaced(threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard threads > 1 else { return body(0) }
        let caller = UnsafeSendable(pthread_self()), callerCPU = ThreadPlacement.currentCPU
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            if pthread_equal(pthread_self(), caller.value) != 0 {
                ThreadPlacement.yieldOnce()
                body(t)
            } else {
                ThreadPlacement.avoiding(cpu: callerCPU) { body(t) }
            }
        }
    }
}
