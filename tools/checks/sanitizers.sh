#!/usr/bin/env bash
# The tests of the threaded kernels, the readers, ranking and the commands that drive them,
# built with a sanitizer: `address` (AddressSanitizer with LeakSanitizer) or `thread`
# (ThreadSanitizer). Each sanitizer builds in its own scratch path (.build-asan, .build-tsan),
# so the plain .build stays as it is. Fails on any report.
#
# Leaks inside Foundation and XCTest are suppressed by function name in
# sanitizers.lsan-suppressions, and lock-order reports inside the Swift runtime in
# sanitizers.tsan-suppressions (each entry says why); none covers mftool's own code.
#
# ThreadSanitizer runs with ignore_noninstrumented_modules=0: with Swift's default of 1 it
# reports no race on the threads libdispatch starts, which run every parallel region of
# mftool (DispatchQueue.concurrentPerform). OpenBLAS, libdispatch and Foundation are not
# instrumented: their own memory accesses are not checked.
set -euo pipefail
cd "$(dirname "$0")/../.."

suites=(
    NativeKernelTests DenseProductTests QuantizedScanTests RidgeReferenceTests RidgePropertyTests
    GradientTrainerTests SparseTrainingTests AlternatingLeastSquaresTests ThreadPlacementTests
    EvaluationTests RecommendationTests SimilarityTests
    InteractionReaderTests BadInputTests HostileInputTests HostileTextTests OverflowingValueTests
    DeclaredShapeTests DeclaredRowsTests
    ProgressTests SolveCommandTests FitCommandTests IALSCommandTests SplitCommandTests
)
filter=$(IFS='|'; echo "${suites[*]}")

case "${1:-}" in
address)
    export LSAN_OPTIONS="suppressions=$PWD/tools/checks/sanitizers.lsan-suppressions:print_suppressions=0"
    swift test --sanitize=address --scratch-path .build-asan --filter "$filter" ;;
thread)
    export TSAN_OPTIONS="ignore_noninstrumented_modules=0:suppressions=$PWD/tools/checks/sanitizers.tsan-suppressions"
    swift test --sanitize=thread --scratch-path .build-tsan --filter "$filter" ;;
*)
    echo "usage: $0 address|thread" >&2
    exit 64 ;;
esac
