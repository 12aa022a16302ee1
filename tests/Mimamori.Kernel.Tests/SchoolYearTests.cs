using Mimamori.Kernel.Dates;

namespace Mimamori.Kernel.Tests;

public sealed class SchoolYearTests
{
    [Theory]
    [InlineData("2018-04-02", "2025-04-01", 1)]
    [InlineData("2019-04-01", "2025-04-01", 1)]
    [InlineData("2019-04-02", "2025-04-01", 0)]
    [InlineData("2018-04-01", "2025-04-01", 2)]
    [InlineData("2011-05-05", "2026-03-31", 8)]
    [InlineData("2010-06-01", "2026-03-31", 9)]
    [InlineData("2010-06-01", "2026-04-01", 10)]
    public void Grade_FollowsTheAprilCohort(string birth, string date, int grade) =>
        Assert.Equal(grade, SchoolYear.Grade(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Of_MarchBelongsToThePreviousYear() =>
        Assert.Equal(2025, SchoolYear.Of(new DateOnly(2026, 3, 31)));
}
