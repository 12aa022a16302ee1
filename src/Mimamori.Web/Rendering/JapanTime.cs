namespace Mimamori.Web.Rendering;

/// <summary>Dates as staff count them: the calendar day in Japan (UTC+9, no daylight saving), whatever the server's zone.</summary>
public static class JapanTime
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>Today in Japan.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).DateTime);

    /// <summary>Now in Japan.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => (clock ?? TimeProvider.System).GetUtcNow().ToOffset(Offset);

    /// <summary>A timestamp in Japan time.</summary>
    public static DateTimeOffset ToJapan(DateTimeOffset at) => at.ToOffset(Offset);
}
