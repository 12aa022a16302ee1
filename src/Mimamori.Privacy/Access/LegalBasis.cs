namespace Mimamori.Privacy.Access;

/// <summary>
/// A legal ground for using personal data beyond the purpose it was collected for. Each data category names the
/// bases it may be used under, so every view can say why it was lawful.
/// </summary>
/// <param name="Id">Stable identifier, e.g. <c>appi_69_2_2</c>.</param>
/// <param name="Ja">The provision in Japanese, as staff and auditors cite it.</param>
/// <param name="En">The provision in English.</param>
/// <param name="RequiresConsent">True when the basis holds only with the person's (or guardian's) consent.</param>
public sealed record LegalBasis(string Id, string Ja, string En, bool RequiresConsent)
{
    /// <summary>個人情報保護法第69条第2項第2号: internal use with reasonable grounds.</summary>
    public const string Appi69 = "appi_69_2_2";

    /// <summary>地方税法第22条: tax data only with consent.</summary>
    public const string LocalTax22Consent = "local_tax_22_consent";

    /// <summary>児童福祉法第25条の2: sharing within 要対協.</summary>
    public const string ChildWelfare25 = "child_welfare_25_2";

    /// <summary>個人情報保護法第69条第2項第2号, the ground being the urgent protection of a child (break-glass).</summary>
    public const string Appi69Emergency = "appi_69_2_2_emergency";

    /// <summary>Consent of the person or guardian.</summary>
    public const string Consent = "consent";

    /// <summary>個人情報保護法第69条第2項第3号: provision to another local government's body for its statutory duties.</summary>
    public const string Appi69Provision = "appi_69_2_3";
}
