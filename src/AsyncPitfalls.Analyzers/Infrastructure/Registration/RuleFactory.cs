using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Builds descriptors so that every rule gets the same help-link scheme and tags.</summary>
internal static class RuleFactory
{
    /// <summary>The project's one canonical URL. The package's PackageProjectUrl and RepositoryUrl use the same (a meta-test checks).</summary>
    public const string ProjectUrl = "https://github.com/asyncpitfalls/asyncpitfalls";

    public const string DocsBaseUrl = ProjectUrl + "/blob/main/docs/rules/";

    public static string HelpLink(string id) => DocsBaseUrl + id + ".md";

    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string message,
        string category,
        DiagnosticSeverity severity,
        string description,
        bool enabledByDefault = true)
    {
        return new DiagnosticDescriptor(
            id,
            title,
            message,
            category,
            severity,
            enabledByDefault,
            description,
            HelpLink(id));
    }
}
