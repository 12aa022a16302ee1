namespace Mimamori.Support.Outreach;

/// <summary>
/// A printed letter: the envelope window's address block, the date, the sender, the offer, and how to answer online.
/// </summary>
/// <param name="PostalCode">Seven digits, with or without the hyphen; printed as 〒123-4567.</param>
/// <param name="Addressee">The household's addressee (usually the head of household), printed with 様.</param>
/// <param name="Date">The date the letter is issued, printed in 和暦 (or in English for an English letter).</param>
/// <param name="Sender">The municipality and office sending it.</param>
/// <param name="AccessCode">The household's inbox code, printed once and stored only hashed; null prints no inbox box.</param>
/// <param name="InboxAddress">Where to enter the code, e.g. https://mimamori.example.lg.jp/inbox.</param>
public sealed record Letter(string PostalCode, string Address, string Addressee, DateOnly Date, string Sender, ComposedMessage Message, string? AccessCode, string InboxAddress);
