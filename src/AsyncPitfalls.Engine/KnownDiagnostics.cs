using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AsyncPitfalls.Engine;

/// <summary>Hands Fix All the diagnostics already computed, by document, as an IDE or <c>dotnet format</c> does.</summary>
public sealed class KnownDiagnostics : FixAllContext.DiagnosticProvider
{
    private readonly ImmutableArray<Diagnostic> _diagnostics;

    public KnownDiagnostics(ImmutableArray<Diagnostic> diagnostics)
    {
        _diagnostics = diagnostics;
    }

    public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        return _diagnostics.Where(d => d.Location.SourceTree?.FilePath == tree?.FilePath);
    }

    public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => Task.FromResult(Enumerable.Empty<Diagnostic>());
}
