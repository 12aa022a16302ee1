namespace Mimamori.Support.Outreach;

/// <summary>
/// One offer as a family reads it, in one wording: what the support is, what to apply with, where, and whom to ask.
/// </summary>
/// <param name="Variant">The wording's id (<c>plain</c>, <c>easy</c>, <c>deadline</c>, <c>en</c>).</param>
/// <param name="Language"><c>ja</c> or <c>en</c>: the language of the headings around the text.</param>
public sealed record ComposedMessage(string Program, string Variant, string Language, string Subject, string Body, string ApplyWith, string Where, string Contact);
