using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Clustering;

/// <summary>A link of an earlier run that an incremental run keeps as it is.</summary>
/// <param name="RecordId">The record, still current.</param>
/// <param name="Anchor">The record its person is recognised by in the new run: a registry record of the person, or the record that founded it.</param>
public sealed record KeptLink(long RecordId, long Anchor, string Method, double Weight, string Explanation);

/// <summary>What an incremental run starts from: the records to resolve again and the links kept from the last run.</summary>
/// <param name="Resolve">
/// Every registry record (the spine), the founding record of every person outside the registry (so that new records
/// can join them exactly as in a full run), the remaining records of persons whose founding record left, and the
/// records of the new batches.
/// </param>
/// <param name="Kept">The other records of the last run, linked as they were.</param>
/// <param name="KeptReview">Undecided pairs of the last run whose records are both kept.</param>
/// <param name="NewRecords">How many of <paramref name="Resolve"/> come from the new batches.</param>
/// <param name="Founders">How many founding records of persons outside the registry are resolved again.</param>
/// <param name="Dissolved">Persons whose founding record left with a superseded snapshot; their other records are resolved again.</param>
/// <param name="Left">Linked records that left with a superseded snapshot.</param>
public sealed record IncrementalBase(
    IReadOnlyList<LinkRecord> Resolve, IReadOnlyList<KeptLink> Kept, IReadOnlyList<ReviewPair> KeptReview, int NewRecords, int Founders, int Dissolved, int Left);

/// <summary>
/// Links new import batches against the persons of the last run without relinking everything. The registry spine
/// and each person outside it are represented by the record that stands for them in a full run (the registry record;
/// the record that founded the person), so a new record meets exactly the candidates it would meet in a full run with
/// the same model, which must be the model of the last run so that weights stay comparable. The records already
/// linked to those persons are not scored again: their links are kept.
/// </summary>
/// <remarks>
/// An incremental run never revisits earlier links: two persons that a new record shows to be one are not merged, and
/// a record that left does not free the records it kept from a link. A full relink does both (docs/review.md).
/// </remarks>
public static class IncrementalLinking
{
    /// <summary>Resolves the base's records with the given model and adds the kept links to the outcome.</summary>
    public static LinkResult Resolve(IncrementalBase basis, LinkageModel model, Action<IReadOnlyList<Blocking.RuleCount>>? onBlocked = null)
    {
        ArgumentNullException.ThrowIfNull(basis);
        var resolved = IdentityResolver.Resolve(basis.Resolve, model, onBlocked);
        return Combine(resolved, basis);
    }

    /// <summary>The resolution of the re-resolved records plus the kept links, each joined to the person its anchor went to.</summary>
    public static LinkResult Combine(LinkResult resolved, IncrementalBase basis)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(basis);
        var personOf = resolved.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        var assignments = new List<LinkAssignment>(resolved.Assignments.Count + basis.Kept.Count);
        assignments.AddRange(resolved.Assignments);
        foreach (var k in basis.Kept)
        {
            if (!personOf.TryGetValue(k.Anchor, out var person))
            {
                throw new InvalidOperationException($"The anchor record {k.Anchor} of kept record {k.RecordId} was not resolved.");
            }

            assignments.Add(new LinkAssignment(k.RecordId, person, k.Method, k.Weight, k.Explanation));
        }

        // Pairs of the re-resolved records are found again by the resolution; only the others are carried over.
        var review = resolved.Review.Concat(basis.KeptReview.Where(r => !personOf.ContainsKey(r.RecordId))).ToList();
        var s = resolved.Stats;
        var stats = s with { Records = s.Records + basis.Kept.Count, Review = review.Count };
        return new LinkResult(resolved.Persons, assignments, review, stats) { Blocking = resolved.Blocking, SpineBlocking = resolved.SpineBlocking };
    }
}
