namespace Mimamori.Needs.Scoring;

/// <summary>
/// Score bands and what they mean, written next to every band shown: a band is a prompt to look, never a verdict.
/// </summary>
public static class Bands
{
    public const double High = 0.6;
    public const double Medium = 0.3;

    public static string Of(double score) => score >= High ? "high" : score >= Medium ? "medium" : score > 0 ? "low" : "none";

    /// <summary>The meaning of each band in Japanese and English.</summary>
    public static IReadOnlyDictionary<string, (string Ja, string En)> Meaning { get; } = new Dictionary<string, (string, string)>
    {
        ["high"] = ("複数の強いサインがあります。早めに状況を確認してください。", "Several strong signals: check the situation soon."),
        ["medium"] = ("気になるサインがあります。他の情報と合わせて判断してください。", "Signals worth a look: judge together with what else you know."),
        ["low"] = ("弱いサインが一つあります。見守りの参考です。", "One weak signal: for awareness."),
        ["none"] = ("サインはありません（データがない項目は不明です）。", "No signals (items without data are unknown)."),
    };
}
