using System.CommandLine;
using System.Globalization;
using System.Text;
using Mimamori.Linkage.Pprl;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;
using Mimamori.Storage.Identity;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori pprl</c>: linkage with a partner organisation without sharing names. <c>key</c> makes the per-project
/// secret (handed to the partner out of band, never with the data); <c>encode</c> runs at the partner and turns its
/// file (described by a link-files spec) into keyed, salted, balanced Bloom filters and keyed hashes; <c>link</c> runs
/// at the municipality and links those encodings to the registry population encoded with the same secret. The
/// municipality sees the partner's record ids and filters, never its names. See docs/pprl.md.
/// </summary>
public static class PprlVerb
{
    private const string Header = "# mimamori-pprl v1";

    public static Option<string> Key { get; } = new("--key") { Description = "File holding the per-project secret (base64, from `mimamori pprl key`)", Required = true };

    public static Option<string> Out { get; } = new("--out") { Description = "The file to write", Required = true };

    public static Option<string> Spec { get; } = new("--spec") { Description = "A link-files spec (JSON) describing the partner's file (its first file is encoded)", Required = true };

    public static Option<string> Encodings { get; } = new("--encodings") { Description = "The partner's encodings (from `mimamori pprl encode`)", Required = true };

    public static Option<double> Threshold { get; } = new("--threshold") { Description = "Dice similarity a link needs", DefaultValueFactory = _ => PprlLinker.DefaultThreshold };

    public static Option<string?> TruthSource { get; } = new("--truth-source") { Description = "On a synthetic municipality: the feed the partner file is (e.g. jisou), to report accuracy against the truth beside plain linkage" };

    public static Command Create()
    {
        var key = Sub("key", "Make a new per-project secret (32 random bytes, base64) for one linkage project", [Out], parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(Out)!);
            if (File.Exists(path))
            {
                throw new UsageException($"{path} exists; a project's secret is never overwritten (encodings made with it would become unlinkable).");
            }

            File.WriteAllText(path, Convert.ToBase64String(PprlKey.NewSecret()) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            System.Console.Error.WriteLine($"pprl: new secret written to {path} (fingerprint {ReadKey(path).Fingerprint}); give it to the partner out of band, never with data");
            return 0;
        });

        var encode = Sub("encode", "At the partner: encode a file as keyed Bloom filters; names never leave the partner", [Spec, Key, Out], parse =>
        {
            var secret = ReadKey(parse.GetValue(Key)!);
            var records = ReadPartner(Path.GetFullPath(parse.GetValue(Spec)!));
            var encoder = new BloomEncoder(secret);
            var output = new StringBuilder();
            output.AppendLine(CultureInfo.InvariantCulture, $"{Header} bits={BloomEncoder.FilterBytes * 8} balanced key={secret.Fingerprint}");
            output.AppendLine("id,filter,keys");
            foreach (var (r, i) in records.Select((r, i) => (r, i)))
            {
                var e = encoder.Encode(r.RecordId, PreparedRecord.Of(i, r));
                output.AppendLine(CultureInfo.InvariantCulture, $"{Quote(e.Id)},{Convert.ToBase64String(e.Filter)},{string.Join(' ', e.BlockKeys)}");
            }

            File.WriteAllText(parse.GetValue(Out)!, output.ToString(), new UTF8Encoding(false));
            System.Console.Error.WriteLine($"pprl: {records.Count:N0} records encoded ({BloomEncoder.FilterBytes * 8} bits each, key {secret.Fingerprint}) into {parse.GetValue(Out)}");
            return 0;
        });

        var link = Sub("link", "At the municipality: link a partner's encodings to the registry population (person ids out, no names in)", [Encodings, Key, Out, Threshold, TruthSource], parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var secret = ReadKey(parse.GetValue(Key)!);
            var partner = ReadEncodings(parse.GetValue(Encodings)!, secret);
            var encoder = new BloomEncoder(secret);
            var own = PersonLinks.Population(settings.Database).Select((p, i) => encoder.Encode(p.PersonId.ToString(CultureInfo.InvariantCulture), PreparedRecord.Of(i, AsFieldRecord(p)))).ToList();
            if (own.Count == 0)
            {
                throw new UsageException("No registry persons are stored; run `mimamori run` (or ingest and link) first.");
            }

            var matches = PprlLinker.Link(partner, own, parse.GetValue(Threshold));
            var output = new StringBuilder("partner_id,person_id,dice,second_dice,linked\n");
            foreach (var m in matches)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"{Quote(m.PartnerId)},{(m.Linked ? m.OwnId : string.Empty)},{m.Dice:0.0000},{m.SecondDice:0.0000},{(m.Linked ? 1 : 0)}");
            }

            File.WriteAllText(parse.GetValue(Out)!, output.ToString(), new UTF8Encoding(false));
            System.Console.Error.WriteLine($"pprl: {partner.Count:N0} partner records, {own.Count:N0} registry persons; {matches.Count(m => m.Linked):N0} linked at Dice ≥ {parse.GetValue(Threshold):0.00}; written to {parse.GetValue(Out)}");
            if (parse.GetValue(TruthSource) is { } source)
            {
                System.Console.WriteLine(PprlAccuracy.Report(settings, source, matches));
            }

            return 0;
        });

        var command = new Command("pprl", "Privacy-preserving linkage with a partner organisation (keyed Bloom-filter encodings)");
        command.Subcommands.Add(key);
        command.Subcommands.Add(encode);
        command.Subcommands.Add(link);
        return command;
    }

    private static Command Sub(string name, string description, Option[] options, Func<ParseResult, int> action)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(action);
        return command;
    }

    private static PprlKey ReadKey(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The key file {Path.GetFullPath(path)} does not exist (make one with `mimamori pprl key --out FILE`).");
        }

        try
        {
            return PprlKey.From(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }
        catch (FormatException)
        {
            throw new UsageException($"The key file {path} does not hold base64 text.");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static IReadOnlyList<FieldRecord> ReadPartner(string specPath)
    {
        if (!File.Exists(specPath))
        {
            throw new UsageException($"The spec file {specPath} does not exist.");
        }

        try
        {
            var file = LinkSpec.Parse(File.ReadAllText(specPath, Encoding.UTF8)).Files[0];
            var path = Path.Combine(Path.GetDirectoryName(specPath)!, file.Path);
            using var stream = File.Exists(path) ? File.OpenRead(path) : throw new UsageException($"The partner file \"{file.Path}\" does not exist (looked for {path}).");
            return FieldRecordReader.Read(stream, file, 0);
        }
        catch (LinkSpecException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static List<PprlEncoding> ReadEncodings(string path, PprlKey secret)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The encodings file {Path.GetFullPath(path)} does not exist.");
        }

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length < 2 || !lines[0].StartsWith(Header, StringComparison.Ordinal))
        {
            throw new UsageException($"{path} is not a file written by `mimamori pprl encode` (its first line should start with \"{Header}\").");
        }

        if (!lines[0].Contains("key=" + secret.Fingerprint, StringComparison.Ordinal))
        {
            throw new UsageException($"{path} was encoded under another secret than {secret.Fingerprint}: the encodings cannot be linked (ask the partner which project key it used).");
        }

        var list = new List<PprlEncoding>(lines.Length - 2);
        for (var i = 2; i < lines.Length; i++)
        {
            var line = lines[i];
            var keys = line.LastIndexOf(',');
            var filter = keys > 0 ? line.LastIndexOf(',', keys - 1) : -1;
            byte[] bits;
            try
            {
                bits = filter > 0 ? Convert.FromBase64String(line[(filter + 1)..keys]) : [];
            }
            catch (FormatException)
            {
                bits = [];
            }

            if (bits.Length != BloomEncoder.FilterBytes)
            {
                throw new UsageException($"Line {i + 1} of {path} is not \"id,filter,keys\" with a {BloomEncoder.FilterBytes * 8}-bit filter.");
            }

            var id = line[..filter];
            list.Add(new PprlEncoding(id.StartsWith('"') ? id[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : id, bits, line[(keys + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }

        return list;
    }

    private static FieldRecord AsFieldRecord(PopulationRow p) => FieldRecord.Empty(0, p.PersonId.ToString(CultureInfo.InvariantCulture)) with
    {
        FamilyName = p.FamilyName,
        GivenName = p.GivenName,
        FamilyKana = p.FamilyKana,
        GivenKana = p.GivenKana,
        BirthDate = DateOnly.TryParseExact(p.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
        Sex = p.Sex ?? string.Empty,
        Address = p.Address ?? string.Empty,
    };

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
