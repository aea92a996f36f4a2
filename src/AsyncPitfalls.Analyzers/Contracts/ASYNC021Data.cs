using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC021 diagnostic tells its fix: the shadowed outer variable, as a read of it after the shadowing
/// function or block (the first additional location) and its name; whether the shadowing lambda may run more than
/// once or concurrently (<see cref="DelegateInvocation"/>), where assigning the outer variable would race.
/// </summary>
internal readonly struct ASYNC021Data
{
    private const string PartnerNameKey = "PartnerName";
    private const string RunsMoreThanOnceKey = "RunsMoreThanOnce";

    public ASYNC021Data(string partnerName, Location partnerRead, bool runsMoreThanOnce)
    {
        PartnerName = partnerName;
        PartnerRead = partnerRead;
        RunsMoreThanOnce = runsMoreThanOnce;
    }

    public string PartnerName { get; }

    public Location PartnerRead { get; }

    public bool RunsMoreThanOnce { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(PartnerNameKey, PartnerName).With(RunsMoreThanOnceKey, RunsMoreThanOnce);

    public ImmutableArray<Location> AdditionalLocations => ImmutableArray.Create(PartnerRead);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC021Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.ShadowedResult) || diagnostic.Text(PartnerNameKey) is not { } name || diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.TryRead(RunsMoreThanOnceKey, out bool runsMoreThanOnce))
        {
            return false;
        }

        data = new ASYNC021Data(name, diagnostic.AdditionalLocations[0], runsMoreThanOnce);
        return true;
    }
}
