using Mimamori.Kernel.Text;

namespace Mimamori.Linkage.Records;

/// <summary>
/// Comparison keys derived once per record: the original name, the name after width/space/variant folding, the
/// reading, a loose reading and a family/given-swapped reading. Originals stay in <see cref="LinkRecord"/>.
/// </summary>
public sealed record LinkKeys(string Original, string Folded, string Reading, string LooseReading, string SwappedReading, string GivenReading, string Address)
{
    public static LinkKeys Of(LinkRecord r)
    {
        var original = r.Name.Family + r.Name.Given;
        var folded = VariantKanji.Fold(JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(original)));
        var reading = JapaneseText.ReadingKey(r.Name.FamilyKana + r.Name.GivenKana);
        var loose = JapaneseText.LooseReadingKey(r.Name.FamilyKana + r.Name.GivenKana);
        var swapped = JapaneseText.ReadingKey(r.Name.GivenKana + r.Name.FamilyKana);
        var given = JapaneseText.ReadingKey(r.Name.GivenKana);
        var address = JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(r.Address));
        return new LinkKeys(original, folded, reading, loose, swapped, given, address);
    }
}
