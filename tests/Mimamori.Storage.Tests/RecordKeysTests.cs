using System.Security.Cryptography;
using System.Text;
using Mimamori.Storage.Identity;

namespace Mimamori.Storage.Tests;

public sealed class RecordKeysTests
{
    /// <summary>Stored keys carry person ids from run to run: the key of a record must never change between versions.</summary>
    [Theory]
    [InlineData("komu_attendance", "S-1", null, "髙橋", "花子", "タカハシ", "ハナコ", "2015-04-03", "F", "rec:komu_attendance:S-1#")]
    [InlineData("jumin_legacy", null, "0000000001", "ﾀｶﾊｼ", "", "ﾀｶﾊｼ", "ﾊﾅｺ", null, null, "rec:jumin_legacy:#")]
    public void Key_IsTheSourceTheLocalIdAndTheFirstTenBytesOfTheIdentityDigest(string source, string? localId, string? atena, string family, string given, string familyKana, string givenKana, string? birth, string? sex, string prefix)
    {
        var text = string.Join('\u001F', atena, family, given, familyKana, givenKana, birth, sex);
        var expected = prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));
        Assert.Equal(expected, RecordKeys.Of(source, localId, atena, family, given, familyKana, givenKana, birth, sex));
    }

    [Fact]
    public void Key_OfAVeryLongName_IsTheSameDigest()
    {
        var family = new string('藤', 2000);
        var text = string.Join('\u001F', null, family, "一", "フジ", "イチ", "2000-01-01", "M");
        var expected = "rec:x:#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));
        Assert.Equal(expected, RecordKeys.Of("x", null, null, family, "一", "フジ", "イチ", "2000-01-01", "M"));
    }
}
