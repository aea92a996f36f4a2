using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Cli.Analysis;

/// <summary>
/// A project's analyzer options with <c>build_property.IsTestProject = true</c> added for a test project, as the
/// package's props make it visible in a build: the workspace's options carry only what the project itself makes visible.
/// </summary>
internal sealed class TestProjectOptions : AnalyzerConfigOptionsProvider
{
    private const string Key = "build_property.IsTestProject";
    private readonly AnalyzerConfigOptionsProvider _inner;
    private readonly AnalyzerConfigOptions _global;

    private TestProjectOptions(AnalyzerConfigOptionsProvider inner)
    {
        _inner = inner;
        _global = new WithTestProject(inner.GlobalOptions);
    }

    /// <summary>The options to analyze <paramref name="project"/> with.</summary>
    public static AnalyzerOptions For(Project project, bool isTest)
        => isTest ? new AnalyzerOptions(project.AnalyzerOptions.AdditionalFiles, new TestProjectOptions(project.AnalyzerOptions.AnalyzerConfigOptionsProvider)) : project.AnalyzerOptions;

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _inner.GetOptions(tree);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _inner.GetOptions(textFile);

    private sealed class WithTestProject : AnalyzerConfigOptions
    {
        private readonly AnalyzerConfigOptions _inner;

        public WithTestProject(AnalyzerConfigOptions inner)
        {
            _inner = inner;
        }

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            if (_inner.TryGetValue(key, out value))
            {
                return true;
            }

            value = key == Key ? "true" : null;
            return value is not null;
        }
    }
}
