import ArgumentParser
import Foundation
import Matrices

/// `--shard I/N` or `--shard auto`: work on one of N contiguous row ranges, as one task of a
/// job array; `{shard}` in an output path becomes the shard's index.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Work on shard I of N (0-based): the rows are cut into N ranges balanced by stored interactions; `mftool merge` joins the parts. 'auto' reads I and N from the job array's environment (Slurm, a Kubernetes Indexed Job with --shards, AWS Batch).",
        valueName: "I/N|auto"))
    var shard: String?

    @Option(help: "With --shard auto in a Kubernetes Indexed Job (JOB_COMPLETION_INDEX): the number of shards, the Job's completions.")
    var shards: Int?

    /// The shard these options name, nil without --shard; `environment` is the process's.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        guard let shard else {
            if shards != nil { throw ValidationError("--shards applies with --shard auto") }
            return nil
        }
        if shard == "auto" { return try ShardOptions.fromEnvironment(environment, shards: shards) }
        if shards != nil { throw ValidationError("--shards applies with --shard auto; --shard I/N names N itself") }
        guard let parsed = Shard(shard) else {
            throw ValidationError("--shard '\(shard)' is not I/N with 0 ≤ I < N (e.g. 3/8), nor auto")
        }
        return parsed
    }

    /// I and N from the array job this process runs in.
    static func fromEnvironment(_ env: [String: String], shards: Int?) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let text = env[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--shard auto: \(name)='\(text)' is not an integer")
            }
            return value
        }
        let (index, count, source): (Int, Int, String)
        if let task = try number("SLURM_ARRAY_TASK_ID") {
            if let n = try number("SLURM_ARRAY_TASK_COUNT"), try number("SLURM_ARRAY_TASK_MIN") ?? 0 == 0 {
                (index, count, source) = (task, n, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT")
            } else if let low = try number("SLURM_ARRAY_TASK_MIN"), let high = try number("SLURM_ARRAY_TASK_MAX") {
                (index, count, source) = (task - low, high - low + 1, "SLURM_ARRAY_TASK_ID within SLURM_ARRAY_TASK_MIN…MAX")
            } else {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/MAX is")
            }
        } else if let task = try number("JOB_COMPLETION_INDEX") {
            guard let shards else {
                throw ValidationError("--shard auto in a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=\(task)) needs --shards N, the Job's completions")
            }
            (index, count, source) = (task, shards, "JOB_COMPLETION_INDEX and --shards")
        } else if let task = try number("AWS_BATCH_JOB_ARRAY_INDEX") {
            guard let n = try number("AWS_BATCH_JOB_ARRAY_SIZE") else {
                throw ValidationError("--shard auto: AWS_BATCH_JOB_ARRAY_INDEX is set but AWS_BATCH_JOB_ARRAY_SIZE is not")
            }
            (index, count, source) = (task, n, "AWS_BATCH_JOB_ARRAY_INDEX/AWS_BATCH_JOB_ARRAY_SIZE")
        } else {
            throw ValidationError("--shard auto: not in an array job (none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set); give --shard I/N")
        }
        if let shards, shards != count {
            throw ValidationError("--shards \(shards) disagrees with \(source), which gives \(count) shards")
        }
        guard let shard = Shard(index: index, count: count) else {
            throw ValidationError("--shard auto: \(source) give shard \(index) of \(count), outside 0…\(count - 1)")
        }
        return shard
    }

    /// The output path of `shard`: `{shard}` expanded. Under `auto` with several shards the
    /// path must have the placeholder, or every task would write the same file.
    func output(_ path: String, shard: Shard?) throws -> String {
        if let shard, self.shard == "auto", shard.count > 1, !path.contains("{shard}") {
            throw ValidationError("--shard auto runs \(shard.count) tasks: '\(path)' needs a {shard} placeholder, or every task writes the same file")
        }
        return try ShardOptions.expand(path, shard: shard)
    }

    /// `path` with `{shard}` expanded; without a shard, a `{shard}` placeholder is an error.
    static func expand(_ path: String, shard: Shard?) throws -> String {
        guard let shard else {
            if path.contains("{shard}") { throw ValidationError("'\(path)' has a {shard} placeholder but no --shard is given") }
            return path
        }
        return shard.expand(path)
    }
}
