using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests.Corpus;

/// <summary>
/// One broken (or awkward) input and what must happen to it. A refused file names its fault and line; a file that is
/// read reconciles (read = accepted + quarantined) and its quarantined values say where and what was expected.
/// </summary>
/// <param name="Name">Stable name, shown in test output.</param>
/// <param name="Spec">The spec the file is read with.</param>
/// <param name="Open">A fresh stream over the input (generated, so large cases need no checked-in file).</param>
/// <param name="Expected">The outcome.</param>
public sealed record CorpusCase(string Name, FeedSpec Spec, Func<Stream> Open, CorpusExpectation Expected)
{
    public override string ToString() => Name;

    /// <summary>Reads the case through <see cref="FeedReader"/> and checks the outcome.</summary>
    public CorpusOutcome Run()
    {
        var accepted = new List<CanonicalRecord>();
        var quarantined = new List<QuarantinedValue>();
        using var stream = Open();
        try
        {
            var summary = FeedReader.Read(Spec, stream, Name, accepted.Add, quarantined.Add);
            return new CorpusOutcome(summary, accepted, quarantined, null);
        }
        catch (FeedStructureException e)
        {
            return new CorpusOutcome(null, accepted, quarantined, e);
        }
    }

    /// <summary>Asserts the outcome; returns it for case-specific checks.</summary>
    public CorpusOutcome Check()
    {
        var outcome = Run();
        if (Expected.Refused is { } fault)
        {
            Assert.True(outcome.Refusal is not null, $"{Name}: expected the file to be refused ({fault}), but it was read: {outcome.Summary}");
            Assert.Contains(fault, outcome.Refusal!.Message, StringComparison.Ordinal);
            if (Expected.Line is { } line)
            {
                Assert.Contains($"line {line}", outcome.Refusal.Message, StringComparison.Ordinal);
            }

            // One clear sentence: no stack trace, no type names, no multi-line dump.
            Assert.DoesNotContain('\n', outcome.Refusal.Message);
            return outcome;
        }

        Assert.True(outcome.Refusal is null, $"{Name}: expected the file to be read, but it was refused: {outcome.Refusal?.Message}");
        var s = outcome.Summary!;
        Assert.True(s.Reconciles, $"{Name}: read {s.RowsRead} ≠ accepted {s.RowsAccepted} + quarantined {s.RowsQuarantined}");
        Assert.Equal((Expected.Read, Expected.Accepted, Expected.Quarantined), (s.RowsRead, s.RowsAccepted, s.RowsQuarantined));
        Assert.Equal(s.RowsAccepted, outcome.Accepted.Count);
        Assert.Equal(s.RowsQuarantined, outcome.Quarantined.Select(q => q.Line).Distinct().Count());
        Assert.All(outcome.Quarantined, q =>
        {
            Assert.True(q.Line >= 1, $"{Name}: a quarantined value without a line");
            Assert.False(string.IsNullOrWhiteSpace(q.Expected), $"{Name}: a quarantined value without what was expected");
            Assert.InRange(q.Received.Length, 0, 400);
        });
        if (Expected.QuarantineSays is { } says)
        {
            Assert.Contains(outcome.Quarantined, q => q.Expected.Contains(says, StringComparison.Ordinal));
        }

        return outcome;
    }
}

/// <summary>What a corpus case must give: a refusal naming <see cref="Refused"/> (at <see cref="Line"/>), or these counts.</summary>
public sealed record CorpusExpectation(string? Refused = null, long? Line = null, long Read = 0, long Accepted = 0, long Quarantined = 0, string? QuarantineSays = null)
{
    public static CorpusExpectation Refusal(string fault, long? line = null) => new(fault, line);

    public static CorpusExpectation Counts(long read, long accepted, long quarantined, string? says = null) => new(null, null, read, accepted, quarantined, says);
}

/// <summary>What reading a case gave.</summary>
public sealed record CorpusOutcome(ReadSummary? Summary, List<CanonicalRecord> Accepted, List<QuarantinedValue> Quarantined, FeedStructureException? Refusal);
