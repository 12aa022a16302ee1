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
    [property: JsonPropertyName("outcome_window")] string OutcomeWindow);

/// <summary>
/// A trained need model: gradient-boosted trees over the feature vector, Platt-calibrated on held-out households.
/// It reads and writes streams only; where the bytes live is Storage's and the command line's business.
/// </summary>
public sealed class NeedModel
{
    private const int TopReasons = 3;

    // The largest few per child are enough to rank groups; asking ML.NET for all of them makes explaining slow.
    private const int ContributionsKept = 12;
    private readonly MLContext ml;
    private readonly ITransformer trees;

    internal NeedModel(MLContext ml, ITransformer trees, FeatureSchema schema, ModelMetadata metadata)
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

    /// <summary>Raw tree scores (the margin before calibration), in the order given.</summary>
    public double[] RawScores(IReadOnlyList<ChildFeatures> children)
    {
        var data = ModelData.ToDataView(ml, Schema, children, null);
        return trees.Transform(data).GetColumn<float>("Score").Select(s => (double)s).ToArray();
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

        var data = ModelData.ToDataView(ml, Schema, explain.Select(i => children[i]), null);
        var scored = ContributionEstimator().Fit(data).Transform(trees.Transform(data));
        var k = 0;
        foreach (var contributions in scored.GetColumn<VBuffer<float>>("FeatureContributions"))
        {
            var i = explain[k++];
            result[i] = result[i] with { Top = Top(children[i], contributions) };
        }

        return result;
    }

    /// <summary>Writes the trees (ML.NET's own format) and the metadata into one archive.</summary>
    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var entry = zip.CreateEntry("trees.zip", CompressionLevel.NoCompression).Open())
        {
            using var buffer = new MemoryStream();
            ml.Model.Save(trees, ModelData.InputSchema(ml, Schema.Count), buffer);
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
        using var buffer = new MemoryStream();
        using (var entry = zip.GetEntry("trees.zip")?.Open() ?? throw new InvalidDataException("The model archive has no trees.zip"))
        {
            entry.CopyTo(buffer);
        }

        buffer.Position = 0;
        var trees = ml.Model.Load(buffer, out _);
        return new NeedModel(ml, trees, new FeatureSchema(metadata.Columns, metadata.FeatureVersion), metadata);
    }

    private Microsoft.ML.Transforms.FeatureContributionCalculatingEstimator ContributionEstimator() => trees switch
    {
        ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>> calibrated =>
            ml.Transforms.CalculateFeatureContribution(calibrated, numberOfPositiveContributions: ContributionsKept, numberOfNegativeContributions: 0, normalize: false),
        ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> plain =>
            ml.Transforms.CalculateFeatureContribution(plain, numberOfPositiveContributions: ContributionsKept, numberOfNegativeContributions: 0, normalize: false),
        _ => throw new InvalidOperationException($"The model ({trees.GetType().Name}) cannot explain its scores"),
    };

    private List<Contribution> Top(ChildFeatures child, VBuffer<float> contributions)
    {
        var byGroup = new Dictionary<string, (double Sum, int Best, double BestValue)>(StringComparer.Ordinal);
        foreach (var (i, v) in contributions.Items())
        {
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

    public static IDataView ToDataView(MLContext ml, FeatureSchema schema, IEnumerable<ChildFeatures> children, IReadOnlyDictionary<long, bool>? labels) =>
        ml.Data.LoadFromEnumerable(
            children.Select(c => new Row { Label = labels is not null && labels.GetValueOrDefault(c.PersonId), Features = schema.ModelVector(c.Values) }),
            Definition(schema.Count));

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
