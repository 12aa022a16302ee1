namespace Mimamori.Privacy.Access;

/// <summary>A signed-in member of staff, as far as access decisions are concerned.</summary>
/// <param name="Name">Login name, unique.</param>
/// <param name="DisplayName">Name shown on screen and in the audit trail.</param>
/// <param name="Role">Role id (see <see cref="Access.Role"/>).</param>
/// <param name="Organisation">Department or organisation, recorded with every access.</param>
/// <param name="Scope">Which children the user's access reaches.</param>
public sealed record User(string Name, string DisplayName, string Role, string Organisation, Scope Scope);
