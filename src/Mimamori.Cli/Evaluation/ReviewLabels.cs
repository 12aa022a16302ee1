using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Evaluation;

/// <summary>
/// Staff review decisions counted as labels (docs/review.md): how many pairs were decided, how often the decision
/// agrees with the synthetic truth, how often the model's proposal at decision time (link when the weight reached the
/// link threshold) agreed with the decision, and whether the stored persons now follow the decisions. A municipality
/// without a truth file has only the last two.
/// </summary>
public static class ReviewLabels
{
    /// <param name="truthOf">The true person of a record by source, file and line, or null when the truth does not know it.</param>
    public static Dictionary<string, object> Section(MimamoriDatabase database, Func<(string Source, string File, long Line), string?> truthOf)
    {
        ArgumentNullException.ThrowIfNull(truthOf);
        var labels = DecisionLabels.Load(database);
        var threshold = (LinkReview.LatestModel(database) ?? LinkageModel.Default).LinkThreshold;
        int withTruth = 0, truthAgrees = 0, followed = 0, placed = 0;
        foreach (var l in labels)
        {
            if (l.Record is not { } a || l.Other is not { } b)
            {
                continue;
            }

            if (truthOf((a.Source, a.File, a.Line)) is { } ta && truthOf((b.Source, b.File, b.Line)) is { } tb)
            {
                withTruth++;
                truthAgrees += (ta == tb) == l.Same ? 1 : 0;
            }

            if (a.PersonId is { } pa && b.PersonId is { } pb)
            {
                placed++;
                followed += (pa == pb) == l.Same ? 1 : 0;
            }
        }

        var modelAgrees = labels.Count(l => (l.Weight >= threshold) == l.Same);
        return new Dictionary<string, object>
        {
            ["review_decisions"] = labels.Count,
            ["review_accepted"] = labels.Count(l => l.Same),
            ["review_rejected"] = labels.Count(l => !l.Same),
            ["review_decisions_with_truth"] = withTruth,
            ["review_agreement_with_truth"] = withTruth == 0 ? 0 : Math.Round((double)truthAgrees / withTruth, 4),
            ["review_model_agreement"] = labels.Count == 0 ? 0 : Math.Round((double)modelAgrees / labels.Count, 4),
            ["review_decisions_followed"] = placed == 0 ? 0 : Math.Round((double)followed / placed, 4),
        };
    }
}
