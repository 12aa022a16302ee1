namespace Mimamori.Kernel.People;

/// <summary>Sex as recorded by the source (住民記録 codes 1 = male, 2 = female); Unknown where a source does not say.</summary>
public enum Sex
{
    Unknown = 0,
    Male = 1,
    Female = 2,
}
