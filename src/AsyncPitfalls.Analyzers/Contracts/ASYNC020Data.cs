using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC020 diagnostic tells its fix: the variable that is read instead of the misspelled local, as a read of
/// it (the first additional location, which the fix binds to the symbol) and its name (for titles and for writing it),
/// whether that variable is state other code shares (a field or property, or a local a lambda captures), where
/// assigning it is a person's decision, and what reading the local instead would leave of it (<see cref="ReadInsteadLeaves"/>).
/// </summary>
internal readonly struct ASYNC020Data
{
    private const string PartnerNameKey = "PartnerName";
    private const string PartnerIsSharedKey = "PartnerIsShared";
    private const string ReadInsteadLeavesKey = "ReadInsteadLeaves";

    public ASYNC020Data(string partnerName, Location partnerRead, bool partnerIsShared, ReadInsteadLeaves readInsteadLeaves)
    {
        PartnerName = partnerName;
        PartnerRead = partnerRead;
        PartnerIsShared = partnerIsShared;
        ReadInsteadLeaves = readInsteadLeaves;
    }

    public string PartnerName { get; }

    public Location PartnerRead { get; }

    public bool PartnerIsShared { get; }

    public ReadInsteadLeaves ReadInsteadLeaves { get; }

    public ImmutableDictionary<string, string?> ToProperties()
        => ContractProperties.Empty.With(PartnerNameKey, PartnerName).With(PartnerIsSharedKey, PartnerIsShared).With(ReadInsteadLeavesKey, ReadInsteadLeaves);

    public ImmutableArray<Location> AdditionalLocations => ImmutableArray.Create(PartnerRead);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC020Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.MisspelledResult) || diagnostic.Text(PartnerNameKey) is not { } name || diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.TryRead(PartnerIsSharedKey, out bool shared) || !diagnostic.TryRead(ReadInsteadLeavesKey, out ReadInsteadLeaves leaves))
        {
            return false;
        }

        data = new ASYNC020Data(name, diagnostic.AdditionalLocations[0], shared, leaves);
        return true;
    }
}

/// <summary>What "Read the local instead" leaves of the variable that was read: the compiler warns about a private field with no read.</summary>
internal enum ReadInsteadLeaves
{
    /// <summary>It stays read elsewhere (or it is not a private field): nothing to add.</summary>
    Nothing,

    /// <summary>A private field of this file that nothing reads or assigns: the fix removes it, which changes no behaviour.</summary>
    AnUnusedField,

    /// <summary>A private field that is assigned but no longer read (CS0414), or declared in another file: a person decides.</summary>
    AnUnreadField,
}
