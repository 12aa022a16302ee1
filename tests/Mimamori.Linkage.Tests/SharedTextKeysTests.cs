using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

/// <summary>
/// Keys derived while a link shares texts are the keys derived alone, value for value; records holding the same
/// strings (as the link's load gives them) share the derived texts too; and the scope ends with its disposal.
/// </summary>
public sealed class SharedTextKeysTests
{
    // The link's load keeps each distinct text once: records built from these share the strings themselves.
    private const string Family = "髙橋";
    private const string Given = "ゆうた";
    private const string FamilyKana = "ﾀｶﾊｼ";
    private const string GivenKana = "ユータ";
    private const string Address = "上戸田１丁目 2番";

    private static LinkRecord Record(long id, string family, string given, string familyKana, string givenKana, string? address, bool registry = false) =>
        new(id, registry ? "jumin_legacy" : "hoken", registry, registry ? $"{id:D10}" : null, null, null, new PersonName(family, given, familyKana, givenKana), new DateOnly(2015, 4, 1), Sex.Male, address);

    private static LinkRecord[] Records =>
    [
        Record(1, Family, Given, FamilyKana, GivenKana, Address, registry: true),
        Record(2, Family, Given, FamilyKana, GivenKana, Address),
        Record(3, Family, Given, "タカハシ", "ユウタ", "上戸田一丁目2番"),
        Record(4, string.Empty, string.Empty, string.Empty, string.Empty, null),
        Record(5, "𠮷田", "花子", string.Empty, "ハナコ", Address),
        Record(6, "ユウタ", "タカハシ", GivenKana, FamilyKana, Address),
    ];

    [Fact]
    public void Cached_WithinAScope_GivesTheKeysDerivedAlone()
    {
        var records = Records;
        LinkKeys[] shared;
        using (LinkKeys.ShareTexts())
        {
            shared = [.. records.Select(LinkKeys.Cached)];
        }

        foreach (var (r, k) in records.Zip(shared))
        {
            var alone = LinkKeys.Of(r);
            Assert.Equal(alone, k);
            Assert.Equal(alone.GivenLooseReading, k.GivenLooseReading);
            Assert.Equal(alone.GivenInitial, k.GivenInitial);
        }
    }

    [Fact]
    public void Cached_WithinAScope_RecordsOfOneNameShareTheDerivedTexts()
    {
        var records = Records;
        using (LinkKeys.ShareTexts())
        {
            var a = LinkKeys.Cached(records[0]);
            var b = LinkKeys.Cached(records[1]);
            Assert.Same(a.Reading, b.Reading);
            Assert.Same(a.LooseReading, b.LooseReading);
            Assert.Same(a.SwappedReading, b.SwappedReading);
            Assert.Same(a.GivenReading, b.GivenReading);
            Assert.Same(a.GivenLooseReading, b.GivenLooseReading);
            Assert.Same(a.Folded, b.Folded);
            Assert.Same(a.Address, b.Address);

            // Only the given name's reading is shared with a record whose family reading differs.
            var e = LinkKeys.Cached(records[5]);
            Assert.NotSame(a.Reading, e.Reading);
            Assert.Same(a.Address, e.Address);
        }

        // Outside the scope each record derives its own texts again.
        var c = LinkKeys.Cached(Record(7, Family, Given, FamilyKana, GivenKana, Address));
        var d = LinkKeys.Cached(Record(8, Family, Given, FamilyKana, GivenKana, Address));
        Assert.Equal(c.Reading, d.Reading);
        Assert.NotSame(c.Reading, d.Reading);
    }

    [Fact]
    public void Resolve_WithinAScope_LinksAsWithout()
    {
        var model = LinkageModel.Default;
        var alone = IdentityResolver.Resolve(Records, model);
        LinkResult shared;
        using (LinkKeys.ShareTexts())
        {
            shared = IdentityResolver.Resolve(Records, model);
        }

        Assert.Equal(alone.Assignments, shared.Assignments);
        Assert.Equal(alone.Review, shared.Review);
        Assert.Equal(alone.Persons.Count, shared.Persons.Count);
    }
}
