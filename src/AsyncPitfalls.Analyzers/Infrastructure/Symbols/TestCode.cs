using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Whether code is a test: in a project that says so (<c>IsTestProject</c>, which Microsoft.NET.Test.Sdk sets and the
/// package makes visible to analyzers), or in a method or class that a test framework runs: a method with a test
/// attribute (xUnit's <c>Fact</c>/<c>Theory</c>, NUnit's <c>Test</c>/<c>TestCase</c>/<c>TestCaseSource</c>, MSTest's
/// <c>TestMethod</c>/<c>DataTestMethod</c>), or any member of a class that has one or is marked <c>TestFixture</c>
/// or <c>TestClass</c>. The answer per class is cached for the compilation.
/// </summary>
internal sealed class TestCode
{
    private static readonly ImmutableHashSet<string> MethodAttributes = ImmutableHashSet.Create(
        "FactAttribute", "TheoryAttribute", "TestAttribute", "TestCaseAttribute", "TestCaseSourceAttribute", "TestMethodAttribute", "DataTestMethodAttribute");

    private static readonly ImmutableHashSet<string> ClassAttributes = ImmutableHashSet.Create("TestFixtureAttribute", "TestClassAttribute");

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _classes = new(SymbolEqualityComparer.Default);

    /// <summary>True when <paramref name="member"/> (the symbol an operation belongs to) is test code.</summary>
    public bool Contains(ISymbol member, AnalyzerOptions options)
    {
        if (options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.IsTestProject", out var isTestProject)
            && string.Equals(isTestProject, "true", System.StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (member is IMethodSymbol method && HasTestAttribute(method))
        {
            return true;
        }

        return member.ContainingType is { } type && _classes.GetOrAdd(type, IsTestClass);
    }

    private static bool HasTestAttribute(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass is { } attribute && MethodAttributes.Contains(attribute.Name));

    private static bool IsTestClass(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.GetAttributes().Any(a => a.AttributeClass is { } attribute && ClassAttributes.Contains(attribute.Name))
                || current.GetMembers().OfType<IMethodSymbol>().Any(HasTestAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
