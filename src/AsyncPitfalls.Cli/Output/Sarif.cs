using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using AsyncPitfalls.Cli.Analysis;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Cli.Output;

/// <summary>
/// A SARIF 2.1.0 log of a check: one run, the rules with their help URIs and default levels, and one result per
/// report, located relative to the source root (<c>SRCROOT</c>) with a stable fingerprint. Baselined reports carry an
/// external suppression, as SARIF viewers and GitHub code scanning expect.
/// </summary>
internal static class Sarif
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, CheckResult result, string root)
    {
        var rules = RuleCatalog.Rules;
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var log = new Dictionary<string, object?>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["tool"] = new
                    {
                        driver = new
                        {
                            name = "AsyncPitfalls",
                            semanticVersion = typeof(Sarif).Assembly.GetName().Version?.ToString(3),
                            informationUri = RuleCatalog.ProjectUrl,
                            rules = rules.Select(r => new
                            {
                                id = r.Id,
                                name = r.Id,
                                shortDescription = new { text = r.Title.ToString() },
                                fullDescription = new { text = r.Description.ToString() },
                                helpUri = r.HelpLinkUri,
                                defaultConfiguration = new { level = Level(r.DefaultSeverity), enabled = r.IsEnabledByDefault },
                                properties = new { category = r.Category },
                            }),
                        },
                    },
                    ["originalUriBaseIds"] = new Dictionary<string, object>
                    {
                        ["SRCROOT"] = new { uri = new Uri(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar).AbsoluteUri },
                    },
                    ["results"] = result.Findings.Select(f => Result(f, ruleIndex)).ToList(),
                },
            },
        };

        File.WriteAllText(path, JsonSerializer.Serialize(log, Json));
    }

    private static Dictionary<string, object?> Result(Finding f, Dictionary<string, int> ruleIndex)
    {
        var result = new Dictionary<string, object?>
        {
            ["ruleId"] = f.RuleId,
            ["ruleIndex"] = ruleIndex.TryGetValue(f.RuleId, out var index) ? index : -1,
            ["level"] = Level(f.Severity),
            ["message"] = new { text = f.Message },
            ["locations"] = new[]
            {
                new
                {
                    physicalLocation = new
                    {
                        artifactLocation = new { uri = Uri.EscapeDataString(f.RelativePath).Replace("%2F", "/", StringComparison.Ordinal), uriBaseId = "SRCROOT" },
                        region = new { startLine = f.Line, startColumn = f.Column, endLine = f.EndLine, endColumn = f.EndColumn },
                    },
                },
            },
            ["partialFingerprints"] = new Dictionary<string, string>
            {
                ["asyncPitfalls/v1"] = $"{f.Fingerprint.Rule}|{f.Fingerprint.File}|{f.Fingerprint.Member}|{f.Fingerprint.Code}|{f.Fingerprint.Occurrence}",
            },
            ["properties"] = new { frameworks = f.Frameworks, testCode = f.InTestProject },
        };
        if (f.Baselined)
        {
            result["suppressions"] = new[] { new { kind = "external", justification = "Listed in asyncpitfalls.baseline.json" } };
        }

        return result;
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "note",
        _ => "none",
    };
}
