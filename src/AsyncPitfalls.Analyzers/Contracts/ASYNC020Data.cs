using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC020 diagnostic tells its fix: the variable that is read instead of the misspelled local, as a read of
/// it (the first additional location, which the fix binds to the symbol) and its name (for titles and for writing it).
/// </summary>
internal readonly struct ASYNC020Data
{
    private const string PartnerNameKey = "PartnerName";

    public ASYNC020Data(string partnerName, Location partnerRead)
    {
        PartnerName = partnerName;
        PartnerRead = partnerRead;
    }

    public string PartnerName { get; }

    public Location PartnerRead { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(PartnerNameKey, PartnerName);

    public ImmutableArray<Location> AdditionalLocations => ImmutableArray.Create(PartnerRead);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC020Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.MisspelledResult) || diagnostic.Text(PartnerNameKey) is not { } name || diagnostic.AdditionalLocations.Count == 0)
        {
            return false;
        }

        data = new ASYNC020Data(name, diagnostic.AdditionalLocations[0]);
        return true;
    }
}
