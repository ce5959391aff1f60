import Foundation

/// An SVG line chart of the relative gap to the exact optimum per epoch, on a log scale.
struct ConvergencePlot {
    var title: String
    var gaps: [Double]
    var optimum: Double

    func svg() -> String {
        let width = 720.0, height = 420.0
        let left = 80.0, right = 24.0, top = 48.0, bottom = 56.0
        let plotW = width - left - right, plotH = height - top - bottom
        let positive = gaps.filter { $0 > 0 && $0.isFinite }
        let lowest = max(positive.min() ?? 1e-16, 1e-17)
        let highest = max(positive.max() ?? 1, lowest * 10)
        let decadeLow = floor(log10(lowest)), decadeHigh = ceil(log10(highest))
        let span = max(decadeHigh - decadeLow, 1)
        func x(_ epoch: Int) -> Double { left + plotW * Double(epoch - 1) / Double(max(gaps.count - 1, 1)) }
        func y(_ gap: Double) -> Double { top + plotH * (decadeHigh - log10(max(gap, lowest))) / span }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="24" text-anchor="middle" font-size="15">\(escape(title))</text>
        <line x1="\(left)" y1="\(top + plotH)" x2="\(left + plotW)" y2="\(top + plotH)" stroke="black"/>
        <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotH)" stroke="black"/>

        """
        var decade = decadeLow
        while decade <= decadeHigh {
            let yy = top + plotH * (decadeHigh - decade) / span
            s += "<line x1=\"\(left)\" y1=\"\(yy)\" x2=\"\(left + plotW)\" y2=\"\(yy)\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(left - 6)\" y=\"\(yy + 4)\" text-anchor=\"end\">1e\(Int(decade))</text>\n"
            decade += 1
        }
        let ticks = 5
        for t in 0...ticks where gaps.count > 0 {
            let epoch = 1 + (gaps.count - 1) * t / ticks
            s += "<text x=\"\(x(epoch))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(epoch)</text>\n"
        }
        let points = gaps.enumerated().map { String(format: "%.2f,%.2f", x($0.offset + 1), y($0.element)) }.joined(separator: " ")
        s += "<polyline class=\"curve\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top + plotH - 1)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH - 1)\" stroke=\"#d62728\" stroke-dasharray=\"6 4\" stroke-width=\"2\"/>\n"
        s += "<text x=\"\(left + plotW - 4)\" y=\"\(top + plotH - 8)\" text-anchor=\"end\" fill=\"#d62728\">exact optimum (ridge solve): objective \(String(format: "%.6g", optimum)), gap 0</text>\n"
        s += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 16)\" text-anchor=\"middle\">epoch</text>\n"
        s += "<text x=\"18\" y=\"\(top + plotH / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(top + plotH / 2))\">relative gap (f − f*) / f*, log scale</text>\n"
        s += "</svg>\n"
        return s
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
