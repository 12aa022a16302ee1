namespace Mimamori.Linkage.Records;

/// <summary>
/// The movement a resident registry row records (住民異動: <c>move_in</c>, <c>move_out</c>, <c>birth</c>, <c>death</c>,
/// ...) and its day. A snapshot row of the registry has none.
/// </summary>
public readonly record struct RegistryEvent(string Kind, DateOnly Date)
{
    /// <summary>A move into the city (転入): the only way a number opens for somebody who lived here before.</summary>
    public const string MoveIn = "move_in";

    /// <summary>A move out of the city (転出).</summary>
    public const string MoveOut = "move_out";

    /// <summary>A number struck off the registry by the office (職権消除), for a resident found to live here no longer.</summary>
    public const string Erasure = "erasure";

    /// <summary>The events that open or close a 宛名番号; the others (転居, 婚姻, 職権訂正, ...) leave its state as it was.</summary>
    public bool ChangesResidence => Kind is MoveIn or MoveOut or Erasure or "birth" or "death";

    /// <summary>The resident left and may come back (under a new number): 転出 or 消除, not a death.</summary>
    public bool Closes => Kind is MoveOut or Erasure;
}
