namespace AsyncPitfalls.Analyzers;

/// <summary>The categories our rules use. Bugs that lose work or exceptions are Reliability.</summary>
public static class DiagnosticCategories
{
    public const string Reliability = "Reliability";
    public const string Correctness = "Correctness";
    public const string Performance = "Performance";
}
