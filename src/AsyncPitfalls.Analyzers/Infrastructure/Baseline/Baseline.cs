using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// One grandfathered report: what it is and where it is, in terms that survive unrelated edits. No line numbers: the
/// file (relative to the baseline's folder), the containing member's documentation ID, the flagged code with its
/// whitespace normalized, and which occurrence of that code in that member it is.
/// </summary>
internal readonly struct BaselineEntry : IEquatable<BaselineEntry>
{
    public BaselineEntry(string rule, string file, string member, string code, int occurrence)
    {
        Rule = rule;
        File = file;
        Member = member;
        Code = code;
        Occurrence = occurrence;
    }

    public string Rule { get; }

    /// <summary>The path relative to the baseline's folder, with <c>/</c> separators.</summary>
    public string File { get; }

    /// <summary>The documentation ID of the containing member (<c>M:App.Worker.RunAsync(System.Threading.CancellationToken)</c>), or <c>&lt;top-level&gt;</c>.</summary>
    public string Member { get; }

    public string Code { get; }

    /// <summary>0 for the first report of this rule on this code in this member, 1 for the second, and so on.</summary>
    public int Occurrence { get; }

    public bool Equals(BaselineEntry other)
        => string.Equals(Rule, other.Rule, StringComparison.Ordinal) && string.Equals(File, other.File, StringComparison.Ordinal)
            && string.Equals(Member, other.Member, StringComparison.Ordinal) && string.Equals(Code, other.Code, StringComparison.Ordinal)
            && Occurrence == other.Occurrence;

    public override bool Equals(object? obj) => obj is BaselineEntry other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = StringComparer.Ordinal.GetHashCode(Rule ?? "");
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(File ?? "");
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(Member ?? "");
            hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(Code ?? "");
            return (hash * 31) + Occurrence;
        }
    }
}

/// <summary>
/// The baseline file (<c>asyncpitfalls.baseline.json</c>): the reports a team grandfathered when it adopted the rules.
/// The command-line tool writes it; the build reads it through <see cref="ASYNC902BaselineSuppressor"/>, and so does
/// the tool's <c>check</c>, with the same fingerprints (<see cref="BaselineFingerprint"/>).
/// </summary>
internal sealed class Baseline
{
    public const string FileName = "asyncpitfalls.baseline.json";

    private readonly HashSet<BaselineEntry> _set;

    public Baseline(IEnumerable<BaselineEntry> entries)
    {
        Entries = entries.Distinct().OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Member, StringComparer.Ordinal)
            .ThenBy(e => e.Rule, StringComparer.Ordinal).ThenBy(e => e.Code, StringComparer.Ordinal).ThenBy(e => e.Occurrence).ToList();
        _set = new HashSet<BaselineEntry>(Entries);
    }

    public IReadOnlyList<BaselineEntry> Entries { get; }

    public bool Contains(BaselineEntry entry) => _set.Contains(entry);

    /// <summary>The baseline in <paramref name="text"/>; null when it is not a baseline file this version can read.</summary>
    public static Baseline? Parse(string text)
    {
        if (MiniJson.Parse(text) is not Dictionary<string, object?> root || root.TryGetValue("version", out var version) && version is not 1.0
            || !root.TryGetValue("entries", out var list) || list is not List<object?> entries)
        {
            return null;
        }

        var result = new List<BaselineEntry>();
        foreach (var item in entries)
        {
            if (item is Dictionary<string, object?> entry
                && entry.TryGetValue("rule", out var rule) && rule is string ruleText
                && entry.TryGetValue("file", out var file) && file is string fileText
                && entry.TryGetValue("member", out var member) && member is string memberText
                && entry.TryGetValue("code", out var code) && code is string codeText)
            {
                var occurrence = entry.TryGetValue("occurrence", out var number) && number is double value ? (int)value : 0;
                result.Add(new BaselineEntry(ruleText, fileText, memberText, codeText, occurrence));
            }
        }

        return new Baseline(result);
    }

    /// <summary>The file's text: stable order, one entry per line, so that its diffs read well in review.</summary>
    public string Serialize()
    {
        var builder = new StringBuilder();
        builder.Append("{\n  \"version\": 1,\n");
        builder.Append("  \"comment\": \"Reports of the AsyncPitfalls rules that existed when the rules were adopted. `asyncpitfalls baseline` writes this file and `asyncpitfalls baseline --prune` removes fixed entries. Reports not listed here fail the build as usual.\",\n");
        builder.Append("  \"entries\": [");
        for (var i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            builder.Append(i == 0 ? "\n" : ",\n");
            builder.Append("    { \"rule\": ").Append(MiniJson.Quote(e.Rule))
                .Append(", \"file\": ").Append(MiniJson.Quote(e.File))
                .Append(", \"member\": ").Append(MiniJson.Quote(e.Member))
                .Append(", \"code\": ").Append(MiniJson.Quote(e.Code))
                .Append(", \"occurrence\": ").Append(e.Occurrence.ToString(CultureInfo.InvariantCulture))
                .Append(" }");
        }

        builder.Append(Entries.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return builder.ToString();
    }
}

/// <summary>
/// The fingerprint of a report (<see cref="BaselineEntry"/>), computed the same way by the suppressor in the build and
/// by the command-line tool.
/// </summary>
internal static class BaselineFingerprint
{
    public const string TopLevel = "<top-level>";

    /// <summary>
    /// The entries of <paramref name="diagnostics"/> (all in source), each with its occurrence index among the
    /// diagnostics of the same rule, file, member and code. <paramref name="modelOf"/> gives a tree's semantic model,
    /// which names the containing member.
    /// </summary>
    public static IReadOnlyList<(Diagnostic Diagnostic, BaselineEntry Entry)> Of(IEnumerable<Diagnostic> diagnostics, string root, Func<SyntaxTree, SemanticModel?> modelOf)
    {
        var keyed = new List<(Diagnostic Diagnostic, string File, string Member, string Code)>();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Location.SourceTree is not { } tree)
            {
                continue;
            }

            var rootNode = tree.GetRoot();
            var span = diagnostic.Location.SourceSpan;
            var code = Code(rootNode, span);
            var node = rootNode.FindNode(span, getInnermostNodeForTie: true);
            keyed.Add((diagnostic, RelativePath(root, tree.FilePath), MemberId(node, modelOf(tree)), code));
        }

        var result = new List<(Diagnostic, BaselineEntry)>();
        foreach (var group in keyed.GroupBy(k => (k.Diagnostic.Id, k.File, k.Member, k.Code)))
        {
            var occurrence = 0;
            foreach (var item in group.OrderBy(k => k.Diagnostic.Location.SourceSpan.Start))
            {
                result.Add((item.Diagnostic, new BaselineEntry(item.Diagnostic.Id, item.File, item.Member, item.Code, occurrence++)));
            }
        }

        return result;
    }

    /// <summary>
    /// The flagged code as its tokens, one space apart: line breaks, indentation and comments inside it do not change
    /// it (<c>Thread.Sleep(\n    10)</c> and <c>Thread.Sleep(10)</c> are both <c>Thread . Sleep ( 10 )</c>).
    /// </summary>
    public static string Code(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var tokens = root.DescendantTokens(span).Where(t => span.Contains(t.Span) && t.Span.Length > 0).Select(t => t.Text).ToList();
        return tokens.Count > 0 ? string.Join(" ", tokens) : root.SyntaxTree.GetText().ToString(span).Trim();
    }

    /// <summary><paramref name="path"/> relative to <paramref name="root"/>, with <c>/</c> separators; the whole path when it is elsewhere.</summary>
    public static string RelativePath(string root, string path)
    {
        var normalizedRoot = root.Replace('\\', '/').TrimEnd('/') + "/";
        var normalizedPath = path.Replace('\\', '/');
        return normalizedPath.StartsWith(normalizedRoot, StringComparison.OrdinalIgnoreCase) ? normalizedPath.Substring(normalizedRoot.Length) : normalizedPath;
    }

    /// <summary>The documentation ID of the member (or type) that holds <paramref name="node"/>; local functions and lambdas count as part of their member.</summary>
    public static string MemberId(SyntaxNode node, SemanticModel? model)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            SyntaxNode? declaration = current switch
            {
                GlobalStatementSyntax => null,
                BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => current,
                BaseFieldDeclarationSyntax field => field.Declaration.Variables.FirstOrDefault(),
                _ => null,
            };
            if (current is GlobalStatementSyntax)
            {
                return TopLevel;
            }

            if (declaration is not null)
            {
                return model?.GetDeclaredSymbol(declaration)?.GetDocumentationCommentId() ?? current.GetType().Name;
            }
        }

        return TopLevel;
    }
}
