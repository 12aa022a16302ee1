using System.CommandLine;
using System.Globalization;
using System.Text;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Handover;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori handover</c>: the hand-over package when a family under support moves to another municipality (転出).
/// <c>keygen</c> makes the municipality's key pair (the public half goes to partner municipalities);
/// <c>export</c> writes one child's minimal package, encrypted to the recipient and signed, only under a legal basis
/// or consent the policy lists, and audits it as a disclosure; <c>import</c> checks, opens and records a package
/// received, for the caseworkers' list. See docs/casework.md (転出時の引継ぎ).
/// </summary>
public static class HandoverVerb
{
    public static Option<string> Out { get; } = new("--out") { Description = "keygen: the folder for the key files; export: the package file to write", Required = true };

    public static Option<string> Municipality { get; } = new("--municipality") { Description = "The municipality the keys belong to (e.g. 見守り市)", Required = true };

    public static Option<long> Person { get; } = new("--person") { Description = "The child's person id", Required = true };

    public static Option<string> To { get; } = new("--to") { Description = "The receiving municipality's public key file (RECIPIENT.pub)", Required = true };

    public static Option<string> Basis { get; } = new("--basis") { Description = "The legal basis (an id the policy lists for the purpose handover, e.g. appi_69_2_3, child_welfare_25_2, consent)", Required = true };

    public static Option<long?> Consent { get; } = new("--consent") { Description = "With --basis consent: the recorded consent's id (it must name the recipient)" };

    public static Option<string?> SenderKey { get; } = new("--key") { Description = "export: this municipality's private key (default DATA/handover/handover.key); import: the receiving municipality's private key" };

    public static Option<string> Contact { get; } = new("--contact") { Description = "How the receiving centre reaches the sending caseworker (phone or e-mail)", Required = true };

    public static Option<string?> Caseworker { get; } = new("--caseworker") { Description = "The sending caseworker's name (default: the user running the command)" };

    public static Option<string?> Organisation { get; } = new("--organisation") { Description = "The sending caseworker's organisation", DefaultValueFactory = _ => "こども家庭センター" };

    public static Option<string?> NewAddress { get; } = new("--new-address") { Description = "The new address, when the registry does not hold the 転出先" };

    public static Option<string> File { get; } = new("--file") { Description = "The package file received", Required = true };

    public static Option<string> ImportKey { get; } = new("--key") { Description = "The receiving municipality's private key file", Required = true };

    public static Option<string?> Sender { get; } = new("--sender") { Description = "The sending municipality's public key file; the package must be signed by it" };

    public static Command Create()
    {
        var keygen = new Command("keygen", "Make this municipality's hand-over keys: DIR/handover.key (mode 0600, stays here) and DIR/handover.pub (for partners)");
        keygen.Options.Add(Out);
        keygen.Options.Add(Municipality);
        keygen.SetAction(parse =>
        {
            var folder = new HandoverKeyFolder(parse.GetValue(Out)!);
            var key = folder.Create(parse.GetValue(Municipality)!);
            System.Console.WriteLine($"{folder.PrivatePath}: private key (mode 0600; never leaves this server)");
            System.Console.WriteLine($"{Path.Combine(folder.Directory, HandoverKeyFolder.PublicFile)}: public key of {key.Municipality}, fingerprint {key.Fingerprint}");
            System.Console.WriteLine("Give the public key to partner municipalities and confirm the fingerprint with them by phone.");
            return 0;
        });

        var export = new Command("export", "Write one child's hand-over package for the municipality the family moved to (audited; refused without a basis)");
        foreach (var option in new Option[] { Person, To, Basis, Consent, Out, SenderKey, Contact, Caseworker, Organisation, NewAddress })
        {
            export.Options.Add(option);
        }

        export.SetAction(Export);

        var import = new Command("import", "Check, open and record a hand-over package received from another municipality");
        import.Options.Add(File);
        import.Options.Add(ImportKey);
        import.Options.Add(Sender);
        import.SetAction(Import);

        var command = new Command("handover", "Hand-over packages when a family under support moves to another municipality (転出)");
        command.Subcommands.Add(keygen);
        command.Subcommands.Add(export);
        command.Subcommands.Add(import);
        return command;
    }

    private static int Export(ParseResult parse)
    {
        var settings = CommonOptions.Resolve(parse);
        settings.Database.Migrate();
        var clock = TimeProvider.System;
        var personId = parse.GetValue(Person);
        var subject = "person:" + personId.ToString(CultureInfo.InvariantCulture);
        var log = new AuditLog(settings.Database);
        var keyPath = parse.GetValue(SenderKey) ?? Path.Combine(settings.DataDir, "handover", HandoverKeyFolder.PrivateFile);
        HandoverPublicKey recipient;
        HandoverPrivateKey sender;
        try
        {
            recipient = HandoverKeyFolder.ReadPublic(parse.GetValue(To)!);
            sender = HandoverKeyFolder.ReadPrivate(keyPath);
        }
        catch (HandoverException e)
        {
            throw new UsageException(e.Message);
        }

        using (sender)
        {
            var caseworker = new HandoverContact(parse.GetValue(Caseworker) ?? Environment.UserName, parse.GetValue(Organisation) ?? string.Empty, parse.GetValue(Contact)!);
            var request = new HandoverRequest(personId, parse.GetValue(Basis)!, parse.GetValue(Consent), recipient.Municipality, caseworker, parse.GetValue(NewAddress));
            try
            {
                var (content, package) = new HandoverExport(settings.Database, AccessPolicy.Default).Produce(request, sender, recipient, clock.GetUtcNow());
                var path = Path.GetFullPath(parse.GetValue(Out)!);
                System.IO.File.WriteAllText(path, package, new UTF8Encoding(false));
                log.Append(Event(clock, subject, Disclosed(content, recipient)));
                System.Console.WriteLine($"{path}: hand-over package for {recipient.Municipality} (key {recipient.Fingerprint}), basis {content.Basis.Id}; recorded in the audit trail.");
                return 0;
            }
            catch (HandoverRefusedException e)
            {
                log.Append(Event(clock, subject, ("refused:" + e.Code + ":to:" + recipient.Municipality, [], [])));
                throw new UsageException("refused: " + e.Message);
            }
        }
    }

    private static int Import(ParseResult parse)
    {
        var settings = CommonOptions.Resolve(parse);
        settings.Database.Migrate();
        var clock = TimeProvider.System;
        var path = Path.GetFullPath(parse.GetValue(File)!);
        if (!System.IO.File.Exists(path))
        {
            throw new UsageException($"The package file {path} does not exist.");
        }

        var log = new AuditLog(settings.Database);
        var store = new HandoverStore(settings.Database);
        ReceivedHandover received;
        try
        {
            using var key = HandoverKeyFolder.ReadPrivate(parse.GetValue(ImportKey)!);
            var sender = parse.GetValue(Sender) is { } senderPath ? HandoverKeyFolder.ReadPublic(senderPath) : null;
            received = store.Import(System.IO.File.ReadAllText(path, Encoding.UTF8), key, sender, Environment.UserName, clock.GetUtcNow(), Path.GetFileName(path));
        }
        catch (Exception e) when (e is HandoverException or InvalidOperationException)
        {
            log.Append(AuditEvent.Create(clock, Environment.UserName, "system", "system", Purpose.Handover, AuditAction.Change, "handover:import", [], [], "refused:" + Path.GetFileName(path), "cli"));
            throw new UsageException(e.Message);
        }

        var subject = "handover:" + received.HandoverId.ToString(CultureInfo.InvariantCulture);
        log.Append(AuditEvent.Create(clock, Environment.UserName, "system", "system", Purpose.Handover, AuditAction.Change, subject, [DataCategory.Resident, DataCategory.ChildWelfare], ["handover_received"], $"received:from:{received.Sender}:key:{received.SenderKey}:{(received.SenderVerified ? "verified" : "unverified")}", "cli"));
        var candidates = store.Candidates(received.Content.Child);
        System.Console.WriteLine($"hand-over #{received.HandoverId} from {received.Sender} (key {received.SenderKey}) recorded; {candidates.Count} person(s) in the store with the same birth date and name or reading.");
        if (!received.SenderVerified)
        {
            System.Console.Error.WriteLine("handover: the signature verifies under the key the package carries, but no --sender key file was given: confirm the sender's fingerprint with them before acting on it.");
        }

        return 0;
    }

    /// <summary>The audit outcome, categories and fields of a package sent.</summary>
    internal static (string Outcome, IReadOnlyList<string> Categories, IReadOnlyList<string> Fields) Disclosed(HandoverContent content, HandoverPublicKey recipient) =>
        ($"disclosed:handover:to:{recipient.Municipality}:key:{recipient.Fingerprint}:basis:{content.Basis.Id}" + (content.Basis.ConsentId is { } c ? ":consent:" + c.ToString(CultureInfo.InvariantCulture) : string.Empty),
         [DataCategory.Resident, DataCategory.ChildWelfare],
         HandoverContent.Fields);

    private static AuditEvent Event(TimeProvider clock, string subject, (string Outcome, IReadOnlyList<string> Categories, IReadOnlyList<string> Fields) what) =>
        AuditEvent.Create(clock, Environment.UserName, "system", "system", Purpose.Handover, AuditAction.Disclose, subject, what.Categories.ToList(), what.Fields.ToList(), what.Outcome, "cli");
}
