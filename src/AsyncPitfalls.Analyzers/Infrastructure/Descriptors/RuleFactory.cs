using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Builds descriptors so that every rule gets the same help-link scheme and tags.</summary>
internal static class RuleFactory
{
    public const string DocsBaseUrl = "https://github.com/asyncpitfalls/asyncpitfalls/blob/main/docs/rules/";

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
