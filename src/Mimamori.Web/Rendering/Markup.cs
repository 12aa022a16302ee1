namespace Mimamori.Web.Rendering;

/// <summary>
/// HTML that is already safe to write: built only by <see cref="Html.H"/>, which encodes every interpolated value, or
/// from constant text. Keeping it a distinct type means a plain string can never reach the page unencoded.
/// </summary>
public readonly struct Markup : IEquatable<Markup>
{
    internal Markup(string html) => Html = html;

    /// <summary>The HTML text.</summary>
    public string Html { get; } = string.Empty;

    /// <summary>No output.</summary>
    public static Markup Empty => new(string.Empty);

    /// <summary>Concatenates fragments.</summary>
    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Html)));

    /// <inheritdoc/>
    public override string ToString() => Html ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(Markup other) => string.Equals(Html, other.Html, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Markup m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => (Html ?? string.Empty).GetHashCode(StringComparison.Ordinal);

    /// <summary>Equality of the HTML text.</summary>
    public static bool operator ==(Markup left, Markup right) => left.Equals(right);

    /// <summary>Inequality of the HTML text.</summary>
    public static bool operator !=(Markup left, Markup right) => !left.Equals(right);
}
