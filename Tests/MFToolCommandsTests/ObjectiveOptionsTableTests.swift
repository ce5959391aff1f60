import ArgumentParser
import Foundation
@testable import MFToolCommands
import Solvers
import Testing

/// The objective's options are the rows of `Objective.settings`.
@Suite("Objective options: one per row of the settings table")
struct ObjectiveOptionsTableTests {
    @Test("every row has its option, named by its flag, with the row's help; every objective option has a row")
    func optionsMatchTable() throws {
        let options = try ObjectiveOptions.parse([])
        let flags = Mirror(reflecting: options).children.compactMap { child in
            child.value is TypedSetting ? child.label.map(ObjectiveOptions.flag(ofProperty:)) : nil
        }
        #expect(flags.count == Objective.settings.count && Set(flags) == Set(Objective.settings.map(\.flag)))
        let help = ObjectiveOptions.helpMessage(columns: 10_000)
        for row in Objective.settings { #expect(help.contains("--\(row.flag)") && help.contains(row.help), "\(row.flag)") }
    }

    @Test("typed settings are read by their rows; untyped ones take Objective()'s defaults")
    func given() throws {
        let options = try ObjectiveOptions.parse(["--loss", "implicit", "--reg-exponent", "0.5", "--unobserved-weight", "0.25", "--user-bias"])
        #expect(try options.given() == ["loss": .choice("implicit"), "reg-exponent": .number(0.5), "unobserved-weight": .number(0.25), "user-bias": .flag(true)])
        let o = options.objective
        #expect(o.loss == .implicit && o.regularization == .frequency && o.regularizationExponent == 0.5 && o.unobservedWeight == 0.25)
        #expect(o.userBias && o.lambda == Objective().lambda && o.alpha == Objective().alpha)
        #expect(throws: (any Error).self) { try ObjectiveOptions.parse(["--loss", "ratings"]) }
        #expect(throws: (any Error).self) { try ObjectiveOptions.parse(["--unobserved-weight", "0.5"]) }
    }

    @Test("replacing settings gives the options as if those were typed, defaults left untyped")
    func replacing() throws {
        let options = try ObjectiveOptions.parse(["--lambda", "2", "--item-bias", "b.npy"])
        let out = try options.replacing(["loss": .choice("implicit"), "reg": .choice("constant"), "alpha": .number(40)])
        #expect(try out.given() == ["lambda": .number(2), "loss": .choice("implicit"), "alpha": .number(40)])
        #expect(out.itemBias == "b.npy" && out.objective.alpha == 40 && out.objective.lambda == 2)
    }
}
