using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Mimamori.Architecture.Tests;

/// <summary>
/// Holds the shape of the house: data flows one way (each pipeline module reaches only upstream), and only Storage,
/// Web and Cli touch databases, HTTP or files. Read from the compiled assemblies, so no convention can drift.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>Each project and the Mimamori projects it may reference.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Mimamori.Kernel"] = [],
        ["Mimamori.Privacy"] = ["Mimamori.Kernel"],
        ["Mimamori.Ingestion"] = ["Mimamori.Kernel", "Mimamori.Privacy"],
        ["Mimamori.Linkage"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion"],
        ["Mimamori.Needs"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage"],
        ["Mimamori.Support"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage", "Mimamori.Needs"],
        ["Mimamori.Synthetic"] = ["Mimamori.Kernel"],
        ["Mimamori.Storage"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage", "Mimamori.Needs", "Mimamori.Support"],
        ["Mimamori.Web"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage", "Mimamori.Needs", "Mimamori.Support", "Mimamori.Storage"],
        ["mimamori"] = ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage", "Mimamori.Needs", "Mimamori.Support", "Mimamori.Storage", "Mimamori.Synthetic", "Mimamori.Web"],
    };

    /// <summary>The pure modules: no database, no network, no file system.</summary>
    private static readonly string[] Pure =
        ["Mimamori.Kernel", "Mimamori.Privacy", "Mimamori.Ingestion", "Mimamori.Linkage", "Mimamori.Needs", "Mimamori.Support", "Mimamori.Synthetic"];

    /// <summary>Packages that speak to a database, the network or mail.</summary>
    private static readonly string[] IoAssemblies =
        ["Microsoft.Data.Sqlite", "Npgsql", "Dapper", "MailKit", "MimeKit", "Microsoft.AspNetCore", "System.Net.Http", "System.Net.Sockets", "System.Net.Mail"];

    /// <summary>Framework types that open files, sockets, processes or databases.</summary>
    private static readonly string[] IoTypes =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo",
        "System.Net.Http.HttpClient", "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Data.Common.DbConnection",
        "System.Diagnostics.Process",
    ];

    public static TheoryData<string> Projects() => [.. Allowed.Keys];

    public static TheoryData<string> PureProjects() => [.. Pure];

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_OnlyUpstreamProjects(string project)
    {
        var references = Load(project).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Mimamori.", StringComparison.Ordinal) || n == "mimamori")
            .ToList();
        var forbidden = references.Except(Allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)} (data flows one way; see docs/architecture.md)");
    }

    [Theory]
    [MemberData(nameof(PureProjects))]
    public void PureModule_ReferencesNoDatabaseNetworkOrMailPackage(string project)
    {
        var io = Load(project).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => IoAssemblies.Any(p => n.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        Assert.True(io.Count == 0, $"{project} references {string.Join(", ", io)}; only Storage, Web and Cli touch databases, HTTP or mail");
    }

    [Theory]
    [MemberData(nameof(PureProjects))]
    public void PureModule_UsesNoFileSocketProcessOrDatabaseType(string project)
    {
        var used = TypeReferences(Load(project).Location).Where(IoTypes.Contains).Order(StringComparer.Ordinal).ToList();
        Assert.True(used.Count == 0, $"{project} uses {string.Join(", ", used)}; take a Stream or a value instead and let Storage, Web or Cli do the I/O");
    }

    [Fact]
    public void TypeReferenceReader_FindsFileUseInTheCli()
    {
        // The check above would pass vacuously if type references were not read; the CLI does open files.
        Assert.Contains("System.IO.File", TypeReferences(Load("mimamori").Location));
    }

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static HashSet<string> TypeReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeReferences)
        {
            var type = reader.GetTypeReference(handle);
            names.Add($"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}");
        }

        return names;
    }
}
