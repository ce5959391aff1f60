import ArgumentParser
struct Convert: ParsableCommand {}
