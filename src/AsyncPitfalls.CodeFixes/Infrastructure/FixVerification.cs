using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// For fixes that rebind names: the changed document must compile with no diagnostic (error or warning) that
/// the original did not have. A fix that cannot show this is not offered.
/// </summary>
internal static class FixVerification
{
    public static async Task<bool> AddsNoDiagnosticsAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var before = await original.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var after = await changed.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (before is null || after is null)
        {
            return false;
        }

        var old = before.GetDiagnostics(cancellationToken: cancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .GroupBy(d => d.Id)
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var group in after.GetDiagnostics(cancellationToken: cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).GroupBy(d => d.Id))
        {
            if (!old.TryGetValue(group.Key, out var count) || group.Count() > count)
            {
                return false;
            }
        }

        return true;
    }
}
