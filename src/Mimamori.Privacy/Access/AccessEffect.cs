namespace Mimamori.Privacy.Access;

/// <summary>What a user gets for one category.</summary>
public enum AccessEffect
{
    /// <summary>Not shown; the screen says that something is withheld and why.</summary>
    Deny,

    /// <summary>The record's existence is shown, its values are replaced by ＊＊＊.</summary>
    Mask,

    /// <summary>Shown in full.</summary>
    Allow,
}
