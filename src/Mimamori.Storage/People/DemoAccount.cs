namespace Mimamori.Storage.People;

/// <summary>A demo sign-in handed to the person running the demo (written to demo-accounts.json by the CLI).</summary>
/// <param name="User">Login name.</param>
/// <param name="Password">The generated password, in clear: shown once, stored only as a hash.</param>
/// <param name="Role">Role id.</param>
/// <param name="Scope">Scope text.</param>
public sealed record DemoAccount(string User, string Password, string Role, string Scope);
