using System.Globalization;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Lists written into SQL as literals, "(1, 2, 3)". Dapper expands <c>IN @ids</c> on SQLite but sends one array
/// parameter to PostgreSQL, where <c>IN $1</c> is a syntax error; literals serve both. Numbers cannot inject, and text
/// is quoted with its quotes doubled.
/// </summary>
public static class SqlLists
{
    /// <summary>Ids as an SQL list; "(NULL)" (matching nothing) when empty.</summary>
    public static string Ids(IEnumerable<long> ids)
    {
        var list = string.Join(", ", (ids ?? []).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return list.Length == 0 ? "(NULL)" : "(" + list + ")";
    }

    /// <summary>Texts as an SQL list of quoted literals; "(NULL)" when empty.</summary>
    public static string Texts(IEnumerable<string> texts)
    {
        var list = string.Join(", ", (texts ?? []).Select(t => "'" + t.Replace("'", "''", StringComparison.Ordinal) + "'"));
        return list.Length == 0 ? "(NULL)" : "(" + list + ")";
    }
}
