using Mimamori.Privacy.Access;

namespace Mimamori.Privacy.Tests.Access;

public class ScopeTests
{
    [Theory]
    [InlineData("all", ScopeKind.All)]
    [InlineData("own_department", ScopeKind.OwnDepartment)]
    [InlineData("own_cases", ScopeKind.OwnCases)]
    [InlineData("none", ScopeKind.None)]
    [InlineData("everything", ScopeKind.None)]
    [InlineData("", ScopeKind.None)]
    [InlineData("own_school:", ScopeKind.None)]
    public void Parse_KnownAndUnknownText(string text, ScopeKind kind) => Assert.Equal(kind, Scope.Parse(text).Kind);

    [Fact]
    public void Parse_OwnSchool_KeepsTheSchoolName()
    {
        var scope = Scope.Parse("own_school:見守り市立第一小学校");
        Assert.Equal(ScopeKind.OwnSchool, scope.Kind);
        Assert.Equal("見守り市立第一小学校", scope.School);
        Assert.Equal("own_school:見守り市立第一小学校", scope.ToString());
    }
}
