namespace Mimamori.Storage.People;

/// <summary>How a sign-in attempt ended.</summary>
public enum LoginOutcome
{
    /// <summary>Name and password matched; failures were reset.</summary>
    Success,

    /// <summary>No such user (the password was still hashed so timing does not reveal it).</summary>
    UnknownUser,

    /// <summary>The password was wrong; the failure was counted.</summary>
    WrongPassword,

    /// <summary>The account is locked, or this failure locked it.</summary>
    LockedOut,
}
