using System;

namespace AsyncPitfalls.Analyzers;

/// <summary>Near-miss names: normalisation and the Damerau-Levenshtein (optimal string alignment) distance.</summary>
internal static class NameDistance
{
    /// <summary>Lower case, without a leading <c>_</c> or <c>m_</c>.</summary>
    public static string Normalize(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.StartsWith("m_", StringComparison.Ordinal) && lower.Length > 2)
        {
            return lower.Substring(2);
        }

        return lower.TrimStart('_');
    }

    /// <summary>The distance allowed for a pair whose longer normalised name has <paramref name="length"/> characters; -1 below 4.</summary>
    public static int Allowed(int length, int cap)
    {
        var allowed = length switch
        {
            < 4 => -1,
            <= 7 => 1,
            _ => 2,
        };
        return allowed < 0 ? -1 : Math.Min(allowed, cap);
    }

    /// <summary>The optimal-string-alignment distance, or <paramref name="limit"/> + 1 once it is certainly larger.</summary>
    public static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    /// <summary>Names that differ only by a trailing run of digits: <c>item1</c>/<c>item2</c>.</summary>
    public static bool DifferOnlyByTrailingDigits(string a, string b)
    {
        var stemA = a.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        var stemB = b.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        return (stemA.Length != a.Length || stemB.Length != b.Length) && string.Equals(stemA, stemB, StringComparison.Ordinal);
    }
}
