namespace Mimamori.Needs.Scoring;

/// <summary>
/// Score bands: a band is a prompt to look, never a verdict. Their meaning, written next to every band shown, is
/// worded once for staff in the web app (Mimamori.Web.Rendering.Labels.BandMeaning).
/// </summary>
public static class Bands
{
    public const double High = 0.6;
    public const double Medium = 0.3;

    public static string Of(double score) => score >= High ? "high" : score >= Medium ? "medium" : score > 0 ? "low" : "none";
}
