namespace Mimamori.Support.Documents;

/// <summary>A part of a disclosure: one kind of data, one block per row, each value with its item name.</summary>
/// <param name="NeedsReview">True when the part may hold information that must be withheld (e.g. who reported a
/// concern); the privacy officer reviews it before anything is handed over.</param>
public sealed record DisclosurePart(string Heading, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows, bool NeedsReview);

/// <summary>What is held about a person, laid out for the person (本人開示).</summary>
public sealed record DisclosureReport(string Title, string Subject, string Prepared, string Note, IReadOnlyList<DisclosurePart> Parts);
