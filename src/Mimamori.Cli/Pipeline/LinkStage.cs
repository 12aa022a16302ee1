using Mimamori.Cli.Console;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Training;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>Identity resolution over the current records; the model used is stored with the run.</summary>
public static class LinkStage
{
    public static LinkResult Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log)
    {
        var run = RunLog.Start(database, "link", clock.GetUtcNow());
        var records = LinkageStore.LoadRecords(database);
        log.Line($"link: {records.Count:N0} records loaded");

        // m, u and the prior estimated on this data, starting from the default model (EM; u from random pairs).
        var training = RegistryTraining.Train(records, LinkageModel.Default);
        var model = training.Model;
        log.Line(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"link: model {model.Version}: u from {training.SampledPairs:N0} random pairs, EM on {training.CandidatePairs:N0} candidate pairs {(training.Converged ? "converged" : "did NOT converge")} after {training.Iterations} iterations; prior {training.Prior:0.####}"));
        var result = IdentityResolver.Resolve(records, model);
        var s = result.Stats;
        log.Line($"link: {s.DistinctIdentities:N0} distinct identities, {s.CandidatePairs:N0} candidate pairs scored; {s.LinkedByAtena:N0} linked on 宛名番号, {s.LinkedProbabilistic:N0} probabilistically, {s.NewPersons:N0} new persons, {s.Review:N0} pairs for review");
        LinkageStore.Save(database, result, referenceDate);
        RunLog.Finish(database, run, clock.GetUtcNow(), records.Count, "succeeded", model.ToJson());
        log.Line($"link: {result.Persons.Count:N0} persons");
        return result;
    }
}
