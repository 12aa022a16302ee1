using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// What a link run reports once its persons and links are stored: the counts, not the resolution itself, which at a
/// city's scale holds gigabytes that the stages after it need for themselves.
/// </summary>
/// <param name="Stats">The resolution's counts; <see cref="LinkStats.Records"/> is every current record, linked.</param>
/// <param name="Persons">Persons after the link.</param>
/// <param name="Blocking">Candidate pairs per blocking rule (empty after an incremental link, which blocks only new records).</param>
public sealed record LinkSummary(LinkStats Stats, int Persons, IReadOnlyList<RuleCount> Blocking);
