using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Mimamori.Needs.Model;

/// <summary>A feature's share in a child's score: the feature, its group, the contribution and the plain-words reason.</summary>
public sealed record Contribution(string Feature, string Group, double Value, string Ja, string En);

/// <summary>One child's calibrated probability with its band and the top reasons, under a model version.</summary>
public sealed record ModelScore(long PersonId, double RawScore, double Probability, string Band, IReadOnlyList<Contribution> Top);

/// <summary>The training settings of the gradient-boosted trees; part of the model version.</summary>
public sealed record TreeParameters(int Leaves, int Trees, double LearningRate, int MinimumExamplesPerLeaf);

/// <summary>What a saved model carries besides the trees: enough to rebuild the vector, calibrate and explain.</summary>
public sealed record ModelMetadata(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("feature_version")] string FeatureVersion,
    [property: JsonPropertyName("columns")] IReadOnlyList<FeatureColumn> Columns,
    [property: JsonPropertyName("platt")] PlattScaling Platt,
    [property: JsonPropertyName("parameters")] TreeParameters Parameters,
    [property: JsonPropertyName("bands")] IReadOnlyDictionary<string, double> Bands,
    [property: JsonPropertyName("features_as_of")] DateOnly FeaturesAsOf,
    [property: JsonPropertyName("outcome_window")] string OutcomeWindow,
    [property: JsonPropertyName("blend")] Blend? Blend = null);

/// <summary>
/// How the parts add up to the score before calibration: the mean margin of the tree models times
/// <see cref="TreeWeight"/>, plus <see cref="LinearWeight"/> times the logistic margin (<see cref="Bias"/> plus
/// <see cref="Coefficients"/> times the model vector). The weights were chosen on out-of-fold scores of the training split.
/// </summary>
public sealed record Blend(
    [property: JsonPropertyName("tree_weight")] double TreeWeight,
    [property: JsonPropertyName("linear_weight")] double LinearWeight,
    [property: JsonPropertyName("bias")] double Bias,
    [property: JsonPropertyName("coefficients")] IReadOnlyList<double> Coefficients)
{
    /// <summary>The logistic margin of one model vector.</summary>
    public double Linear(float[] vector)
    {
        var z = Bias;
        for (var i = 0; i < vector.Length; i++)
        {
            z += Coefficients[i] * vector[i];
        }

        return z;
    }
}

/// <summary>
/// A trained need model: gradient-boosted trees over the feature vector (one per training fold, averaged), blended with
/// a regularised logistic regression, Platt-calibrated on out-of-fold scores of held-out households.
/// It reads and writes streams only; where the bytes live is Storage's and the command line's business.
/// </summary>
public sealed class NeedModel
{
    private const int TopReasons = 3;

    // The largest few per child are enough to rank groups; asking ML.NET for all of them makes explaining slow.
    private const int ContributionsKept = 12;
    private readonly MLContext ml;
    private readonly IReadOnlyList<ITransformer> trees;

    internal NeedModel(MLContext ml, IReadOnlyList<ITransformer> trees, FeatureSchema schema, ModelMetadata metadata)
    {
        this.ml = ml;
        this.trees = trees;
        Schema = schema;
        Metadata = metadata;
    }

    public FeatureSchema Schema { get; }

    public ModelMetadata Metadata { get; }

    public string Version => Metadata.Version;

    /// <summary>The band of a calibrated probability under this model's thresholds.</summary>
    public string BandOf(double p) =>
        p >= Metadata.Bands.GetValueOrDefault("high", 0.3) ? "high"
        : p >= Metadata.Bands.GetValueOrDefault("medium", 0.1) ? "medium"
        : p >= Metadata.Bands.GetValueOrDefault("low", 0.03) ? "low"
        : "none";

    /// <summary>Raw scores (the blended margin before calibration), in the order given.</summary>
    public double[] RawScores(IReadOnlyList<ChildFeatures> children)
    {
        var data = ModelData.ToDataView(ml, Schema, children, null);
        var raw = new double[children.Count];
        var treeWeight = (Metadata.Blend?.TreeWeight ?? 1) / trees.Count;
        foreach (var t in trees)
        {
            var i = 0;
            foreach (var s in t.Transform(data).GetColumn<float>("Score"))
            {
                raw[i++] += treeWeight * s;
            }
        }

        if (Metadata.Blend is { LinearWeight: not 0 } blend)
        {
            for (var i = 0; i < children.Count; i++)
            {
                raw[i] += blend.LinearWeight * blend.Linear(Schema.ModelVector(children[i].Values));
            }
        }

        return raw;
    }

    /// <summary>
    /// Scores every child. The top reasons (contributions summed per group, told by the group's largest feature) are
    /// computed for children in a band above "none" — the ones a person will look at; explaining every child of a
    /// city would cost minutes, and any child's reasons can be computed later from the stored inputs.
    /// </summary>
    public IReadOnlyList<ModelScore> Score(IReadOnlyList<ChildFeatures> children, bool explainAll = false)
    {
        var raw = RawScores(children);
        var result = new ModelScore[children.Count];
        var explain = new List<int>();
        for (var i = 0; i < children.Count; i++)
        {
            var p = Metadata.Platt.Probability(raw[i]);
            result[i] = new ModelScore(children[i].PersonId, raw[i], p, BandOf(p), []);
            if (explainAll || result[i].Band != "none")
            {
                explain.Add(i);
            }
        }

        if (explain.Count == 0)
        {
            return result;
        }

        // Per child and feature, the margin each part owes to it: the trees' contributions (averaged over the fold
        // models) and the logistic term (coefficient times value), both weighted as in the blend.
        var explained = explain.Select(i => children[i]).ToList();
        var totals = explained.Select(_ => new double[Schema.Count]).ToArray();
        var data = ModelData.ToDataView(ml, Schema, explained, null);
        var treeWeight = (Metadata.Blend?.TreeWeight ?? 1) / trees.Count;
        foreach (var t in trees)
        {
            var k = 0;
            foreach (var contributions in ContributionEstimator(t).Fit(data).Transform(t.Transform(data)).GetColumn<VBuffer<float>>("FeatureContributions"))
            {
                foreach (var (f, v) in contributions.Items())
                {
                    totals[k][f] += treeWeight * v;
                }

                k++;
            }
        }

        if (Metadata.Blend is { LinearWeight: not 0 } blend)
        {
            for (var k = 0; k < explained.Count; k++)
            {
                var vector = Schema.ModelVector(explained[k].Values);
                for (var f = 0; f < vector.Length; f++)
                {
                    totals[k][f] += blend.LinearWeight * blend.Coefficients[f] * vector[f];
                }
            }
        }

        for (var k = 0; k < explained.Count; k++)
        {
            result[explain[k]] = result[explain[k]] with { Top = Top(explained[k], totals[k]) };
        }

        return result;
    }

    /// <summary>Writes the tree models (ML.NET's own format: trees.zip, trees-1.zip, …) and the metadata into one archive.</summary>
    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        for (var i = 0; i < trees.Count; i++)
        {
            using var entry = zip.CreateEntry(TreeEntry(i), CompressionLevel.NoCompression).Open();
            using var buffer = new MemoryStream();
            ml.Model.Save(trees[i], ModelData.InputSchema(ml, Schema.Count), buffer);
            buffer.Position = 0;
            buffer.CopyTo(entry);
        }

        using (var entry = zip.CreateEntry("metadata.json").Open())
        {
            JsonSerializer.Serialize(entry, Metadata, ModelData.Json);
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static NeedModel Load(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        ModelMetadata metadata;
        using (var entry = zip.GetEntry("metadata.json")?.Open() ?? throw new InvalidDataException("The model archive has no metadata.json"))
        {
            metadata = JsonSerializer.Deserialize<ModelMetadata>(entry, ModelData.Json) ?? throw new InvalidDataException("Empty model metadata");
        }

        var ml = new MLContext(seed: ModelData.Seed);
        var trees = new List<ITransformer>();
        while (zip.GetEntry(TreeEntry(trees.Count)) is { } found)
        {
            using var buffer = new MemoryStream();
            using (var entry = found.Open())
            {
                entry.CopyTo(buffer);
            }

            buffer.Position = 0;
            trees.Add(ml.Model.Load(buffer, out _));
        }

        if (trees.Count == 0)
        {
            throw new InvalidDataException("The model archive has no trees.zip");
        }

        if (metadata.Blend is { } b && b.Coefficients.Count != metadata.Columns.Count)
        {
            throw new InvalidDataException($"The model's logistic part has {b.Coefficients.Count} coefficients for {metadata.Columns.Count} columns");
        }

        return new NeedModel(ml, trees, new FeatureSchema(metadata.Columns, metadata.FeatureVersion), metadata);
    }

    private static string TreeEntry(int i) => i == 0 ? "trees.zip" : $"trees-{i}.zip";

    private Microsoft.ML.Transforms.FeatureContributionCalculatingEstimator ContributionEstimator(ITransformer trees) => trees switch
    {
        ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>> calibrated =>
            ml.Transforms.CalculateFeatureContribution(calibrated, numberOfPositiveContributions: ContributionsKept, numberOfNegativeContributions: 0, normalize: false),
        ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> plain =>
            ml.Transforms.CalculateFeatureContribution(plain, numberOfPositiveContributions: ContributionsKept, numberOfNegativeContributions: 0, normalize: false),
        _ => throw new InvalidOperationException($"The model ({trees.GetType().Name}) cannot explain its scores"),
    };

    private List<Contribution> Top(ChildFeatures child, double[] contributions)
    {
        var byGroup = new Dictionary<string, (double Sum, int Best, double BestValue)>(StringComparer.Ordinal);
        for (var i = 0; i < contributions.Length; i++)
        {
            var v = contributions[i];
            if (v <= 0)
            {
                continue;
            }

            var g = Schema.Columns[i].Kind == FeatureKind.RuleScore ? "rules:" + Schema.Columns[i].Name : Schema.Columns[i].Group;
            var cur = byGroup.GetValueOrDefault(g, (0, -1, double.NegativeInfinity));
            byGroup[g] = (cur.Sum + v, v > cur.BestValue ? i : cur.Best, Math.Max(cur.BestValue, v));
        }

        return byGroup.OrderByDescending(kv => kv.Value.Sum).Take(TopReasons)
            .Select(kv => new Contribution(Schema.Columns[kv.Value.Best].Name, Schema.Columns[kv.Value.Best].Group, Math.Round(kv.Value.Sum, 4),
                Schema.Explain(kv.Value.Best, child.Values, true), Schema.Explain(kv.Value.Best, child.Values, false)))
            .ToList();
    }
}

/// <summary>The bridge between feature vectors and ML.NET's data views.</summary>
public static class ModelData
{
    public const int Seed = 20260;

    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The children's model vectors, built once: every model of the ensemble reads them again.</summary>
    public static IDataView ToDataView(MLContext ml, FeatureSchema schema, IEnumerable<ChildFeatures> children, IReadOnlyDictionary<long, bool>? labels) =>
        ml.Data.LoadFromEnumerable(
            children.Select(c => new Row { Label = labels is not null && labels.GetValueOrDefault(c.PersonId), Features = schema.ModelVector(c.Values) }).ToList(),
            Definition(schema.Count));

    /// <summary>Rows already turned into model vectors.</summary>
    public static IDataView ToDataView(MLContext ml, int count, IEnumerable<Row> rows) => ml.Data.LoadFromEnumerable(rows, Definition(count));

    public static DataViewSchema InputSchema(MLContext ml, int count) =>
        ml.Data.LoadFromEnumerable(Array.Empty<Row>(), Definition(count)).Schema;

    private static SchemaDefinition Definition(int count)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, count);
        return definition;
    }

    public sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
