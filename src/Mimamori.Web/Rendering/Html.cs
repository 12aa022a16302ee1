namespace Mimamori.Web.Rendering;

/// <summary>Builds <see cref="Markup"/> from interpolated strings: <c>H($"&lt;td&gt;{name}&lt;/td&gt;")</c> encodes <c>name</c>.</summary>
public static class Html
{
    /// <summary>Markup from a template whose holes are encoded.</summary>
    public static Markup H(ref MarkupBuilder builder) => builder.ToMarkup();

    /// <summary>Markup for each item, concatenated.</summary>
    public static Markup Each<T>(IEnumerable<T> items, Func<T, Markup> render) => Markup.Join(items.Select(render));

    /// <summary>The fragment when the condition holds, otherwise nothing.</summary>
    public static Markup If(bool condition, Markup markup) => condition ? markup : Markup.Empty;
}
