using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Clustering;

/// <summary>Which person each record belongs to, how it was decided, and with what weight.</summary>
/// <param name="Method">atena (deterministic on the registry number), probabilistic, registry (the spine record itself), returned (a registry row of a
/// later 宛名番号 of a resident who moved out and came back, joined to the earlier number's person) or new.</param>
public sealed record LinkAssignment(long RecordId, int Person, string Method, double Weight, string Explanation);

/// <summary>A resolved person: its index in the result and the record that represents it (the registry record where there is one).</summary>
public sealed record ResolvedPerson(int Index, LinkRecord Representative);

/// <summary>A pair the model could not decide: a person from data staff should look at it.</summary>
public sealed record ReviewPair(long RecordId, long CandidateRecordId, double Weight, string Reason);

/// <summary>Counts that tell how a run went, printed before and after scoring.</summary>
public sealed record LinkStats(int Records, int DistinctIdentities, long CandidatePairs, int LinkedByAtena, int LinkedProbabilistic, int NewPersons, int Review)
{
    /// <summary>Later 宛名番号 joined to the earlier number of a resident who moved out and came back.</summary>
    public int ReturnedNumbers { get; init; }
}

/// <summary>The outcome of identity resolution.</summary>
public sealed record LinkResult(IReadOnlyList<ResolvedPerson> Persons, IReadOnlyList<LinkAssignment> Assignments, IReadOnlyList<ReviewPair> Review, LinkStats Stats)
{
    /// <summary>Candidate pairs per blocking rule (empty when the result was not made by the resolver).</summary>
    public IReadOnlyList<Blocking.RuleCount> Blocking { get; init; } = [];

    /// <summary>The blocking index of the spine, to measure or estimate each rule's pair recall afterwards.</summary>
    public Blocking.RegistryBlocking? SpineBlocking { get; init; }
}
