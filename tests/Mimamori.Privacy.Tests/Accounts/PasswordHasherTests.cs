using Mimamori.Privacy.Accounts;

namespace Mimamori.Privacy.Tests.Accounts;

public class PasswordHasherTests
{
    [Fact]
    public void Verify_RightPassword_IsTrue()
    {
        var hash = PasswordHasher.Hash("正しいパスワード-42");
        Assert.True(PasswordHasher.Verify("正しいパスワード-42", hash));
    }

    [Fact]
    public void Verify_WrongPassword_IsFalse()
    {
        var hash = PasswordHasher.Hash("correct horse");
        Assert.False(PasswordHasher.Verify("correct horsE", hash));
        Assert.False(PasswordHasher.Verify(string.Empty, hash));
    }

    [Fact]
    public void Hash_HasSchemeIterationsAndRandomSalt()
    {
        var a = PasswordHasher.Hash("same");
        var b = PasswordHasher.Hash("same");
        Assert.NotEqual(a, b);
        var parts = a.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("210000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text-password")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    [InlineData("md5$1$AAAA$AAAA")]
    public void Verify_MalformedHash_IsFalse(string stored) => Assert.False(PasswordHasher.Verify("x", stored));
}
