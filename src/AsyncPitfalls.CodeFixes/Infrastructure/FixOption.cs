namespace AsyncPitfalls.CodeFixes;

/// <summary>One thing a fix can do for one diagnostic.</summary>
internal sealed class FixOption
{
    public FixOption(string title, string key, bool bulk = true)
    {
        Title = title;
        Key = key;
        Bulk = bulk;
    }

    /// <summary>What the light bulb shows.</summary>
    public string Title { get; }

    /// <summary>The equivalence key: Fix All applies the options with the key the user (or <c>dotnet format</c>) chose.</summary>
    public string Key { get; }

    /// <summary>
    /// Whether Fix All, and so <c>dotnet format</c>, may apply this option without anyone reading the diff. False for a
    /// discard that hides a forgotten await, and for a change to a signature visible outside the assembly.
    /// </summary>
    public bool Bulk { get; }
}
